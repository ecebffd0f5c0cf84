package dev.bourse.gateway;

import dev.bourse.gateway.store.SessionStore;

/**
 * The end of a numbering: MsgSeqNum is an int, and 2147483647 ({@link #LAST}) is the last number
 * there is. No path may store a next MsgSeqNum beyond it: a wrapped, negative one in a session's
 * {@code state} made every later message "too high", asked for a resend from -2147483648, and
 * refused the next start of the exchange (an outside tester reset a session to 2147483647 and sent
 * one message there).
 * <p>
 * The rule (PROTOCOL.md, "Session messages"): a message received in sequence at {@link #LAST} is
 * not acted on, its number is not taken (the stored expected number stays {@link #LAST}, a valid
 * one), and the session is logged out with {@link #INBOUND_EXHAUSTED}; the client goes on with a
 * Logon with ResetSeqNumFlag(141)=Y and MsgSeqNum 1. Our own numbers end the same way, with room
 * to spare ({@link #OUTBOUND_HEADROOM}) for what is still sent after the Logout decision (the
 * Logout itself, reports of the commands read before it, reports for a session that is away).
 * Static checks only: nothing allocated on the message path.
 */
final class SequenceLimit
{
    /** The last MsgSeqNum there is. */
    static final int LAST = Integer.MAX_VALUE;

    /**
     * Outbound numbers kept in reserve: once the next outbound MsgSeqNum is above
     * {@code LAST - OUTBOUND_HEADROOM} the session is logged out. A client moves our numbers only by
     * making us send (at its rate limit, or by orders that are filled), so some million numbers
     * are more than is ever sent between that decision and the session's next Logon.
     */
    static final int OUTBOUND_HEADROOM = 1 << 20;

    static final String INBOUND_EXHAUSTED = "sequence numbers exhausted: MsgSeqNum(34) 2147483647 is the last there is;"
        + " log on again with ResetSeqNumFlag(141)=Y and MsgSeqNum(34)=1";

    static final String OUTBOUND_EXHAUSTED = "sequence numbers exhausted: the exchange's MsgSeqNum(34) is near 2147483647, the last"
        + " there is; log on again with ResetSeqNumFlag(141)=Y and MsgSeqNum(34)=1";

    private SequenceLimit()
    {
    }

    /**
     * Why the message in sequence at {@code expected} cannot be taken (the session is to be logged
     * out with this Text), or null: {@code expected} is {@link #LAST}, or our own numbers are
     * exhausted ({@link #outboundProblem}).
     */
    static String inboundProblem(final int expected, final SessionStore store)
    {
        return expected >= LAST ? INBOUND_EXHAUSTED : outboundProblem(store);
    }

    /** {@link #OUTBOUND_EXHAUSTED} once the store's next outbound MsgSeqNum is within {@link #OUTBOUND_HEADROOM} of the end, else null. */
    static String outboundProblem(final SessionStore store)
    {
        return store.nextOutSeq() > LAST - OUTBOUND_HEADROOM ? OUTBOUND_EXHAUSTED : null;
    }

    /** The number after {@code seq}, or {@link #LAST} for the last: a next MsgSeqNum computed from one read elsewhere (the journal) never wraps. */
    static int after(final int seq)
    {
        return seq >= LAST ? LAST : seq + 1;
    }
}
