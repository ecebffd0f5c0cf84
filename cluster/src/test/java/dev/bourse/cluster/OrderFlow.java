package dev.bourse.cluster;

import dev.bourse.engine.sequencer.CommandPublisher;
import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.Prices;
import dev.bourse.protocol.sbe.OrdType;
import dev.bourse.protocol.sbe.Side;
import dev.bourse.protocol.sbe.StpMode;
import dev.bourse.protocol.sbe.TimeInForce;
import dev.bourse.protocol.sbe.TradingStatus;
import org.agrona.MutableDirectBuffer;

/**
 * Commands for the cluster tests, through any {@link CommandPublisher}: an instrument, funded
 * accounts, then limit orders from a few sessions around one price so that many of them trade.
 * Each order carries its session id and a per-session msgSeqNum (as a FIX gateway stamps them), so
 * a journal entry names the order it answers.
 */
final class OrderFlow
{
    static final int INSTRUMENT = 1;
    static final int SESSIONS = 4;
    static final long BAD_CLIENT_TIMESTAMP = 42;

    private final CommandWriter writer = new CommandWriter();
    private final int[] msgSeqNum = new int[SESSIONS + 1];
    private long orders;

    /** Setup commands: how many there are. */
    static final int SETUP_COMMANDS = 1 + 2 * SESSIONS;

    /** Publishes the setup; false if the publisher refused one (caller retries from {@code step}). */
    boolean setup(final CommandPublisher publisher, final int step)
    {
        final long claim = publisher.tryClaim();
        if (claim == CommandPublisher.NO_CLAIM)
        {
            return false;
        }
        final MutableDirectBuffer b = publisher.buffer(claim);
        final int length;
        if (step == 0)
        {
            length = writer.addInstrument(b, 0, BAD_CLIENT_TIMESTAMP, INSTRUMENT, "BRS", Prices.SCALE / 100, 1, 1, 1_000_000,
                Long.MAX_VALUE / 4, 100 * Prices.SCALE, 5_000, TradingStatus.OPEN);
        }
        else if (step <= SESSIONS)
        {
            length = writer.createAccount(b, 0, BAD_CLIENT_TIMESTAMP, step, StpMode.NONE);
        }
        else
        {
            final long account = step - SESSIONS;
            length = account % 2 == 0
                ? writer.deposit(b, 0, BAD_CLIENT_TIMESTAMP, account, 0, 1_000_000_000L * Prices.SCALE, step)
                : writer.deposit(b, 0, BAD_CLIENT_TIMESTAMP, account, INSTRUMENT, 1_000_000_000L, step);
        }
        publisher.commit(claim, length);
        return true;
    }

    /**
     * Publishes the next order; returns its (session, msgSeqNum) packed as session << 32 | msgSeqNum,
     * or -1 if the publisher refused it (the same order is offered next time).
     */
    long nextOrder(final CommandPublisher publisher)
    {
        final long claim = publisher.tryClaim();
        if (claim == CommandPublisher.NO_CLAIM)
        {
            return -1;
        }
        final int session = (int)(orders % SESSIONS) + 1;
        final boolean buyer = session % 2 == 0;
        final long priceTicks = 10_000 + (orders * 7 % 11) - 5;
        final MutableDirectBuffer b = publisher.buffer(claim);
        final int length = writer.newOrder(b, 0, BAD_CLIENT_TIMESTAMP, session, session, INSTRUMENT,
            buyer ? Side.BUY : Side.SELL, OrdType.LIMIT, TimeInForce.DAY, false, StpMode.ACCOUNT_DEFAULT,
            priceTicks * (Prices.SCALE / 100), 1 + orders % 5, "o" + orders);
        final int seq = ++msgSeqNum[session];
        CommandWriter.msgSeqNum(b, 0, seq);
        publisher.commit(claim, length);
        orders++;
        return ((long)session << 32) | seq;
    }

    long orders()
    {
        return orders;
    }
}
