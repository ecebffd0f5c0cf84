package dev.bourse.gateway;

import dev.bourse.engine.EventText;
import dev.bourse.journal.ChronicleJournal;
import dev.bourse.journal.JournalTailer;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A {@link StallableExchangeChild} in its own JVM, for tests that kill the exchange with SIGKILL
 * and start it again on the same files. The parent reads the journal while the child writes it.
 */
final class ExchangeChildProcess implements AutoCloseable
{
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private ExchangeChildProcess(final Process process)
    {
        this.process = process;
    }

    /** Starts the child and returns once it takes connections on {@code port}. */
    static ExchangeChildProcess start(
        final Path journal, final Path sessions, final int port, final Path stall, final boolean cancelOnDisconnect) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.add("-Xmx256m");
        for (final String flag : System.getProperty("bourse.jvm.flags", "").trim().split("\\s+"))
        {
            if (!flag.isEmpty())
            {
                command.add(flag);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(StallableExchangeChild.class.getName());
        command.add(journal.toString());
        command.add(sessions.toString());
        command.add(Integer.toString(port));
        command.add(stall.toString());
        command.add(Boolean.toString(cancelOnDisconnect));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final ExchangeChildProcess child = new ExchangeChildProcess(process);
        final BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        final List<String> seen = new ArrayList<>();
        for (String line; (line = out.readLine()) != null; )
        {
            if (line.startsWith("READY "))
            {
                final Thread pump = new Thread(() -> out.lines().forEach(child.lines::add), "child-output");
                pump.setDaemon(true);
                pump.start();
                return child;
            }
            seen.add(line);
        }
        process.destroyForcibly();
        fail("the child exchange did not start: " + String.join("\n", seen));
        return null;
    }

    /** Waits until the child prints {@code expected}. */
    void awaitLine(final String expected) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (String line; ; )
        {
            line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertNotNull(line, "the child did not say " + expected);
            if (line.equals(expected))
            {
                return;
            }
        }
    }

    /** SIGKILL: nothing of the child's shutdown runs. */
    void kill() throws InterruptedException
    {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException
    {
        kill();
    }

    /** The journal's events as text, read from its start. */
    static List<String> journalEvents(final Path journalDir)
    {
        final List<String> events = new ArrayList<>();
        final EventText text = new EventText();
        try (ChronicleJournal journal = ChronicleJournal.openForReading(journalDir); JournalTailer tailer = journal.tailerFromStart())
        {
            tailer.poll((position, buffer, offset, length) -> events.addAll(text.events(buffer, offset, length)), Integer.MAX_VALUE);
        }
        return events;
    }

    static int freePort() throws Exception
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
