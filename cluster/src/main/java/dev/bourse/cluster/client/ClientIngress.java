package dev.bourse.cluster.client;

import dev.bourse.cluster.sbe.CommandBatchEncoder;
import dev.bourse.cluster.sbe.HelloEncoder;
import dev.bourse.cluster.sbe.MessageHeaderEncoder;
import dev.bourse.cluster.sbe.ResendRequestEncoder;
import io.aeron.cluster.client.AeronCluster;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Encodes what a client says to the cluster (the proxy side of {@link ClusterClient}): Hello,
 * batches of the window's commands, resend requests. Each method offers once and reports whether
 * the message went; nothing blocks. Allocates nothing.
 */
final class ClientIngress
{
    private static final int BATCH_OVERHEAD = MessageHeaderEncoder.ENCODED_LENGTH + CommandBatchEncoder.BLOCK_LENGTH + 4;

    private final UnsafeBuffer buffer;
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final HelloEncoder hello = new HelloEncoder();
    private final CommandBatchEncoder batch = new CommandBatchEncoder();
    private final ResendRequestEncoder resend = new ResendRequestEncoder();
    private final int maxBatchBytes;

    ClientIngress(final int maxBatchBytes)
    {
        this.maxBatchBytes = maxBatchBytes;
        this.buffer = new UnsafeBuffer(new byte[maxBatchBytes]);
    }

    boolean hello(final AeronCluster cluster, final long clientId, final long resultsFrom)
    {
        hello.wrapAndApplyHeader(buffer, 0, header).clientId(clientId).resultsFrom(resultsFrom);
        return cluster.offer(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + HelloEncoder.BLOCK_LENGTH) > 0;
    }

    boolean resendRequest(final AeronCluster cluster, final long fromSequence)
    {
        resend.wrapAndApplyHeader(buffer, 0, header).fromSequence(fromSequence);
        return cluster.offer(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + ResendRequestEncoder.BLOCK_LENGTH) > 0;
    }

    /**
     * Offers the window's commands from {@code first} up to {@code last} that fit one batch.
     *
     * @return the number of commands sent, 0 if the offer failed (not connected, back pressure).
     */
    int batch(final AeronCluster cluster, final CommandWindow window, final long first, final long last)
    {
        final int maxCommands = (int)Math.min(last - first + 1, 65_535);
        int bytes = BATCH_OVERHEAD;
        int n = 0;
        while (n < maxCommands && bytes + 2 + window.length(first + n) <= maxBatchBytes)
        {
            bytes += 2 + window.length(first + n);
            n++;
        }
        final CommandBatchEncoder.CommandsEncoder commands = batch.wrapAndApplyHeader(buffer, 0, header)
            .firstCommandId(first)
            .commandsCount(n);
        for (int i = 0; i < n; i++)
        {
            final long id = first + i;
            commands.next().putCommand(window.slots(), window.dataOffset(id), window.length(id));
        }
        return cluster.offer(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + batch.encodedLength()) > 0 ? n : 0;
    }
}
