package dev.bourse.bench.engine;

import dev.bourse.bench.workload.CommandStream;
import dev.bourse.engine.EngineConfig;
import dev.bourse.engine.MatchingEngine;
import dev.bourse.protocol.ClOrdIds;
import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.sbe.*;
import org.agrona.MutableDirectBuffer;

/**
 * Turns a {@link CommandStream} into our SBE commands: the setup (instruments, funded accounts)
 * and one command per record. Every account trades with STP off (exchange-core has no STP) and
 * has far more cash and position than the stream can use, so our always-on risk checks pass.
 * One instance per producing thread; allocates nothing per command.
 */
public final class StreamEncoder
{
    public static final long POSITION_PER_INSTRUMENT = 1_000_000_000_000L;
    public static final int SESSION_ID = 1;

    private final CommandStream stream;
    /** Half the exchange's total shared out: a deposit past the total is refused (MatchingEngine.MAX_TOTAL). */
    private final long cashPerAccount;
    private final CommandWriter writer = new CommandWriter();
    private final StringBuilder symbol = new StringBuilder(16);

    public StreamEncoder(final CommandStream stream)
    {
        this.stream = stream;
        this.cashPerAccount = MatchingEngine.MAX_TOTAL / (2L * Math.max(1, stream.accounts));
    }

    /** An engine sized for the stream: pools for its resting book, a ClOrdID index for all its commands. */
    public static EngineConfig engineConfig(final CommandStream stream)
    {
        final long resting = (long)stream.instruments * stream.restingTarget;
        final long ids = Math.min(1 << 28, stream.count() + 1024);
        return new EngineConfig()
            .maxInstruments(stream.instruments + 1)
            .preallocatedOrders((int)Math.min(1 << 24, resting + resting / 4 + 1024))
            .preallocatedLevels(Math.max(1024, stream.instruments * 256))
            .expectedAccounts(stream.accounts)
            .expectedClOrdIdsPerDay((int)ids)
            // the whole stream is one ClOrdID day, and the peer has neither limit: ours must not refuse what it takes
            .maxClOrdIdsPerDay((int)ids)
            .maxLiveOrders(Math.max(EngineConfig.DEFAULT_MAX_LIVE_ORDERS, stream.count()));
    }

    /** Number of setup commands. */
    public long setupCount()
    {
        return stream.instruments + (long)stream.accounts * (2 + stream.instruments);
    }

    /** Encodes setup command {@code step} (0 .. {@link #setupCount()} - 1). */
    public int setup(final long step, final MutableDirectBuffer buffer, final int offset)
    {
        final long timestamp = step + 1;
        if (step < stream.instruments)
        {
            final int id = (int)step + 1;
            symbol.setLength(0);
            symbol.append('S').append(id);
            return writer.addInstrument(buffer, offset, timestamp, id, symbol, CommandStream.TICK_SIZE, 1, 1, 1_000_000,
                Long.MAX_VALUE / 4, stream.referencePrice * CommandStream.TICK_SIZE, 5_000, TradingStatus.OPEN);
        }
        final long accountStep = step - stream.instruments;
        final int perAccount = 2 + stream.instruments;
        final long account = accountStep / perAccount + 1;
        final int part = (int)(accountStep % perAccount);
        if (part == 0)
        {
            return writer.createAccount(buffer, offset, timestamp, account, StpMode.NONE);
        }
        if (part == 1)
        {
            return writer.deposit(buffer, offset, timestamp, account, 0, cashPerAccount, step);
        }
        return writer.deposit(buffer, offset, timestamp, account, part - 1, POSITION_PER_INSTRUMENT, step);
    }

    /** Encodes record {@code index} of the stream. */
    public int encode(final long index, final MutableDirectBuffer buffer, final int offset, final long timestamp)
    {
        // The ClOrdID ("b" + record index, unique per stream) is written straight as digits after
        // encoding with a blank one: what a gateway copying the client's bytes would cost.
        final byte type = stream.type(index);
        final long account = stream.account(index);
        final int body = offset + MessageHeaderEncoder.ENCODED_LENGTH;
        final int length;
        switch (type)
        {
            case CommandStream.GTC:
            case CommandStream.IOC:
                length = writer.newOrder(buffer, offset, timestamp, SESSION_ID, account, stream.instrument(index),
                    stream.side(index) == CommandStream.BUY ? Side.BUY : Side.SELL, OrdType.LIMIT,
                    type == CommandStream.GTC ? TimeInForce.GTC : TimeInForce.IOC, false, StpMode.ACCOUNT_DEFAULT,
                    stream.price(index) * CommandStream.TICK_SIZE, stream.quantity(index), "");
                ClOrdIds.putNumber(buffer, body + NewOrderEncoder.clOrdIdEncodingOffset(), 'b', index);
                return length;
            case CommandStream.CANCEL:
                length = writer.cancelOrder(buffer, offset, timestamp, SESSION_ID, account, stream.orderId(index), "", "");
                ClOrdIds.putNumber(buffer, body + CancelOrderEncoder.clOrdIdEncodingOffset(), 'b', index);
                return length;
            case CommandStream.MOVE:
                length = writer.replaceOrder(buffer, offset, timestamp, SESSION_ID, account, stream.orderId(index),
                    stream.price(index) * CommandStream.TICK_SIZE, stream.quantity(index), "", "");
                ClOrdIds.putNumber(buffer, body + ReplaceOrderEncoder.clOrdIdEncodingOffset(), 'b', index);
                return length;
            default:
                throw new IllegalArgumentException("bad record type " + type + " at " + index);
        }
    }
}
