package dev.bourse.readmodels;

import dev.bourse.engine.EngineConfig;
import dev.bourse.engine.EngineState;
import dev.bourse.engine.EventSink;
import dev.bourse.engine.MatchingEngine;
import dev.bourse.engine.SteadyStateLoad;
import dev.bourse.journal.InMemoryJournal;
import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.sbe.CancelReason;
import dev.bourse.protocol.sbe.MessageHeaderEncoder;
import dev.bourse.protocol.sbe.Side;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.SplittableRandom;

/**
 * A random trading day written to an in-memory journal by the real engine: the engine's steady
 * load (limits, IOC, market, cancels, replaces, STP) plus deposits, withdrawals, mass cancels
 * and end-of-day expiries, with timestamps that advance by random steps so candles of every
 * interval fill up.
 */
public final class Workload
{
    public final InMemoryJournal journal = new InMemoryJournal();
    public final EngineState state = new EngineState(new EngineConfig().maxInstruments(16).preallocatedOrders(8192)
        .preallocatedLevels(1024).expectedClOrdIdsPerDay(1 << 16));
    final MatchingEngine engine;
    private final SteadyStateLoad load;
    private final SplittableRandom random;
    private final CommandWriter writer = new CommandWriter();
    private final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
    private long timestamp = 1_700_000_000_000_000_000L;
    private long extraClOrd;

    public Workload(final long seed)
    {
        this(seed, null);
    }

    /** Also journals every entry to {@code alsoTo} (e.g. a Chronicle journal another process reads). */
    public Workload(final long seed, final EventSink alsoTo)
    {
        engine = new MatchingEngine(state, alsoTo == null ? journal : new EventSink()
        {
            @Override
            public boolean onEntry(final org.agrona.DirectBuffer buffer, final int offset, final int length)
            {
                return journal.onEntry(buffer, offset, length) && alsoTo.onEntry(buffer, offset, length);
            }

            @Override
            public void onEndOfBatch()
            {
                alsoTo.onEndOfBatch();
            }
        });
        load = new SteadyStateLoad(seed);
        random = new SplittableRandom(seed);
        for (int step = 0; ; step++)
        {
            final int length = load.setup(step, command);
            if (length == 0)
            {
                break;
            }
            send(length);
        }
    }

    /** Sends {@code commands} random commands. */
    public Workload run(final int commands)
    {
        for (int i = 0; i < commands; i++)
        {
            final int k = random.nextInt(1000);
            final long account = 1 + random.nextInt(SteadyStateLoad.ACCOUNTS);
            final int length;
            if (k < 5)
            {
                length = writer.deposit(command, 0, 0, account, random.nextInt(SteadyStateLoad.INSTRUMENTS + 1), 1 + random.nextInt(1_000_000), i);
            }
            else if (k < 10)
            {
                length = writer.withdraw(command, 0, 0, account, random.nextInt(SteadyStateLoad.INSTRUMENTS + 1), 1 + random.nextInt(1_000), i);
            }
            else if (k < 12)
            {
                length = writer.massCancel(command, 0, 0, 1, account, random.nextInt(SteadyStateLoad.INSTRUMENTS + 1),
                    random.nextBoolean() ? null : Side.BUY, false, CancelReason.MASS_CANCEL, "m" + extraClOrd++);
            }
            else if (k == 12)
            {
                length = writer.endOfDay(command, 0, 0, 1 + random.nextInt(SteadyStateLoad.INSTRUMENTS));
            }
            else
            {
                length = load.next(command, state.liveOrders());
            }
            send(length);
        }
        return this;
    }

    /** Moves the clock: the next command is stamped a little after {@code epochNanos}. */
    public Workload at(final long epochNanos)
    {
        timestamp = epochNanos;
        return this;
    }

    /** Sends one command written by {@code write} into the command buffer (it returns the length). */
    public Workload submit(final java.util.function.ToIntFunction<org.agrona.MutableDirectBuffer> write)
    {
        send(write.applyAsInt(command));
        return this;
    }

    private void send(final int length)
    {
        // Every command starts with its timestamp: stamp it as a gateway would.
        timestamp += random.nextInt(20_000_000);
        command.putLong(MessageHeaderEncoder.ENCODED_LENGTH, timestamp);
        engine.onCommand(command, 0, length);
        engine.onEndOfBatch();
        load.syncOrderIds(state.lastOrderId());
    }

    /** Applies the whole journal to the reference models (everything in memory). */
    public dev.bourse.readmodels.reference.ReferenceModels reference()
    {
        final dev.bourse.readmodels.reference.ReferenceModels models = new dev.bourse.readmodels.reference.ReferenceModels();
        try (var tailer = journal.tailer())
        {
            while (tailer.poll(models, 1_000) > 0)
            {
            }
        }
        return models;
    }

    /** Applies the whole journal to fresh models. */
    ReadModels project()
    {
        final ReadModels models = new ReadModels();
        try (var tailer = journal.tailer())
        {
            while (tailer.poll(models, 1_000) > 0)
            {
            }
        }
        return models;
    }
}
