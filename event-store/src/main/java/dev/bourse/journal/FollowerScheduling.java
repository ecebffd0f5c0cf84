package dev.bourse.journal;

/**
 * How the operating system schedules a journal follower's thread (the snapshotter, the history
 * sink) against the rest of the machine. While a follower is close behind the journal its work can
 * wait for a core nothing else wants, so the order path never queues behind it; once it is far
 * behind it competes again, so it never falls behind without bound ({@link IdleClassGovernor}).
 * Both calls come from the follower's own thread and change only that thread.
 */
public interface FollowerScheduling
{
    /** Leave the cores to every other thread (Linux: SCHED_IDLE); false if that is not possible here. */
    boolean yieldCores();

    /** Compete for the cores as an ordinary thread at its priority again; false if that is not possible here. */
    boolean competeForCores();

    /** Never changes anything: the follower's thread keeps the scheduling it was started with. */
    FollowerScheduling ORDINARY = new FollowerScheduling()
    {
        @Override
        public boolean yieldCores()
        {
            return false;
        }

        @Override
        public boolean competeForCores()
        {
            return false;
        }
    };
}
