package dev.bourse.bench.cluster;

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
 * The benchmark's commands: one instrument, {@value #SESSIONS} funded accounts, then limit orders
 * around one price from those sessions, half resting (DAY) and half IOC, so that many trade and the
 * book stays small. Each order carries its session id and msgSeqNum, as a gateway stamps them, so
 * the journal entry that answers it names it. Allocates nothing per order.
 */
final class OrderMix
{
    static final int SESSIONS = 8;
    static final int INSTRUMENT = 1;
    static final int SETUP_COMMANDS = 1 + 2 * SESSIONS;

    private final CommandWriter writer = new CommandWriter();
    private final int[] msgSeqNum = new int[SESSIONS + 1];
    private final StringBuilder clOrdId = new StringBuilder(20);
    private long orders;
    private int setupStep;
    private int lastSession;
    private int lastMsgSeqNum;

    boolean setupDone()
    {
        return setupStep == SETUP_COMMANDS;
    }

    /** Publishes the next setup command; false if the publisher refused it (try again). */
    boolean setup(final CommandPublisher publisher)
    {
        final long claim = publisher.tryClaim();
        if (claim == CommandPublisher.NO_CLAIM)
        {
            return false;
        }
        final MutableDirectBuffer b = publisher.buffer(claim);
        final int step = setupStep;
        final int length;
        if (step == 0)
        {
            length = writer.addInstrument(b, 0, 0, INSTRUMENT, "BENCH", Prices.SCALE / 100, 1, 1, 1_000_000,
                Long.MAX_VALUE / 4, 100 * Prices.SCALE, 5_000, TradingStatus.OPEN);
        }
        else if (step <= SESSIONS)
        {
            length = writer.createAccount(b, 0, 0, step, StpMode.NONE);
        }
        else
        {
            final long account = step - SESSIONS;
            length = account % 2 == 0
                ? writer.deposit(b, 0, 0, account, 0, 1_000_000_000_000L * Prices.SCALE, step)
                : writer.deposit(b, 0, 0, account, INSTRUMENT, 1_000_000_000_000L, step);
        }
        publisher.commit(claim, length);
        setupStep++;
        return true;
    }

    /** Publishes the next order; false if the publisher refused it. See {@link #lastSession()}/{@link #lastMsgSeqNum()}. */
    boolean order(final CommandPublisher publisher, final long timestamp)
    {
        final long claim = publisher.tryClaim();
        if (claim == CommandPublisher.NO_CLAIM)
        {
            return false;
        }
        final long n = orders;
        final int session = (int)(n % SESSIONS) + 1;
        final boolean buyer = session % 2 == 0;
        final boolean ioc = (n / SESSIONS) % 2 == 1;
        // Resting orders a little away from 100.00, IOC orders across it: most IOCs trade.
        final long offsetTicks = ioc ? (buyer ? 3 : -3) : (buyer ? -1 - n % 4 : 1 + n % 4);
        clOrdId.setLength(0);
        clOrdId.append('b').append(n);
        final MutableDirectBuffer b = publisher.buffer(claim);
        final int length = writer.newOrder(b, 0, timestamp, session, session, INSTRUMENT, buyer ? Side.BUY : Side.SELL,
            OrdType.LIMIT, ioc ? TimeInForce.IOC : TimeInForce.DAY, false, StpMode.ACCOUNT_DEFAULT,
            (10_000 + offsetTicks) * (Prices.SCALE / 100), 1 + n % 3, clOrdId);
        final int seq = ++msgSeqNum[session];
        CommandWriter.msgSeqNum(b, 0, seq);
        publisher.commit(claim, length);
        orders++;
        lastSession = session;
        lastMsgSeqNum = seq;
        return true;
    }

    int lastSession()
    {
        return lastSession;
    }

    int lastMsgSeqNum()
    {
        return lastMsgSeqNum;
    }
}
