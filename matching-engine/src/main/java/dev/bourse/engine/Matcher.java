package dev.bourse.engine;

/**
 * Price-time matching of one incoming order against the opposite {@link BookSide}, with
 * self-trade prevention, iceberg peaks and the volatility guards, reporting each outcome to a
 * {@link MatchListener}. It decides; the listener changes the state. Engine thread only.
 */
final class Matcher
{
    /** {@link #match} outcome: the taker traded all its quantity or was cancelled by self-trade prevention. */
    static final int DONE = 0;
    /** {@link #match} outcome: nothing more within the limit; the taker is live with quantity left. */
    static final int LEAVES = 1;
    /**
     * {@link #match} outcome: the next trade would print outside a volatility guard, so it did
     * not; the taker is live with quantity left and the instrument must go into a volatility call.
     */
    static final int INTERRUPTED = 2;

    private final EngineState state;
    private final MatchListener listener;

    Matcher(final EngineState state, final MatchListener listener)
    {
        this.state = state;
        this.listener = listener;
    }

    /**
     * Matches the taker against the opposite side up to {@code limit}, best price first and
     * oldest first within a price, each trade at the resting order's price. An iceberg trades at
     * most its visible peak at a time; a peak traded away refills at the back of the level.
     *
     * @return {@link #DONE}, {@link #LEAVES} or {@link #INTERRUPTED}.
     */
    int match(final Order taker, final long limit)
    {
        final Instrument instrument = taker.instrument;
        final BookSide book = instrument.opposite(taker.side);
        final byte stp = taker.stpMode;
        final long takerAccount = taker.accountId;
        final boolean guarded = instrument.hasGuards();
        long takerLeaves = taker.leavesQty;
        while (true)
        {
            final PriceLevel level = book.best();
            if (level == null || !book.crosses(level.price, limit))
            {
                return LEAVES;
            }
            if (guarded && outsideGuards(instrument, level.price))
            {
                return INTERRUPTED;
            }
            Order maker = level.head;
            while (maker != null)
            {
                final Order next = maker.next;
                if (maker.accountId == takerAccount && stp != EngineCodes.STP_NONE)
                {
                    if (stp == EngineCodes.STP_CANCEL_RESTING)
                    {
                        listener.onSelfTradePrevented(maker);
                        maker = next;
                        continue;
                    }
                    if (stp == EngineCodes.STP_CANCEL_BOTH)
                    {
                        listener.onSelfTradePrevented(maker);
                    }
                    listener.onSelfTradePrevented(taker);
                    return DONE;
                }
                final long quantity = Math.min(maker.visibleQty(), takerLeaves);
                listener.onMatch(maker, taker, maker.price, quantity);
                if (maker.maxFloor > 0 && maker.leavesQty > 0 && maker.displayQty == 0)
                {
                    listener.onPeakExhausted(maker);
                }
                takerLeaves -= quantity;
                if (takerLeaves == 0)
                {
                    return DONE;
                }
                maker = next;
            }
        }
    }

    private boolean outsideGuards(final Instrument instrument, final long price)
    {
        final long sequence = state.lastSequence;
        return price < instrument.guardLow(sequence) || price > instrument.guardHigh(sequence);
    }

    /** True if the best opposite price would trade with an order limited at {@code limit}. */
    static boolean wouldCross(final Instrument instrument, final byte side, final long limit)
    {
        final BookSide opposite = instrument.opposite(side);
        final PriceLevel best = opposite.best();
        return best != null && opposite.crosses(best.price, limit);
    }

    /**
     * Walks the opposite side as {@link #match} would: with an STP mode that cancels the
     * aggressor, matching would stop at the first own order, so liquidity behind it does not
     * count; with cancel-resting own orders are skipped; a level outside a volatility guard
     * would interrupt matching, so it and everything behind it do not count.
     */
    boolean canFillCompletely(
        final Instrument instrument, final byte side, final long accountId, final byte stp, final long limit, final long quantity)
    {
        final BookSide opposite = instrument.opposite(side);
        final boolean guarded = instrument.hasGuards();
        long available = 0;
        for (int rank = 0, levels = opposite.size(); rank < levels; rank++)
        {
            final PriceLevel level = opposite.level(rank);
            if (!opposite.crosses(level.price, limit) || (guarded && outsideGuards(instrument, level.price)))
            {
                return false;
            }
            if (stp == EngineCodes.STP_NONE)
            {
                available += level.totalQty;
                if (available >= quantity)
                {
                    return true;
                }
                continue;
            }
            for (Order order = level.head; order != null; order = order.next)
            {
                if (order.accountId == accountId)
                {
                    if (stp == EngineCodes.STP_CANCEL_RESTING)
                    {
                        continue;
                    }
                    return false;
                }
                available += order.leavesQty;
                if (available >= quantity)
                {
                    return true;
                }
            }
        }
        return false;
    }
}
