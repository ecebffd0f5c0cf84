package dev.bourse.server.cluster;

import dev.bourse.journal.HeadTailer;
import dev.bourse.cluster.client.ClusterClient;
import dev.bourse.engine.sequencer.CommandPublisher;
import dev.bourse.protocol.sbe.MessageHeaderDecoder;
import dev.bourse.server.admin.AdminChannel;
import org.agrona.CloseHelper;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;

import java.nio.ByteOrder;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A cluster node's {@link AdminChannel}: operator actions enter the Raft log as cluster ingress, as
 * orders do, through a {@link ClusterClient} of the node's own (on the node's media driver, acks
 * only, no results), and their entries are found in the node's own journal, which the service
 * writes from the committed log like every node's.
 * <p>
 * Exactly once across a leader change: the client keeps each command until the cluster acknowledges
 * it, follows the new leader and sends again what was not acknowledged; the service drops what it had
 * applied (client id and command id). An action's audit record and its command are committed to the
 * client's window together and sent in one ingress message, which the log applies whole: both are
 * carried out, once, or neither.
 * <p>
 * The log's time replaces a command's timestamp, so an action's commands are marked with a
 * negative msgSeqNum of their own, drawn at random (a FIX session's are positive; nothing reads a
 * non-positive one as a session's); the answer is the entry of the action's type with that mark.
 * <p>
 * Threads: the client's duty cycle runs as an {@link Agent} (on the node's support thread) and the
 * admin API's thread publishes; both hold this object's lock while they use the client, which is
 * single-threaded.
 */
final class ClusterAdminChannel implements AdminChannel, Agent
{
    /** Commands kept until acknowledged: admin actions are few, and a full window answers "busy". */
    private static final int WINDOW = 64;
    /** Where every command keeps its msgSeqNum: after the message header, its timestamp and session id. */
    private static final int MSG_SEQ_NUM_OFFSET = MessageHeaderDecoder.ENCODED_LENGTH + 12;

    private final ClusterClient client;
    private final HeadTailer journal;
    private boolean closed;

    /**
     * @param ingressEndpoints every member's ingress ({@code id=host:port,...})
     * @param host             this node's address as the members reach it (for the egress of acks)
     * @param aeronDir         the node's media driver
     * @param journal          a tailer of the node's journal at (or before) its end, for external effects
     */
    ClusterAdminChannel(final String ingressEndpoints, final String host, final String aeronDir, final HeadTailer journal,
        final Consumer<String> log)
    {
        this.journal = journal;
        this.client = new ClusterClient(new ClusterClient.Context()
            .ingressEndpoints(ingressEndpoints)
            .egressChannel("aeron:udp?endpoint=" + host + ":0|term-length=64k")
            .aeronDir(aeronDir)
            .resultsFrom(ClusterClient.NO_RESULTS)
            .windowCapacity(WINDOW)
            .flushOnCommit(false)
            .log(line -> log.accept("admin: " + line)));
    }

    @Override
    public long publish(final MutableDirectBuffer audit, final int auditLength, final MutableDirectBuffer command,
        final int commandLength, final long timeoutNs)
    {
        final int count = commandLength == 0 ? 1 : 2;
        final long deadline = System.nanoTime() + timeoutNs;
        while (true)
        {
            synchronized (this)
            {
                if (closed)
                {
                    return BUSY;
                }
                // Connected, and room for the whole action: never the audit record without its command.
                if (client.isConnected() && client.inFlight() + count <= WINDOW)
                {
                    final int mark = -ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
                    commit(audit, auditLength, mark);
                    if (commandLength > 0)
                    {
                        commit(command, commandLength, mark);
                    }
                    client.flush(); // both in one ingress message
                    return mark;
                }
            }
            if (System.nanoTime() > deadline)
            {
                return BUSY;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    private void commit(final MutableDirectBuffer command, final int length, final int mark)
    {
        command.putInt(MSG_SEQ_NUM_OFFSET, mark, ByteOrder.LITTLE_ENDIAN);
        final long claim = client.tryClaim();
        if (claim == CommandPublisher.NO_CLAIM)
        {
            throw new IllegalStateException("the admin client's window refused a command it had room for");
        }
        client.buffer(claim).putBytes(0, command, 0, length);
        client.commit(claim, length);
    }

    @Override
    public synchronized int doWork()
    {
        return closed ? 0 : client.doWork();
    }

    @Override
    public String roleName()
    {
        return "admin-cluster-client";
    }

    @Override
    public boolean keepsTimestamps()
    {
        return false;
    }

    @Override
    public HeadTailer journal()
    {
        return journal;
    }

    @Override
    public String busyMessage()
    {
        return "the cluster took no command in time (no leader reachable, or earlier actions not yet acknowledged): retry";
    }

    /** True once the client has a session with the cluster (any thread). */
    synchronized boolean isConnected()
    {
        return client.isConnected();
    }

    @Override
    public synchronized void close()
    {
        if (!closed)
        {
            closed = true;
            CloseHelper.quietCloseAll(client, journal);
        }
    }
}
