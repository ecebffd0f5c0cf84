package dev.bourse.bench.workload;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The generator's own price-time book over every instrument, so each cancel and move it writes
 * targets an order that is still live. Plain arrays: price levels are dense (one slot per tick in
 * the price range) holding FIFO lists of order ids; orders are indexed by their id. It also gives
 * the expected final book that both replays must end with.
 */
public final class ShadowBook
{
    private final int instruments;
    private final int minPrice;
    private final int levels;
    private final int[] head;
    private final int[] tail;
    private final int[] bestBid;
    private final int[] bestAsk;
    private final int[][] live;
    private final int[] liveCount;

    private int[] orderInstrument = new int[1024];
    private int[] orderPrice = new int[1024];
    private int[] orderLeaves = new int[1024];
    private int[] orderQuantity = new int[1024];
    private int[] orderAccount = new int[1024];
    private int[] orderNext = new int[1024];
    private int[] orderPrev = new int[1024];
    private int[] orderLiveSlot = new int[1024];
    private byte[] orderSide = new byte[1024];
    private long trades;

    public ShadowBook(final int instruments, final int minPrice, final int maxPrice)
    {
        this.instruments = instruments;
        this.minPrice = minPrice;
        this.levels = maxPrice - minPrice + 1;
        head = new int[instruments * 2 * levels];
        tail = new int[instruments * 2 * levels];
        bestBid = new int[instruments + 1];
        bestAsk = new int[instruments + 1];
        Arrays.fill(bestBid, -1);
        Arrays.fill(bestAsk, -1);
        live = new int[instruments + 1][];
        liveCount = new int[instruments + 1];
        for (int i = 1; i <= instruments; i++)
        {
            live[i] = new int[64];
        }
    }

    public int liveOrders(final int instrument)
    {
        return liveCount[instrument];
    }

    public long trades()
    {
        return trades;
    }

    /** A uniformly chosen live order of the instrument (there must be one). */
    public int randomLive(final int instrument, final SplittableRandom random)
    {
        return live[instrument][random.nextInt(liveCount[instrument])];
    }

    public int price(final int orderId)
    {
        return orderPrice[orderId];
    }

    public int quantity(final int orderId)
    {
        return orderQuantity[orderId];
    }

    public int account(final int orderId)
    {
        return orderAccount[orderId];
    }

    public byte side(final int orderId)
    {
        return orderSide[orderId];
    }

    public int instrument(final int orderId)
    {
        return orderInstrument[orderId];
    }

    /** A new limit order: matches, then rests unless IOC. Ids must be new and increasing. */
    public void place(
        final int orderId, final int instrument, final byte side, final int price, final int quantity, final int account,
        final boolean ioc)
    {
        ensureCapacity(orderId);
        orderInstrument[orderId] = instrument;
        orderPrice[orderId] = price;
        orderQuantity[orderId] = quantity;
        orderLeaves[orderId] = quantity;
        orderAccount[orderId] = account;
        orderSide[orderId] = side;
        match(orderId);
        if (!ioc && orderLeaves[orderId] > 0)
        {
            rest(orderId);
        }
    }

    public void cancel(final int orderId)
    {
        unlink(orderId);
    }

    /** Price change: the order loses its place, may trade as a taker, and rests at the back. */
    public void move(final int orderId, final int newPrice)
    {
        unlink(orderId);
        orderPrice[orderId] = newPrice;
        match(orderId);
        if (orderLeaves[orderId] > 0)
        {
            rest(orderId);
        }
    }

    /**
     * Appends the book as text, one line per price level, bids best first then asks best first:
     * {@code <instrument> BID|ASK <price ticks> <total quantity>}. The format {@code BookDump} and the peer use too.
     */
    public void dump(final StringBuilder out)
    {
        for (int instrument = 1; instrument <= instruments; instrument++)
        {
            for (int p = levels - 1; p >= 0; p--)
            {
                appendLevel(out, instrument, CommandStream.BUY, p);
            }
            for (int p = 0; p < levels; p++)
            {
                appendLevel(out, instrument, CommandStream.SELL, p);
            }
        }
    }

    private void appendLevel(final StringBuilder out, final int instrument, final byte side, final int p)
    {
        long total = 0;
        for (int id = head[index(instrument, side, p)]; id != 0; id = orderNext[id])
        {
            total += orderLeaves[id];
        }
        if (total > 0)
        {
            out.append(instrument).append(side == CommandStream.BUY ? " BID " : " ASK ")
                .append(p + minPrice).append(' ').append(total).append('\n');
        }
    }

    private void match(final int taker)
    {
        final int instrument = orderInstrument[taker];
        final boolean buy = orderSide[taker] == CommandStream.BUY;
        final byte makerSide = buy ? CommandStream.SELL : CommandStream.BUY;
        final int limit = orderPrice[taker] - minPrice;
        while (orderLeaves[taker] > 0)
        {
            final int best = buy ? bestAsk[instrument] : bestBid[instrument];
            if (best < 0 || (buy ? best > limit : best < limit))
            {
                return;
            }
            final int maker = head[index(instrument, makerSide, best)];
            final int fill = Math.min(orderLeaves[maker], orderLeaves[taker]);
            orderLeaves[maker] -= fill;
            orderLeaves[taker] -= fill;
            trades++;
            if (orderLeaves[maker] == 0)
            {
                unlink(maker);
            }
        }
    }

    private void rest(final int orderId)
    {
        final int instrument = orderInstrument[orderId];
        final byte side = orderSide[orderId];
        final int p = orderPrice[orderId] - minPrice;
        final int level = index(instrument, side, p);
        orderNext[orderId] = 0;
        orderPrev[orderId] = tail[level];
        if (tail[level] == 0)
        {
            head[level] = orderId;
        }
        else
        {
            orderNext[tail[level]] = orderId;
        }
        tail[level] = orderId;
        if (side == CommandStream.BUY)
        {
            if (p > bestBid[instrument])
            {
                bestBid[instrument] = p;
            }
        }
        else if (bestAsk[instrument] < 0 || p < bestAsk[instrument])
        {
            bestAsk[instrument] = p;
        }
        int[] ids = live[instrument];
        if (liveCount[instrument] == ids.length)
        {
            ids = live[instrument] = Arrays.copyOf(ids, ids.length * 2);
        }
        orderLiveSlot[orderId] = liveCount[instrument];
        ids[liveCount[instrument]++] = orderId;
    }

    private void unlink(final int orderId)
    {
        final int instrument = orderInstrument[orderId];
        final byte side = orderSide[orderId];
        final int p = orderPrice[orderId] - minPrice;
        final int level = index(instrument, side, p);
        final int prev = orderPrev[orderId];
        final int next = orderNext[orderId];
        if (prev == 0)
        {
            head[level] = next;
        }
        else
        {
            orderNext[prev] = next;
        }
        if (next == 0)
        {
            tail[level] = prev;
        }
        else
        {
            orderPrev[next] = prev;
        }
        if (head[level] == 0)
        {
            if (side == CommandStream.BUY && bestBid[instrument] == p)
            {
                int q = p - 1;
                while (q >= 0 && head[index(instrument, side, q)] == 0)
                {
                    q--;
                }
                bestBid[instrument] = q;
            }
            else if (side == CommandStream.SELL && bestAsk[instrument] == p)
            {
                int q = p + 1;
                while (q < levels && head[index(instrument, side, q)] == 0)
                {
                    q++;
                }
                bestAsk[instrument] = q < levels ? q : -1;
            }
        }
        final int slot = orderLiveSlot[orderId];
        final int last = live[instrument][--liveCount[instrument]];
        live[instrument][slot] = last;
        orderLiveSlot[last] = slot;
    }

    private int index(final int instrument, final byte side, final int p)
    {
        return ((instrument - 1) * 2 + side) * levels + p;
    }

    private void ensureCapacity(final int orderId)
    {
        if (orderId < orderInstrument.length)
        {
            return;
        }
        final int size = Math.max(orderId + 1, orderInstrument.length * 2);
        orderInstrument = Arrays.copyOf(orderInstrument, size);
        orderPrice = Arrays.copyOf(orderPrice, size);
        orderLeaves = Arrays.copyOf(orderLeaves, size);
        orderQuantity = Arrays.copyOf(orderQuantity, size);
        orderAccount = Arrays.copyOf(orderAccount, size);
        orderNext = Arrays.copyOf(orderNext, size);
        orderPrev = Arrays.copyOf(orderPrev, size);
        orderLiveSlot = Arrays.copyOf(orderLiveSlot, size);
        orderSide = Arrays.copyOf(orderSide, size);
    }
}
