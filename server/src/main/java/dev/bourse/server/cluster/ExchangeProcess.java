package dev.bourse.server.cluster;

import dev.bourse.server.cli.Main;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@code exchange start} in a JVM of its own (a single node, a cluster node or a gateway), as
 * the demo, the benchmark and tests run them: its output goes to a log file and its last lines are
 * kept, so a caller can wait for a line ({@link #awaitLine}, e.g. the {@code ready:} line with the
 * ports) and show what the process said when it failed. SIGKILL ({@link #kill}) or SIGTERM
 * ({@link #close}).
 */
public final class ExchangeProcess implements AutoCloseable
{
    private static final int KEPT_LINES = 500;

    private final String name;
    private final Process process;
    private final Deque<String> lines = new ArrayDeque<>();

    private ExchangeProcess(final String name, final Process process)
    {
        this.name = name;
        this.process = process;
    }

    /**
     * Starts {@code exchange start -c configFile --set k=v ...} with this JVM's classpath.
     *
     * @param jvmFlags the project's flags (see {@link LocalCluster#projectJvmFlags()}) and any others
     * @param log      where its output goes (appended)
     */
    public static ExchangeProcess start(final String name, final Path configFile, final Map<String, String> overrides,
        final List<String> jvmFlags, final String heap, final Path log) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.add("-Xmx" + heap);
        command.addAll(jvmFlags);
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of("start", "-c", configFile.toString()));
        overrides.forEach((key, value) ->
        {
            command.add("--set");
            command.add(key + "=" + value);
        });
        final ExchangeProcess started = new ExchangeProcess(name, new ProcessBuilder(command).redirectErrorStream(true).start());
        started.pumpOutputTo(log);
        return started;
    }

    private void pumpOutputTo(final Path log)
    {
        final Thread pump = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND))
            {
                for (String line; (line = in.readLine()) != null; )
                {
                    out.write(line);
                    out.write('\n');
                    out.flush();
                    synchronized (lines)
                    {
                        lines.addLast(line);
                        if (lines.size() > KEPT_LINES)
                        {
                            lines.removeFirst();
                        }
                        lines.notifyAll();
                    }
                }
            }
            catch (final IOException | RuntimeException ignore)
            {
                // the process was killed
            }
            finally
            {
                synchronized (lines)
                {
                    lines.notifyAll();
                }
            }
        }, "exchange-process-" + name);
        pump.setDaemon(true);
        pump.start();
    }

    /**
     * Waits for a line containing {@code text} (among the last {@value #KEPT_LINES}) and returns it;
     * an IOException with the process's output if it exits first or {@code timeoutSeconds} pass.
     */
    public String awaitLine(final String text, final int timeoutSeconds) throws IOException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        synchronized (lines)
        {
            while (true)
            {
                for (final String line : lines)
                {
                    if (line.contains(text))
                    {
                        return line;
                    }
                }
                final long left = deadline - System.nanoTime();
                if (left <= 0 || !process.isAlive())
                {
                    throw new IOException(name + (process.isAlive() ? " did not print '" + text + "' within " + timeoutSeconds + " s"
                        : " exited (code " + process.exitValue() + ")") + "; its output:\n" + String.join("\n", lines));
                }
                try
                {
                    lines.wait(Math.max(1, Math.min(100, TimeUnit.NANOSECONDS.toMillis(left))));
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for " + name);
                }
            }
        }
    }

    /** The number that follows {@code prefix} in {@code line} (e.g. a port in a ready line). */
    public static int numberAfter(final String line, final String prefix)
    {
        final int at = line.indexOf(prefix);
        if (at < 0)
        {
            throw new IllegalArgumentException("no '" + prefix + "' in: " + line);
        }
        final String rest = line.substring(at + prefix.length());
        final boolean negative = rest.startsWith("-");
        final int value = Integer.parseInt((negative ? rest.substring(1) : rest).split("\\D", 2)[0]);
        return negative ? -value : value;
    }

    /** Whether the process printed a line containing {@code text} (among its last {@value #KEPT_LINES}). */
    public boolean printed(final String text)
    {
        synchronized (lines)
        {
            return lines.stream().anyMatch(l -> l.contains(text));
        }
    }

    /** The last lines the process printed. */
    public String output()
    {
        synchronized (lines)
        {
            return String.join("\n", lines);
        }
    }

    public String name()
    {
        return name;
    }

    public boolean isAlive()
    {
        return process.isAlive();
    }

    public long pid()
    {
        return process.pid();
    }

    /** The exit code once the process has ended, -1 while it runs. */
    public int exitCode()
    {
        return process.isAlive() ? -1 : process.exitValue();
    }

    /** SIGKILL: no shutdown hook, nothing closed; returns once the process is gone. */
    public void kill() throws InterruptedException
    {
        if (process.isAlive())
        {
            process.destroyForcibly();
            if (!process.waitFor(30, TimeUnit.SECONDS))
            {
                throw new IllegalStateException(name + " did not die");
            }
        }
    }

    /** Asks the process to stop (SIGTERM), without waiting. */
    public void stop()
    {
        if (process.isAlive())
        {
            process.destroy();
        }
    }

    /** Waits for it to end after {@link #stop()}, SIGKILL after {@code seconds}. */
    public void awaitExit(final int seconds)
    {
        try
        {
            if (!process.waitFor(seconds, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        catch (final InterruptedException e)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM (a clean stop), SIGKILL after 20 s. */
    @Override
    public void close()
    {
        stop();
        awaitExit(20);
    }
}
