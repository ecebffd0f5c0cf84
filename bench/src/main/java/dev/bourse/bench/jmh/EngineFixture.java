package dev.bourse.bench.jmh;

import dev.bourse.bench.engine.CountingSink;
import dev.bourse.bench.engine.RejectCounter;
import dev.bourse.engine.EngineConfig;
import dev.bourse.engine.EngineState;
import dev.bourse.engine.MatchingEngine;
import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.sbe.*;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * An engine for microbenchmarks: instruments and funded accounts with STP off, commands encoded
 * ahead into buffers so a benchmark measures the engine alone. Between batches
 * {@link #endDay()} makes the ClOrdIDs of finished commands reusable, so the ClOrdID index never
 * grows (and never reallocates) however long JMH runs.
 */
final class EngineFixture
{
    static final long TICK = 100;
    static final long MID = 10_000 * TICK;

    final CountingSink sink = new CountingSink();
    final RejectCounter rejects = new RejectCounter();
    final EngineState state;
    final MatchingEngine engine;
    private final CommandWriter writer = new CommandWriter();
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
    private final StringBuilder id = new StringBuilder(24);
    private long clock = 1;

    EngineFixture(final int instruments)
    {
        state = new EngineState(new EngineConfig().maxInstruments(instruments + 1).preallocatedOrders(1 << 16)
            .preallocatedLevels(1 << 14).expectedClOrdIdsPerDay(1 << 16));
        engine = new MatchingEngine(state, sink, rejects);
        for (int i = 1; i <= instruments; i++)
        {
            apply(writer.addInstrument(scratch, 0, clock++, i, "J" + i, TICK, 1, 1, 1_000_000, Long.MAX_VALUE / 4, MID, 5_000,
                TradingStatus.OPEN));
        }
        for (long account = 1; account <= 2; account++)
        {
            apply(writer.createAccount(scratch, 0, clock++, account, StpMode.NONE));
            apply(writer.deposit(scratch, 0, clock++, account, 0, MatchingEngine.MAX_BALANCE / 2, 0));
            for (int i = 1; i <= instruments; i++)
            {
                apply(writer.deposit(scratch, 0, clock++, account, i, 1L << 50, 0));
            }
        }
    }

    private void apply(final int length)
    {
        engine.onCommand(scratch, 0, length);
    }

    /** A new-order command encoded into its own buffer. */
    UnsafeBuffer newOrder(
        final long account, final int instrument, final Side side, final TimeInForce tif, final long price, final long quantity,
        final String prefix, final long number)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
        final int length = writer.newOrder(buffer, 0, clock++, 1, account, instrument, side, OrdType.LIMIT, tif, false,
            StpMode.ACCOUNT_DEFAULT, price, quantity, id(prefix, number));
        return trim(buffer, length);
    }

    UnsafeBuffer cancel(final long account, final long orderId, final String prefix, final long number)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
        return trim(buffer, writer.cancelOrder(buffer, 0, clock++, 1, account, orderId, id(prefix, number), ""));
    }

    UnsafeBuffer replace(
        final long account, final long orderId, final long price, final long quantity, final String prefix, final long number)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
        return trim(buffer, writer.replaceOrder(buffer, 0, clock++, 1, account, orderId, price, quantity, id(prefix, number), ""));
    }

    private final CancelOrderEncoder cancelEncoder = new CancelOrderEncoder();

    /** Points an encoded cancel at another order, in place (no allocation). */
    void retarget(final UnsafeBuffer cancel, final long orderId)
    {
        cancelEncoder.wrap(cancel, MessageHeaderEncoder.ENCODED_LENGTH).orderId(orderId);
    }

    /** Runs a command; the buffer's capacity is its length. */
    void run(final UnsafeBuffer command)
    {
        engine.onCommand(command, 0, command.capacity());
    }

    /** Ends the ClOrdID day (no DAY orders are used, so nothing is cancelled). */
    void endDay()
    {
        apply(writer.endOfDay(scratch, 0, clock++, 0));
    }

    /** Throws if the engine refused anything: a microbenchmark of rejects would measure the wrong path. */
    void checkNoRejects()
    {
        if (rejects.rejects() != 0 || engine.isHalted())
        {
            throw new IllegalStateException("engine rejected " + rejects.rejects() + " commands: " + rejects.lastReject());
        }
    }

    private String id(final String prefix, final long number)
    {
        id.setLength(0);
        return id.append(prefix).append(number).toString();
    }

    private static UnsafeBuffer trim(final UnsafeBuffer buffer, final int length)
    {
        if (length <= 0)
        {
            throw new IllegalArgumentException("command did not encode");
        }
        return new UnsafeBuffer(buffer.byteArray(), 0, length);
    }
}
