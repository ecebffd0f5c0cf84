package dev.bourse.server.cli;

import dev.bourse.cluster.ops.ClusterSnapshotCommand;
import dev.bourse.cluster.ops.ClusterStatusCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code exchange cluster ...}: operating a cluster (docs/CLUSTER.md, Operations). */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class,
    description = "Cluster mode's operations (docs/CLUSTER.md). Nodes and gateways are started with ./exchange start and the "
        + "cluster.* keys.",
    subcommands = {ClusterStatusCommand.class, ClusterSnapshotCommand.class, CommandLine.HelpCommand.class})
public final class ClusterCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        // a usage error like admin's and journal's without a subcommand (exit 2); it printed the usage and exited 0
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
    }
}
