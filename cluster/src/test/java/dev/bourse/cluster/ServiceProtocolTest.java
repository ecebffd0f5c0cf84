package dev.bourse.cluster;

import dev.bourse.cluster.node.ClusterMembers;
import dev.bourse.cluster.node.ClusterNode;
import dev.bourse.cluster.sbe.ClientAckDecoder;
import dev.bourse.cluster.sbe.ClientErrorDecoder;
import dev.bourse.cluster.sbe.CommandBatchEncoder;
import dev.bourse.cluster.sbe.EntryDecoder;
import dev.bourse.cluster.sbe.ErrorCode;
import dev.bourse.cluster.sbe.HelloEncoder;
import dev.bourse.cluster.sbe.MessageHeaderDecoder;
import dev.bourse.cluster.sbe.MessageHeaderEncoder;
import dev.bourse.cluster.sbe.ResendEndDecoder;
import dev.bourse.cluster.sbe.ResendRequestEncoder;
import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.Prices;
import dev.bourse.protocol.sbe.StpMode;
import dev.bourse.protocol.sbe.TradingStatus;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.EgressListener;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The service's session protocol, spoken by hand to a one-node cluster: duplicates (a batch sent
 * again after a leader change) are dropped, a batch ahead of the next command id is refused with
 * GAP, malformed messages are answered with an error and change nothing, commands before Hello are
 * refused, and a resend comes from the node's journal in order, ended by ResendEnd.
 */
class ServiceProtocolTest
{
    @TempDir
    Path dir;

    private ClusterNode node;
    private final List<String> received = new ArrayList<>();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final CommandWriter writer = new CommandWriter();
    private final List<AeronCluster> clients = new ArrayList<>();

    @BeforeEach
    void start()
    {
        final String members = Ports.members(1);
        node = ClusterNode.launch(new ClusterNode.Context().nodeId(0).members(members).dir(dir.resolve("node"))
            .aeronDir(dir.resolve("aeron").toString()).engineConfig(SingleNodeClusterTest.smallEngine())
            .startupCanvassTimeoutNs(TimeUnit.SECONDS.toNanos(2)));
    }

    @AfterEach
    void stop()
    {
        clients.forEach(AeronCluster::close);
        node.close();
    }

    private AeronCluster connect()
    {
        final AeronCluster client = AeronCluster.connect(new AeronCluster.Context()
            .aeronDirectoryName(node.context().aeronDir())
            .ingressChannel("aeron:udp?term-length=64k")
            .ingressEndpoints(ClusterMembers.parse(node.context().members()).ingressEndpoints())
            .egressChannel("aeron:udp?endpoint=localhost:0|term-length=64k")
            .egressListener(new Recorder()));
        clients.add(client);
        return client;
    }

    /** Egress as text: "entry 3", "ack 3 OK", "end 5 4", "error MALFORMED". */
    private final class Recorder implements EgressListener
    {
        private final MessageHeaderDecoder h = new MessageHeaderDecoder();
        private final EntryDecoder entry = new EntryDecoder();
        private final ClientAckDecoder ack = new ClientAckDecoder();
        private final ResendEndDecoder end = new ResendEndDecoder();
        private final ClientErrorDecoder error = new ClientErrorDecoder();

        @Override
        public void onMessage(final long sessionId, final long timestamp, final DirectBuffer b, final int offset, final int length,
            final Header aeronHeader)
        {
            h.wrap(b, offset);
            final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
            switch (h.templateId())
            {
                case EntryDecoder.TEMPLATE_ID:
                    received.add("entry " + entry.wrap(b, body, h.blockLength(), h.version()).sequence());
                    break;
                case ClientAckDecoder.TEMPLATE_ID:
                    ack.wrap(b, body, h.blockLength(), h.version());
                    received.add("ack " + ack.lastCommandId() + " " + ack.status());
                    break;
                case ResendEndDecoder.TEMPLATE_ID:
                    end.wrap(b, body, h.blockLength(), h.version());
                    received.add("end " + end.nextSequence() + " " + end.headSequence());
                    break;
                case ClientErrorDecoder.TEMPLATE_ID:
                    received.add("error " + error.wrap(b, body, h.blockLength(), h.version()).code());
                    break;
                default:
                    break;
            }
        }
    }

    private void offer(final AeronCluster client, final int length)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (client.offer(buffer, 0, length) < 0)
        {
            assertTrue(System.nanoTime() < deadline, "offer");
            client.pollEgress();
        }
    }

    private void hello(final AeronCluster client, final long clientId, final long resultsFrom)
    {
        new HelloEncoder().wrapAndApplyHeader(buffer, 0, header).clientId(clientId).resultsFrom(resultsFrom);
        offer(client, MessageHeaderEncoder.ENCODED_LENGTH + HelloEncoder.BLOCK_LENGTH);
    }

    /** A batch of the given commands (indexes into {@link #command}), numbered from firstCommandId. */
    private void batch(final AeronCluster client, final long firstCommandId, final int... commands)
    {
        offer(client, encodeBatch(firstCommandId, commands));
    }

    private int encodeBatch(final long firstCommandId, final int... commands)
    {
        final CommandBatchEncoder batch = new CommandBatchEncoder().wrapAndApplyHeader(buffer, 0, header).firstCommandId(firstCommandId);
        final CommandBatchEncoder.CommandsEncoder group = batch.commandsCount(commands.length);
        final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
        for (final int c : commands)
        {
            group.next().putCommand(command, 0, command(command, c));
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + batch.encodedLength();
    }

    private int command(final UnsafeBuffer b, final int which)
    {
        switch (which)
        {
            case 0:
                return writer.addInstrument(b, 0, 1, 1, "BRS", Prices.SCALE / 100, 1, 1, 1_000, Long.MAX_VALUE / 4, 100 * Prices.SCALE,
                    1_000, TradingStatus.OPEN);
            default:
                return writer.createAccount(b, 0, 1, which, StpMode.NONE);
        }
    }

    private void awaitReceived(final AeronCluster client, final String... expected)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (received.size() < expected.length)
        {
            client.pollEgress();
            if (System.nanoTime() > deadline)
            {
                fail("expected " + List.of(expected) + " but received " + received);
            }
            Thread.onSpinWait();
        }
        assertEquals(List.of(expected), received);
        received.clear();
    }

    @Test
    void duplicatesDroppedGapsRefusedMalformedAnsweredResendsInOrder()
    {
        final AeronCluster client = connect();
        hello(client, 7, 1);
        awaitReceived(client, "ack 0 WELCOME", "end 1 0");

        batch(client, 1, 0, 1, 2);
        awaitReceived(client, "entry 1", "entry 2", "entry 3", "ack 3 OK");

        // The same batch again, as after a leader change: nothing applied twice.
        batch(client, 1, 0, 1, 2);
        awaitReceived(client, "ack 3 OK");

        // Overlapping: only the new one.
        batch(client, 2, 1, 2, 3);
        awaitReceived(client, "entry 4", "ack 4 OK");

        // Ahead of the next id (5): refused, the client must go back.
        batch(client, 6, 4);
        awaitReceived(client, "ack 4 GAP");

        // Malformed: a batch whose group claims two commands but holds one; an unknown message; too short.
        final int whole = encodeBatch(5, 5);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + CommandBatchEncoder.BLOCK_LENGTH;
        buffer.putShort(length + 2, (short)2);
        offer(client, whole);
        awaitReceived(client, "error MALFORMED");
        header.wrap(buffer, 0).blockLength(0).templateId(99).schemaId(MessageHeaderEncoder.SCHEMA_ID).version(1);
        offer(client, MessageHeaderEncoder.ENCODED_LENGTH);
        awaitReceived(client, "error MALFORMED");
        offer(client, 3);
        awaitReceived(client, "error MALFORMED");

        // Nothing was applied by any of that: the next command is still 5.
        batch(client, 5, 5);
        awaitReceived(client, "entry 5", "ack 5 OK");

        // A resend from the node's journal, in order, then where to ask next.
        new ResendRequestEncoder().wrapAndApplyHeader(buffer, 0, header).fromSequence(2);
        offer(client, MessageHeaderEncoder.ENCODED_LENGTH + ResendRequestEncoder.BLOCK_LENGTH);
        awaitReceived(client, "entry 2", "entry 3", "entry 4", "entry 5", "end 6 5");

        // Another session without Hello may not send commands.
        final AeronCluster stranger = connect();
        batch(stranger, 1, 6);
        awaitReceived(stranger, "error " + ErrorCode.NOT_REGISTERED);

        // The same client id on a new session (a reconnect) continues its numbering: 1..5 are duplicates.
        final AeronCluster again = connect();
        hello(again, 7, 0);
        awaitReceived(again, "ack 5 WELCOME");
        batch(again, 5, 5, 6);
        awaitReceived(again, "ack 6 OK");
    }

    /**
     * The ingress reads bytes from any client that reaches it: batches with random bytes changed
     * or cut short are each answered (an ack or an error, never silence), and afterwards the
     * service still numbers and applies a well-formed batch.
     */
    @Test
    void mutatedMessagesAreEachAnsweredAndTheServiceCarriesOn()
    {
        final AeronCluster client = connect();
        hello(client, 9, 0);
        awaitReceived(client, "ack 0 WELCOME");
        batch(client, 1, 0, 1);
        awaitReceived(client, "ack 2 OK");
        final Random random = new Random(20261203L);
        long next = 3;
        int errors = 0;
        for (int i = 0; i < 1_500; i++)
        {
            final int[] commands = new int[1 + random.nextInt(3)];
            for (int c = 0; c < commands.length; c++)
            {
                commands[c] = random.nextInt(6);
            }
            int length = encodeBatch(next, commands);
            for (int m = 1 + random.nextInt(4); m > 0; m--)
            {
                buffer.putByte(random.nextInt(length), (byte)random.nextInt(256));
            }
            if (random.nextInt(4) == 0)
            {
                length = 1 + random.nextInt(length);
            }
            offer(client, length);
            final MessageHeaderDecoder sent = new MessageHeaderDecoder().wrap(buffer, 0);
            final String what = "message " + i + ": length " + length + " template " + sent.templateId() + " schema " + sent.schemaId()
                + " block " + sent.blockLength() + " version " + sent.version();
            final String answer = awaitOne(client, what);
            if (answer.startsWith("ack "))
            {
                next = Math.max(next, Long.parseLong(answer.split(" ")[1]) + 1);
            }
            else
            {
                assertTrue(answer.startsWith("error "), answer);
                errors++;
            }
        }
        assertTrue(errors > 0, "some of the mutations were refused");
        batch(client, next, 5);
        assertEquals("ack " + next + " OK", awaitOne(client, "the last"));
    }

    private String awaitOne(final AeronCluster client, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (received.isEmpty())
        {
            client.pollEgress();
            if (System.nanoTime() > deadline)
            {
                fail("no answer to " + what);
            }
            Thread.onSpinWait();
        }
        assertEquals(1, received.size(), received.toString());
        return received.remove(0);
    }
}
