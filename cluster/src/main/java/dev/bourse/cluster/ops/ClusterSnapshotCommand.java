package dev.bourse.cluster.ops;

import io.aeron.cluster.ClusterTool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ./exchange cluster snapshot}: the cluster takes a snapshot now. Aeron's ClusterTool does the
 * asking (the leader's control toggle, then waiting for every member to have written one); this finds
 * the leader among the nodes on this host and says the outcome in a line. Without it an operator
 * had only {@code cluster.snapshot-interval}, or ClusterTool by hand, which fails without the JVM
 * flags the launcher gives (an outside probe).
 */
@Command(name = "snapshot", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class,
    description = {"Asks the cluster to take a snapshot now, through the leader found among the nodes on this host; every member "
        + "writes one. A restarting node loads its newest snapshot and replays only the log after it.",
        "Exit code 0 when the snapshot was taken, 1 when it was not (no leader on this host, or no answer in time), 2 on a wrong "
            + "--dir."})
public final class ClusterSnapshotCommand implements Callable<Integer>
{
    @Option(names = "--dir", paramLabel = "DIR", split = ",",
        description = "A node's cluster.dir, or a directory above several, as for cluster status; the leader must be among them. "
            + "Default: data.")
    List<Path> dirs = new ArrayList<>();

    @Override
    public Integer call() throws Exception
    {
        final List<Path> nodeDirs = ClusterStatusCommand.nodeDirsOrSay(dirs, "cluster snapshot");
        if (nodeDirs.isEmpty())
        {
            return 2;
        }
        final ClusterStatus.Node leader = ClusterStatus.leader(ClusterStatus.read(nodeDirs));
        if (leader == null)
        {
            System.err.println("cluster snapshot: no leader among the nodes in " + nodeDirs + " (./exchange cluster status shows "
                + "them): run it on the leader's host, with --dir naming the leader's cluster.dir");
            return 1;
        }
        // a leader just elected has not yet made its control toggle ready (INACTIVE): it is, within a moment
        final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        boolean taken;
        String aeron;
        do
        {
            final ByteArrayOutputStream said = new ByteArrayOutputStream();
            try (PrintStream out = new PrintStream(said, true, StandardCharsets.UTF_8))
            {
                taken = ClusterTool.snapshot(leader.dir().resolve("cluster").toFile(), out);
            }
            aeron = said.toString(StandardCharsets.UTF_8).trim().replace('\n', ' ');
            if (taken || !aeron.contains("INACTIVE"))
            {
                break;
            }
            Thread.sleep(200);
        }
        while (System.nanoTime() < deadline);
        if (taken)
        {
            // read again: the figures read before the snapshot were older than it (an outside probe)
            final List<ClusterStatus.Node> after = ClusterStatus.read(List.of(leader.dir()));
            final ClusterStatus.Node now = after.isEmpty() ? leader : after.get(0);
            System.out.println("snapshot taken: leader node " + leader.nodeId() + ", term " + now.leadershipTermId()
                + ", engine at sequence " + now.engineSequence() + " once it was taken (" + aeron + ")");
            return 0;
        }
        System.err.println("cluster snapshot: not taken: " + (aeron.isEmpty() ? "no answer from leader node " + leader.nodeId() : aeron));
        return 1;
    }
}
