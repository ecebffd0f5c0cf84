package dev.bourse.readmodels;

import dev.bourse.protocol.TradingPhases;
import dev.bourse.protocol.sbe.TradingPhase;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The hot public views of one instrument: definition and trading status, book depth, the last
 * {@link #RECENT_TRADES} trades, and the current candle of each interval (the day's is the daily
 * statistics, and belongs to the {@link TradingDay}, not the calendar day). Older trades and candles are in the history store.
 */
public final class MarketView
{
    /** Candle intervals; the last one (a day) is the daily statistics. */
    public static final long SECOND = 1_000_000_000L;
    public static final long MINUTE = 60 * SECOND;
    public static final long HOUR = 60 * MINUTE;
    public static final long DAY = 24 * HOUR;
    static final long[] INTERVALS = {SECOND, MINUTE, HOUR, DAY};
    static final String[] INTERVAL_NAMES = {"1s", "1m", "1h", "1d"};
    public static final int RECENT_TRADES = 64;

    final int instrumentId;
    String symbol;
    long tickSize;
    long lotSize;
    long minQuantity;
    long maxQuantity;
    long maxNotional;
    long referencePrice;
    int priceBandBps;
    /** The volatility guards (0: off) and how long a volatility call lasts, as the engine last set them. */
    int dynamicBandBps;
    int staticBandBps;
    long interruptionNanos;
    byte status;
    /**
     * The trading phase (a {@code TradingPhase} value). CONTINUOUS, HALTED and CLOSED have the
     * values of the status they imply; in a call the status is OPEN and nothing trades until its auction.
     */
    byte phase = (byte)TradingPhase.CONTINUOUS.value();
    /** During a call, what its auction would do now; all 0 outside calls, or when the book does not cross. */
    long indicativePrice;
    long indicativeQty;
    long imbalanceQty;
    /** 0: no surplus, else the side with one (a {@code Side} value). */
    byte imbalanceSide;
    /** The last auction's price and matched quantity, the call it ended and its journal time; 0 before the first. */
    long auctionPrice;
    long auctionQty;
    byte auctionCall;
    long auctionTimestamp;
    final DepthSide bids = new DepthSide(true);
    final DepthSide asks = new DepthSide(false);
    /** The current candle of each interval, null before the first trade. */
    final Candle[] candles = new Candle[INTERVALS.length];

    // The recent trades, a ring of primitive columns (no object per trade).
    private final long[] tradeIds = new long[RECENT_TRADES];
    private final long[] tradeSequences = new long[RECENT_TRADES];
    private final long[] tradeTimestamps = new long[RECENT_TRADES];
    private final long[] tradePrices = new long[RECENT_TRADES];
    private final long[] tradeQuantities = new long[RECENT_TRADES];
    private final byte[] tradeTakerSides = new byte[RECENT_TRADES];
    private long tradeCount;

    MarketView(final int instrumentId)
    {
        this.instrumentId = instrumentId;
    }

    /** A call: orders collect and nothing trades until its auction. */
    public boolean inCall()
    {
        return TradingPhases.isCall(phase);
    }

    /** A new phase (and the status it implies); leaving a call clears its indication. */
    void phase(final byte phase, final byte status)
    {
        this.phase = phase;
        this.status = status;
        if (!inCall())
        {
            indication(0, 0, 0, (byte)0);
        }
    }

    /** A status change outside the phase commands (halt, resume, close): the phase it implies has its value. */
    void status(final byte status)
    {
        phase(status, status);
    }

    void indication(final long price, final long quantity, final long imbalance, final byte side)
    {
        indicativePrice = price;
        indicativeQty = quantity;
        imbalanceQty = imbalance;
        imbalanceSide = side;
    }

    void auction(final long timestamp, final byte call, final long price, final long quantity)
    {
        auctionTimestamp = timestamp;
        auctionCall = call;
        auctionPrice = price;
        auctionQty = quantity;
        indication(0, 0, 0, (byte)0);
    }

    public byte phase()
    {
        return phase;
    }

    public long indicativePrice()
    {
        return indicativePrice;
    }

    public long indicativeQty()
    {
        return indicativeQty;
    }

    public long imbalanceQty()
    {
        return imbalanceQty;
    }

    public byte imbalanceSide()
    {
        return imbalanceSide;
    }

    public byte auctionCall()
    {
        return auctionCall;
    }

    public long auctionPrice()
    {
        return auctionPrice;
    }

    public long auctionQty()
    {
        return auctionQty;
    }

    public long auctionTimestamp()
    {
        return auctionTimestamp;
    }

    /**
     * Records a trade in the recent trades and the current candles. The intraday candles are keyed
     * by the trade's time; the daily candle (the daily statistics) is the trading day's, whatever
     * the time, and starts at its date's UTC midnight ({@code dayStart}, which may move forward
     * while the day runs: see {@link TradingDay}).
     */
    void onTrade(final long tradeId, final long sequence, final long timestamp, final long price, final long quantity,
        final byte takerSide, final long dayStart)
    {
        final int slot = (int)(tradeCount++ % RECENT_TRADES);
        tradeIds[slot] = tradeId;
        tradeSequences[slot] = sequence;
        tradeTimestamps[slot] = timestamp;
        tradePrices[slot] = price;
        tradeQuantities[slot] = quantity;
        tradeTakerSides[slot] = takerSide;
        final int daily = INTERVALS.length - 1;
        if (candles[daily] == null)
        {
            candles[daily] = new Candle(dayStart);
        }
        candles[daily].start = dayStart;
        candles[daily].add(price, quantity);
        for (int i = 0; i < daily; i++)
        {
            final long start = Math.floorDiv(timestamp, INTERVALS[i]) * INTERVALS[i];
            final Candle current = candles[i];
            if (current == null || start > current.start)
            {
                candles[i] = new Candle(start);
                candles[i].add(price, quantity);
            }
            else if (start == current.start)
            {
                current.add(price, quantity);
            }
            // else: stamped before the current interval began (gateway clocks differ by a little);
            // it is counted in its own, older candle by the history store.
        }
    }

    /** The trading day ended: the daily statistics start again empty (intraday candles stay keyed by time). */
    void onDayEnded()
    {
        candles[INTERVALS.length - 1] = null;
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

    public DepthSide bids()
    {
        return bids;
    }

    public DepthSide asks()
    {
        return asks;
    }

    /** Trades ever recorded (the recent ones are kept). */
    public long tradeCount()
    {
        return tradeCount;
    }

    /** The last {@code limit} trades (at most {@link #RECENT_TRADES}), oldest first. */
    public List<TradeRecord> recentTrades(final int limit)
    {
        final int n = (int)Math.min(Math.min(limit, RECENT_TRADES), tradeCount);
        final List<TradeRecord> trades = new ArrayList<>(n);
        for (long i = tradeCount - n; i < tradeCount; i++)
        {
            final int slot = (int)(i % RECENT_TRADES);
            trades.add(new TradeRecord(tradeIds[slot], tradeSequences[slot], tradeTimestamps[slot], tradePrices[slot],
                tradeQuantities[slot], tradeTakerSides[slot]));
        }
        return trades;
    }

    /** Index of an interval name (1s, 1m, 1h, 1d), or -1. */
    public static int interval(final String name)
    {
        for (int i = 0; i < INTERVAL_NAMES.length; i++)
        {
            if (INTERVAL_NAMES[i].equals(name))
            {
                return i;
            }
        }
        return -1;
    }

    public static String intervalName(final int interval)
    {
        return INTERVAL_NAMES[interval];
    }

    /** The current candle of an interval (see {@link #interval}), or null before the first trade. */
    public Candle candle(final int interval)
    {
        return candles[interval];
    }

    /** The current day's candle: the daily statistics; null before the first trade. */
    public Candle today()
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
        out.writeInt(dynamicBandBps);
        out.writeInt(staticBandBps);
        out.writeLong(interruptionNanos);
        out.writeByte(status);
        out.writeByte(phase);
        out.writeLong(indicativePrice);
        out.writeLong(indicativeQty);
        out.writeLong(imbalanceQty);
        out.writeByte(imbalanceSide);
        out.writeLong(auctionPrice);
        out.writeLong(auctionQty);
        out.writeByte(auctionCall);
        out.writeLong(auctionTimestamp);
        bids.write(out);
        asks.write(out);
        for (final Candle candle : candles)
        {
            out.writeBoolean(candle != null);
            if (candle != null)
            {
                candle.write(out);
            }
        }
        out.writeLong(tradeCount);
        final List<TradeRecord> recent = recentTrades(RECENT_TRADES);
        out.writeInt(recent.size());
        for (final TradeRecord trade : recent)
        {
            trade.write(out);
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
        market.dynamicBandBps = in.readInt();
        market.staticBandBps = in.readInt();
        market.interruptionNanos = in.readLong();
        market.status = in.readByte();
        market.phase = in.readByte();
        market.indicativePrice = in.readLong();
        market.indicativeQty = in.readLong();
        market.imbalanceQty = in.readLong();
        market.imbalanceSide = in.readByte();
        market.auctionPrice = in.readLong();
        market.auctionQty = in.readLong();
        market.auctionCall = in.readByte();
        market.auctionTimestamp = in.readLong();
        market.bids.read(in);
        market.asks.read(in);
        for (int i = 0; i < market.candles.length; i++)
        {
            market.candles[i] = in.readBoolean() ? Candle.read(in) : null;
        }
        final long tradeCount = in.readLong();
        final int recent = Checkpoints.readCount(in);
        if (recent > RECENT_TRADES || recent > tradeCount)
        {
            throw new IOException("corrupt checkpoint: " + recent + " recent trades");
        }
        market.tradeCount = tradeCount - recent;
        for (int i = 0; i < recent; i++)
        {
            final TradeRecord t = TradeRecord.read(in);
            final int slot = (int)(market.tradeCount++ % RECENT_TRADES);
            market.tradeIds[slot] = t.tradeId();
            market.tradeSequences[slot] = t.sequence();
            market.tradeTimestamps[slot] = t.timestamp();
            market.tradePrices[slot] = t.price();
            market.tradeQuantities[slot] = t.quantity();
            market.tradeTakerSides[slot] = t.takerSide();
        }
        return market;
    }
}
