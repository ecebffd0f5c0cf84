package dev.bourse.readmodels.stream;

import dev.bourse.readmodels.DepthSide;
import dev.bourse.readmodels.MarketView;
import dev.bourse.readmodels.ReadModels;

/**
 * The depth channel's updates for one journal entry: the top {@code limit} levels of each side
 * the entry changed, kept whole. At the entry's end: each changed level inside the top levels after
 * it, if it differs from before; a removal for each one in them before and not after (gone, or
 * pushed below by better ones); and the levels the entry did not change that crossed the cut
 * because others did. Nothing for levels below the cut before and after. On the projection thread;
 * allocates nothing per event once its arrays have grown.
 */
final class DepthUpdates
{
    /** Where an update goes; quantity and orders 0: the level is gone from the client's copy. */
    @FunctionalInterface
    interface LevelSink
    {
        void level(int instrumentId, byte side, long price, long quantity, long orders);
    }

    private final TouchedLevels levels = new TouchedLevels();
    private final DepthCuts cuts;

    DepthUpdates(final int limit)
    {
        cuts = new DepthCuts(limit);
    }

    /** A level of a watched depth channel changed by these deltas; {@code depth} is its side after the change. */
    void changed(final int instrumentId, final byte side, final long price, final DepthSide depth, final long quantityDelta,
        final int orderDelta)
    {
        final long orders = depth.ordersAt(price);
        final int sideIndex = cuts.note(instrumentId, side, price, depth, orders - orderDelta, orders);
        levels.touch(instrumentId, side, price, depth.quantityAt(price), orders, quantityDelta, orderDelta, sideIndex);
    }

    /** The entry ended: its updates go to {@code sink}, and the entry is forgotten. */
    void entryEnd(final ReadModels models, final LevelSink sink)
    {
        if (levels.size() == 0)
        {
            return;
        }
        for (int i = 0; i < levels.size(); i++)
        {
            final MarketView market = models.findMarket(levels.instrumentId(i));
            if (market == null)
            {
                continue;
            }
            final byte side = levels.side(i);
            final DepthSide depth = side == 1 ? market.bids() : market.asks(); // 1: BUY, as MarketView keeps them
            final long price = levels.price(i);
            final long quantity = depth.quantityAt(price);
            final long orders = depth.ordersAt(price);
            final boolean inTopBefore = levels.existedBefore(i) && DepthCuts.inTop(side, price, cuts.cut(levels.sideIndex(i)));
            final boolean inTopAfter = orders > 0 && DepthCuts.inTop(side, price, cuts.cutNow(depth));
            if (inTopAfter && (!inTopBefore || levels.changed(i, quantity, orders)))
            {
                sink.level(market.instrumentId(), side, price, quantity, orders);
            }
            else if (inTopBefore && !inTopAfter)
            {
                sink.level(market.instrumentId(), side, price, 0, 0); // the client's copy drops it
            }
        }
        for (int s = 0; s < cuts.size(); s++)
        {
            crossings(s, sink);
        }
        levels.clear();
        cuts.clear();
    }

    /**
     * The levels of a side the entry did not change that left its top levels (better ones came in)
     * or entered them (better ones went): no more of them than levels the entry changed. Nothing for
     * a side that is no deeper than the limit, before and after.
     */
    private void crossings(final int s, final LevelSink sink)
    {
        final long before = cuts.cut(s);
        final DepthSide depth = cuts.depth(s);
        final long after = cuts.cutNow(depth);
        if (after == before)
        {
            return;
        }
        final byte side = cuts.side(s);
        final int instrumentId = cuts.instrumentId(s);
        if (after != DepthCuts.NONE && (before == DepthCuts.NONE || DepthCuts.better(side, after, before)))
        {
            // the cut moved up: the levels now below it that were above it before leave
            for (int rank = cuts.limit(); rank < depth.size() && DepthCuts.inTop(side, depth.price(rank), before); rank++)
            {
                if (!levels.contains(instrumentId, side, depth.price(rank)))
                {
                    sink.level(instrumentId, side, depth.price(rank), 0, 0);
                }
            }
        }
        else
        {
            // the cut moved down: the levels now above it that were below it before enter
            for (int rank = Math.min(cuts.limit(), depth.size()) - 1; rank >= 0 && !DepthCuts.inTop(side, depth.price(rank), before); rank--)
            {
                if (!levels.contains(instrumentId, side, depth.price(rank)))
                {
                    sink.level(instrumentId, side, depth.price(rank), depth.quantity(rank), depth.orders(rank));
                }
            }
        }
    }
}
