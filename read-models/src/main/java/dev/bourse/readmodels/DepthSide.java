package dev.bourse.readmodels;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** Aggregated resting quantity and order count per price on one side of one book, best first. */
public final class DepthSide
{
    /** Level: [0] quantity, [1] order count. */
    private final TreeMap<Long, long[]> levels;

    DepthSide(final boolean bids)
    {
        levels = bids ? new TreeMap<>(Collections.reverseOrder()) : new TreeMap<>();
    }

    void add(final long price, final long quantity, final int orders)
    {
        final long[] level = levels.computeIfAbsent(price, p -> new long[2]);
        level[0] += quantity;
        level[1] += orders;
        if (level[1] <= 0)
        {
            levels.remove(price);
        }
    }

    public Map<Long, long[]> levels()
    {
        return levels;
    }

    public int size()
    {
        return levels.size();
    }

    /** Best price, or 0 when empty. */
    public long bestPrice()
    {
        return levels.isEmpty() ? 0 : levels.firstKey();
    }

    public long bestQuantity()
    {
        return levels.isEmpty() ? 0 : levels.firstEntry().getValue()[0];
    }

    void write(final DataOutput out) throws IOException
    {
        out.writeInt(levels.size());
        for (final Map.Entry<Long, long[]> e : levels.entrySet())
        {
            out.writeLong(e.getKey());
            out.writeLong(e.getValue()[0]);
            out.writeLong(e.getValue()[1]);
        }
    }

    void read(final DataInput in) throws IOException
    {
        levels.clear();
        final int count = Checkpoints.readCount(in);
        for (int i = 0; i < count; i++)
        {
            levels.put(in.readLong(), new long[]{in.readLong(), in.readLong()});
        }
    }
}
