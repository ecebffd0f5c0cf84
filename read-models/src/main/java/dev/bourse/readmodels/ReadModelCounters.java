package dev.bourse.readmodels;

/**
 * What the projection thread publishes for other threads (status endpoint, metrics): written by
 * the projection thread only, read by anyone.
 */
public final class ReadModelCounters
{
    volatile long position = ReadModels.START;
    volatile long sequence;
    volatile long headPosition = Long.MIN_VALUE;
    volatile long entriesApplied;
    volatile long eventsApplied;
    volatile long duplicatesSkipped;
    volatile long malformedSkipped;
    volatile long queriesServed;
    volatile long queriesTimedOut;
    volatile long checkpointsWritten;

    public long position()
    {
        return position;
    }

    public long sequence()
    {
        return sequence;
    }

    /** Entries the journal holds that the projections have not applied yet; -1 if the journal cannot tell. */
    public long lag()
    {
        final long head = headPosition;
        return head == Long.MIN_VALUE ? -1 : Math.max(0, head - position);
    }

    public long entriesApplied()
    {
        return entriesApplied;
    }

    public long eventsApplied()
    {
        return eventsApplied;
    }

    public long duplicatesSkipped()
    {
        return duplicatesSkipped;
    }

    public long malformedSkipped()
    {
        return malformedSkipped;
    }

    public long queriesServed()
    {
        return queriesServed;
    }

    public long queriesTimedOut()
    {
        return queriesTimedOut;
    }

    public long checkpointsWritten()
    {
        return checkpointsWritten;
    }
}
