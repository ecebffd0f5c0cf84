package dev.bourse.readmodels.history;

/**
 * How the operating system schedules the history sink's thread against the rest of the machine.
 * The sink is a follower: while it is close behind the journal its writes can wait for a core
 * nothing else wants, so the order path never queues behind them; once it is far behind it
 * competes again, so history never falls behind without bound ({@link HistorySink#scheduling}).
 * Both calls come from the sink's own thread and change only that thread.
 */
public interface SinkScheduling
{
    /** Leave the cores to every other thread (Linux: SCHED_IDLE); false if that is not possible here. */
    boolean yieldCores();

    /** Compete for the cores as an ordinary thread at its priority again; false if that is not possible here. */
    boolean competeForCores();

    /** Never changes anything: the sink's thread keeps the scheduling it was started with. */
    SinkScheduling ORDINARY = new SinkScheduling()
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
