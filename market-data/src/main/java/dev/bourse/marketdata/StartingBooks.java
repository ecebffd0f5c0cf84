package dev.bourse.marketdata;

import dev.bourse.engine.BookSide;
import dev.bourse.engine.EngineState;
import dev.bourse.engine.Instrument;
import dev.bourse.engine.Order;
import dev.bourse.engine.PriceLevel;
import org.agrona.collections.IntArrayList;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The displayed books of a recovered engine state, as the feed would have built them from the
 * journal's events: every instrument's definition, phase and indication, and its resting orders in
 * priority order with their displayed quantity (an iceberg's peak). Held stops are not shown. The
 * publisher starts from them, and after the journal position they were taken at, when retention
 * has removed the journal cycles it would otherwise read them from.
 */
public final class StartingBooks
{
    final OrderBooks books;
    final IntArrayList instrumentIds = new IntArrayList();
    final long lastSequence;

    private StartingBooks(final OrderBooks books, final long lastSequence)
    {
        this.books = books;
        this.lastSequence = lastSequence;
    }

    /**
     * A copy of the state's displayed books, taken now: call it while nothing else changes the state
     * (before the engine thread runs).
     */
    public static StartingBooks copyOf(final EngineState state, final int expectedOrders)
    {
        final StartingBooks starting = new StartingBooks(new OrderBooks(expectedOrders), state.lastSequence());
        load(state, starting.books, starting.instrumentIds);
        return starting;
    }

    private static void load(final EngineState state, final OrderBooks books, final IntArrayList instrumentIds)
    {
        final UnsafeBuffer symbol = new UnsafeBuffer(new byte[16]);
        for (int id = 1; id < state.config().maxInstruments(); id++)
        {
            final Instrument instrument = state.instrument(id);
            if (instrument == null)
            {
                continue;
            }
            final OrderBook book = books.define(id, instrument.tickSize(), instrument.lotSize(), instrument.status());
            instrument.symbolBytes(symbol, 0);
            book.symbol(symbol, 0);
            book.phase(instrument.phase());
            book.indication(instrument.indicativePrice(), instrument.indicativeQty(), instrument.imbalanceQty(),
                instrument.imbalanceSide());
            instrumentIds.addInt(id);
            add(books, id, instrument.bids());
            add(books, id, instrument.asks());
        }
    }

    private static void add(final OrderBooks books, final int instrumentId, final BookSide side)
    {
        for (int rank = 0; rank < side.size(); rank++)
        {
            final PriceLevel level = side.level(rank);
            for (Order order = level.head(); order != null; order = order.nextInLevel())
            {
                final long shown = order.visibleQty();
                if (shown > 0 && !books.add(instrumentId, order.orderId(), order.side(), order.price(), shown))
                {
                    throw new IllegalStateException("market data: order " + order.orderId() + " of instrument " + instrumentId +
                        " does not fit the starting book");
                }
            }
        }
    }
}
