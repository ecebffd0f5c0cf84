package dev.bourse.readmodels;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Aggregated resting quantity and order count per price on one side of one book, best first.
 * <p>
 * Kept in parallel primitive arrays sorted worst to best, so the best level is the last one and
 * the busy end of the book is where inserts and removals shift least; no boxing and no node per
 * level (a TreeMap of boxed prices was the largest cost of applying an entry).
 */
public final class DepthSide
{
    private final boolean bids;
    private long[] prices = new long[64];
    private long[] quantities = new long[64];
    private long[] orders = new long[64];
    private int size;

    DepthSide(final boolean bids)
    {
        this.bids = bids;
    }

    void add(final long price, final long quantity, final int orderDelta)
    {
        int index = find(price);
        if (index < 0)
        {
            index = -index - 1;
            insertAt(index, price);
        }
        quantities[index] += quantity;
        orders[index] += orderDelta;
        if (orders[index] <= 0)
        {
            removeAt(index);
        }
    }

    /** Number of price levels. */
    public int size()
    {
        return size;
    }

    /** Resting orders on every level. */
    public long orderCount()
    {
        long count = 0;
        for (int i = 0; i < size; i++)
        {
            count += orders[i];
        }
        return count;
    }

    /** Price of the level at {@code rank} (0 is the best). */
    public long price(final int rank)
    {
        return prices[size - 1 - rank];
    }

    /** Resting quantity of the level at {@code rank} (0 is the best). */
    public long quantity(final int rank)
    {
        return quantities[size - 1 - rank];
    }

    /** Resting orders of the level at {@code rank} (0 is the best). */
    public long orders(final int rank)
    {
        return orders[size - 1 - rank];
    }

    /** Best price, or 0 when empty. */
    public long bestPrice()
    {
        return size == 0 ? 0 : prices[size - 1];
    }

    public long bestQuantity()
    {
        return size == 0 ? 0 : quantities[size - 1];
    }

    /** Resting quantity at a price; 0 if there is no level there. */
    public long quantityAt(final long price)
    {
        final int index = find(price);
        return index < 0 ? 0 : quantities[index];
    }

    /** Resting orders at a price; 0 if there is no level there. */
    public long ordersAt(final long price)
    {
        final int index = find(price);
        return index < 0 ? 0 : orders[index];
    }

    /** Binary search in worst-to-best order: the index, or -(insertion point) - 1. */
    private int find(final long price)
    {
        int low = 0;
        int high = size - 1;
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            final long midPrice = prices[mid];
            // Bids: worst is lowest (ascending); asks: worst is highest (descending).
            final boolean before = bids ? midPrice < price : midPrice > price;
            if (before)
            {
                low = mid + 1;
            }
            else if (midPrice == price)
            {
                return mid;
            }
            else
            {
                high = mid - 1;
            }
        }
        return -(low + 1);
    }

    private void insertAt(final int index, final long price)
    {
        if (size == prices.length)
        {
            final int capacity = size * 2;
            prices = Arrays.copyOf(prices, capacity);
            quantities = Arrays.copyOf(quantities, capacity);
            orders = Arrays.copyOf(orders, capacity);
        }
        final int tail = size - index;
        if (tail > 0)
        {
            System.arraycopy(prices, index, prices, index + 1, tail);
            System.arraycopy(quantities, index, quantities, index + 1, tail);
            System.arraycopy(orders, index, orders, index + 1, tail);
        }
        prices[index] = price;
        quantities[index] = 0;
        orders[index] = 0;
        size++;
    }

    private void removeAt(final int index)
    {
        final int tail = size - index - 1;
        if (tail > 0)
        {
            System.arraycopy(prices, index + 1, prices, index, tail);
            System.arraycopy(quantities, index + 1, quantities, index, tail);
            System.arraycopy(orders, index + 1, orders, index, tail);
        }
        size--;
    }

    /** Best first, as before (checkpoint format unchanged). */
    void write(final DataOutput out) throws IOException
    {
        out.writeInt(size);
        for (int rank = 0; rank < size; rank++)
        {
            out.writeLong(price(rank));
            out.writeLong(quantity(rank));
            out.writeLong(orders(rank));
        }
    }

    void read(final DataInput in) throws IOException
    {
        size = 0;
        final int count = Checkpoints.readCount(in);
        for (int i = 0; i < count; i++)
        {
            final long price = in.readLong();
            final long quantity = in.readLong();
            final long orderCount = in.readLong();
            final int index = find(price);
            if (orderCount <= 0 || index >= 0)
            {
                throw new IOException("corrupt checkpoint: bad depth level at " + price);
            }
            insertAt(-index - 1, price);
            quantities[-index - 1] = quantity;
            orders[-index - 1] = orderCount;
        }
    }
}
