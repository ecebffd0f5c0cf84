package dev.bourse.cluster.node;

import io.aeron.cluster.ElectionState;

import java.util.EnumSet;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Says in the node's log when it has had no leader for a while, and what to check. A node whose
 * {@code cluster.members} gave a wrong address for the leader printed {@code ready}, then sat in
 * {@code canvass} for good with nothing in its log, while its query API served a frozen state (an
 * outside probe). Aeron's election cannot tell a member that is down from one this node cannot
 * reach; this says both, once after {@link #FIRST_NS} and again every {@link #REPEAT_NS}.
 * <p>
 * It also says when the election has sat in one of its {@link #BRIEF} steps for {@link #STUCK_NS}:
 * Aeron leaves each of those within a heartbeat or election timeout, or throws and starts over, so
 * one held that long, with no error from the node meanwhile (a step that times out and starts
 * over reports an error each time), means a thread of the node is blocked. The warning carries the
 * stacks of the node's Aeron threads, and the node is told ({@code onBlocked}): the one case known,
 * {@link JoinRace}, it ends by stopping.
 */
public final class ElectionWatch
{
    static final long FIRST_NS = TimeUnit.SECONDS.toNanos(15);
    static final long REPEAT_NS = TimeUnit.SECONDS.toNanos(60);
    static final long STUCK_NS = TimeUnit.SECONDS.toNanos(30);
    /** Steps Aeron ends within a timeout of its own; the others (canvass, replays, catch-up) may rightly take long. */
    static final EnumSet<ElectionState> BRIEF = EnumSet.of(ElectionState.NOMINATE, ElectionState.CANDIDATE_BALLOT,
        ElectionState.FOLLOWER_BALLOT, ElectionState.LEADER_INIT, ElectionState.FOLLOWER_LOG_INIT, ElectionState.FOLLOWER_LOG_AWAIT,
        ElectionState.FOLLOWER_READY);

    private final int nodeId;
    private final String members;
    private final LongSupplier electionState;
    private final Consumer<String> log;
    private final LongSupplier errorCount;
    private final Supplier<String> threadStacks;
    private final Consumer<String> onBlocked;
    /** When this node last found itself without a leader; Long.MIN_VALUE while it knows one. Any thread reads it. */
    private volatile long openSinceNs = Long.MIN_VALUE;
    private long nextWarningNs;
    private long lastState = -1;
    private long stateSinceNs;
    private long errorsAtStateStart;
    private boolean stuckReported;

    public ElectionWatch(final int nodeId, final String members, final LongSupplier electionState, final Consumer<String> log)
    {
        this(nodeId, members, electionState, log, () -> 0, () -> "", step -> { });
    }

    /**
     * @param errorCount   the errors the node has reported so far (an election step that times out reports one).
     * @param threadStacks the stacks of the node's Aeron threads, for the warning that one step held too long.
     * @param onBlocked    told the step's name after that warning, once per step held (the node's remedy, if it has one).
     */
    public ElectionWatch(final int nodeId, final String members, final LongSupplier electionState, final Consumer<String> log,
        final LongSupplier errorCount, final Supplier<String> threadStacks, final Consumer<String> onBlocked)
    {
        this.nodeId = nodeId;
        this.members = members;
        this.electionState = electionState;
        this.log = log;
        this.errorCount = errorCount;
        this.threadStacks = threadStacks;
        this.onBlocked = onBlocked;
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
        checkStep(state, nowNs);
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
            log.accept("node " + nodeId + ": warning: no leader for " + TimeUnit.NANOSECONDS.toSeconds(nowNs - openSinceNs)
                + " s (election state " + name(state) + "). If it stays so: are a majority of the members up, and is cluster.members ("
                + members + ") the same on every node? A wrong host or port for a member keeps this node from reaching it."
                + " ./exchange cluster status shows every node; until a leader is found this node's query API serves what it"
                + " had");
        }
    }

    /**
     * The warning, once per step, that one of the {@link #BRIEF} steps has held for {@link #STUCK_NS} with no error:
     * sampled once a second, an election that keeps timing out in the same step would look the same but for its errors.
     */
    private void checkStep(final long state, final long nowNs)
    {
        final long errors = errorCount.getAsLong();
        if (state != lastState || errors != errorsAtStateStart)
        {
            lastState = state;
            stateSinceNs = nowNs;
            errorsAtStateStart = errors;
            stuckReported = false;
            return;
        }
        if (!stuckReported && state >= 0 && state < ElectionState.values().length && BRIEF.contains(ElectionState.get(state))
            && nowNs - stateSinceNs >= STUCK_NS)
        {
            stuckReported = true;
            log.accept("node " + nodeId + ": warning: the election has been in " + name(state) + " for "
                + TimeUnit.NANOSECONDS.toSeconds(nowNs - stateSinceNs) + " s, a step Aeron ends or abandons within its"
                + " timeouts: a thread of this node looks blocked. The node's Aeron threads:\n" + threadStacks.get());
            onBlocked.accept(name(state));
        }
    }

    /** The stacks of the threads in Aeron's code (40 frames each), for the warning that a step held too long. */
    static String aeronThreadStacks(final Map<Thread, StackTraceElement[]> stacks)
    {
        final StringBuilder out = new StringBuilder();
        for (final Map.Entry<Thread, StackTraceElement[]> thread : stacks.entrySet())
        {
            final StackTraceElement[] frames = thread.getValue();
            boolean inAeron = false;
            for (final StackTraceElement frame : frames)
            {
                inAeron |= frame.getClassName().startsWith("io.aeron.");
            }
            if (inAeron)
            {
                out.append('"').append(thread.getKey().getName()).append("\" ").append(thread.getKey().getState()).append('\n');
                for (int i = 0; i < Math.min(frames.length, 40); i++)
                {
                    out.append("    at ").append(frames[i]).append('\n');
                }
            }
        }
        return out.toString();
    }

    private static String name(final long state)
    {
        return state >= 0 && state < ElectionState.values().length ? ElectionState.get(state).name().toLowerCase(Locale.ROOT) : "" + state;
    }
}
