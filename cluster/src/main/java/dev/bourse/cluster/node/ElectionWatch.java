package dev.bourse.cluster.node;

import io.aeron.cluster.ElectionState;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Says in the node's log when it has had no leader for a while, and what to check. A node whose
 * {@code cluster.members} gave a wrong address for the leader printed {@code ready}, then sat in
 * {@code canvass} for good with nothing in its log, while its query API served a frozen state (an
 * outside probe). Aeron's election cannot tell a member that is down from one this node cannot
 * reach; this says both, once after {@link #FIRST_NS} and again every {@link #REPEAT_NS}.
 */
public final class ElectionWatch
{
    static final long FIRST_NS = TimeUnit.SECONDS.toNanos(15);
    static final long REPEAT_NS = TimeUnit.SECONDS.toNanos(60);

    private final int nodeId;
    private final String members;
    private final LongSupplier electionState;
    private final Consumer<String> log;
    /** When this node last found itself without a leader; Long.MIN_VALUE while it knows one. Any thread reads it. */
    private volatile long openSinceNs = Long.MIN_VALUE;
    private long nextWarningNs;

    public ElectionWatch(final int nodeId, final String members, final LongSupplier electionState, final Consumer<String> log)
    {
        this.nodeId = nodeId;
        this.members = members;
        this.electionState = electionState;
        this.log = log;
    }

    /**
     * Whole seconds this node has been without a leader (in an election) as of {@code nowNs}, 0 while
     * it knows one; any thread. The election's start is seen about once a second, its end at once.
     */
    public long secondsWithoutLeader(final long nowNs)
    {
        final long since = openSinceNs;
        return since == Long.MIN_VALUE || leaderKnown() ? 0 : Math.max(0, TimeUnit.NANOSECONDS.toSeconds(nowNs - since));
    }

    /** Whether this node's election is closed (a leader known) now; false while it starts or elects. Any thread. */
    public boolean leaderKnown()
    {
        return electionState.getAsLong() == ElectionState.CLOSED.code();
    }

    /** Called about once a second with the current time. */
    public void check(final long nowNs)
    {
        final long state = electionState.getAsLong();
        if (state < 0 || state == ElectionState.CLOSED.code())
        {
            openSinceNs = Long.MIN_VALUE; // no election counter yet (starting), or a leader is known
            return;
        }
        if (openSinceNs == Long.MIN_VALUE)
        {
            openSinceNs = nowNs;
            nextWarningNs = nowNs + FIRST_NS;
            return;
        }
        if (nowNs - nextWarningNs >= 0)
        {
            nextWarningNs = nowNs + REPEAT_NS;
            final String name = state < ElectionState.values().length ? ElectionState.get(state).name().toLowerCase(Locale.ROOT) : "" + state;
            log.accept("node " + nodeId + ": warning: no leader for " + TimeUnit.NANOSECONDS.toSeconds(nowNs - openSinceNs)
                + " s (election state " + name + "). If it stays so: are a majority of the members up, and is cluster.members ("
                + members + ") the same on every node? A wrong host or port for a member keeps this node from reaching it."
                + " ./exchange cluster status shows every node; until a leader is found this node's query API serves what it"
                + " had");
        }
    }
}
