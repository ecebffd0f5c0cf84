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
    volatile long headSequence = Long.MIN_VALUE;
    volatile long lag = -1;
    volatile long entriesApplied;
    volatile long eventsApplied;
    volatile long duplicatesSkipped;
    volatile long malformedSkipped;
    volatile long queriesServed;
    volatile long queriesTimedOut;
    volatile long checkpointsWritten;
    /** How long the projection thread spent writing the last checkpoint (queries wait meanwhile). */
    volatile long lastCheckpointNanos;

    public long position()
    {
        return position;
    }

    public long sequence()
    {
        return sequence;
    }

    /** Position of the newest entry the journal held when last looked at; Long.MIN_VALUE if unknown. */
    public long headPosition()
    {
        return headPosition;
    }

    /** Engine sequence of the newest entry the journal held when last looked at; Long.MIN_VALUE if the journal cannot tell. */
    public long headSequence()
    {
        return headSequence;
    }

    /** Entries the journal holds that the projections have not applied yet; -1 if the journal cannot tell. */
    public long lag()
    {
        return lag;
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

    /** Nanoseconds the projection thread spent writing the last checkpoint; 0 before the first. */
    public long lastCheckpointNanos()
    {
        return lastCheckpointNanos;
    }
}
