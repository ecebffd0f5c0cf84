package dev.bourse.readmodels;

import dev.bourse.engine.EngineHarness;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.List;

/** Read models fed by an engine harness's journal entries, caught up on demand, as a tailer would. */
final class HarnessProjection
{
    final ReadModels models = new ReadModels();
    private final EngineHarness harness;
    private int applied;

    HarnessProjection(final EngineHarness harness)
    {
        this.harness = harness;
    }

    /** Applies every entry the harness journaled since the last call; returns the models. */
    ReadModels catchUp()
    {
        final List<byte[]> entries = harness.sink.entries();
        for (; applied < entries.size(); applied++)
        {
            final byte[] entry = entries.get(applied);
            models.onEntry(applied + 1, new UnsafeBuffer(entry), 0, entry.length);
        }
        return models;
    }
}
