package dev.bourse.cluster;

import dev.bourse.cluster.node.ClusterMembers;
import dev.bourse.cluster.ops.ClusterStatus;
import dev.bourse.journal.tool.JournalTool;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Three (or more) cluster nodes on loopback, each a child JVM ({@link TestNodeMain}) started with
 * the project's JVM flags, with its own ports and directories under {@code root}. The test can kill
 * one with SIGKILL, wipe its directories, restart it, cut it off the network and heal it, read the
 * cluster's status, and compare the nodes' journals with {@code journal verify}.
 */
final class TestCluster implements AutoCloseable
{
    static final Pattern DIGEST = Pattern.compile("digest\\s+([0-9a-f]+).*");
    static final Pattern RANGE = Pattern.compile("sequence\\s+(\\d+) \\.\\. (\\d+),.*");

    static final long T0 = System.nanoTime();
    private final Path root;
    private final int size;
    private final String members;
    private final Process[] processes;
    private final List<List<String>> output = new ArrayList<>();
    private final List<BlockingQueue<String>> lines = new ArrayList<>();

    TestCluster(final Path root, final int size)
    {
        this.root = root;
        this.size = size;
        this.members = Ports.members(size);
        this.processes = new Process[size];
        for (int i = 0; i < size; i++)
        {
            output.add(new ArrayList<>());
            lines.add(new LinkedBlockingQueue<>());
        }
    }

    String ingressEndpoints()
    {
        return ClusterMembers.parse(members).ingressEndpoints();
    }

    Path nodeDir(final int node)
    {
        return root.resolve("node" + node);
    }

    Path journalDir(final int node)
    {
        return nodeDir(node).resolve("journal");
    }

    private Path aeronDir(final int node)
    {
        return root.resolve("aeron" + node);
    }

    void startAll()
    {
        for (int i = 0; i < size; i++)
        {
            start(i);
        }
    }

    /** Starts node {@code node} and waits for its READY line. */
    void start(final int node)
    {
        start(node, List.of());
    }

    /** Starts node {@code node} with these JVM options besides the project's, and waits for its READY line. */
    void start(final int node, final List<String> jvmOptions)
    {
        final List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.add("-Xmx256m");
        command.addAll(jvmOptions);
        command.add("-XX:+UseSerialGC");
        for (final String flag : System.getProperty("bourse.jvm.flags", "").trim().split("\\s+"))
        {
            if (!flag.isEmpty())
            {
                command.add(flag);
            }
        }
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(TestNodeMain.class.getName());
        command.addAll(List.of("--node-id", Integer.toString(node), "--members", members,
            "--dir", nodeDir(node).toString(), "--aeron-dir", aeronDir(node).toString(),
            "--startup-canvass-timeout", "5s", "--idle-strategy", "backoff:1000",
            "--max-instruments", "16", "--preallocated-orders", "4096", "--expected-clordids", "65536"));
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            processes[node] = process;
            final BlockingQueue<String> queue = lines.get(node);
            queue.clear();
            final List<String> log = output.get(node);
            final Thread pump = new Thread(() ->
            {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
                {
                    for (String line; (line = in.readLine()) != null; )
                    {
                        queue.add(line);
                        synchronized (log)
                        {
                            log.add(String.format("%8.3f %s", (System.nanoTime() - T0) / 1e9, line));
                            if (log.size() > 400)
                            {
                                log.remove(0);
                            }
                        }
                    }
                }
                catch (final IOException ignore)
                {
                    // killed
                }
            }, "node-" + node + "-output");
            pump.setDaemon(true);
            pump.start();
        }
        catch (final IOException e)
        {
            throw new IllegalStateException("cannot start node " + node, e);
        }
        awaitLine(node, "NODE " + node + " READY", 60);
    }

    String awaitLine(final int node, final String prefix, final int seconds)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        try
        {
            while (System.nanoTime() < deadline)
            {
                final String line = lines.get(node).poll(100, TimeUnit.MILLISECONDS);
                if (line != null && line.startsWith(prefix))
                {
                    return line;
                }
                if (line == null && !processes[node].isAlive() && lines.get(node).isEmpty())
                {
                    fail("node " + node + " exited (" + processes[node].exitValue() + ") before '" + prefix + "':\n" + output(node));
                }
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        return fail("node " + node + " never printed '" + prefix + "':\n" + output(node));
    }

    /** SIGKILL: no shutdown hook, no clean close. */
    void kill(final int node) throws InterruptedException
    {
        final Process process = processes[node];
        if (process != null && process.isAlive())
        {
            process.destroyForcibly();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "node " + node + " did not die");
        }
    }

    /** SIGSTOP for {@code millis}, then SIGCONT: a stopped VM, a long GC pause. */
    void pause(final int node, final long millis) throws IOException, InterruptedException
    {
        final String pid = Long.toString(processes[node].pid());
        assertEquals(0, new ProcessBuilder("kill", "-STOP", pid).inheritIO().start().waitFor());
        try
        {
            Thread.sleep(millis);
        }
        finally
        {
            new ProcessBuilder("kill", "-CONT", pid).inheritIO().start().waitFor();
        }
    }

    /** The node's exit code once its process ends (it stopped by itself), failing after {@code seconds}. */
    int awaitExit(final int node, final int seconds) throws InterruptedException
    {
        assertTrue(processes[node].waitFor(seconds, TimeUnit.SECONDS), "node " + node + " still runs:\n" + output(node));
        return processes[node].exitValue();
    }

    boolean isAlive(final int node)
    {
        return processes[node] != null && processes[node].isAlive();
    }

    /** Deletes everything the node had: archive, cluster state, journal. */
    void wipe(final int node) throws IOException
    {
        assertTrue(!isAlive(node), "wipe a stopped node");
        deleteTree(nodeDir(node));
        deleteTree(aeronDir(node));
    }

    void isolate(final int node) throws IOException
    {
        send(node, "isolate");
        awaitLine(node, "ISOLATED", 10);
    }

    void heal(final int node) throws IOException
    {
        send(node, "heal");
        awaitLine(node, "HEALED", 10);
    }

    private void send(final int node, final String line) throws IOException
    {
        final Writer in = new OutputStreamWriter(processes[node].getOutputStream(), StandardCharsets.UTF_8);
        in.write(line + "\n");
        in.flush();
    }

    /**
     * Asks the cluster for a snapshot through the leader's control toggle (as ClusterTool does) and
     * waits for every live node's. {@code leader} is where to start: if leadership has moved on a
     * loaded machine, the toggle goes to whichever node leads now (a follower does not act on it).
     */
    void snapshot(final int leader, final int seconds)
    {
        final List<ClusterStatus.Node> before = status();
        final java.util.Map<Integer, org.agrona.concurrent.status.CountersReader> countersByNode = new java.util.HashMap<>();
        // The toggle only moves from NEUTRAL: while the consensus module is still busy with an earlier
        // action (slow on a loaded machine) it refuses, so ask again until it takes it.
        final long toggleDeadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(seconds);
        boolean toggled = false;
        int target = leader;
        while (!toggled && System.nanoTime() < toggleDeadline)
        {
            final ClusterStatus.Node now = ClusterStatus.leader(status());
            target = now != null && isAlive(now.nodeId()) ? now.nodeId() : target;
            final org.agrona.concurrent.status.CountersReader counters = countersByNode.computeIfAbsent(target, this::controlCounters);
            final org.agrona.concurrent.status.AtomicCounter toggle = io.aeron.cluster.ClusterControl.findControlToggle(counters, 0);
            toggled = toggle != null && io.aeron.cluster.ClusterControl.ToggleState.SNAPSHOT.toggle(toggle);
            if (!toggled)
            {
                // reading the status maps every node's counters file: a few times a second is enough
                java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
        assertTrue(toggled, "snapshot toggle on node " + target + " (asked for " + leader + "):\n" + ClusterStatus.format(status()));
        await(() ->
        {
            final List<ClusterStatus.Node> now = status();
            for (int i = 0; i < size; i++)
            {
                if (isAlive(i) && now.get(i).snapshots() <= Math.max(0, before.get(i).snapshots()))
                {
                    return false;
                }
            }
            return true;
        }, seconds, () -> "no snapshot on every node:\n" + ClusterStatus.format(status()));
    }

    /** The node's Aeron counters (its CnC file), where its cluster control toggle is. */
    private org.agrona.concurrent.status.CountersReader controlCounters(final int node)
    {
        final java.util.Properties p = new java.util.Properties();
        try (java.io.Reader in = Files.newBufferedReader(nodeDir(node).resolve("node.properties")))
        {
            p.load(in);
        }
        catch (final IOException e)
        {
            fail(e);
        }
        return io.aeron.cluster.ClusterControl.mapCounters(new File(p.getProperty("aeron-dir"), io.aeron.CncFileDescriptor.CNC_FILE));
    }

    List<ClusterStatus.Node> status()
    {
        final List<Path> dirs = new ArrayList<>();
        for (int i = 0; i < size; i++)
        {
            dirs.add(nodeDir(i));
        }
        return ClusterStatus.read(dirs);
    }

    /** Status of node {@code i} alone, as `cluster status --dir` on its directory reads it. */
    ClusterStatus.Node status(final int i)
    {
        return ClusterStatus.read(List.of(nodeDir(i))).get(0);
    }

    /** Waits for a leader among the live nodes other than {@code except} (-1: any); returns its id. */
    int awaitLeader(final int except, final int seconds)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline)
        {
            final ClusterStatus.Node leader = ClusterStatus.leader(status());
            if (leader != null && leader.nodeId() != except && isAlive(leader.nodeId()))
            {
                return leader.nodeId();
            }
            sleep(50);
        }
        return fail("no leader (other than " + except + ") within " + seconds + " s:\n" + ClusterStatus.format(status()) + outputs());
    }

    private long healthCheckedNs;
    private boolean healthy;

    /**
     * Every node up, out of any election and within {@code lag} sequences of the leader (checked at
     * most every 100 ms: it maps the counters files).
     */
    boolean healthy(final long lag)
    {
        final long now = System.nanoTime();
        if (now - healthCheckedNs < TimeUnit.MILLISECONDS.toNanos(100))
        {
            return healthy;
        }
        healthCheckedNs = now;
        final List<ClusterStatus.Node> status = status();
        final ClusterStatus.Node leader = ClusterStatus.leader(status);
        healthy = leader != null;
        if (!healthy)
        {
            return false; // an election under way: not in step yet (and `&=` below would still read the leader)
        }
        for (final ClusterStatus.Node n : status)
        {
            healthy &= n.up() && "closed".equals(n.election()) && n.engineSequence() >= leader.engineSequence() - lag;
            if (!healthy)
            {
                break;
            }
        }
        return healthy;
    }

    /** Records each node's role and election state every 5 ms for {@code millis}: what an election spent its time on. */
    String electionTimeline(final long millis)
    {
        final StringBuilder sb = new StringBuilder();
        final String[] last = new String[size];
        final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < end)
        {
            final List<ClusterStatus.Node> status = status();
            for (int i = 0; i < size; i++)
            {
                final ClusterStatus.Node n = status.get(i);
                final String now = n.up() ? n.role() + "/" + n.election() + " term " + n.leadershipTermId() : "down";
                if (!now.equals(last[i]))
                {
                    sb.append(String.format("%8.3f node %d %s%n", (System.nanoTime() - T0) / 1e9, i, now));
                    last[i] = now;
                }
            }
            sleep(5);
        }
        return sb.toString();
    }

    /** Waits until every live node's engine and journal have reached {@code sequence}. */
    void awaitSequence(final long sequence, final int seconds, final int... nodes)
    {
        await(() ->
        {
            final List<ClusterStatus.Node> status = status();
            for (final int n : nodes)
            {
                final ClusterStatus.Node s = status.get(n);
                if (!s.up() || s.engineSequence() < sequence || s.journalSequence() < sequence)
                {
                    return false;
                }
            }
            return true;
        }, seconds, () -> "nodes did not reach sequence " + sequence + ":\n" + ClusterStatus.format(status()));
    }

    static void await(final BooleanSupplier condition, final int seconds, final java.util.function.Supplier<String> message)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail(message.get());
            }
            sleep(50);
        }
    }

    /** {@code journal verify} on a node's journal (read-only, the node may run): {first, last, digest}. */
    String[] verifyJournal(final int node)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        final PrintStream stdout = System.out;
        final int code;
        synchronized (TestCluster.class)
        {
            // journal verify prints its report on System.out
            System.setOut(capture);
            try
            {
                code = JournalTool.run(capture, capture, "verify", "--journal", journalDir(node).toString(), "--max-instruments", "16");
            }
            finally
            {
                System.setOut(stdout);
            }
        }
        final String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, "journal verify of node " + node + ":\n" + text);
        String digest = null;
        String first = null;
        String last = null;
        for (final String line : text.split("\n"))
        {
            final Matcher d = DIGEST.matcher(line.trim());
            if (d.matches())
            {
                digest = d.group(1);
            }
            final Matcher r = RANGE.matcher(line.trim());
            if (r.matches())
            {
                first = r.group(1);
                last = r.group(2);
            }
        }
        assertTrue(digest != null && first != null, "journal verify printed no digest:\n" + text);
        return new String[]{first, last, digest};
    }

    String output(final int node)
    {
        synchronized (output.get(node))
        {
            return String.join("\n", output.get(node));
        }
    }

    String outputs()
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < size; i++)
        {
            sb.append("\n--- node ").append(i).append(" ---\n").append(output(i));
        }
        return sb.toString();
    }

    static void sleep(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(final Path dir) throws IOException
    {
        if (!Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir))
        {
            for (final Path p : walk.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public void close()
    {
        for (final Process p : processes)
        {
            if (p != null && p.isAlive())
            {
                p.destroyForcibly();
            }
        }
        for (final Process p : processes)
        {
            if (p != null)
            {
                try
                {
                    p.waitFor(30, TimeUnit.SECONDS);
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
