package dev.bourse.gateway;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who may hold a connection before logging on. Logged-on sessions have their own limit
 * ({@code gateway.max-sessions}) and are never touched here; connections that have not logged
 * on share a budget ({@code gateway.admission.max-unauthenticated}) with a cap per source address
 * ({@code gateway.admission.max-unauthenticated-per-address}). When the budget is full, a newcomer
 * takes the place of the oldest connection of the address that holds the most, if that address
 * holds more than the newcomer's would: so an address that floods connections only ever displaces
 * its own, and an address with few (an honest firm's) always gets in. A connection whose Logon
 * names a configured user and is being checked is {@link FixSession#reserved}: it is never evicted,
 * so a configured user who has sent a Logon is answered. A connection whose Logon was refused and
 * waits for its answer ({@code refusedLogonHoldMs}) goes first, but its address then takes no new
 * connection until that answer was due: evicted and closed at once, it let an outside probe's
 * logon flood retry 5,000 times a second instead of once a second per connection. Gateway thread
 * only; what it keeps is bounded by the budget (an address leaves the map with its last
 * connection, and an answer-due time with its time).
 */
final class Admission
{
    private final int maxUnauthenticated;
    private final int maxPerAddress;
    /** Connections not logged on, oldest first. */
    private final List<FixSession> waiting = new ArrayList<>();
    private final Map<String, int[]> perAddress = new HashMap<>();
    /** Addresses whose refused Logon was evicted before its answer, and when that answer was due (ms). */
    private final Map<String, long[]> answerDue = new HashMap<>();
    private FixSession victim;
    private java.util.function.Consumer<String> released = address -> { };

    Admission(final int maxUnauthenticated, final int maxPerAddress)
    {
        this.maxUnauthenticated = maxUnauthenticated;
        this.maxPerAddress = maxPerAddress;
    }

    /**
     * Whether a newcomer from {@code address} may connect: null if it may (first closing
     * {@link #victim()} if that is not null), else the reason it is refused.
     */
    Refusal admit(final String address, final long nowMs)
    {
        victim = null;
        if (!answerDue.isEmpty() && answerStillDue(address, nowMs))
        {
            return Refusal.LOGON_ANSWER_DUE;
        }
        final int mine = count(address);
        if (mine >= maxPerAddress)
        {
            return Refusal.ADDRESS_CAP;
        }
        if (waiting.size() < maxUnauthenticated)
        {
            return null;
        }
        victim = evictionCandidate(mine);
        if (victim != null && victim.isRefusalPending())
        {
            final long[] due = answerDue.computeIfAbsent(victim.connection.remoteAddress, a -> new long[1]);
            due[0] = Math.max(due[0], victim.refusalDueMs());
        }
        return victim == null ? Refusal.UNAUTHENTICATED_CAP : null;
    }

    /** Whether {@code address} still owes a refused Logon's wait; forgets the times that passed. */
    private boolean answerStillDue(final String address, final long nowMs)
    {
        final long[] due = answerDue.get(address);
        if (answerDue.size() > maxUnauthenticated)
        {
            answerDue.values().removeIf(d -> d[0] <= nowMs); // at most one entry per eviction within a hold
        }
        if (due == null)
        {
            return false;
        }
        if (due[0] > nowMs)
        {
            return true;
        }
        answerDue.remove(address);
        return false;
    }

    /** The connection to close to make room for the newcomer just admitted (null: none). */
    FixSession victim()
    {
        return victim;
    }

    /**
     * The oldest connection whose Logon was refused (it only waits for its answer), else the oldest
     * evictable connection of the address with the most, if it has more than the newcomer's address
     * will ({@code newcomers} + 1): with only "more than {@code newcomers}", two addresses one
     * connection apart evicted each other without end (an outside probe: 167,000 evictions in 14 s).
     */
    private FixSession evictionCandidate(final int newcomers)
    {
        for (int i = 0; i < waiting.size(); i++)
        {
            final FixSession s = waiting.get(i);
            if (s.isRefusalPending())
            {
                return s;
            }
        }
        String heaviest = null;
        int most = newcomers + 1; // evict only from an address that holds more than the newcomer's will
        for (int i = 0; i < waiting.size(); i++)
        {
            final FixSession s = waiting.get(i);
            if (s.reserved)
            {
                continue;
            }
            final String address = s.connection.remoteAddress;
            final int count = count(address);
            if (count > most)
            {
                most = count;
                heaviest = address;
            }
        }
        if (heaviest == null)
        {
            return null;
        }
        for (int i = 0; i < waiting.size(); i++)
        {
            final FixSession s = waiting.get(i);
            if (!s.reserved && s.connection.remoteAddress.equals(heaviest))
            {
                return s;
            }
        }
        return null;
    }

    void add(final FixSession session)
    {
        waiting.add(session);
        final int[] count = perAddress.get(session.connection.remoteAddress);
        if (count == null)
        {
            perAddress.put(session.connection.remoteAddress, new int[] {1});
        }
        else
        {
            count[0]++;
        }
    }

    /** Told the address of each socket connection (the acceptor counted it) once it no longer counts. */
    void released(final java.util.function.Consumer<String> value)
    {
        released = value;
    }

    /** The session logged on or closed: it no longer counts. */
    void remove(final FixSession session)
    {
        if (!waiting.remove(session))
        {
            return;
        }
        final String address = session.connection.remoteAddress;
        if (session.connection.channel != null) // every socket came through the acceptor, which counts it
        {
            released.accept(address);
        }
        final int[] count = perAddress.get(address);
        if (count != null && --count[0] <= 0)
        {
            perAddress.remove(address);
        }
    }

    int unauthenticated()
    {
        return waiting.size();
    }

    /** Addresses with unauthenticated connections (tests: the map empties as they go). */
    int addresses()
    {
        return perAddress.size();
    }

    int count(final String address)
    {
        final int[] count = perAddress.get(address);
        return count == null ? 0 : count[0];
    }
}
