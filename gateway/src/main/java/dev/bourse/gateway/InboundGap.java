package dev.bourse.gateway;

/**
 * The gap in a session's inbound MsgSeqNums that it has asked the counterparty to resend: when to
 * send a ResendRequest, and when to give up. One ResendRequest (to infinity) per gap, not one per
 * message while it is open; but a gap the counterparty's resend left partly unfilled is asked for
 * again, from the new expected number, as soon as a new message (no PossDupFlag) follows that
 * resend (a counterparty answers a ResendRequest in one go, so what it sends after its answer began
 * is past it), and a resend that does not move for a while is asked for again from the timer. After
 * {@link #MAX_UNANSWERED} requests in a row without an answer the session is to be logged out,
 * rather than drop every later message for good. Decisions only: the session sends.
 */
final class InboundGap
{
    /** ResendRequests in a row for the same first number, each left a HeartBtInt without an answer, before the Logout. */
    static final int MAX_UNANSWERED = 3;
    /** {@link #onTimer}: ask no more, log the session out. */
    static final int GIVE_UP = -1;

    /** The expected MsgSeqNum when our last ResendRequest went out (its BeginSeqNo); 0 when no gap is open. */
    private int requestedFrom;
    /** The highest MsgSeqNum seen above the expected one: the resend has to bring the expected number past it. */
    private int requestedUpTo;
    /** Our ResendRequests in a row from {@link #requestedFrom}, none of which moved the expected number. */
    private int unanswered;
    /** When our last ResendRequest went out or its answer last moved the expected number to {@link #progressSeen}. */
    private long progressMs;
    private int progressSeen;

    /** Both directions start again (a sequence reset): no gap. */
    void reset()
    {
        requestedFrom = 0;
        requestedUpTo = 0;
        unanswered = 0;
    }

    /**
     * A message numbered {@code seq} above the {@code expected} one ({@code fresh}: without
     * PossDupFlag). Returns the BeginSeqNo of the ResendRequest to send now, or 0 for none.
     */
    int onTooHigh(final int seq, final int expected, final boolean fresh, final long nowMs)
    {
        final boolean open = requestedFrom != 0 && expected <= requestedUpTo;
        final boolean ask = !open || (fresh && expected > requestedFrom && seq > requestedUpTo);
        requestedUpTo = Math.max(open ? requestedUpTo : 0, seq);
        if (ask)
        {
            requested(expected, nowMs);
            return expected;
        }
        return 0;
    }

    /** A Logon numbered {@code logonSeq} above the {@code expected} MsgSeqNum: the ResendRequest goes out from there. */
    void onLogonAhead(final int logonSeq, final int expected, final long nowMs)
    {
        requested(expected, nowMs);
        requestedUpTo = logonSeq;
    }

    /**
     * Each timer tick: the BeginSeqNo of a ResendRequest to send again when the resend has not
     * moved for {@code patienceMs}, {@link #GIVE_UP} after {@link #MAX_UNANSWERED} of them, else 0.
     */
    int onTimer(final int expected, final long nowMs, final long patienceMs)
    {
        if (requestedFrom == 0)
        {
            return 0;
        }
        if (expected > requestedUpTo)
        {
            requestedFrom = 0; // filled
            unanswered = 0;
            return 0;
        }
        if (expected != progressSeen)
        {
            progressSeen = expected; // the resend is coming in: wait for the rest
            progressMs = nowMs;
            return 0;
        }
        if (nowMs - progressMs <= patienceMs)
        {
            return 0;
        }
        if (expected == requestedFrom && unanswered >= MAX_UNANSWERED)
        {
            return GIVE_UP;
        }
        requested(expected, nowMs);
        return expected;
    }

    /** The highest MsgSeqNum the resend has to reach. */
    int requestedUpTo()
    {
        return requestedUpTo;
    }

    /** ResendRequests in a row without an answer. */
    int unanswered()
    {
        return unanswered;
    }

    private void requested(final int from, final long nowMs)
    {
        unanswered = from == requestedFrom ? unanswered + 1 : 1;
        requestedFrom = from;
        progressSeen = from;
        progressMs = nowMs;
    }
}
