package dev.bourse.cluster;

import dev.bourse.cluster.node.ClusterNode;
import dev.bourse.cluster.node.ClusterNodeMain;
import io.aeron.driver.ext.DebugReceiveChannelEndpoint;
import io.aeron.driver.ext.DebugSendChannelEndpoint;
import io.aeron.driver.ext.LossGenerator;
import picocli.CommandLine;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A cluster node child process for the tests: the production {@link ClusterNodeMain}, plus a way to
 * cut the node off the network without root. Its media driver's UDP endpoints go through Aeron's
 * debug endpoints with a loss generator that, after the line {@code isolate} on stdin, drops every
 * frame in and out (data and control), and after {@code heal} lets them through again. Inside the
 * node (IPC between service, consensus module and archive) nothing changes: the node keeps running,
 * cut off, which is what a partition is.
 */
public final class TestNodeMain
{
    private TestNodeMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final ClusterNodeMain options = new ClusterNodeMain();
        new CommandLine(options).parseArgs(args);
        final ClusterNode.Context ctx = options.toContext();
        final AtomicBoolean isolated = new AtomicBoolean();
        final LossGenerator partition = (address, buffer, length) -> isolated.get();
        ctx.driverCustomizer(driver -> driver
            .sendChannelEndpointSupplier((channel, status, context) ->
                new DebugSendChannelEndpoint(channel, status, context, partition, partition))
            .receiveChannelEndpointSupplier((channel, dispatcher, status, context) ->
                new DebugReceiveChannelEndpoint(channel, dispatcher, status, context, partition, partition)));
        final Thread commands = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)))
            {
                for (String line; (line = in.readLine()) != null; )
                {
                    if (line.equals("isolate"))
                    {
                        isolated.set(true);
                        System.out.println("ISOLATED");
                    }
                    else if (line.equals("heal"))
                    {
                        isolated.set(false);
                        System.out.println("HEALED");
                    }
                }
            }
            catch (final java.io.IOException ignore)
            {
                // the test went away
            }
        }, "test-node-commands");
        commands.setDaemon(true);
        commands.start();
        System.exit(ClusterNodeMain.run(ctx));
    }
}
