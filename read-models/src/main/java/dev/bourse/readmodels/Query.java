package dev.bourse.readmodels;

import java.util.concurrent.CompletableFuture;

/**
 * A read executed on the projection thread once the models have reached {@code waitForPosition},
 * or answered with 504 at {@code deadlineNanos} (System.nanoTime) if they have not.
 */
public final class Query
{
    /** Builds an answer from the models; runs on the projection thread, so it must be quick. */
    @FunctionalInterface
    public interface Body
    {
        Response run(ReadModels models);
    }

    final long waitForPosition;
    final long waitForSequence;
    final long deadlineNanos;
    final Body body;
    final CompletableFuture<Response> result = new CompletableFuture<>();

    public Query(final long waitForPosition, final long waitForSequence, final long deadlineNanos, final Body body)
    {
        this.waitForPosition = waitForPosition;
        this.waitForSequence = waitForSequence;
        this.deadlineNanos = deadlineNanos;
        this.body = body;
    }

    /** A query that runs at once on whatever the models hold. */
    public static Query now(final Body body)
    {
        return new Query(Long.MIN_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, body);
    }

    public CompletableFuture<Response> result()
    {
        return result;
    }

    boolean isReady(final ReadModels models)
    {
        return models.position() >= waitForPosition && models.sequence() >= waitForSequence;
    }
}
