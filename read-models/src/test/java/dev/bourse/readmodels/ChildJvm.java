package dev.bourse.readmodels;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A main class of this module in a child JVM (the project's JVM flags, this test's classpath), its output line by line. */
public final class ChildJvm implements AutoCloseable
{
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder log = new StringBuilder();
    private final Thread drain;

    private ChildJvm(final Process process)
    {
        this.process = process;
        drain = new Thread(() ->
        {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
            {
                for (String line = reader.readLine(); line != null; line = reader.readLine())
                {
                    synchronized (log)
                    {
                        log.append(line).append('\n');
                    }
                    lines.add(line);
                }
            }
            catch (final IOException ignore)
            {
                // the process ended
            }
        }, "child-output");
        drain.setDaemon(true);
        drain.start();
    }

    public static ChildJvm start(final Class<?> main, final String... args) throws IOException
    {
        return start(List.of(), main, args);
    }

    /** As {@link #start(Class, String...)}, with more JVM options (a {@code -Djava.io.tmpdir}, say) before the class. */
    public static ChildJvm start(final List<String> jvmOptions, final Class<?> main, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.addAll(jvmOptions);
        for (final String flag : System.getProperty("bourse.jvm.flags", "").trim().split("\\s+"))
        {
            if (!flag.isEmpty())
            {
                command.add(flag);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return new ChildJvm(new ProcessBuilder(command).redirectErrorStream(true)
            .directory(new File(System.getProperty("java.io.tmpdir"))).start());
    }

    /** The first line (from now on) that starts with the prefix; fails if the process ends or the deadline passes first. */
    public String awaitLine(final String prefix, final long timeoutSeconds) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline)
        {
            final String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith(prefix))
            {
                return line;
            }
            if (line == null && !process.isAlive() && lines.isEmpty())
            {
                drain.join(1_000);
                if (lines.isEmpty())
                {
                    throw new AssertionError("the child process ended (status " + process.exitValue() + ") before printing '" +
                        prefix + "':\n" + log());
                }
            }
        }
        throw new AssertionError("no '" + prefix + "' from the child process within " + timeoutSeconds + " s:\n" + log());
    }

    /** SIGKILL: no shutdown hook, no finally block, an open transaction stays uncommitted. */
    public void kill() throws InterruptedException
    {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS))
        {
            throw new AssertionError("the child process did not die");
        }
    }

    public int waitForExit(final long timeoutSeconds) throws InterruptedException
    {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS))
        {
            throw new AssertionError("the child process did not exit:\n" + log());
        }
        drain.join(5_000);
        return process.exitValue();
    }

    public String log()
    {
        synchronized (log)
        {
            return log.toString();
        }
    }

    @Override
    public void close() throws InterruptedException
    {
        if (process.isAlive())
        {
            kill();
        }
    }
}
