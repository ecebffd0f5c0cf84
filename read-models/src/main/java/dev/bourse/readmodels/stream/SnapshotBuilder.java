package dev.bourse.readmodels.stream;

import dev.bourse.readmodels.ReadModels;

/** Builds a channel's snapshot (the {@code data} of a snapshot message) from the hot models, on the projection thread. */
@FunctionalInterface
public interface SnapshotBuilder
{
    /** @return the JSON value, or null if there is no such channel (an unknown instrument). */
    String build(ReadModels models, int type, long id);
}
