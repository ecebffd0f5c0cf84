package dev.bourse.server.cluster;

import dev.bourse.cluster.node.ClusterMembers;
import dev.bourse.cluster.node.LoopbackPorts;
import dev.bourse.cluster.ops.ClusterStatus;
import org.agrona.IoUtil;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A cluster of node processes on this host, each {@code exchange start} with the cluster keys in a
 * JVM of its own ({@link ExchangeProcess}), for the demo, the benchmark and tests: free loopback
 * ports, a directory per node under one root ({@code node<i>/}: data.dir, with {@code cluster/} and
 * {@code journal/} inside), one configuration file for all ({@code cluster.properties}, with each
 * node's id and directory given by {@code --set}), each node's output in {@code node<i>.log}.
 * Gateways on it are processes too ({@link #startGateway}). Nodes can be SIGKILLed and started
 * again; {@link #status()} reads them as {@code ./exchange cluster status} does; with
 * {@link #restartNodesThatStopThemselves} a node that exits 1 by itself is started again.
 */
public final class LocalCluster implements AutoCloseable
{
    private static final String READY_QUERY_PORT = "query API on port ";
    private static final String READY_FIX_PORT = "FIX on port ";
    private static final int MAX_RESTARTS = 3;

    private final Path root;
    private final int size;
    private final String members;
    private final Path configFile;
    private final List<String> jvmFlags;
    private final String heap;
    private final ExchangeProcess[] nodes;
    private final int[] queryPorts;
    private final List<ExchangeProcess> gateways = new ArrayList<>();
    /** Restarts of nodes that stopped themselves, per node ({@link #restartNodesThatStopThemselves}). */
    private final int[] restarts;
    private volatile boolean closing;
    private Thread supervisor;

    /**
     * @param configText every key but {@code cluster.members}, {@code cluster.node-id} and {@code data.dir},
     *                   which this class sets (the same file configures gateways: see {@link #startGateway});
     *                   {@code query.port = 0} (each node picks a free port, see {@link #queryPort}) or
     *                   {@code query.enabled = false}, and {@code gateway.port = 0}, since the processes share this host.
     */
    public LocalCluster(final Path root, final int size, final String configText, final List<String> jvmFlags, final String heap)
        throws IOException
    {
        this.root = root;
        this.size = size;
        this.jvmFlags = jvmFlags;
        this.heap = heap;
        this.members = freeMembers(size);
        this.nodes = new ExchangeProcess[size];
        this.queryPorts = new int[size];
        this.restarts = new int[size];
        java.util.Arrays.fill(queryPorts, -1);
        Files.createDirectories(root);
        configFile = root.resolve("cluster.properties");
        Files.writeString(configFile, "cluster.members = " + members + "\n" + configText, StandardCharsets.UTF_8);
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

    /** A base port with {@code count} consecutive free UDP ports on loopback, outside the kernel's ephemeral range. */
    public static int freeUdpRange(final int count)
    {
        return LoopbackPorts.freeUdpRange(count);
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
    public synchronized int queryPort(final int node)
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

    /**
     * From now on, a node whose process ends with exit code 1 by itself (a node that stops itself:
     * docs/CLUSTER.md) is started again, up to {@value #MAX_RESTARTS} times per node, as a supervisor
     * with {@code Restart=on-failure} would; each restart is told to {@code log}. Nodes killed or
     * terminated through this class end otherwise (137, 0) and stay down.
     */
    public synchronized LocalCluster restartNodesThatStopThemselves(final Consumer<String> log)
    {
        if (supervisor == null)
        {
            supervisor = new Thread(() -> superviseUntilClosed(log), "local-cluster-supervisor");
            supervisor.setDaemon(true);
            supervisor.start();
        }
        return this;
    }

    private void superviseUntilClosed(final Consumer<String> log)
    {
        while (!closing)
        {
            for (int i = 0; i < size && !closing; i++)
            {
                boolean started = false;
                synchronized (this)
                {
                    final ExchangeProcess node = nodes[i];
                    if (!closing && node != null && node.exitCode() == 1 && restarts[i] < MAX_RESTARTS)
                    {
                        restarts[i]++;
                        log.accept("node " + i + " stopped itself (exit 1); starting it again (" + restarts[i] + " of at most "
                            + MAX_RESTARTS + "), as a supervisor with Restart=on-failure would");
                        try
                        {
                            launch(i);
                            started = true;
                        }
                        catch (final IOException e)
                        {
                            log.accept("node " + i + " could not be started again: " + e.getMessage());
                        }
                    }
                }
                if (started)
                {
                    try
                    {
                        awaitReady(i, 180); // outside the lock: a kill meanwhile is the caller's to make
                    }
                    catch (final IOException e)
                    {
                        log.accept("node " + i + " started again but did not say it was ready: " + e.getMessage());
                    }
                }
            }
            try
            {
                Thread.sleep(200);
            }
            catch (final InterruptedException e)
            {
                return;
            }
        }
    }

    private synchronized void launch(final int node) throws IOException
    {
        final Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("cluster.node-id", String.valueOf(node));
        overrides.put("data.dir", nodeDir(node).toString());
        queryPorts[node] = -1;
        nodes[node] = ExchangeProcess.start("cluster node " + node, configFile, overrides, jvmFlags, heap,
            root.resolve("node" + node + ".log"));
    }

    private void awaitReady(final int node, final int timeoutSeconds) throws IOException
    {
        // StartCommand: "ready: cluster node N, query API on port P; ..."
        final ExchangeProcess process = node(node);
        final String ready = process.awaitLine("ready: cluster node " + node + ",", timeoutSeconds);
        synchronized (this)
        {
            if (nodes[node] == process)
            {
                queryPorts[node] = ready.contains(READY_QUERY_PORT) ? ExchangeProcess.numberAfter(ready, READY_QUERY_PORT) : -1;
            }
        }
    }

    /**
     * Starts a gateway process on this cluster ({@code cluster.gateway-id = gatewayId}, its data.dir
     * {@code gateway<id>/}, output in {@code gateway<id>.log}) and waits until it takes FIX
     * connections; {@link #gatewayPort} tells its port.
     */
    public ExchangeProcess startGateway(final int gatewayId, final int timeoutSeconds) throws IOException
    {
        final Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("cluster.gateway-id", String.valueOf(gatewayId));
        overrides.put("data.dir", root.resolve("gateway" + gatewayId).toString());
        final ExchangeProcess gateway = ExchangeProcess.start("gateway " + gatewayId, configFile, overrides, jvmFlags, heap,
            root.resolve("gateway" + gatewayId + ".log"));
        gateways.add(gateway);
        gateway.awaitLine("ready: gateway " + gatewayId + " on the cluster", timeoutSeconds);
        return gateway;
    }

    /** The FIX port of a gateway {@link #startGateway} started. */
    public static int gatewayPort(final ExchangeProcess gateway) throws IOException
    {
        return ExchangeProcess.numberAfter(gateway.awaitLine("ready: gateway ", 0), READY_FIX_PORT);
    }

    /**
     * Waits until the leader has put the configured instruments and accounts in the cluster log
     * (ClusterBootstrap says so on the node that did it), so FIX orders meet known symbols.
     */
    public void awaitBootstrap(final int timeoutSeconds) throws IOException, InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (true)
        {
            for (int i = 0; i < size; i++)
            {
                if (printed(i, "bootstrap: the cluster has every configured") || (printed(i, "bootstrap: ")
                    && printed(i, "are in the cluster log")))
                {
                    return;
                }
            }
            if (System.nanoTime() > deadline)
            {
                throw new IOException("the cluster did not journal the configured instruments and accounts within " + timeoutSeconds
                    + " s; node 0 said:\n" + output(0));
            }
            Thread.sleep(20);
        }
    }

    /** The node's process (null before it was started). */
    public synchronized ExchangeProcess node(final int node)
    {
        return nodes[node];
    }

    /** The last lines node {@code node} printed. */
    public String output(final int node)
    {
        final ExchangeProcess process = node(node);
        return process == null ? "" : process.output();
    }

    /** Whether node {@code node} printed a line containing {@code text} (among its last ones). */
    public boolean printed(final int node, final String text)
    {
        final ExchangeProcess process = node(node);
        return process != null && process.printed(text);
    }

    /** SIGKILL: no shutdown hook, nothing closed. */
    public void kill(final int node) throws InterruptedException
    {
        final ExchangeProcess process = node(node);
        if (process != null)
        {
            process.kill();
        }
    }

    /** SIGTERM: the node's clean stop; returns once the process is gone (SIGKILL after 20 s). */
    public void terminate(final int node)
    {
        final ExchangeProcess process = node(node);
        if (process != null)
        {
            process.close();
        }
    }

    public boolean isAlive(final int node)
    {
        final ExchangeProcess process = node(node);
        return process != null && process.isAlive();
    }

    public long pid(final int node)
    {
        final ExchangeProcess process = node(node);
        return process == null ? -1 : process.pid();
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
        return inStep(0);
    }

    /**
     * Whether every live node is up, in no election, and has applied and journaled all but at most
     * {@code maxLag} of the entries the leader has (under load the counters never read equal at once).
     */
    public boolean inStep(final long maxLag)
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
                || leader.engineSequence() - n.engineSequence() > maxLag || leader.engineSequence() - n.journalSequence() > maxLag
                || (maxLag == 0 && (n.engineSequence() != leader.engineSequence() || n.journalSequence() != leader.engineSequence()))))
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

    /**
     * Stops the gateways, then every node, with SIGTERM (a clean stop), SIGKILL after 20 s; then
     * deletes the Aeron directory of each node, which a SIGKILLed node leaves behind.
     */
    @Override
    public void close()
    {
        closing = true;
        synchronized (this)
        {
            if (supervisor != null)
            {
                supervisor.interrupt();
            }
        }
        gateways.forEach(ExchangeProcess::stop);
        gateways.forEach(g -> g.awaitExit(20));
        // a SIGKILLed gateway leaves its client driver directory: swept as the next client start would
        dev.bourse.cluster.client.StaleDriverDirs.delete(Path.of(System.getProperty("java.io.tmpdir")));
        for (final ExchangeProcess node : nodes)
        {
            if (node != null)
            {
                node.stop();
            }
        }
        for (final ExchangeProcess node : nodes)
        {
            if (node != null)
            {
                node.awaitExit(20);
            }
        }
        for (int i = 0; i < size; i++)
        {
            if (nodes[i] != null && !nodes[i].isAlive())
            {
                deleteAeronDir(i);
            }
        }
    }

    /**
     * The media driver directory of node {@code node}, as the node names it in the {@code node.properties}
     * of its cluster.dir (written before its driver starts); null if it never started.
     */
    public Path aeronDir(final int node)
    {
        final Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(clusterDir(node).resolve("node.properties"), StandardCharsets.UTF_8))
        {
            p.load(in);
        }
        catch (final IOException e)
        {
            return null;
        }
        final String dir = p.getProperty("aeron-dir", "");
        return dir.isEmpty() ? null : Path.of(dir);
    }

    /**
     * Deletes the media driver directory of node {@code node}, whose process is gone. A node that
     * stops cleanly deletes it itself; a SIGKILLed one leaves it (in /dev/shm by default, under a
     * name no later run uses: its cluster.dir is under this run's root).
     */
    private void deleteAeronDir(final int node)
    {
        final Path dir = aeronDir(node);
        if (dir != null)
        {
            IoUtil.delete(dir.toFile(), true);
        }
    }
}
