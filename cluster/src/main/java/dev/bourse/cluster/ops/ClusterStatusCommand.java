package dev.bourse.cluster.ops;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code ./exchange cluster status}: members, leader, term, commit position and each node's lag. */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class,
    description = {"Shows each cluster node on this host: up or down, role, election state, leadership term, commit position, "
        + "its lag behind the leader (log bytes and engine sequences), elections seen and clients.",
        "Reads the nodes' counters files without disturbing them. Exit code 0 when a leader is up (among the nodes read, or "
            + "followed by them), 1 otherwise."})
public final class ClusterStatusCommand implements Callable<Integer>
{
    @Option(names = "--dir", paramLabel = "DIR", split = ",",
        description = "A node's cluster.dir, or a directory above several (each node found up to three levels down, e.g. data "
            + "finds data/node0/cluster); repeat or separate with commas. Default: data.")
    List<Path> dirs = new ArrayList<>();

    @Option(names = "--watch", paramLabel = "SECONDS", description = "Print again every SECONDS until interrupted.")
    Double watch;

    @Override
    public Integer call() throws Exception
    {
        if (watch != null && !(watch >= 0.1 && watch <= 86_400))
        {
            System.err.println("cluster status: --watch takes seconds between 0.1 and 86400, not " + watch);
            return 2;
        }
        final List<Path> nodeDirs = nodeDirsOrSay(dirs, "cluster status");
        if (nodeDirs.isEmpty())
        {
            return 2;
        }
        while (true)
        {
            final List<ClusterStatus.Node> nodes = ClusterStatus.read(nodeDirs);
            System.out.print(ClusterStatus.format(nodes));
            if (watch == null)
            {
                return ClusterStatus.hasLeader(nodes) ? 0 : 1;
            }
            Thread.sleep((long)(watch * 1000));
            System.out.println();
        }
    }

    /** The node directories in or under {@code dirs} (default: data), or none, said on stderr as {@code command}'s. */
    static List<Path> nodeDirsOrSay(final List<Path> dirs, final String command) throws IOException
    {
        final List<Path> nodeDirs = expand(dirs.isEmpty() ? List.of(Path.of("data")) : resolved(dirs));
        if (nodeDirs.isEmpty())
        {
            System.err.println(command + ": no cluster node directory (one with node.properties) in or under "
                + (dirs.isEmpty() ? "data" : dirs) + "; give a node's cluster.dir with --dir");
        }
        return nodeDirs;
    }

    /** Relative paths from the launcher are relative to the repository root it runs from (-Dbourse.home). */
    private static List<Path> resolved(final List<Path> dirs)
    {
        final String home = System.getProperty("bourse.home");
        return home == null ? dirs : dirs.stream().map(d -> d.isAbsolute() || Files.exists(d) ? d : Path.of(home).resolve(d)).toList();
    }

    static List<Path> expand(final List<Path> dirs) throws IOException
    {
        final List<Path> nodeDirs = new ArrayList<>();
        for (final Path dir : dirs)
        {
            if (Files.isRegularFile(dir.resolve("node.properties")))
            {
                nodeDirs.add(dir);
            }
            else if (Files.isDirectory(dir))
            {
                try (Stream<Path> found = Files.find(dir, 3, (p, attributes) -> p.getFileName().toString().equals("node.properties")
                    && attributes.isRegularFile()))
                {
                    found.map(Path::getParent).sorted().forEach(nodeDirs::add);
                }
            }
        }
        return nodeDirs;
    }

    public static void main(final String[] args)
    {
        System.exit(dev.bourse.journal.tool.OneLineUsageErrors.install(new CommandLine(new ClusterStatusCommand()), "./exchange cluster ")
            .execute(args));
    }
}
