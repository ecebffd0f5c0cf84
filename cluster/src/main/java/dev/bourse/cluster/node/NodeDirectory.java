package dev.bourse.cluster.node;

import java.io.IOException;
import java.io.Reader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Properties;

/**
 * A node's {@code cluster.dir}, claimed for the life of the node: no other process runs in it (a
 * lock on {@code node.lock}, which the operating system drops when the process dies), and it is
 * this member's (the {@code node-id} the last start wrote to {@code node.properties}).
 * <p>
 * Both were checked by reading that file only. Its {@code pid} decided "in use": a directory
 * copied from a running member was refused as in use by that member's process, and a crashed
 * node whose old pid now belongs to an unrelated process would have been refused for good. Its
 * {@code node-id} was not read at all: member 2 started on a copy of member 1's directory, joined
 * the cluster on member 1's Raft log and snapshots, and rewrote the file to say it was member 2's
 * (an outside tester).
 */
final class NodeDirectory implements AutoCloseable
{
    static final String INFO = "node.properties";
    static final String LOCK = "node.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private NodeDirectory(final FileChannel channel, final FileLock lock)
    {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code dir} for this process and checks it is member {@code nodeId}'s.
     *
     * @throws IllegalArgumentException with one line naming the problem: in use by another process, or another member's.
     */
    static NodeDirectory claim(final Path dir, final int nodeId)
    {
        final Path lockFile = dir.resolve(LOCK);
        final FileChannel channel;
        try
        {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        }
        catch (final IOException e)
        {
            throw new IllegalArgumentException("cannot open " + lockFile + ": " + e.getMessage());
        }
        FileLock lock = null;
        try
        {
            lock = channel.tryLock();
        }
        catch (final IOException | OverlappingFileLockException e)
        {
            // overlapping: this JVM has it already
        }
        if (lock == null)
        {
            closeQuietly(channel);
            throw new IllegalArgumentException("cluster.dir " + dir + " is in use by another node process (" + lockFile + " is locked)");
        }
        final NodeDirectory claimed = new NodeDirectory(channel, lock);
        try
        {
            refuseIfAnotherMembers(dir, nodeId);
        }
        catch (final RuntimeException e)
        {
            claimed.close();
            throw e;
        }
        return claimed;
    }

    /** Refuses a directory whose {@code node.properties} names another member; one without the file or the key is anyone's. */
    static void refuseIfAnotherMembers(final Path dir, final int nodeId)
    {
        final Path info = dir.resolve(INFO);
        if (!Files.isRegularFile(info))
        {
            return;
        }
        final Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(info, StandardCharsets.UTF_8))
        {
            p.load(in);
        }
        catch (final IOException | IllegalArgumentException e)
        {
            return; // unreadable: nothing to go by; the start overwrites it
        }
        final String recorded = p.getProperty("node-id");
        if (recorded != null && !recorded.trim().equals(Integer.toString(nodeId)))
        {
            throw new IllegalArgumentException("cluster.dir " + dir + " is member " + recorded.trim() + "'s (" + info + ": node-id="
                + recorded.trim() + (p.getProperty("journal-dir") != null ? ", journal-dir=" + p.getProperty("journal-dir") : "")
                + "), not member " + nodeId + "'s: a member runs only on its own Raft log and snapshots. Point data.dir (or"
                + " cluster.dir) at member " + nodeId + "'s own directory, or, to rebuild member " + nodeId
                + " from its peers, start it on an empty one (docs/CLUSTER.md)");
        }
    }

    @Override
    public void close()
    {
        try
        {
            lock.release();
        }
        catch (final IOException ignore)
        {
            // closing the channel releases it too
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(final FileChannel channel)
    {
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // nothing more to release
        }
    }
}
