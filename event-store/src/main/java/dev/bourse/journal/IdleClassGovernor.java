package dev.bourse.journal;

import java.util.function.Consumer;

/**
 * Keeps a journal follower's thread in the idle scheduling class while it is at most
 * {@code maxLag} entries behind the journal, and lets it compete for the cores at its own priority
 * beyond that until it is back within a quarter of the limit: a machine that stays full cannot leave
 * the follower behind for good, and one that has a spare core gives it that core only. A system
 * without the class is reported once and never asked again. Every call comes from the follower's
 * thread; {@link #yielding()} and {@link #switches()} may be read from any.
 */
public final class IdleClassGovernor
{
    private final String follower;
    private final FollowerScheduling scheduling;
    private final long maxLag;
    private final Consumer<String> log;
    private boolean refused;
    private volatile boolean yielding;
    private volatile long switches;

    /**
     * @param follower   how log lines name it, e.g. "history sink"
     * @param scheduling the class switch ({@link IdleSchedulingClass#INSTANCE} on Linux)
     * @param maxLag     entries behind the journal above which it competes again; positive
     */
    public IdleClassGovernor(final String follower, final FollowerScheduling scheduling, final long maxLag, final Consumer<String> log)
    {
        if (maxLag < 1)
        {
            throw new IllegalArgumentException(follower + ": the idle-class lag limit must be positive, not " + maxLag);
        }
        this.follower = follower;
        this.scheduling = scheduling;
        this.maxLag = maxLag;
        this.log = log;
    }

    /** Moves the calling thread (the follower's, as it starts) into the idle class. */
    public void start()
    {
        yielding = scheduling.yieldCores();
        refused = !yielding;
        if (refused)
        {
            log.accept(follower + ": this system cannot run it in the idle scheduling class; it competes for the cores " +
                "at its own priority");
        }
    }

    /** Called by the follower with how far behind the journal it is (negative: unknown, nothing changes). */
    public void onLag(final long lag)
    {
        if (lag < 0 || refused)
        {
            return;
        }
        if (yielding && lag > maxLag)
        {
            if (scheduling.competeForCores())
            {
                yielding = false;
                switches++;
                log.accept(follower + ": " + lag + " entries behind the journal (more than " + maxLag +
                    "): competing for the cores until it is within " + maxLag / 4);
            }
        }
        else if (!yielding && lag <= maxLag / 4 && scheduling.yieldCores())
        {
            yielding = true;
            switches++;
        }
    }

    /** Whether the follower's thread is in the idle class now. */
    public boolean yielding()
    {
        return yielding;
    }

    /** How many times it has switched class since it started. */
    public long switches()
    {
        return switches;
    }
}
