package dev.bourse.readmodels;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** OHLCV of the trades in one interval; also the daily statistics (a one-day candle). */
public final class Candle
{
    /** Not final for the daily candle only: its trading day's date can move forward while the day runs. */
    long start;
    long open;
    long high;
    long low;
    long close;
    long volume;
    /** Sum of price x quantity: VWAP = notional / volume. */
    long notional;
    long count;

    Candle(final long start)
    {
        this.start = start;
    }

    void add(final long price, final long quantity)
    {
        if (count == 0)
        {
            open = price;
            high = price;
            low = price;
        }
        else
        {
            high = Math.max(high, price);
            low = Math.min(low, price);
        }
        close = price;
        volume += quantity;
        notional += price * quantity;
        count++;
    }

    public long start()
    {
        return start;
    }

    public long open()
    {
        return open;
    }

    public long high()
    {
        return high;
    }

    public long low()
    {
        return low;
    }

    public long close()
    {
        return close;
    }

    public long volume()
    {
        return volume;
    }

    public long notional()
    {
        return notional;
    }

    public long count()
    {
        return count;
    }

    /** Volume-weighted average price, rounded down to the price scale; 0 without trades. */
    public long vwap()
    {
        return dev.bourse.protocol.Prices.average(notional, volume);
    }

    void write(final DataOutput out) throws IOException
    {
        out.writeLong(start);
        out.writeLong(open);
        out.writeLong(high);
        out.writeLong(low);
        out.writeLong(close);
        out.writeLong(volume);
        out.writeLong(notional);
        out.writeLong(count);
    }

    static Candle read(final DataInput in) throws IOException
    {
        final Candle candle = new Candle(in.readLong());
        candle.open = in.readLong();
        candle.high = in.readLong();
        candle.low = in.readLong();
        candle.close = in.readLong();
        candle.volume = in.readLong();
        candle.notional = in.readLong();
        candle.count = in.readLong();
        return candle;
    }
}
