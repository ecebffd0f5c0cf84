package dev.bourse.bench.auction;

import dev.bourse.engine.BookSide;
import dev.bourse.engine.EngineConfig;
import dev.bourse.engine.EngineState;
import dev.bourse.engine.EventSink;
import dev.bourse.engine.Instrument;
import dev.bourse.engine.MatchingEngine;
import dev.bourse.engine.Order;
import dev.bourse.engine.reference.ReferenceUncross;
import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.JournalEntryReader;
import dev.bourse.protocol.JournalEventListener;
import dev.bourse.protocol.Prices;
import dev.bourse.protocol.sbe.*;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One auction: an engine with one instrument in its opening call, a call book of {@code orders}
 * random limit orders (a tenth of them icebergs) whose buy and sell prices overlap around the
 * reference, then the opening auction, timed: the price search and every fill, each encoded into
 * the journal entry and applied to the state. The call book is built untimed (each order also
 * updates the published indication). The result is checked against {@link ReferenceUncross},
 * which tries every candidate price.
 */
public final class AuctionBenchmark
{
    public static final int INSTRUMENT = 1;
    private static final int ACCOUNTS = 100;
    private static final long TICK = Prices.SCALE / 100;
    private static final long REFERENCE = 100 * Prices.SCALE;

    /** What one auction did. */
    public record Result(
        int orders, long uncrossNanos, long price, long volume, long imbalance, int trades, int entryBytes,
        long referencePrice, long referenceVolume, long referenceImbalance)
    {
        public boolean agrees()
        {
            return price == referencePrice && volume == referenceVolume && imbalance == referenceImbalance;
        }
    }

    private AuctionBenchmark()
    {
    }

    public static Result run(final int orders, final long seed)
    {
        final Sink sink = new Sink();
        final MatchingEngine engine = new MatchingEngine(new EngineState(new EngineConfig()
            .maxInstruments(2)
            .preallocatedOrders(orders + 1_024)
            .preallocatedLevels(4_096)
            .expectedAccounts(ACCOUNTS)
            .expectedClOrdIdsPerDay(orders + 1_024)), sink);
        final CommandWriter writer = new CommandWriter();
        final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
        long clock = 1;
        engine.onCommand(command, 0, writer.addInstrument(command, 0, clock++, INSTRUMENT, "AUCT", TICK, 1, 1, 1_000_000,
            Long.MAX_VALUE / 4, REFERENCE, 5_000, TradingStatus.OPEN));
        for (long account = 1; account <= ACCOUNTS; account++)
        {
            engine.onCommand(command, 0, writer.createAccount(command, 0, clock++, account, StpMode.NONE));
            engine.onCommand(command, 0, writer.deposit(command, 0, clock++, account, 0, MatchingEngine.MAX_TOTAL / (2 * ACCOUNTS), 0));
            engine.onCommand(command, 0, writer.deposit(command, 0, clock++, account, INSTRUMENT, MatchingEngine.MAX_TOTAL / (4 * ACCOUNTS), 0));
        }
        engine.onCommand(command, 0, writer.setTradingPhase(command, 0, clock++, INSTRUMENT, TradingPhase.OPENING_CALL, null, 0));

        final SplittableRandom random = new SplittableRandom(seed);
        final StringBuilder clOrdId = new StringBuilder();
        for (int i = 0; i < orders; i++)
        {
            final boolean buy = random.nextBoolean();
            // buys from 3% below to 1% above the reference, sells from 1% below to 3% above: they overlap
            final long ticks = random.nextInt(401) - (buy ? 300 : 100);
            final long price = REFERENCE + ticks * TICK;
            final long quantity = 1 + random.nextInt(1_000);
            final long display = random.nextInt(10) == 0 ? 1 + random.nextInt((int)quantity) : 0;
            clOrdId.setLength(0);
            clOrdId.append('o').append(i);
            engine.onCommand(command, 0, writer.newOrder(command, 0, clock++, 1, 1 + random.nextInt(ACCOUNTS), INSTRUMENT,
                buy ? Side.BUY : Side.SELL, OrdType.LIMIT, TimeInForce.DAY, false, StpMode.NONE, price, quantity, clOrdId, 0,
                display, 0));
        }
        final Instrument instrument = engine.state().instrument(INSTRUMENT);
        if (engine.state().liveOrders() != orders || engine.isHalted())
        {
            throw new IllegalStateException("the call book did not build: " + engine.state().liveOrders() + " of " + orders +
                " orders resting" + (engine.isHalted() ? ", engine halted: " + engine.haltReason() : ""));
        }
        final ReferenceUncross.Result reference = ReferenceUncross.compute(callBook(instrument), instrument.lastTradePrice() > 0 ?
            instrument.lastTradePrice() : instrument.referencePrice());

        final int length = writer.setTradingPhase(command, 0, clock, INSTRUMENT, TradingPhase.CONTINUOUS, TradingPhase.OPENING_CALL, 0);
        // the garbage of building the book and of the reference is not the auction's: collect it first
        System.gc();
        final long start = System.nanoTime();
        engine.onCommand(command, 0, length);
        final long elapsed = System.nanoTime() - start;
        if (engine.isHalted())
        {
            throw new IllegalStateException("engine halted: " + engine.haltReason());
        }
        return new Result(orders, elapsed, sink.price, sink.volume, sink.imbalance, sink.trades, sink.lastLength,
            reference.price(), reference.volume(), reference.imbalance());
    }

    private static List<ReferenceUncross.CallOrder> callBook(final Instrument instrument)
    {
        final List<ReferenceUncross.CallOrder> book = new ArrayList<>(instrument.liveOrders());
        for (final BookSide side : new BookSide[]{instrument.bids(), instrument.asks()})
        {
            for (int rank = 0; rank < side.size(); rank++)
            {
                for (Order o = side.level(rank).head(); o != null; o = o.nextInLevel())
                {
                    book.add(new ReferenceUncross.CallOrder(o.side(), o.price(), o.leavesQty()));
                }
            }
        }
        return book;
    }

    /** Reads the auction's result and counts its trades from the last entry. */
    private static final class Sink implements EventSink, JournalEventListener
    {
        final JournalEntryReader reader = new JournalEntryReader();
        long price;
        long volume;
        long imbalance;
        int trades;
        int lastLength;

        @Override
        public boolean onEntry(final DirectBuffer buffer, final int offset, final int length)
        {
            lastLength = length;
            if (length > 1_000)
            {
                trades = 0;
                reader.read(buffer, offset, length, this);
            }
            return true;
        }

        @Override
        public void onAuctionUncrossed(final EntryHeaderDecoder header, final AuctionUncrossedDecoder event)
        {
            price = event.price();
            volume = event.matchedQty();
            imbalance = event.imbalanceQty();
        }

        @Override
        public void onTrade(final EntryHeaderDecoder header, final TradeDecoder event)
        {
            trades++;
        }
    }
}
