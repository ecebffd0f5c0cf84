package dev.bourse.readmodels.stream;

import java.util.HashMap;
import java.util.Map;

/**
 * Who gets the stream sessions' slots: {@code maxSessions} in all, shared fairly between source
 * addresses. Below the limit anyone is admitted. At it, a newcomer whose address holds fewer
 * sessions than the address holding the most (after this one) takes a slot from that address: one
 * of its sessions is closed for it. Only a newcomer whose address already holds as many as any
 * other is refused. Four addresses of 64 connections each held all 256 slots, and every honest
 * client was answered 503 "busy" for as long as they kept them (an outside tester); now an
 * attacker's addresses keep at most their share.
 * <p>
 * Called from Jetty's threads (an upgrade) and the publisher's (a session's end): synchronized,
 * and never on a message's path.
 */
final class StreamAdmission
{
    /** What {@link #admit} decided. */
    record Decision(boolean admitted, String evictFrom)
    {
        static final Decision ADMITTED = new Decision(true, null);
        static final Decision REFUSED = new Decision(false, null);
    }

    private final int maxSessions;
    private final Map<String, Integer> byAddress = new HashMap<>();
    private int admitted;

    StreamAdmission(final int maxSessions)
    {
        this.maxSessions = maxSessions;
    }

    /**
     * A slot for a session from {@code address}: admitted, admitted by taking one from another
     * address ({@code evictFrom}: the caller closes one of its sessions, whose end is then not
     * {@link #released}), or refused.
     */
    synchronized Decision admit(final String address)
    {
        final int mine = byAddress.getOrDefault(address, 0);
        if (admitted < maxSessions)
        {
            admitted++;
            byAddress.put(address, mine + 1);
            return Decision.ADMITTED;
        }
        String top = null;
        int most = 0;
        for (final Map.Entry<String, Integer> entry : byAddress.entrySet())
        {
            if (entry.getValue() > most)
            {
                most = entry.getValue();
                top = entry.getKey();
            }
        }
        if (top == null || most <= mine + 1)
        {
            return Decision.REFUSED;
        }
        decrement(top);
        byAddress.put(address, mine + 1);
        return new Decision(true, top);
    }

    /** A session from {@code address} ended (or never opened): its slot is free. */
    synchronized void released(final String address)
    {
        admitted--;
        decrement(address);
    }

    synchronized int admitted()
    {
        return admitted;
    }

    synchronized int of(final String address)
    {
        return byAddress.getOrDefault(address, 0);
    }

    private void decrement(final String address)
    {
        final int left = byAddress.getOrDefault(address, 0) - 1;
        if (left <= 0)
        {
            byAddress.remove(address);
        }
        else
        {
            byAddress.put(address, left);
        }
    }
}
