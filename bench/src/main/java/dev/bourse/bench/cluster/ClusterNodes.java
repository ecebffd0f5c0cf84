package dev.bourse.bench.cluster;

import dev.bourse.cluster.node.ClusterMembers;
import dev.bourse.cluster.node.ClusterNodeMain;
import dev.bourse.cluster.ops.ClusterStatus;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's cluster: three {@link ClusterNodeMain} processes on loopback with their own
 * ports and directories under one root, started with the project's JVM flags; killed with SIGKILL
 * and restarted by the benchmark; their state read with {@link ClusterStatus}.
 */
final class ClusterNodes implements AutoCloseable
{
    private final Path root;
    private final int size;
    private final String members;
    private final List<String> jvmFlags;
    private final List<String> nodeOptions;
    private final Process[] processes;

    ClusterNodes(final Path root, final int size, final List<String> jvmFlags, final List<String> nodeOptions)
    {
        this.root = root;
        this.size = size;
        this.jvmFlags = jvmFlags;
        this.nodeOptions = nodeOptions;
        this.members = members(size);
        this.processes = new Process[size];
    }

    private static String members(final int size)
    {
        for (int attempt = 0; attempt < 1_000; attempt++)
        {
            final int base = 20_000 + (int)(Math.random() * 30_000);
            if (free(base, size * 10))
            {
                final StringBuilder sb = new StringBuilder();
                for (int i = 0; i < size; i++)
                {
                    sb.append(i == 0 ? "" : ",").append(i).append("=localhost:").append(base + 10 * i);
                }
                return sb.toString();
            }
        }
        throw new IllegalStateException("no free UDP ports for the cluster");
    }

    private static boolean free(final int base, final int count)
    {
        for (int port = base; port < base + count; port++)
        {
            try (DatagramSocket socket = new DatagramSocket(null))
            {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
            catch (final IOException e)
            {
                return false;
            }
        }
        return true;
    }

    String ingressEndpoints()
    {
        return ClusterMembers.parse(members).ingressEndpoints();
    }

    Path nodeDir(final int node)
    {
        return root.resolve("node" + node);
    }

    void startAll() throws IOException, InterruptedException
    {
        java.nio.file.Files.createDirectories(root);
        for (int i = 0; i < size; i++)
        {
            start(i);
        }
    }

    void start(final int node) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.add("-Xmx1g");
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ClusterNodeMain.class.getName());
        command.addAll(List.of("--node-id", Integer.toString(node), "--members", members, "--dir", nodeDir(node).toString(),
            "--aeron-dir", root.resolve("aeron" + node).toString()));
        command.addAll(nodeOptions);
        final Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.PIPE).start();
        processes[node] = process;
        final CountDownLatch ready = new CountDownLatch(1);
        final Path log = root.resolve("node" + node + ".log");
        final Thread pump = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                java.io.Writer out = java.nio.file.Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND))
            {
                for (String line; (line = in.readLine()) != null; )
                {
                    out.write(line);
                    out.write('\n');
                    out.flush();
                    if (line.startsWith("NODE " + node + " READY"))
                    {
                        ready.countDown();
                    }
                }
            }
            catch (final IOException ignore)
            {
                // killed
            }
        }, "bench-node-" + node);
        pump.setDaemon(true);
        pump.start();
        if (!ready.await(60, TimeUnit.SECONDS))
        {
            throw new IllegalStateException("node " + node + " did not start; see " + log);
        }
    }

    void kill(final int node) throws InterruptedException
    {
        final Process p = processes[node];
        if (p != null && p.isAlive())
        {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
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

    /** The live leader, waiting up to {@code seconds}; -1 if none. */
    int leader(final int seconds) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline)
        {
            final ClusterStatus.Node leader = ClusterStatus.leader(status());
            if (leader != null && processes[leader.nodeId()] != null && processes[leader.nodeId()].isAlive())
            {
                return leader.nodeId();
            }
            Thread.sleep(20);
        }
        return -1;
    }

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
