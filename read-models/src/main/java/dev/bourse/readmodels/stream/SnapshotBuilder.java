package dev.bourse.readmodels.stream;

import dev.bourse.readmodels.ReadModels;

/** Builds a channel's snapshot (the {@code data} of a snapshot message) from the hot models, on the projection thread. */
@FunctionalInterface
public interface SnapshotBuilder
{
    /**
     * @param maxBytes the most the JSON value may take (the stream ring's largest message): a larger
     *                 one could never be handed to the publisher
     * @return the JSON value, or null if there is no such channel (an unknown instrument).
     */
    String build(ReadModels models, int type, long id, int maxBytes);
}
