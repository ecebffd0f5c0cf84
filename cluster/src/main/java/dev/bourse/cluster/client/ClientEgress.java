package dev.bourse.cluster.client;

import dev.bourse.cluster.sbe.AckStatus;
import dev.bourse.cluster.sbe.ClientAckDecoder;
import dev.bourse.cluster.sbe.ClientErrorDecoder;
import dev.bourse.cluster.sbe.EntryDecoder;
import dev.bourse.cluster.sbe.ErrorCode;
import dev.bourse.cluster.sbe.HeartbeatDecoder;
import dev.bourse.cluster.sbe.MembersDecoder;
import dev.bourse.cluster.sbe.MessageHeaderDecoder;
import dev.bourse.cluster.sbe.ResendEndDecoder;
import io.aeron.cluster.client.ControlledEgressListener;
import io.aeron.cluster.codecs.AdminRequestType;
import io.aeron.cluster.codecs.AdminResponseCode;
import io.aeron.cluster.codecs.EventCode;
import io.aeron.logbuffer.ControlledFragmentHandler.Action;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;

/**
 * Decodes what the cluster says to a client (the adapter side of {@link ClusterClient}) and hands
 * it to a {@link Handler}. Entries are held back (the fragment is left for the next poll) when the
 * handler takes no more this poll. Allocates nothing but the members list sent once per connection.
 */
final class ClientEgress implements ControlledEgressListener
{
    /** What the client does with each message. */
    interface Handler
    {
        /** False: stop delivering this poll (the poll's limit is reached). */
        boolean acceptsEntries();

        void onEntry(long sequence, int entryLength, int fragmentOffset, DirectBuffer buffer, int offset, int length);

        void onAck(long lastCommandId, long headSequence, AckStatus status);

        void onResendEnd(long nextSequence, long headSequence);

        void onHeartbeat(long headSequence);

        void onError(ErrorCode code, long detail);

        void onNewLeader(int leaderMemberId, long leadershipTermId);

        /** The leader's cluster.members, sent after the welcome (allocates: once per connection). */
        void onMembers(int leaderMemberId, String members);
    }

    private final Handler handler;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final EntryDecoder entry = new EntryDecoder();
    private final ClientAckDecoder ack = new ClientAckDecoder();
    private final ResendEndDecoder resendEnd = new ResendEndDecoder();
    private final HeartbeatDecoder heartbeat = new HeartbeatDecoder();
    private final ClientErrorDecoder error = new ClientErrorDecoder();
    private final MembersDecoder members = new MembersDecoder();

    ClientEgress(final Handler handler)
    {
        this.handler = handler;
    }

    @Override
    public Action onMessage(final long clusterSessionId, final long timestamp, final DirectBuffer buffer, final int offset,
        final int length, final Header aeronHeader)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return Action.CONTINUE;
        }
        header.wrap(buffer, offset);
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
        {
            return Action.CONTINUE;
        }
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = header.blockLength();
        final int version = header.version();
        switch (header.templateId())
        {
            case EntryDecoder.TEMPLATE_ID:
                if (!handler.acceptsEntries())
                {
                    return Action.ABORT;
                }
                entry.wrap(buffer, body, blockLength, version);
                handler.onEntry(entry.sequence(), entry.entryLength(), entry.fragmentOffset(), entry.buffer(),
                    entry.limit() + EntryDecoder.bytesHeaderLength(), entry.bytesLength());
                break;
            case ClientAckDecoder.TEMPLATE_ID:
                ack.wrap(buffer, body, blockLength, version);
                handler.onAck(ack.lastCommandId(), ack.headSequence(), ack.status());
                break;
            case ResendEndDecoder.TEMPLATE_ID:
                resendEnd.wrap(buffer, body, blockLength, version);
                handler.onResendEnd(resendEnd.nextSequence(), resendEnd.headSequence());
                break;
            case HeartbeatDecoder.TEMPLATE_ID:
                handler.onHeartbeat(heartbeat.wrap(buffer, body, blockLength, version).headSequence());
                break;
            case ClientErrorDecoder.TEMPLATE_ID:
                error.wrap(buffer, body, blockLength, version);
                handler.onError(error.code(), error.detail());
                break;
            case MembersDecoder.TEMPLATE_ID:
                members.wrap(buffer, body, blockLength, version);
                handler.onMembers(members.leaderMemberId(), members.members());
                break;
            default:
                break;
        }
        return Action.CONTINUE;
    }

    @Override
    public void onSessionEvent(final long correlationId, final long clusterSessionId, final long leadershipTermId,
        final int leaderMemberId, final EventCode code, final String detail)
    {
        // CLOSED makes the AeronCluster close itself, which the client notices; the others need nothing.
    }

    @Override
    public void onNewLeader(final long clusterSessionId, final long leadershipTermId, final int leaderMemberId,
        final String ingressEndpoints)
    {
        handler.onNewLeader(leaderMemberId, leadershipTermId);
    }

    @Override
    public void onAdminResponse(final long clusterSessionId, final long correlationId, final AdminRequestType requestType,
        final AdminResponseCode responseCode, final String message, final DirectBuffer payload, final int payloadOffset,
        final int payloadLength)
    {
    }
}
