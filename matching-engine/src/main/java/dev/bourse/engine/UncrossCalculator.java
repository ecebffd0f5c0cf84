package dev.bourse.engine;

/**
 * The auction price of a call book, by the rules the large European venues use, applied in turn
 * to the candidate prices (every limit price on either side where the book crosses):
 * <ol>
 * <li>the most executable quantity, min(buy quantity at or above the price, sell quantity at or
 *     below it);</li>
 * <li>then the least surplus |buy - sell| at that price;</li>
 * <li>then market pressure: if every remaining candidate has more to buy than to sell, the
 *     highest of them; if every one has more to sell, the lowest;</li>
 * <li>otherwise the one closest to the reference price (the last trade's price, else the
 *     instrument's reference price); of two equally close, the higher.</li>
 * </ol>
 * Iceberg orders count with all their quantity, hidden part included. Two passes over the price
 * levels where the book crosses, nothing allocated: a 100,000-order book is a fraction of a
 * millisecond. Results are left in the fields of this reusable object.
 */
final class UncrossCalculator
{
    /** The auction price; 0 if the book does not cross. */
    long price;
    /** The quantity that trades at it; 0 if the book does not cross. */
    long volume;
    /** Quantity left over on the surplus side at that price. */
    long imbalance;
    /** The side of the surplus (a Side value), 0 if none. */
    byte imbalanceSide;

    private long bestExec;
    private long bestAbsSurplus;
    private boolean anyBuyPressure;
    private boolean anySellPressure;
    private boolean anyBalanced;
    private long highest;
    private long lowest;
    private long highestSurplus;
    private long lowestSurplus;
    private long closest;
    private long closestSurplus;
    private long closestDistance;

    /** Computes the auction of the instrument's book; false (and zeros) if it does not cross. */
    boolean compute(final Instrument instrument)
    {
        price = 0;
        volume = 0;
        imbalance = 0;
        imbalanceSide = 0;
        final BookSide bids = instrument.bids;
        final BookSide asks = instrument.asks;
        final PriceLevel bestBid = bids.best();
        final PriceLevel bestAsk = asks.best();
        if (bestBid == null || bestAsk == null || bestBid.price < bestAsk.price)
        {
            return false;
        }
        final long low = bestAsk.price;
        final long high = bestBid.price;
        int bidLevels = 0;
        long buyTotal = 0;
        while (bidLevels < bids.size() && bids.level(bidLevels).price >= low)
        {
            buyTotal += bids.level(bidLevels).totalQty;
            bidLevels++;
        }
        int askLevels = 0;
        while (askLevels < asks.size() && asks.level(askLevels).price <= high)
        {
            askLevels++;
        }

        bestExec = 0;
        bestAbsSurplus = Long.MAX_VALUE;
        walk(bids, asks, bidLevels, askLevels, buyTotal, 0, 0);
        anyBuyPressure = false;
        anySellPressure = false;
        anyBalanced = false;
        highest = Long.MIN_VALUE;
        lowest = Long.MAX_VALUE;
        closestDistance = Long.MAX_VALUE;
        walk(bids, asks, bidLevels, askLevels, buyTotal, 1, instrument.auctionReference());

        final long surplus;
        if (anyBuyPressure && !anySellPressure && !anyBalanced)
        {
            price = highest;
            surplus = highestSurplus;
        }
        else if (anySellPressure && !anyBuyPressure && !anyBalanced)
        {
            price = lowest;
            surplus = lowestSurplus;
        }
        else
        {
            price = closest;
            surplus = closestSurplus;
        }
        volume = bestExec;
        imbalance = Math.abs(surplus);
        imbalanceSide = surplus > 0 ? EngineCodes.BUY : surplus < 0 ? EngineCodes.SELL : 0;
        return true;
    }

    /**
     * Visits the candidate prices in ascending order with the buy and sell quantity at each.
     * Pass 0 finds the best executable quantity and, for it, the least surplus; pass 1 looks at
     * the candidates that have both and gathers what rules 3 and 4 need.
     */
    private void walk(
        final BookSide bids, final BookSide asks, final int bidLevels, final int askLevels, final long buyTotal,
        final int pass, final long reference)
    {
        long buy = buyTotal;
        long sell = 0;
        int b = bidLevels - 1;
        int a = 0;
        while (b >= 0 || a < askLevels)
        {
            final long bidPrice = b >= 0 ? bids.level(b).price : Long.MAX_VALUE;
            final long askPrice = a < askLevels ? asks.level(a).price : Long.MAX_VALUE;
            final long candidate = Math.min(bidPrice, askPrice);
            while (a < askLevels && asks.level(a).price <= candidate)
            {
                sell += asks.level(a).totalQty;
                a++;
            }
            final long exec = Math.min(buy, sell);
            final long surplus = buy - sell;
            final long absSurplus = Math.abs(surplus);
            if (pass == 0)
            {
                if (exec > bestExec || (exec == bestExec && absSurplus < bestAbsSurplus))
                {
                    bestExec = exec;
                    bestAbsSurplus = absSurplus;
                }
            }
            else if (exec == bestExec && absSurplus == bestAbsSurplus)
            {
                consider(candidate, surplus, reference);
            }
            while (b >= 0 && bids.level(b).price <= candidate)
            {
                buy -= bids.level(b).totalQty;
                b--;
            }
        }
    }

    private void consider(final long candidate, final long surplus, final long reference)
    {
        if (surplus > 0)
        {
            anyBuyPressure = true;
        }
        else if (surplus < 0)
        {
            anySellPressure = true;
        }
        else
        {
            anyBalanced = true;
        }
        if (candidate > highest)
        {
            highest = candidate;
            highestSurplus = surplus;
        }
        if (candidate < lowest)
        {
            lowest = candidate;
            lowestSurplus = surplus;
        }
        final long distance = Math.abs(candidate - reference);
        // candidates come in ascending order: on a tie the later (higher) one wins
        if (distance <= closestDistance)
        {
            closestDistance = distance;
            closest = candidate;
            closestSurplus = surplus;
        }
    }
}
