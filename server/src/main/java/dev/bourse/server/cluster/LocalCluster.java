package dev.bourse.server.cluster;

import dev.bourse.cluster.node.ClusterMembers;
import dev.bourse.cluster.ops.ClusterStatus;
import dev.bourse.server.cli.Main;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A cluster of node processes on this host, each {@code exchange start} with the cluster keys in a
 * JVM of its own, for the demo, the benchmark and tests: free loopback ports, a directory per node
 * under one root ({@code node<i>/}: data.dir, with {@code cluster/} and {@code journal/} inside),
 * one configuration file for all ({@code cluster.properties}, with each node's id and directory
 * given by {@code --set}), each node's output in {@code node<i>.log}. Nodes can be SIGKILLed and
 * started again; {@link #status()} reads them as {@code ./exchange cluster status} does.
 */
public final class LocalCluster implements AutoCloseable
{
    private final Path root;
    private final int size;
    private final String members;
    private final Path configFile;
    private final List<String> jvmFlags;
    private final String heap;
    private final Process[] processes;
    private final int[] queryPorts;
    private final List<Deque<String>> recent = new ArrayList<>();

    private static final String READY_QUERY_PORT = "query API on port ";

    /**
     * @param configText every key but {@code cluster.members}, {@code cluster.node-id} and {@code data.dir},
     *                   which this class sets (the same text also configures gateways: see {@link #gatewayConfig});
     *                   {@code query.port = 0} (each node picks a free port, see {@link #queryPort}) or
     *                   {@code query.enabled = false}, since the nodes share this host.
     */
    public LocalCluster(final Path root, final int size, final String configText, final List<String> jvmFlags, final String heap)
        throws IOException
    {
        this.root = root;
        this.size = size;
        this.jvmFlags = jvmFlags;
        this.heap = heap;
        this.members = freeMembers(size);
        this.processes = new Process[size];
        this.queryPorts = new int[size];
        Files.createDirectories(root);
        configFile = root.resolve("cluster.properties");
        Files.writeString(configFile, "cluster.members = " + members + "\n" + configText, StandardCharsets.UTF_8);
        for (int i = 0; i < size; i++)
        {
            recent.add(new ArrayDeque<>());
        }
    }

    /** {@code 0=localhost:b0,1=localhost:b1,...} where each member's five ports are free. */
    private static String freeMembers(final int size)
    {
        final int base = freeUdpRange(size * 10);
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < size; i++)
        {
            sb.append(i == 0 ? "" : ",").append(i).append("=localhost:").append(base + 10 * i);
        }
        return sb.toString();
    }

    /** A base port with {@code count} consecutive free UDP ports on loopback. */
    public static int freeUdpRange(final int count)
    {
        for (int attempt = 0; attempt < 1_000; attempt++)
        {
            final int base = 20_000 + ThreadLocalRandom.current().nextInt(30_000);
            boolean free = true;
            for (int port = base; port < base + count && free; port++)
            {
                try (DatagramSocket socket = new DatagramSocket(null))
                {
                    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                }
                catch (final IOException e)
                {
                    free = false;
                }
            }
            if (free)
            {
                return base;
            }
        }
        throw new IllegalStateException("no " + count + " free UDP ports in a row on loopback");
    }

    public String members()
    {
        return members;
    }

    public String ingressEndpoints()
    {
        return ClusterMembers.parse(members).ingressEndpoints();
    }

    public int size()
    {
        return size;
    }

    public Path configFile()
    {
        return configFile;
    }

    /** The configuration text of a gateway on this cluster: the nodes' file with a gateway id and a data.dir of its own. */
    public String gatewayConfig(final int gatewayId) throws IOException
    {
        return Files.readString(configFile, StandardCharsets.UTF_8) + "cluster.gateway-id = " + gatewayId + "\ndata.dir = "
            + root.resolve("gateway" + gatewayId) + "\n";
    }

    public Path nodeDir(final int node)
    {
        return root.resolve("node" + node);
    }

    public Path clusterDir(final int node)
    {
        return nodeDir(node).resolve("cluster");
    }

    public Path journalDir(final int node)
    {
        return nodeDir(node).resolve("journal");
    }

    /** The node's query API port (-1 before it said). */
    public int queryPort(final int node)
    {
        return queryPorts[node];
    }

    /** Starts every node (at once: they elect when a majority is up) and waits until each is ready. */
    public void startAll(final int timeoutSeconds) throws IOException
    {
        for (int i = 0; i < size; i++)
        {
            launch(i);
        }
        for (int i = 0; i < size; i++)
        {
            awaitReady(i, timeoutSeconds);
        }
    }

    /** Starts node {@code node} (again) and waits until it is ready. */
    public void start(final int node, final int timeoutSeconds) throws IOException
    {
        launch(node);
        awaitReady(node, timeoutSeconds);
    }

    private void launch(final int node) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.add("-Xmx" + heap);
        command.addAll(jvmFlags);
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of("start", "-c", configFile.toString(), "--set", "cluster.node-id=" + node,
            "--set", "data.dir=" + nodeDir(node)));
        queryPorts[node] = -1;
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        processes[node] = process;
        final Path log = root.resolve("node" + node + ".log");
        final Deque<String> lines = recent.get(node);
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
                        if (lines.size() > 200)
                        {
                            lines.removeFirst();
                        }
                        final int at = line.indexOf(READY_QUERY_PORT);
                        if (at >= 0 && line.contains(ready(node)))
                        {
                            queryPorts[node] = Integer.parseInt(line.substring(at + READY_QUERY_PORT.length()).split("\\D")[0]);
                        }
                        lines.notifyAll();
                    }
                }
            }
            catch (final IOException | RuntimeException ignore)
            {
                // the node was killed
            }
        }, "local-cluster-node-" + node);
        pump.setDaemon(true);
        pump.start();
    }

    /** The start of the line {@code exchange start} prints once a node is up (StartCommand). */
    private static String ready(final int node)
    {
        return "ready: cluster node " + node + ",";
    }

    private void awaitReady(final int node, final int timeoutSeconds) throws IOException
    {
        final String ready = ready(node);
        final Deque<String> lines = recent.get(node);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        synchronized (lines)
        {
            while (lines.stream().noneMatch(l -> l.contains(ready)))
            {
                final long left = deadline - System.nanoTime();
                if (left <= 0 || !processes[node].isAlive())
                {
                    throw new IOException("cluster node " + node + (processes[node].isAlive() ? " not ready after " + timeoutSeconds + " s"
                        : " exited") + "; its output:\n" + output(node));
                }
                try
                {
                    lines.wait(Math.max(1, Math.min(100, TimeUnit.NANOSECONDS.toMillis(left))));
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                }
            }
        }
    }

    /** The last lines node {@code node} printed. */
    public String output(final int node)
    {
        final Deque<String> lines = recent.get(node);
        synchronized (lines)
        {
            return String.join("\n", lines);
        }
    }

    /** Whether node {@code node} printed a line containing {@code text} (among its last 200). */
    public boolean printed(final int node, final String text)
    {
        final Deque<String> lines = recent.get(node);
        synchronized (lines)
        {
            return lines.stream().anyMatch(l -> l.contains(text));
        }
    }

    /** SIGKILL: no shutdown hook, nothing closed. */
    public void kill(final int node) throws InterruptedException
    {
        final Process process = processes[node];
        if (process != null && process.isAlive())
        {
            process.destroyForcibly();
            if (!process.waitFor(30, TimeUnit.SECONDS))
            {
                throw new IllegalStateException("node " + node + " did not die");
            }
        }
    }

    public boolean isAlive(final int node)
    {
        return processes[node] != null && processes[node].isAlive();
    }

    public long pid(final int node)
    {
        return processes[node] == null ? -1 : processes[node].pid();
    }

    /** Each node's status, as {@code ./exchange cluster status} reads it. */
    public List<ClusterStatus.Node> status()
    {
        final List<Path> dirs = new ArrayList<>();
        for (int i = 0; i < size; i++)
        {
            dirs.add(clusterDir(i));
        }
        return ClusterStatus.read(dirs);
    }

    /** The id of the live node that leads now, or -1 (none, or an election is on). */
    public int leader()
    {
        final ClusterStatus.Node leader = ClusterStatus.leader(status());
        return leader != null && leader.nodeId() >= 0 && isAlive(leader.nodeId()) ? leader.nodeId() : -1;
    }

    /** The live leader's id, waiting up to {@code timeoutMs} for one; -1 if there is none by then. */
    public int awaitLeader(final long timeoutMs) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        int leader;
        while ((leader = leader()) < 0 && System.nanoTime() < deadline)
        {
            Thread.sleep(20);
        }
        return leader;
    }

    /**
     * Whether every live node has applied and journaled what the leader has (same engine and
     * journal sequence), with no election going on.
     */
    public boolean inStep()
    {
        final List<ClusterStatus.Node> status = status();
        final ClusterStatus.Node leader = ClusterStatus.leader(status);
        if (leader == null)
        {
            return false;
        }
        for (final ClusterStatus.Node n : status)
        {
            if (n.nodeId() >= 0 && isAlive(n.nodeId()) && (!n.up() || !"closed".equals(n.election())
                || n.engineSequence() != leader.engineSequence() || n.journalSequence() != leader.engineSequence()))
            {
                return false;
            }
        }
        return true;
    }

    /** The JVM flags of the build (from the launcher's file, else the bourse.jvm.flags property). */
    public static List<String> projectJvmFlags()
    {
        String flags = System.getProperty("bourse.jvm.flags", "");
        final Path file = Path.of(System.getProperty("bourse.home", ".")).resolve("bench/target/launcher/jvm.flags");
        if (flags.isBlank() && Files.isRegularFile(file))
        {
            try
            {
                flags = Files.readString(file, StandardCharsets.UTF_8);
            }
            catch (final IOException e)
            {
                throw new IllegalStateException("cannot read " + file + ": " + e.getMessage());
            }
        }
        final List<String> list = new ArrayList<>();
        for (final String flag : flags.trim().split("\\s+"))
        {
            if (!flag.isEmpty())
            {
                list.add(flag);
            }
        }
        return list;
    }

    /** Stops every node with SIGTERM (a clean stop), SIGKILL after 20 s. */
    @Override
    public void close()
    {
        for (final Process p : processes)
        {
            if (p != null && p.isAlive())
            {
                p.destroy();
            }
        }
        for (final Process p : processes)
        {
            if (p != null)
            {
                try
                {
                    if (!p.waitFor(20, TimeUnit.SECONDS))
                    {
                        p.destroyForcibly();
                        p.waitFor(10, TimeUnit.SECONDS);
                    }
                }
                catch (final InterruptedException e)
                {
                    p.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
