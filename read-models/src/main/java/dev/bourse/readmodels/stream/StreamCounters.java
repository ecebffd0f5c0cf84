package dev.bourse.readmodels.stream;

/** The streams' counters: written by the publisher thread, read by anyone (status, /metrics). */
public final class StreamCounters
{
    volatile long sessions;
    volatile long subscriptions;
    volatile long messagesSent;
    volatile long snapshotsSent;
    volatile long slowSkips;
    volatile long slowDisconnects;
    volatile long idleDisconnects;
    volatile long refusedSessions;
    volatile long evictedSessions;
    volatile long rateLimited;
    volatile long rateLimitDisconnects;
    volatile long ringOverflows;
    volatile long sessionsBehind;
    volatile long queued;
    volatile long queuedBytes;
    volatile long loginsEnded;

    /** Sessions whose login's credential (a token) expired or was retired, their private channels ended. */
    public long loginsEnded()
    {
        return loginsEnded;
    }

    public long sessions()
    {
        return sessions;
    }

    public long subscriptions()
    {
        return subscriptions;
    }

    public long messagesSent()
    {
        return messagesSent;
    }

    public long snapshotsSent()
    {
        return snapshotsSent;
    }

    /** Times a client fell too far behind and was skipped to fresh snapshots. */
    public long slowSkips()
    {
        return slowSkips;
    }

    /** Clients closed for staying too far behind. */
    public long slowDisconnects()
    {
        return slowDisconnects;
    }

    /** Sessions closed for sending nothing, not even pongs, for the idle close time. */
    public long idleDisconnects()
    {
        return idleDisconnects;
    }

    /** Runs of requests a session sent past its rate (each run's requests dropped, the first answered). */
    public long rateLimited()
    {
        return rateLimited;
    }

    /** Sessions closed for going on past their request rate. */
    public long rateLimitDisconnects()
    {
        return rateLimitDisconnects;
    }

    /** Upgrades refused because the session limit was reached. */
    public long refusedSessions()
    {
        return refusedSessions;
    }

    /** Sessions closed so that a client from an address holding fewer had a slot. */
    public long evictedSessions()
    {
        return evictedSessions;
    }

    /** Sessions too far behind now (sent nothing until they catch up). */
    public long sessionsBehind()
    {
        return sessionsBehind;
    }

    /** Messages handed to Jetty and not yet written out, all sessions together. */
    public long queued()
    {
        return queued;
    }

    /** Bytes of those messages (JSON characters), all sessions together. */
    public long queuedBytes()
    {
        return queuedBytes;
    }

    /** Times the projection thread found the hand-off ring full (everyone got fresh snapshots after). */
    public long ringOverflows()
    {
        return ringOverflows;
    }
}
