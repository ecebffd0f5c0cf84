package dev.bourse.gateway;

import dev.bourse.gateway.store.DamagedStoreException;
import dev.bourse.gateway.store.SessionStore;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The gateway's start over a session directory: damaged files refuse it (the store package's
 * StoreDamageTest has each check), a released session leaves nothing that reads as a session, and
 * what a crash while releasing leaves is cleared.
 */
class SessionRegistryDamageTest
{
    private static final UnsafeBuffer SENDING_TIME = new UnsafeBuffer("20261207-12:00:00.000".getBytes(StandardCharsets.US_ASCII));

    private Path dir;

    @BeforeEach
    void makeDir() throws IOException
    {
        dir = Files.createTempDirectory("bourse-registry-damage-");
    }

    @AfterEach
    void removeDir() throws IOException
    {
        try (Stream<Path> files = Files.walk(dir))
        {
            for (final Path file : (Iterable<Path>)files.sorted(Comparator.reverseOrder())::iterator)
            {
                Files.deleteIfExists(file);
            }
        }
    }

    private SessionRegistry registry()
    {
        return new SessionRegistry(new GatewayContext().sessionDir(dir));
    }

    @Test
    void anUndamagedDirectoryStartsWithItsSessions()
    {
        try (SessionRegistry registry = registry())
        {
            final SessionStore alice = registry.create("ALICE", "alice");
            append(alice, 1);
            append(alice, 2);
            registry.gatewayState().reportedPosition(77L);
        }
        try (SessionRegistry registry = registry())
        {
            assertEquals(3, registry.storeOf("ALICE").nextOutSeq());
            assertEquals("alice", registry.storeOf("ALICE").username());
            assertEquals(77L, registry.gatewayState().reportedPosition());
        }
    }

    @Test
    void aDamagedStateOrAMissingGatewayStateRefusesTheStart() throws IOException
    {
        try (SessionRegistry registry = registry())
        {
            append(registry.create("ALICE", "alice"), 1);
        }
        final Path state = dir.resolve("ALICE").resolve("state");
        final byte[] good = Files.readAllBytes(state);
        Files.write(state, new byte[0]);
        final DamagedStoreException damaged = assertThrows(DamagedStoreException.class, this::registry);
        assertTrue(damaged.getMessage().contains(state + " is empty"), damaged.getMessage());
        Files.write(state, good);

        Files.delete(dir.resolve("gateway.state"));
        final DamagedStoreException missing = assertThrows(DamagedStoreException.class, this::registry);
        assertTrue(missing.getMessage().contains(dir.resolve("gateway.state") + " is missing"), missing.getMessage());
    }

    @Test
    void aReleasedSessionLeavesNothingAndAReleaseCutOffIsCleared() throws IOException
    {
        try (SessionRegistry registry = registry())
        {
            final SessionStore bob = registry.create("BOB", "bob");
            append(bob, 1);
            registry.release(bob);
            assertFalse(Files.exists(dir.resolve("BOB")));
            try (Stream<Path> left = Files.list(dir))
            {
                assertEquals(0, left.filter(Files::isDirectory).count(), "no directory left");
            }
            append(registry.create("CAROL", "carol"), 1);
        }
        // a crash while a release deleted the files: the directory renamed, part of it left
        final Path cutOff = dir.resolve(".released-CAROL-12345");
        Files.createDirectories(cutOff);
        Files.copy(dir.resolve("CAROL").resolve("messages"), cutOff.resolve("messages"));
        try (SessionRegistry registry = registry())
        {
            assertFalse(Files.exists(cutOff), "deleted at start");
            assertNotNull(registry.storeOf("CAROL"));
        }
    }

    @Test
    void aStateDeletedBesideItsMessagesRefusesTheStart() throws IOException
    {
        try (SessionRegistry registry = registry())
        {
            append(registry.create("ALICE", "alice"), 1);
        }
        Files.delete(dir.resolve("ALICE").resolve("state"));
        final DamagedStoreException lost = assertThrows(DamagedStoreException.class, this::registry);
        assertTrue(lost.getMessage().contains(dir.resolve("ALICE").resolve("state") + " is missing"), lost.getMessage());
    }

    @Test
    void aFirstLogonCutOffLeavesACompIdTheNextLogonBindsAfresh() throws IOException
    {
        try (SessionRegistry registry = registry())
        {
            append(registry.create("ALICE", "alice"), 1);
        }
        // a store being made when the process died: its state not yet bound, stale segments beside it
        final Path dave = dir.resolve("DAVE");
        Files.createDirectories(dave);
        Files.write(dave.resolve("state"), new byte[4096]);
        try (SessionRegistry registry = registry())
        {
            assertNull(registry.storeOf("DAVE"));
            final SessionStore store = registry.create("DAVE", "dave");
            assertEquals(1, store.nextOutSeq());
            append(store, 1);
        }
        try (SessionRegistry registry = registry())
        {
            assertEquals(2, registry.storeOf("DAVE").nextOutSeq());
        }
    }

    private static void append(final SessionStore store, final int seq)
    {
        final UnsafeBuffer body = new UnsafeBuffer(("11=ORDER" + seq + "\u000139=0\u0001").getBytes(StandardCharsets.US_ASCII));
        store.append(seq, (byte)'8', (byte)0, SENDING_TIME, 0, body, 0, body.capacity());
    }
}
