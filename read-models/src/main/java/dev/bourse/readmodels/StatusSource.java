package dev.bourse.readmodels;

/**
 * What the process around the query side adds to {@code /api/v1/status}: a cluster node says
 * whether it knows a leader, which the read models cannot tell (their lag is behind this node's
 * own journal, which stands still without a leader).
 */
@FunctionalInterface
public interface StatusSource
{
    /** Writes one or more named members into the status object (any thread; cheap, no blocking). */
    void describe(Json json);
}
