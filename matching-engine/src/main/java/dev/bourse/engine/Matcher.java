package dev.bourse.engine;

/**
 * Price-time matching of one incoming order against the opposite {@link BookSide}, with
 * self-trade prevention, reporting each outcome to a {@link MatchListener}. It decides; the
 * listener changes the state. Stateless apart from its listener; engine thread only.
 */
final class Matcher
{
    private final MatchListener listener;

    Matcher(final MatchListener listener)
    {
        this.listener = listener;
    }

    /**
     * Matches the taker against the opposite side up to {@code limit}, best price first and
     * oldest first within a price, each trade at the resting order's price.
     *
     * @return true if the taker is still live with quantity left.
     */
    boolean match(final Order taker, final long limit)
    {
        final BookSide book = taker.instrument.opposite(taker.side);
        final byte stp = taker.stpMode;
        final long takerAccount = taker.accountId;
        long takerLeaves = taker.leavesQty;
        while (true)
        {
            final PriceLevel level = book.best();
            if (level == null || !book.crosses(level.price, limit))
            {
                return true;
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
                    return false;
                }
                final long quantity = Math.min(maker.leavesQty, takerLeaves);
                listener.onMatch(maker, taker, maker.price, quantity);
                takerLeaves -= quantity;
                if (takerLeaves == 0)
                {
                    return false;
                }
                maker = next;
            }
        }
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
     * count; with cancel-resting own orders are skipped.
     */
    static boolean canFillCompletely(
        final Instrument instrument, final byte side, final long accountId, final byte stp, final long limit, final long quantity)
    {
        final BookSide opposite = instrument.opposite(side);
        long available = 0;
        for (int rank = 0, levels = opposite.size(); rank < levels; rank++)
        {
            final PriceLevel level = opposite.level(rank);
            if (!opposite.crosses(level.price, limit))
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
