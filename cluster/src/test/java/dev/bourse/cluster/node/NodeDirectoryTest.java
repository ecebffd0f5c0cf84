package dev.bourse.cluster.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A node's directory is claimed by a lock and checked for its member: an outside tester started
 * member 2 on a copy of member 1's directory, and it joined the cluster on member 1's Raft log; with
 * the copy's recorded pid still alive (member 1's process), the start was refused as "in use by
 * process" that never used the copy.
 */
class NodeDirectoryTest
{
    @TempDir
    Path dir;

    @Test
    void anotherMembersDirectoryIsRefusedNamingBothMembersAndTheCure() throws Exception
    {
        Files.writeString(dir.resolve(NodeDirectory.INFO), "node-id=1\njournal-dir=/data/node1/journal\npid=1\n");
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NodeDirectory.claim(dir, 2));
        assertTrue(e.getMessage().startsWith("cluster.dir " + dir + " is member 1's (" + dir.resolve(NodeDirectory.INFO)
            + ": node-id=1, journal-dir=/data/node1/journal), not member 2's"), e.getMessage());
        assertTrue(e.getMessage().contains("start it on an empty one"), e.getMessage());

        // the refusal let go of the lock: member 1 may run here
        try (NodeDirectory claimed = NodeDirectory.claim(dir, 1))
        {
            assertNotNull(claimed);
        }
    }

    @Test
    void aLivePidInTheFileIsNotALock() throws Exception
    {
        // the pid of a running process (this one's parent) as a copied or stale node.properties would hold it
        final long alive = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(1L);
        Files.writeString(dir.resolve(NodeDirectory.INFO), "node-id=0\npid=" + alive + "\n");
        try (NodeDirectory claimed = NodeDirectory.claim(dir, 0))
        {
            assertNotNull(claimed);
        }
    }

    @Test
    void aClaimedDirectoryIsInUseUntilReleased()
    {
        try (NodeDirectory first = NodeDirectory.claim(dir, 0))
        {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NodeDirectory.claim(dir, 0));
            assertEquals("cluster.dir " + dir + " is in use by another node process (" + dir.resolve(NodeDirectory.LOCK) + " is locked)",
                e.getMessage());
        }
        try (NodeDirectory again = NodeDirectory.claim(dir, 0))
        {
            assertNotNull(again);
        }
    }

    @Test
    void aNewDirectoryIsAnyMembers()
    {
        try (NodeDirectory claimed = NodeDirectory.claim(dir, 7))
        {
            assertNotNull(claimed);
        }
    }
}
