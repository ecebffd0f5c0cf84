package dev.bourse.readmodels.stream;

import dev.bourse.readmodels.Candle;
import dev.bourse.readmodels.DepthSide;
import dev.bourse.readmodels.MarketView;
import dev.bourse.readmodels.OrderRecord;
import dev.bourse.readmodels.ReadModels;
import dev.bourse.readmodels.StreamListener;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.LockSupport;

/**
 * The projection thread's side of the live streams: turns each change of the hot projections into
 * a binary message on the {@link StreamRing} for the channels someone subscribed to, and numbers
 * them per channel. Allocates nothing per message and never waits: when the ring is full the
 * message is dropped (its sequence number still counts, so subscribers see the gap) and an
 * OVERFLOW marker follows as soon as there is room, after which the publisher resends snapshots.
 * <p>
 * Best bid and offer, the current candles, the trading status and each changed depth level go out
 * once per journal entry (at its end) for the instruments it changed, not once per event; a level
 * the entry left as it was goes out not at all. The depth channel is the top
 * {@link StreamLimits#DEPTH_LEVELS} levels of each side, as its snapshot: a level that leaves them
 * goes out as removed, one that enters them whole, one below them not at all.
 */
public final class StreamSource implements StreamListener
{
    private final OneToOneRingBuffer ring;
    private final MutableDirectBuffer buffer;
    /** Channels with subscribers, replaced whole by the publisher (copy on write). */
    private volatile LongHashSet interest = new LongHashSet();
    private final Long2LongHashMap sequences = new Long2LongHashMap(0);
    /** Per instrument, the BBO last published (bid price, bid quantity, ask price, ask quantity); {@link #UNSENT}: none to compare with. */
    private final Int2ObjectHashMap<long[]> lastBbo = new Int2ObjectHashMap<>();
    /** No price a book reports: a BBO compared with it always differs. */
    private static final long UNSENT = Long.MIN_VALUE;
    private final int[] touched = new int[1_024];
    private final boolean[] traded = new boolean[1_024];
    private int touchedCount;
    private final LongHashSet touchedSet = new LongHashSet();
    private final DepthUpdates depthUpdates;
    private final DepthUpdates.LevelSink depthSink = this::depthLevel;
    /** The start of the trading day the candles channels last heard of; {@link #UNSENT}: none yet. */
    private long dayStartSent = UNSENT;
    /** Instruments whose status changed in this entry, in the order they first did (no bound: none may be lost). */
    private final org.agrona.collections.IntArrayList statusChanged = new org.agrona.collections.IntArrayList();
    private final LongHashSet statusChangedSet = new LongHashSet();
    private LongHashSet entryInterest = interest;
    private long position;
    private long timestamp;
    private boolean overflowed;
    private long dropped;
    /** Something went into the ring during this entry: wake the publisher at its end. */
    private boolean wrote;
    private volatile Thread publisher;

    public StreamSource(final OneToOneRingBuffer ring)
    {
        this(ring, StreamLimits.DEPTH_LEVELS);
    }

    /** With the depth channel cut at {@code depthLevels} a side (tests: a small book crosses it). */
    StreamSource(final OneToOneRingBuffer ring, final int depthLevels)
    {
        this.ring = ring;
        this.buffer = ring.buffer();
        this.depthUpdates = new DepthUpdates(depthLevels);
    }

    /** The publisher's thread, woken when an entry put messages in the ring (it may be parked for up to 1 ms). */
    void publisherThread(final Thread thread)
    {
        publisher = thread;
    }

    /** The publisher: the channels that have subscribers now. */
    void interest(final LongHashSet channels)
    {
        interest = channels;
    }

    /** Messages dropped because the ring was full (read by other threads: a gauge). */
    public long dropped()
    {
        return dropped;
    }

    @Override
    public void onEntryStart(final long position, final long sequence, final long timestamp)
    {
        this.position = position;
        this.timestamp = timestamp;
        final LongHashSet now = interest;
        if (now != entryInterest)
        {
            forgetUnwatchedBbos(now);
        }
        entryInterest = now;
    }

    /**
     * The subscribers changed (a new set each time): the BBO last published on a channel nobody
     * watches now is forgotten. Changes made while nobody watched are sent to no one; a new
     * subscriber's snapshot has them, and a change back to the old BBO, compared with it, was
     * never sent (an outside tester's client kept a canceled better price for good).
     */
    private void forgetUnwatchedBbos(final LongHashSet now)
    {
        lastBbo.forEach((instrumentId, last) ->
        {
            if (!now.contains(StreamChannels.key(StreamChannels.BBO, instrumentId)))
            {
                last[0] = UNSENT;
            }
        });
    }

    private boolean wanted(final long key)
    {
        return key != StreamChannels.NO_CHANNEL && !entryInterest.isEmpty() && entryInterest.contains(key);
    }

    /** Claims room for an update of the channel, writing its header; -1 if the ring is full. */
    private int claim(final long key, final int length)
    {
        final long sequence = sequences.get(key) + 1;
        sequences.put(key, sequence);
        if (overflowed && !writeOverflow())
        {
            dropped++;
            return -1;
        }
        final int index = ring.tryClaim(StreamRing.UPDATE, length);
        if (index < 0)
        {
            overflowed = true;
            dropped++;
            return -1;
        }
        buffer.putLong(index + StreamRing.KEY, key);
        buffer.putLong(index + StreamRing.SEQUENCE, sequence);
        buffer.putLong(index + StreamRing.POSITION, position);
        buffer.putLong(index + StreamRing.TIMESTAMP, timestamp);
        wrote = true;
        return index;
    }

    private boolean writeOverflow()
    {
        final int index = ring.tryClaim(StreamRing.OVERFLOW, StreamRing.BODY);
        if (index < 0)
        {
            return false;
        }
        buffer.setMemory(index, StreamRing.BODY, (byte)0);
        ring.commit(index);
        overflowed = false;
        return true;
    }

    @Override
    public void onTrade(final MarketView market, final long tradeId, final long price, final long quantity, final byte takerSide)
    {
        if (entryInterest.isEmpty())
        {
            return; // nobody listens: no work at all
        }
        touch(market.instrumentId(), true);
        final long key = StreamChannels.key(StreamChannels.TRADES, market.instrumentId());
        if (!wanted(key))
        {
            return;
        }
        final int index = claim(key, StreamRing.TRADE_LENGTH);
        if (index >= 0)
        {
            buffer.putLong(index + StreamRing.TRADE_ID, tradeId);
            buffer.putLong(index + StreamRing.TRADE_PRICE, price);
            buffer.putLong(index + StreamRing.TRADE_QUANTITY, quantity);
            buffer.putByte(index + StreamRing.TRADE_TAKER_SIDE, takerSide);
            ring.commit(index);
        }
    }

    /** A level changed: sent at the entry's end if it differs, or crossed the top levels' cut ({@link DepthUpdates}). */
    @Override
    public void onDepth(final MarketView market, final byte side, final long price, final DepthSide depth,
        final long quantityDelta, final int orderDelta)
    {
        if (entryInterest.isEmpty())
        {
            return;
        }
        touch(market.instrumentId(), false);
        if (wanted(StreamChannels.key(StreamChannels.DEPTH, market.instrumentId())))
        {
            depthUpdates.changed(market.instrumentId(), side, price, depth, quantityDelta, orderDelta);
        }
    }

    /** One level's update; quantity and orders 0: the level is gone from the client's copy. */
    private void depthLevel(final int instrumentId, final byte side, final long price, final long quantity, final long orders)
    {
        final int index = claim(StreamChannels.key(StreamChannels.DEPTH, instrumentId), StreamRing.DEPTH_LENGTH);
        if (index >= 0)
        {
            buffer.putByte(index + StreamRing.DEPTH_SIDE, side);
            buffer.putLong(index + StreamRing.DEPTH_PRICE, price);
            buffer.putLong(index + StreamRing.DEPTH_QUANTITY, quantity);
            buffer.putLong(index + StreamRing.DEPTH_ORDERS, orders);
            ring.commit(index);
        }
    }

    /**
     * A status, phase, reference price or auction change: sent at the entry's end, once, with the
     * instrument's state then. Sent per event, the end of a call gave a state the instrument never had
     * between its auction and its phase change ("still in the call, nothing matches, auction done":
     * a streams probe).
     */
    @Override
    public void onStatus(final MarketView market)
    {
        if (statusChangedSet.add(market.instrumentId()))
        {
            statusChanged.addInt(market.instrumentId());
        }
    }

    private void status(final MarketView market)
    {
        final long key = StreamChannels.key(StreamChannels.STATUS, market.instrumentId());
        if (!wanted(key))
        {
            return;
        }
        final int index = claim(key, StreamRing.STATUS_LENGTH);
        if (index >= 0)
        {
            buffer.putByte(index + StreamRing.STATUS_STATUS, market.status());
            buffer.putByte(index + StreamRing.STATUS_PHASE, market.phase());
            buffer.putByte(index + StreamRing.STATUS_IMBALANCE_SIDE, market.imbalanceSide());
            buffer.putByte(index + StreamRing.STATUS_AUCTION_CALL, market.auctionCall());
            buffer.putLong(index + StreamRing.STATUS_REFERENCE_PRICE, market.referencePrice());
            buffer.putLong(index + StreamRing.STATUS_INDICATIVE_PRICE, market.indicativePrice());
            buffer.putLong(index + StreamRing.STATUS_INDICATIVE_QTY, market.indicativeQty());
            buffer.putLong(index + StreamRing.STATUS_IMBALANCE_QTY, market.imbalanceQty());
            buffer.putLong(index + StreamRing.STATUS_AUCTION_PRICE, market.auctionPrice());
            buffer.putLong(index + StreamRing.STATUS_AUCTION_QTY, market.auctionQty());
            buffer.putLong(index + StreamRing.STATUS_AUCTION_TIMESTAMP, market.auctionTimestamp());
            ring.commit(index);
        }
    }

    @Override
    public void onOrder(final OrderRecord order)
    {
        final long key = StreamChannels.key(StreamChannels.ORDERS, order.accountId());
        if (!wanted(key))
        {
            return;
        }
        final int index = claim(key, StreamRing.ORDER_LENGTH);
        if (index >= 0)
        {
            buffer.putLong(index + StreamRing.ORDER_ID, order.orderId());
            buffer.putInt(index + StreamRing.ORDER_INSTRUMENT, order.instrumentId());
            buffer.putByte(index + StreamRing.ORDER_SIDE, order.side());
            buffer.putByte(index + StreamRing.ORDER_TYPE, order.ordType());
            buffer.putByte(index + StreamRing.ORDER_TIME_IN_FORCE, order.timeInForce());
            buffer.putByte(index + StreamRing.ORDER_STATUS, order.status());
            buffer.putByte(index + StreamRing.ORDER_CANCEL_REASON, order.cancelReason());
            buffer.putByte(index + StreamRing.ORDER_POST_ONLY, (byte)(order.postOnly() ? 1 : 0));
            buffer.putByte(index + StreamRing.ORDER_STP_MODE, order.stpMode());
            buffer.putLong(index + StreamRing.ORDER_PRICE, order.price());
            buffer.putLong(index + StreamRing.ORDER_QUANTITY, order.quantity());
            buffer.putLong(index + StreamRing.ORDER_LEAVES, order.leavesQty());
            buffer.putLong(index + StreamRing.ORDER_CUM, order.cumQty());
            buffer.putLong(index + StreamRing.ORDER_CUM_NOTIONAL, order.cumNotional());
            buffer.putLong(index + StreamRing.ORDER_CREATED, order.createdTimestamp());
            buffer.putLong(index + StreamRing.ORDER_UPDATED, order.updatedTimestamp());
            order.putClOrdId(buffer, index + StreamRing.ORDER_CL_ORD_ID);
            order.putOrigClOrdId(buffer, index + StreamRing.ORDER_ORIG_CL_ORD_ID);
            buffer.putLong(index + StreamRing.ORDER_STOP_PRICE, order.stopPrice());
            buffer.putLong(index + StreamRing.ORDER_DISPLAY_QTY, order.displayQty());
            buffer.putLong(index + StreamRing.ORDER_EXPIRE_TIME, order.expireTime());
            buffer.putLong(index + StreamRing.ORDER_ACCOUNT, order.accountId());
            ring.commit(index);
        }
    }

    @Override
    public void onFill(final OrderRecord order, final long tradeId, final long price, final long quantity, final byte liquidity)
    {
        final long key = StreamChannels.key(StreamChannels.FILLS, order.accountId());
        if (!wanted(key))
        {
            return;
        }
        final int index = claim(key, StreamRing.FILL_LENGTH);
        if (index >= 0)
        {
            buffer.putLong(index + StreamRing.FILL_ORDER_ID, order.orderId());
            buffer.putInt(index + StreamRing.FILL_INSTRUMENT, order.instrumentId());
            buffer.putByte(index + StreamRing.FILL_SIDE, order.side());
            buffer.putByte(index + StreamRing.FILL_LIQUIDITY, liquidity);
            buffer.putLong(index + StreamRing.FILL_TRADE_ID, tradeId);
            buffer.putLong(index + StreamRing.FILL_PRICE, price);
            buffer.putLong(index + StreamRing.FILL_QUANTITY, quantity);
            buffer.putLong(index + StreamRing.FILL_LEAVES, order.leavesQty());
            buffer.putLong(index + StreamRing.FILL_CUM, order.cumQty());
            order.putClOrdId(buffer, index + StreamRing.FILL_CL_ORD_ID);
            ring.commit(index);
        }
    }

    private void touch(final int instrumentId, final boolean trade)
    {
        if (touchedSet.add(instrumentId))
        {
            if (touchedCount == touched.length)
            {
                return; // an entry touching more than 1,024 instruments: the rest get no BBO or candle update
            }
            traded[touchedCount] = trade;
            touched[touchedCount++] = instrumentId;
        }
        else if (trade)
        {
            for (int i = 0; i < touchedCount; i++)
            {
                if (touched[i] == instrumentId)
                {
                    traded[i] = true;
                }
            }
        }
    }

    /** The end of an entry: the changed instruments' best bid and offer, and the current candles of those that traded. */
    @Override
    public void onEntryEnd(final ReadModels models)
    {
        if (touchedCount > 0)
        {
            entryEnd(models);
        }
        final long dayStart = models.tradingDay().dateStartNanos();
        if (dayStart != dayStartSent)
        {
            dayStartSent = dayStart;
            emptyDailyCandles(models, dayStart);
        }
        if (!statusChanged.isEmpty())
        {
            for (int i = 0; i < statusChanged.size(); i++)
            {
                final MarketView market = models.findMarket(statusChanged.getInt(i));
                if (market != null)
                {
                    status(market);
                }
            }
            statusChanged.clear();
            statusChangedSet.clear();
        }
        if (wrote)
        {
            wrote = false;
            final Thread thread = publisher;
            if (thread != null)
            {
                LockSupport.unpark(thread);
            }
        }
    }

    private void entryEnd(final ReadModels models)
    {
        depthUpdates.entryEnd(models, depthSink);
        for (int i = 0; i < touchedCount; i++)
        {
            final MarketView market = models.findMarket(touched[i]);
            if (market != null)
            {
                bbo(market);
                if (traded[i])
                {
                    candles(market);
                }
            }
        }
        touchedCount = 0;
        touchedSet.clear();
    }

    private void bbo(final MarketView market)
    {
        final long key = StreamChannels.key(StreamChannels.BBO, market.instrumentId());
        if (!wanted(key))
        {
            return;
        }
        long[] last = lastBbo.get(market.instrumentId());
        if (last == null)
        {
            last = new long[]{UNSENT, UNSENT, UNSENT, UNSENT};
            lastBbo.put(market.instrumentId(), last);
        }
        final DepthSide bids = market.bids();
        final DepthSide asks = market.asks();
        final long bidPrice = bids.bestPrice();
        final long bidQuantity = bids.bestQuantity();
        final long askPrice = asks.bestPrice();
        final long askQuantity = asks.bestQuantity();
        if (last[0] == bidPrice && last[1] == bidQuantity && last[2] == askPrice && last[3] == askQuantity)
        {
            return;
        }
        final int index = claim(key, StreamRing.BBO_LENGTH);
        if (index >= 0)
        {
            last[0] = bidPrice;
            last[1] = bidQuantity;
            last[2] = askPrice;
            last[3] = askQuantity;
            buffer.putLong(index + StreamRing.BID_PRICE, bidPrice);
            buffer.putLong(index + StreamRing.BID_QUANTITY, bidQuantity);
            buffer.putLong(index + StreamRing.ASK_PRICE, askPrice);
            buffer.putLong(index + StreamRing.ASK_QUANTITY, askQuantity);
            ring.commit(index);
        }
    }

    /**
     * The trading day's start moved (the day ended, or a day without trades yet took a later date):
     * each watched instrument that has not traded in the day gets its empty daily candle, as a new
     * subscriber's snapshot shows it. Without this a subscriber kept the ended day's candle as
     * current (an outside tester). Once a day or so: allocation here does not matter.
     */
    private void emptyDailyCandles(final ReadModels models, final long dayStart)
    {
        if (entryInterest.isEmpty())
        {
            return;
        }
        for (final MarketView market : models.markets().values())
        {
            final long key = StreamChannels.key(StreamChannels.CANDLES, market.instrumentId());
            if (market.today() != null || !wanted(key))
            {
                continue;
            }
            final int index = claim(key, StreamRing.CANDLE_LENGTH);
            if (index >= 0)
            {
                buffer.setMemory(index + StreamRing.BODY, StreamRing.CANDLE_LENGTH - StreamRing.BODY, (byte)0);
                buffer.putByte(index + StreamRing.CANDLE_INTERVAL, (byte)CandleJson.DAY);
                buffer.putLong(index + StreamRing.CANDLE_START, dayStart);
                ring.commit(index);
            }
        }
    }

    private void candles(final MarketView market)
    {
        final long key = StreamChannels.key(StreamChannels.CANDLES, market.instrumentId());
        if (!wanted(key))
        {
            return;
        }
        for (int interval = 0; interval < 4; interval++)
        {
            final Candle candle = market.candle(interval);
            if (candle == null)
            {
                continue;
            }
            final int index = claim(key, StreamRing.CANDLE_LENGTH);
            if (index >= 0)
            {
                buffer.putByte(index + StreamRing.CANDLE_INTERVAL, (byte)interval);
                buffer.putLong(index + StreamRing.CANDLE_START, candle.start());
                buffer.putLong(index + StreamRing.CANDLE_OPEN, candle.open());
                buffer.putLong(index + StreamRing.CANDLE_HIGH, candle.high());
                buffer.putLong(index + StreamRing.CANDLE_LOW, candle.low());
                buffer.putLong(index + StreamRing.CANDLE_CLOSE, candle.close());
                buffer.putLong(index + StreamRing.CANDLE_VOLUME, candle.volume());
                buffer.putLong(index + StreamRing.CANDLE_NOTIONAL, candle.notional());
                buffer.putLong(index + StreamRing.CANDLE_COUNT, candle.count());
                ring.commit(index);
            }
        }
    }

    /**
     * Writes a channel's snapshot with the channel's current sequence number (projection thread,
     * between entries: every update up to that number is already in the ring, every later one
     * follows it).
     *
     * @return false if the ring is full (the publisher asks again).
     */
    /** The largest snapshot the ring takes (an eighth of it, Agrona's bound, less the message's header). */
    public int maxSnapshotBytes()
    {
        return ring.maxMsgLength() - StreamRing.BODY;
    }

    public boolean writeSnapshot(final long key, final String data)
    {
        final byte[] json = data.getBytes(StandardCharsets.UTF_8);
        if (StreamRing.BODY + json.length > ring.maxMsgLength() || (overflowed && !writeOverflow()))
        {
            return false;
        }
        final int index = ring.tryClaim(StreamRing.SNAPSHOT, StreamRing.BODY + json.length);
        if (index < 0)
        {
            return false;
        }
        buffer.putLong(index + StreamRing.KEY, key);
        buffer.putLong(index + StreamRing.SEQUENCE, sequences.get(key));
        buffer.putLong(index + StreamRing.POSITION, position);
        buffer.putLong(index + StreamRing.TIMESTAMP, timestamp);
        buffer.putBytes(index + StreamRing.BODY, json);
        ring.commit(index);
        final Thread thread = publisher;
        if (thread != null)
        {
            LockSupport.unpark(thread);
        }
        return true;
    }
}
