package dev.bourse.marketdata;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

/** md-listen says STALE when the feed falls silent, and live again when it resumes; a new connection starts afresh. */
class MdListenSilenceTest
{
    private static final long MS = 1_000_000L;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String printed()
    {
        final String text = bytes.toString(StandardCharsets.UTF_8);
        bytes.reset();
        return text;
    }

    @Test
    void aSilentFeedIsStaleOnceAndLiveAgainWhenItSpeaks()
    {
        final MdListen.Silence silence = new MdListen.Silence(2_000 * MS);
        final Object connection = new Object();
        silence.check(connection, 5, 0, out);
        silence.check(connection, 6, 100 * MS, out);                       // heartbeats flowing
        silence.check(connection, 6, 2_000 * MS, out);                     // 1.9 s quiet: not yet
        assertFalse(silence.stale());
        assertEquals("", printed());

        silence.check(connection, 6, 2_101 * MS, out);
        assertTrue(silence.stale());
        assertTrue(printed().contains("feed STALE: nothing on the incremental stream for 2.0 s"));
        silence.check(connection, 6, 9_000 * MS, out);
        assertEquals("", printed(), "said once");

        silence.check(connection, 7, 9_100 * MS, out);
        assertFalse(silence.stale());
        assertTrue(printed().contains("feed live again after 9.0 s of silence"));
    }

    @Test
    void aNewConnectionCountsItsSilenceFromItsStartAndNoConnectionIsNeverStale()
    {
        final MdListen.Silence silence = new MdListen.Silence(2_000 * MS);
        final Object first = new Object();
        silence.check(first, 1, 0, out);
        silence.check(first, 1, 3_000 * MS, out);
        assertTrue(silence.stale());
        silence.check(null, 0, 3_100 * MS, out);                           // the driver went away
        assertFalse(silence.stale());
        silence.check(null, 0, 60_000 * MS, out);
        assertFalse(silence.stale(), "md-listen says the driver is gone, not that the feed is stale");
        final Object second = new Object();
        silence.check(second, 0, 60_100 * MS, out);
        silence.check(second, 0, 61_000 * MS, out);
        assertFalse(silence.stale());
        printed();
        silence.check(second, 0, 62_200 * MS, out);
        assertTrue(silence.stale());
    }
}
