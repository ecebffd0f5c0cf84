package dev.bourse.readmodels.reference;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Public market views of one instrument: definition, trades, book depth, candles, daily statistics. */
public final class MarketView
{
    /** Candle intervals served; the last one (a day) is the daily statistics. */
    static final long[] INTERVALS = {CandleSeries.SECOND, CandleSeries.MINUTE, CandleSeries.HOUR, CandleSeries.DAY};
    static final String[] INTERVAL_NAMES = {"1s", "1m", "1h", "1d"};

    final int instrumentId;
    String symbol;
    long tickSize;
    long lotSize;
    long minQuantity;
    long maxQuantity;
    long maxNotional;
    long referencePrice;
    int priceBandBps;
    byte status;
    final ArrayList<TradeRecord> trades = new ArrayList<>();
    final DepthSide bids = new DepthSide(true);
    final DepthSide asks = new DepthSide(false);
    final CandleSeries[] candles = new CandleSeries[INTERVALS.length];

    MarketView(final int instrumentId)
    {
        this.instrumentId = instrumentId;
        for (int i = 0; i < INTERVALS.length; i++)
        {
            candles[i] = new CandleSeries(INTERVALS[i]);
        }
    }

    void onTrade(final TradeRecord trade)
    {
        trades.add(trade);
        for (final CandleSeries series : candles)
        {
            series.add(trade.timestamp(), trade.price(), trade.quantity());
        }
    }

    DepthSide side(final byte side)
    {
        return side == 1 ? bids : asks;
    }

    public int instrumentId()
    {
        return instrumentId;
    }

    public String symbol()
    {
        return symbol;
    }

    public byte status()
    {
        return status;
    }

    public long referencePrice()
    {
        return referencePrice;
    }

    public List<TradeRecord> trades()
    {
        return trades;
    }

    public DepthSide bids()
    {
        return bids;
    }

    public DepthSide asks()
    {
        return asks;
    }

    /** @param interval one of 1s, 1m, 1h, 1d; null if unknown. */
    public CandleSeries candles(final String interval)
    {
        for (int i = 0; i < INTERVAL_NAMES.length; i++)
        {
            if (INTERVAL_NAMES[i].equals(interval))
            {
                return candles[i];
            }
        }
        return null;
    }

    public CandleSeries daily()
    {
        return candles[candles.length - 1];
    }

    void write(final DataOutput out) throws IOException
    {
        out.writeInt(instrumentId);
        out.writeUTF(symbol);
        out.writeLong(tickSize);
        out.writeLong(lotSize);
        out.writeLong(minQuantity);
        out.writeLong(maxQuantity);
        out.writeLong(maxNotional);
        out.writeLong(referencePrice);
        out.writeInt(priceBandBps);
        out.writeByte(status);
        out.writeInt(trades.size());
        for (final TradeRecord trade : trades)
        {
            trade.write(out);
        }
        bids.write(out);
        asks.write(out);
        for (final CandleSeries series : candles)
        {
            series.write(out);
        }
    }

    static MarketView read(final DataInput in) throws IOException
    {
        final MarketView market = new MarketView(in.readInt());
        market.symbol = in.readUTF();
        market.tickSize = in.readLong();
        market.lotSize = in.readLong();
        market.minQuantity = in.readLong();
        market.maxQuantity = in.readLong();
        market.maxNotional = in.readLong();
        market.referencePrice = in.readLong();
        market.priceBandBps = in.readInt();
        market.status = in.readByte();
        final int trades = Checkpoints.readCount(in);
        market.trades.ensureCapacity(Math.min(trades, 1 << 16));
        for (int i = 0; i < trades; i++)
        {
            market.trades.add(TradeRecord.read(in));
        }
        market.bids.read(in);
        market.asks.read(in);
        for (final CandleSeries series : market.candles)
        {
            series.read(in);
        }
        return market;
    }
}
