package dev.bourse.marketdata;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

/**
 * md-listen's wait for a snapshot: said once per wait, counted only while the feed is live (a
 * silent feed is STALE, which says why), and afresh for each connection.
 */
class MdListenSnapshotWaitTest
{
    private static final long MS = 1_000_000L;
    private static final String WAITING = "no snapshot received on aeron:ipc stream 1002 after ";

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final MdListen.SnapshotWait wait = new MdListen.SnapshotWait(10_000 * MS, "aeron:ipc stream 1002");

    private String printed()
    {
        final String text = bytes.toString(StandardCharsets.UTF_8);
        bytes.reset();
        return text;
    }

    @Test
    void aLongWaitIsSaidOnceAndItsEndToo()
    {
        final Object connection = new Object();
        wait.check(connection, false, false, 0, out);
        wait.check(connection, false, false, 10_000 * MS, out);
        assertEquals("", printed(), "not yet");
        wait.check(connection, false, false, 10_001 * MS, out);
        assertTrue(printed().contains(WAITING + "10.0 s: check --snapshot-channel and --snapshot-stream-id"));
        wait.check(connection, false, false, 60_000 * MS, out);
        assertEquals("", printed(), "said once");
        wait.check(connection, true, false, 61_000 * MS, out);
        assertTrue(printed().contains("snapshot received on aeron:ipc stream 1002 after 61.0 s: the books are SYNCED"));
        wait.check(connection, true, false, 62_000 * MS, out);
        assertEquals("", printed());
    }

    @Test
    void aSyncWithoutAWarningIsNotSaid()
    {
        final Object connection = new Object();
        wait.check(connection, false, false, 0, out);
        wait.check(connection, true, false, 2_000 * MS, out);
        wait.check(connection, false, false, 3_000 * MS, out); // a gap: a new wait, from now
        wait.check(connection, false, false, 12_000 * MS, out);
        assertEquals("", printed());
        wait.check(connection, false, false, 13_001 * MS, out);
        assertTrue(printed().contains(WAITING + "10.0 s"));
    }

    @Test
    void aSilentFeedOrANewConnectionStartsTheWaitAfresh()
    {
        final Object first = new Object();
        wait.check(first, false, false, 0, out);
        wait.check(first, false, true, 30_000 * MS, out);          // STALE: the publisher is the matter
        assertEquals("", printed());
        wait.check(first, false, false, 31_000 * MS, out);         // live again: the wait counts from its last silence
        assertEquals("", printed());
        wait.check(null, false, false, 50_000 * MS, out);          // the driver went away
        final Object second = new Object();
        wait.check(second, false, false, 51_000 * MS, out);
        wait.check(second, false, false, 60_000 * MS, out);
        assertEquals("", printed());
        wait.check(second, false, false, 61_001 * MS, out);
        assertTrue(printed().contains(WAITING + "10.0 s"));
    }
}
