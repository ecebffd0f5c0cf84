package dev.bourse.bench.engine;

import dev.bourse.bench.workload.CommandStream;
import dev.bourse.engine.BookSide;
import dev.bourse.engine.EngineState;
import dev.bourse.engine.Instrument;
import dev.bourse.engine.MatchingEngine;
import dev.bourse.engine.PriceLevel;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One fresh engine loaded with a stream's setup and prefill (applied directly on the calling
 * thread, before any ring exists, so it is never timed), ready for the timed commands.
 */
public final class EngineRun
{
    public final EngineState state;
    public final MatchingEngine engine;
    public final CountingSink sink = new CountingSink();
    public final RejectCounter rejects = new RejectCounter();
    public final StreamEncoder encoder;
    private final CommandStream stream;

    public EngineRun(final CommandStream stream)
    {
        this.stream = stream;
        this.encoder = new StreamEncoder(stream);
        state = new EngineState(StreamEncoder.engineConfig(stream));
        engine = new MatchingEngine(state, sink, rejects);
        final UnsafeBuffer command = new UnsafeBuffer(new byte[256]);
        final long setup = encoder.setupCount();
        for (long step = 0; step < setup; step++)
        {
            engine.onCommand(command, 0, encoder.setup(step, command, 0));
        }
        for (long i = 0; i < stream.prefillCount; i++)
        {
            engine.onCommand(command, 0, encoder.encode(i, command, 0, setup + i + 1));
        }
        if (rejects.rejects() != 0 || engine.isHalted())
        {
            throw new IllegalStateException("setup or prefill rejected: " + rejects.lastReject() + " halted=" + engine.haltReason());
        }
    }

    /** Applies timed commands {@code [from, to)} directly, without a ring (tests and JMH). */
    public void applyDirect(final long from, final long to)
    {
        final UnsafeBuffer command = new UnsafeBuffer(new byte[256]);
        for (long i = stream.prefillCount + from; i < stream.prefillCount + to; i++)
        {
            engine.onCommand(command, 0, encoder.encode(i, command, 0, i + 1));
        }
    }

    /** The book in the comparison format (see {@code ShadowBook.dump}). */
    public String bookDump()
    {
        final StringBuilder out = new StringBuilder();
        for (int id = 1; id <= stream.instruments; id++)
        {
            final Instrument instrument = state.instrument(id);
            appendSide(out, id, instrument.bids(), " BID ");
            appendSide(out, id, instrument.asks(), " ASK ");
        }
        return out.toString();
    }

    private static void appendSide(final StringBuilder out, final int id, final BookSide side, final String label)
    {
        for (int rank = 0; rank < side.size(); rank++)
        {
            final PriceLevel level = side.level(rank);
            if (level.totalQty() > 0)
            {
                out.append(id).append(label).append(level.price() / CommandStream.TICK_SIZE).append(' ')
                    .append(level.totalQty()).append('\n');
            }
        }
    }
}
