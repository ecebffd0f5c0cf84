package dev.bourse.bench.readmodels;

import dev.bourse.journal.IdleSchedulingClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The read-models bench's query phase, shrunk to seconds: every kind of query is answered and
 * reported, and the history sink is scheduled as the exchange schedules it unless told otherwise.
 */
class QueryPhaseTest
{
    private static final Pattern IDLE_SHARE = Pattern.compile("idle scheduling class in (\\d+)% of the lag samples \\((\\d+) switches");

    @TempDir
    Path dir;

    @Test
    void theSinkRunsInTheIdleClassByDefaultAsInTheExchange() throws Exception
    {
        assumeTrue(idleClassAvailable(), "no idle scheduling class on this system");
        final Matcher share = idleShare(run());
        assertTrue(Integer.parseInt(share.group(1)) > 0, "the sink never was in the idle class: " + share.group());
    }

    @Test
    void aLagLimitOfZeroKeepsTheSinkAnOrdinaryThread() throws Exception
    {
        final Matcher share = idleShare(run("--sink-idle-class-max-lag", "0"));
        assertEquals("0", share.group(1), share.group());
        assertEquals("0", share.group(2), share.group());
    }

    private String run(final String... extra) throws Exception
    {
        final String[] base = {
            "--phases", "queries", "--dir", dir.toString(), "--preload", "2000", "--journal-rate", "2000", "--prime", "0.5",
            "--warmup-seconds", "0.2", "--query-seconds", "0.5", "--query-rate", "100"};
        final String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        final PrintStream out = System.out;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        final int exit;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try
        {
            exit = new CommandLine(new ReadModelsCommand()).execute(args);
        }
        finally
        {
            System.setOut(out);
        }
        final String text = captured.toString(StandardCharsets.UTF_8);
        out.print(text);
        assertEquals(0, exit, text);
        for (final String kind : new String[] {"query", "query-hot", "query-inprocess"})
        {
            assertTrue(text.contains("RESULT " + kind + " rate="), "no " + kind + " result:\n" + text);
        }
        return text;
    }

    private static Matcher idleShare(final String text)
    {
        final Matcher matcher = IDLE_SHARE.matcher(text);
        assertTrue(matcher.find(), "no line on the sink's scheduling:\n" + text);
        return matcher;
    }

    /** Asked on a throwaway thread: the class is the calling thread's. */
    private static boolean idleClassAvailable() throws InterruptedException
    {
        final AtomicBoolean available = new AtomicBoolean();
        final Thread probe = new Thread(() -> available.set(IdleSchedulingClass.INSTANCE.yieldCores()));
        probe.start();
        probe.join();
        return available.get();
    }
}
