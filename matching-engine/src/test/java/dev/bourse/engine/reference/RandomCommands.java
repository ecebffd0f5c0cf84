package dev.bourse.engine.reference;

import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.sbe.*;
import org.agrona.MutableDirectBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded stream of engine commands for the differential and replay tests: a setup of many
 * instruments and accounts, then a mix of every order type and time in force, cancels and
 * replaces of live, unknown and foreign orders, duplicate and blank ClOrdIDs, mass cancels,
 * self-trade conflicts, thin accounts (insufficient funds and position), halts and resumes,
 * reference price moves, end of day and bad values of every field; and the trading day: calls
 * that collect crossed books and end in auctions, volatility guards that interrupt trading,
 * stop and stop-limit orders near the last price (so cascades happen), icebergs, GTD orders
 * and their expiry, at-the-open and at-the-close orders. It peeks at a {@link ReferenceExchange}
 * (fed the same commands) to aim cancels and replaces at live orders and orders at phases.
 */
public final class RandomCommands
{
    /** Instruments the setup defines (ids 1..INSTRUMENTS); the engine needs maxInstruments above it. */
    public static final int INSTRUMENTS = 24;
    private static final int BIG = INSTRUMENTS; // wide quantities: notional overflow is reachable
    private static final int ACCOUNTS = 8;
    private static final long UNIT = 10_000L;

    private final Random random;
    private final ReferenceExchange model;
    private final int maxInstruments;
    private final long bookTarget;
    private final CommandWriter writer = new CommandWriter();
    private final List<Object[]> setup = new ArrayList<>();
    private final List<List<String>> recentClOrdIds = new ArrayList<>();
    private final List<Long> accountIds = new ArrayList<>();
    private long clock = 1_700_000_000_000_000_000L;
    private long nextClOrdId = 1;
    private long requestId;
    private int setupIndex;

    /**
     * @param bookTarget resting orders the mix hovers around (cancels grow more likely above it).
     */
    public RandomCommands(final long seed, final ReferenceExchange model, final int maxInstruments, final long bookTarget)
    {
        this.random = new Random(seed);
        this.model = model;
        this.maxInstruments = maxInstruments;
        this.bookTarget = bookTarget;
        planSetup();
    }

    // ------------------------------------------------------------------ setup

    private void planSetup()
    {
        final long[] ticks = {1, 100, 500, UNIT};
        final long[] lots = {1, 10, 100};
        final int[] bands = {200, 500, 1_000, 5_000, 20_000};
        for (int id = 1; id <= INSTRUMENTS; id++)
        {
            final long tick = ticks[random.nextInt(ticks.length)];
            final long lot = id == BIG ? 1 : lots[random.nextInt(lots.length)];
            final long minQty = lot * (1 + random.nextInt(2));
            final long maxQty = id == BIG ? 1_000_000_000_000_000L : lot * (500 + random.nextInt(5_000));
            final long reference = UNIT * (10 + random.nextInt(490));
            final long maxNotional = id == BIG || random.nextBoolean() ? Long.MAX_VALUE : reference * maxQty / 4;
            setup.add(new Object[]{"instrument", id, "S" + id, tick, lot, minQty, maxQty, maxNotional, reference,
                bands[random.nextInt(bands.length)]});
        }
        for (int id = 1; id <= INSTRUMENTS; id++)
        {
            if (id % 3 == 0)
            {
                setup.add(new Object[]{"guards", id, 200 + random.nextInt(800), chance(500) ? 0 : 1_000 + random.nextInt(3_000)});
            }
        }
        for (int a = 1; a <= ACCOUNTS; a++)
        {
            final StpMode stp = a <= 5 ? StpMode.get((short)(a - 1)) : StpMode.get((short)random.nextInt(5));
            setup.add(new Object[]{"account", (long)a, stp});
            accountIds.add((long)a);
            recentClOrdIds.add(new ArrayList<>());
            final boolean thin = a >= 7;
            setup.add(new Object[]{"deposit", (long)a, 0, thin ? UNIT * 20_000 : UNIT * 1_000_000_000L});
            for (int id = 1; id <= INSTRUMENTS; id++)
            {
                setup.add(new Object[]{"deposit", (long)a, id, thin ? 50L : 200_000L});
            }
        }
    }

    /** Encodes the next command into {@code buffer} at 0 and returns its length. */
    public int next(final MutableDirectBuffer buffer)
    {
        int length;
        do
        {
            // -1: an id picked from a live order does not encode (a fuzz test planted unprintable bytes); pick again
            length = generate(buffer);
        }
        while (length < 0);
        return length;
    }

    private int generate(final MutableDirectBuffer buffer)
    {
        clock += 1 + random.nextInt(1_000);
        if (setupIndex < setup.size())
        {
            return setupCommand(buffer, setup.get(setupIndex++));
        }
        final int k = random.nextInt(1_000);
        final long live = model.liveOrders.size();
        final int cancelShare = live > bookTarget ? 400 : 50;
        if (k < 450)
        {
            return newOrder(buffer);
        }
        if (k < 450 + cancelShare)
        {
            return cancel(buffer);
        }
        if (k < 890 - (cancelShare - 50))
        {
            return replace(buffer);
        }
        if (k < 898)
        {
            return massCancel(buffer);
        }
        if (k < 920)
        {
            return orderStatus(buffer);
        }
        if (k < 960)
        {
            return balance(buffer);
        }
        if (k < 962)
        {
            return tradingStatus(buffer);
        }
        if (k < 970)
        {
            return tradingPhase(buffer);
        }
        if (k < 980)
        {
            return chance(850) ? referencePrice(buffer) : amendInstrument(buffer);
        }
        if (k < 982)
        {
            return endOfDay(buffer);
        }
        if (k < 983)
        {
            return chance(900) ? writer.expireOrders(buffer, 0, clock, clock + random.nextInt(200_000)) :
                volatilityGuards(buffer);
        }
        if (k < 988)
        {
            if (random.nextInt(4) == 0)
            {
                // a request the gateway refused itself: the ClOrdID travels into the journal
                return writer.refusedOrderAudit(buffer, 0, clock, random.nextInt(100), anyAccount(),
                    RejectReason.INVALID_SIDE, "user" + random.nextInt(10), random.nextInt(4), "R" + random.nextInt(1000));
            }
            return writer.audit(buffer, 0, clock, random.nextInt(100), anyAccount(),
                AuditType.get((short)(1 + random.nextInt(6))), random.nextInt(), "user" + random.nextInt(10));
        }
        if (k < 994)
        {
            return createAccount(buffer);
        }
        return addInstrument(buffer);
    }

    private int setupCommand(final MutableDirectBuffer buffer, final Object[] c)
    {
        switch ((String)c[0])
        {
            case "instrument":
                return writer.addInstrument(buffer, 0, clock, (Integer)c[1], (String)c[2], (Long)c[3], (Long)c[4],
                    (Long)c[5], (Long)c[6], (Long)c[7], (Long)c[8], (Integer)c[9], TradingStatus.OPEN);
            case "account":
                return writer.createAccount(buffer, 0, clock, (Long)c[1], (StpMode)c[2]);
            case "deposit":
                return writer.deposit(buffer, 0, clock, (Long)c[1], (Integer)c[2], (Long)c[3], ++requestId);
            case "guards":
                return writer.setVolatilityGuards(buffer, 0, clock, (Integer)c[1], (Integer)c[2], (Integer)c[3], 1_000_000_000L);
            default:
                throw new IllegalStateException((String)c[0]);
        }
    }

    // ------------------------------------------------------------------ choices

    private boolean chance(final int perMille)
    {
        return random.nextInt(1_000) < perMille;
    }

    private long anyAccount()
    {
        if (chance(10))
        {
            return chance(500) ? 999 : -random.nextInt(5);
        }
        return accountIds.get(random.nextInt(accountIds.size()));
    }

    private int anyInstrument()
    {
        if (chance(10))
        {
            final int[] bad = {0, -1, INSTRUMENTS + 1, maxInstruments, maxInstruments + 5, Integer.MAX_VALUE, Integer.MIN_VALUE};
            return bad[random.nextInt(bad.length)];
        }
        if (chance(80) && model.instruments.size() > INSTRUMENTS)
        {
            return model.instruments.lastKey();
        }
        return 1 + random.nextInt(INSTRUMENTS);
    }

    private int session(final long account)
    {
        return (int)(account * 10 + random.nextInt(2));
    }

    private List<String> recent(final long account)
    {
        final int index = accountIds.indexOf(account);
        return index < 0 ? null : recentClOrdIds.get(index);
    }

    /** A fresh ClOrdID mostly; sometimes one the account used before, blank, or the longest allowed. */
    private String clOrdId(final long account)
    {
        final List<String> recent = recent(account);
        if (recent != null && !recent.isEmpty() && chance(25))
        {
            return recent.get(random.nextInt(recent.size()));
        }
        if (chance(5))
        {
            return "";
        }
        final String id = chance(10) ? "X" + String.format("%019d", nextClOrdId++) : "C" + nextClOrdId++;
        if (recent != null)
        {
            if (recent.size() >= 64)
            {
                recent.set(random.nextInt(recent.size()), id);
            }
            else
            {
                recent.add(id);
            }
        }
        return id;
    }

    private ReferenceExchange.Order anyLiveOrder()
    {
        if (model.liveOrders.isEmpty())
        {
            return null;
        }
        final long first = model.liveOrders.firstKey();
        final long last = model.liveOrders.lastKey();
        final long pick = first + (long)(random.nextDouble() * (last - first + 1));
        final Map.Entry<Long, ReferenceExchange.Order> e = model.liveOrders.ceilingEntry(pick);
        return e == null ? model.liveOrders.lastEntry().getValue() : e.getValue();
    }

    private ReferenceExchange.Instrument instrumentView(final int id)
    {
        return model.instruments.get(id);
    }

    /** A price near the reference, sometimes at or past the band edges, off tick, zero or negative. */
    private long price(final int instrumentId)
    {
        return price(instrumentId, 0);
    }

    /** @param side 1 buy, 2 sell: mostly on its own side of the reference, so a book builds up; 0 either. */
    private long price(final int instrumentId, final int side)
    {
        final ReferenceExchange.Instrument inst = instrumentView(instrumentId);
        if (inst == null)
        {
            return UNIT * (1 + random.nextInt(1_000));
        }
        final int k = random.nextInt(1_000);
        if (k < 930)
        {
            final int ticks = side == 1 ? 3 - random.nextInt(16) : side == 2 ? random.nextInt(16) - 3 : random.nextInt(21) - 10;
            final long p = inst.reference + inst.tick * ticks;
            return Math.max(inst.bandLow, Math.min(inst.bandHigh, p));
        }
        if (k < 945)
        {
            return inst.bandHigh + (chance(500) ? 0 : inst.tick);
        }
        if (k < 960)
        {
            return inst.bandLow - (chance(500) ? 0 : inst.tick);
        }
        if (k < 975)
        {
            return inst.reference + (inst.tick > 1 ? 1 + random.nextInt((int)Math.min(inst.tick - 1, 1_000)) : inst.tick);
        }
        final long[] bad = {0, -inst.tick, Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE - Long.MAX_VALUE % inst.tick};
        return bad[random.nextInt(bad.length)];
    }

    /** A quantity in lots mostly; sometimes off lot, out of range, zero, negative or overflow sized. */
    private long quantity(final int instrumentId)
    {
        final ReferenceExchange.Instrument inst = instrumentView(instrumentId);
        if (inst == null)
        {
            return 1 + random.nextInt(100);
        }
        final int k = random.nextInt(1_000);
        if (k < 930)
        {
            final long lots = random.nextInt(8) == 0 ? 1 + random.nextInt(200) : 1 + random.nextInt(20);
            return Math.max(inst.minQty, inst.lot * lots);
        }
        if (k < 945 && inst.lot > 1)
        {
            return inst.lot * (1 + random.nextInt(10)) + 1;
        }
        if (k < 960)
        {
            return inst.maxQty + inst.lot;
        }
        if (k < 975 && inst.id == BIG)
        {
            return 1_000_000_000_000L * (1 + random.nextInt(1_000));
        }
        final long[] bad = {0, -inst.lot, inst.minQty - 1, Long.MAX_VALUE, Long.MIN_VALUE, inst.maxQty};
        return bad[random.nextInt(bad.length)];
    }

    /** Near the last trade price on the far side, so it is reached soon; now and then already reached, off tick or 0. */
    private long stopPrice(final int instrumentId, final Side side)
    {
        final ReferenceExchange.Instrument inst = instrumentView(instrumentId);
        if (inst == null)
        {
            return UNIT;
        }
        final long last = inst.lastTrade > 0 ? inst.lastTrade : inst.reference;
        final int k = random.nextInt(1_000);
        if (k < 900)
        {
            final int ticks = random.nextInt(6) - (chance(150) ? 2 : 0);
            final long p = side == Side.BUY ? last + inst.tick * ticks : last - inst.tick * ticks;
            return Math.max(inst.bandLow, Math.min(inst.bandHigh, p));
        }
        if (k < 950)
        {
            return inst.bandHigh + inst.tick;
        }
        if (k < 975 && inst.tick > 1)
        {
            return last + 1;
        }
        return chance(500) ? 0 : -inst.tick;
    }

    // ------------------------------------------------------------------ orders

    private int newOrder(final MutableDirectBuffer buffer)
    {
        final ReferenceExchange.Order first = chance(15) ? anyLiveOrder() : null;
        if (first != null)
        {
            // a FIX resend of an order whose first copy arrived: answered with that order's status
            final int length = writer.newOrder(buffer, 0, clock, session(first.accountId), first.accountId, first.instrumentId,
                first.side == 1 ? Side.BUY : Side.SELL, OrdType.LIMIT, TimeInForce.GTC, false, StpMode.ACCOUNT_DEFAULT,
                Math.max(1, first.price), first.quantity, asciiOf(first.clOrdId));
            CommandWriter.markPossResend(buffer, 0);
            return length;
        }
        long account = anyAccount();
        int instrument = anyInstrument();
        // Lean on the live book so orders meet each other (and their own account's resting orders).
        final ReferenceExchange.Order near = chance(300) ? anyLiveOrder() : null;
        if (near != null)
        {
            instrument = near.instrumentId;
            if (chance(300))
            {
                account = near.accountId;
            }
        }
        final Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
        final int o = random.nextInt(1_000);
        final OrdType type = o < 130 ? OrdType.MARKET : o < 860 ? OrdType.LIMIT : o < 930 ? OrdType.STOP : OrdType.STOP_LIMIT;
        final TimeInForce[] tifs = {TimeInForce.DAY, TimeInForce.GTC, TimeInForce.IOC, TimeInForce.FOK};
        final int t = random.nextInt(100);
        TimeInForce tif = t < 33 ? TimeInForce.DAY : t < 70 ? TimeInForce.GTC : t < 77 ? TimeInForce.GTD : tifs[2 + random.nextInt(2)];
        final ReferenceExchange.Instrument view = instrumentView(instrument);
        if (view != null && type == OrdType.LIMIT && chance(view.phase == ReferenceExchange.OPENING_CALL ||
            view.phase == ReferenceExchange.CLOSING_CALL ? 400 : 15))
        {
            tif = chance(view.phase == ReferenceExchange.CLOSING_CALL ? 800 : 200) ? TimeInForce.AT_THE_CLOSE : TimeInForce.AT_THE_OPEN;
        }
        final boolean postOnly = chance(type == OrdType.LIMIT && tif.value() <= 1 ? 100 : 10);
        final StpMode stp = chance(600) ? StpMode.ACCOUNT_DEFAULT : StpMode.get((short)(1 + random.nextInt(4)));
        final long price = type == OrdType.MARKET || type == OrdType.STOP ? (chance(950) ? 0 : price(instrument)) :
            near != null && chance(500) ? near.price : price(instrument, side.value());
        final long quantity = quantity(instrument);
        final long stopPrice = type == OrdType.STOP || type == OrdType.STOP_LIMIT ? stopPrice(instrument, side) :
            chance(5) ? price(instrument) : 0;
        long displayQty = 0;
        if (view != null && type == OrdType.LIMIT && chance(120))
        {
            // mostly a valid peak (a few lots, at most the quantity); now and then a negative, off-lot or too big one
            final int lots = (int)Math.max(1, Math.min(5, quantity / view.lot));
            displayQty = chance(900) ? view.lot * (1 + random.nextInt(lots)) : chance(500) ? -view.lot :
                chance(500) ? view.lot + 1 : quantity + view.lot;
        }
        long expireTime = 0;
        if (tif == TimeInForce.GTD)
        {
            expireTime = chance(950) ? clock + 1 + random.nextInt(400_000) : clock - random.nextInt(2);
        }
        else if (chance(3))
        {
            expireTime = clock + 1_000;
        }
        final int length = writer.newOrder(buffer, 0, clock, session(account), account, instrument, side, type, tif,
            postOnly, stp, price, quantity, clOrdId(account), stopPrice, displayQty, expireTime);
        if (chance(100))
        {
            CommandWriter.markPossResend(buffer, 0); // a FIX resend: a duplicate of a live order is answered with its status
        }
        if (chance(8))
        {
            // raw values outside the enumerations
            final int field = random.nextInt(4);
            final int offset = MessageHeaderEncoder.ENCODED_LENGTH + (field == 0 ? NewOrderEncoder.sideEncodingOffset() :
                field == 1 ? NewOrderEncoder.ordTypeEncodingOffset() :
                field == 2 ? NewOrderEncoder.timeInForceEncodingOffset() : NewOrderEncoder.stpModeEncodingOffset());
            final int[] bad = {0, 2, 3, 5, 8, 9, 200, 254, 255};
            buffer.putByte(offset, (byte)bad[random.nextInt(bad.length)]);
        }
        return length;
    }

    private long ownerOrOther(final ReferenceExchange.Order o)
    {
        return o != null && chance(900) ? o.accountId : anyAccount();
    }

    private int cancel(final MutableDirectBuffer buffer)
    {
        if (chance(40))
        {
            // the ClOrdID of an order the account had: mostly no longer live by now (too late to cancel)
            final Long account = pick(new ArrayList<>(model.carriedClOrdIds.keySet()));
            if (account != null)
            {
                final String carried = pick(new ArrayList<>(model.carriedClOrdIds.get(account).keySet()));
                return writer.cancelOrder(buffer, 0, clock, session(account), account, 0, clOrdId(account), asciiOf(carried));
            }
        }
        final ReferenceExchange.Order o = chance(920) ? anyLiveOrder() : null;
        final long account = ownerOrOther(o);
        final long orderId;
        final String orig;
        if (o == null)
        {
            orderId = chance(500) ? 0 : model.lastOrderId() + 1 + random.nextInt(5);
            orig = orderId == 0 ? "C" + random.nextInt((int)Math.max(1, nextClOrdId)) : "";
        }
        else if (random.nextBoolean())
        {
            orderId = chance(50) ? random.nextInt((int)Math.max(1, model.lastOrderId())) + 1 : o.orderId;
            orig = origBesideId(o);
        }
        else
        {
            orderId = 0;
            orig = o.clOrdId.trim();
        }
        return writer.cancelOrder(buffer, 0, clock, session(account), account, orderId, clOrdId(account), asciiOf(orig),
            namedInstrument(o), namedSide(o));
    }

    private <T> T pick(final List<T> from)
    {
        return from.isEmpty() ? null : from.get(random.nextInt(from.size()));
    }

    /** The instrument a cancel or replace names, as FIX clients do: mostly none or the order's, now and then another. */
    private int namedInstrument(final ReferenceExchange.Order o)
    {
        final int draw = random.nextInt(1_000);
        if (o == null || draw < 500)
        {
            return 0;
        }
        return draw < 980 ? o.instrumentId : anyInstrument();
    }

    /** The side a cancel or replace names: mostly none or the order's, now and then the other one. */
    private int namedSide(final ReferenceExchange.Order o)
    {
        final int draw = random.nextInt(1_000);
        if (o == null || draw < 500)
        {
            return 0;
        }
        return draw < 980 ? o.side : 3 - o.side;
    }

    private static String asciiOf(final String raw)
    {
        final int nul = raw.indexOf('\0');
        return nul < 0 ? raw : raw.substring(0, nul);
    }

    private int replace(final MutableDirectBuffer buffer)
    {
        final ReferenceExchange.Order o = chance(950) ? anyLiveOrder() : null;
        final long account = ownerOrOther(o);
        if (o == null)
        {
            final int instrument = anyInstrument();
            return writer.replaceOrder(buffer, 0, clock, session(account), account, model.lastOrderId() + 1, price(instrument),
                quantity(instrument), clOrdId(account), "");
        }
        final ReferenceExchange.Instrument inst = instrumentView(o.instrumentId);
        final int p = random.nextInt(100);
        final long price = p < 45 ? o.price : p < 92 ? Math.max(inst.bandLow, Math.min(inst.bandHigh,
            o.price + inst.tick * (random.nextInt(11) - 5))) : price(o.instrumentId);
        final int q = random.nextInt(100);
        final long quantity;
        if (q < 30)
        {
            quantity = o.quantity;
        }
        else if (q < 60)
        {
            quantity = Math.max(o.cumQty + inst.lot, o.quantity - inst.lot * (1 + random.nextInt(3)));
        }
        else if (q < 85)
        {
            quantity = o.quantity + inst.lot * (1 + random.nextInt(5));
        }
        else if (q < 92)
        {
            quantity = o.cumQty - inst.lot * random.nextInt(2);
        }
        else
        {
            quantity = quantity(o.instrumentId);
        }
        final boolean byId = random.nextBoolean();
        final boolean heldStop = o.held();
        final long stop = heldStop && chance(400) ? stopPrice(o.instrumentId, o.side == 1 ? Side.BUY : Side.SELL) :
            chance(10) ? price(o.instrumentId) : 0;
        final long newPrice = o.ordType == ReferenceExchange.STOP && chance(950) ? 0 : price;
        return writer.replaceOrder(buffer, 0, clock, session(account), account, byId ? o.orderId : 0, newPrice, quantity,
            clOrdId(account), byId ? asciiOf(origBesideId(o)) : asciiOf(o.clOrdId), stop, namedInstrument(o), namedSide(o), namedType(o),
            namedTimeInForce(o), named(o.maxFloor, o.maxFloor + 1), named(o.expireTime, o.expireTime + 1_000_000_000L),
            namedPostOnly(o));
    }

    /** A kept setting a replace names: mostly none or the order's own, sometimes another. */
    private long named(final long own, final long other)
    {
        final int draw = random.nextInt(1_000);
        return draw < 700 ? CommandWriter.NOT_NAMED : draw < 990 ? own : other;
    }

    private BooleanType namedPostOnly(final ReferenceExchange.Order o)
    {
        final int draw = random.nextInt(1_000);
        return draw < 700 ? BooleanType.NULL_VAL : (draw < 990) == o.postOnly() ? BooleanType.TRUE : BooleanType.FALSE;
    }

    /** Mostly none or the order's own time in force, sometimes another. */
    private TimeInForce namedTimeInForce(final ReferenceExchange.Order o)
    {
        final int draw = random.nextInt(1_000);
        if (draw < 500)
        {
            return TimeInForce.NULL_VAL;
        }
        if (draw < 980)
        {
            return TimeInForce.get((short)o.tif);
        }
        final TimeInForce[] values = {TimeInForce.DAY, TimeInForce.GTC, TimeInForce.GTD};
        return values[random.nextInt(values.length)];
    }

    /**
     * Beside an OrderID, now and then the OrigClOrdID too, as FIX clients send both: mostly the
     * order's own, sometimes another live order's (a mismatch).
     */
    private String origBesideId(final ReferenceExchange.Order o)
    {
        if (!chance(150))
        {
            return "";
        }
        final ReferenceExchange.Order other = chance(300) ? anyLiveOrder() : null;
        return (other != null ? other : o).clOrdId.trim();
    }

    /** Mostly none or the order's own type (as sent: an elected stop limit's is STOP_LIMIT), sometimes another. */
    private int namedType(final ReferenceExchange.Order o)
    {
        final int draw = random.nextInt(1_000);
        if (draw < 500)
        {
            return 0;
        }
        if (draw < 980)
        {
            return o.ordType == ReferenceExchange.LIMIT && o.stopPrice != 0 && random.nextBoolean() ? ReferenceExchange.STOP_LIMIT : o.ordType;
        }
        return 1 + random.nextInt(4);
    }

    private int massCancel(final MutableDirectBuffer buffer)
    {
        final long account = anyAccount();
        final int instrument = chance(500) ? 0 : anyInstrument();
        final int s = random.nextInt(100);
        final Side side = s < 50 ? null : s < 75 ? Side.BUY : Side.SELL;
        final boolean disconnect = chance(200);
        // a third are slices (a few negative: malformed), and some slices carry no ClOrdID (a follow-up slice)
        final int limit = chance(330) ? (chance(30) ? -1 - random.nextInt(3) : 1 + random.nextInt(4)) : 0;
        final boolean blank = disconnect ? chance(700) : limit != 0 && chance(500);
        final int length = writer.massCancel(buffer, 0, clock, session(account), account, instrument, side, chance(300),
            disconnect ? CancelReason.CANCEL_ON_DISCONNECT : CancelReason.MASS_CANCEL, blank ? "" : clOrdId(account), limit);
        if (chance(30))
        {
            buffer.putByte(MessageHeaderEncoder.ENCODED_LENGTH + MassCancelEncoder.sideEncodingOffset(), (byte)(3 + random.nextInt(250)));
        }
        if (chance(30))
        {
            final int[] bad = {0, 1, 2, 3, 6, 7, 255};
            buffer.putByte(MessageHeaderEncoder.ENCODED_LENGTH + MassCancelEncoder.reasonEncodingOffset(), (byte)bad[random.nextInt(bad.length)]);
        }
        return length;
    }

    private int orderStatus(final MutableDirectBuffer buffer)
    {
        final ReferenceExchange.Order o = chance(800) ? anyLiveOrder() : null;
        final long account = ownerOrOther(o);
        if (o == null)
        {
            // an unknown order's answer echoes the instrument and side the request named
            return writer.orderStatus(buffer, 0, clock, session(account), account, chance(500) ? 0 : model.lastOrderId() + 3,
                "C" + random.nextInt((int)Math.max(1, nextClOrdId)), chance(300) ? 0 : anyInstrument(), random.nextInt(3));
        }
        return random.nextBoolean() ?
            writer.orderStatus(buffer, 0, clock, session(account), account, o.orderId, "", namedInstrument(o), namedSide(o)) :
            writer.orderStatus(buffer, 0, clock, session(account), account, 0, asciiOf(o.clOrdId), namedInstrument(o), namedSide(o));
    }

    // ------------------------------------------------------------------ operator commands

    private int balance(final MutableDirectBuffer buffer)
    {
        final long account = anyAccount();
        final int instrument = chance(500) ? 0 : anyInstrument();
        final int k = random.nextInt(100);
        final long amount;
        if (k < 85)
        {
            amount = instrument == 0 ? UNIT * (1 + random.nextInt(200_000)) : 1 + random.nextInt(2_000);
        }
        else if (k < 92)
        {
            amount = ReferenceExchange.MAX_BALANCE - random.nextInt(3);
        }
        else
        {
            final long[] bad = {0, -1, Long.MIN_VALUE, Long.MAX_VALUE};
            amount = bad[random.nextInt(bad.length)];
        }
        return random.nextInt(100) < 60 ?
            writer.deposit(buffer, 0, clock, account, instrument, amount, ++requestId) :
            writer.withdraw(buffer, 0, clock, account, instrument, amount, ++requestId);
    }

    private int tradingStatus(final MutableDirectBuffer buffer)
    {
        int instrument = anyInstrument();
        for (final ReferenceExchange.Instrument i : model.instruments.values())
        {
            if (i.status != 1 && chance(600))
            {
                instrument = i.id; // resume what was halted, so halts stay short
                break;
            }
        }
        final ReferenceExchange.Instrument inst = instrumentView(instrument);
        final TradingStatus status;
        if (inst != null && inst.status != 1 && chance(900))
        {
            status = TradingStatus.OPEN;
        }
        else
        {
            status = random.nextBoolean() ? TradingStatus.HALTED : chance(500) ? TradingStatus.CLOSED : TradingStatus.OPEN;
        }
        final int length = writer.setTradingStatus(buffer, 0, clock, instrument, status);
        if (chance(50))
        {
            buffer.putByte(MessageHeaderEncoder.ENCODED_LENGTH + SetTradingStatusEncoder.statusEncodingOffset(),
                (byte)(chance(500) ? 0 : 4 + random.nextInt(250)));
        }
        return length;
    }

    /**
     * Moves an instrument through the day: a continuous one into a call (mostly the closing
     * call), a halt or the post-close; a call to continuous trading (its auction) or the
     * post-close; a closed or halted one into its call or straight to continuous trading.
     * Instruments outside continuous trading are picked first, so calls stay short. Now and then
     * a wrong expected phase, the engine's own VOLATILITY_CALL, or a value that is no phase.
     */
    private int tradingPhase(final MutableDirectBuffer buffer)
    {
        int instrument = anyInstrument();
        for (final ReferenceExchange.Instrument i : model.instruments.values())
        {
            if (i.phase != ReferenceExchange.CONTINUOUS && chance(500))
            {
                instrument = i.id;
                break;
            }
        }
        final ReferenceExchange.Instrument inst = instrumentView(instrument);
        final int current = inst == null ? ReferenceExchange.CONTINUOUS : inst.phase;
        final int next;
        final int k = random.nextInt(100);
        if (current == ReferenceExchange.CONTINUOUS)
        {
            next = k < 45 ? ReferenceExchange.CLOSING_CALL : k < 65 ? ReferenceExchange.OPENING_CALL :
                k < 80 ? ReferenceExchange.HALTED : ReferenceExchange.POST_CLOSE;
        }
        else if (ReferenceExchange.isCall(current))
        {
            next = k < 75 ? ReferenceExchange.CONTINUOUS : k < 90 ? ReferenceExchange.POST_CLOSE : ReferenceExchange.HALTED;
        }
        else if (current == ReferenceExchange.HALTED)
        {
            next = k < 70 ? ReferenceExchange.REOPENING_CALL : ReferenceExchange.CONTINUOUS;
        }
        else
        {
            next = k < 70 ? ReferenceExchange.OPENING_CALL : k < 85 ? ReferenceExchange.CONTINUOUS : ReferenceExchange.CLOSED;
        }
        final TradingPhase expected = chance(100) ? TradingPhase.get((short)(1 + random.nextInt(8))) :
            chance(500) ? TradingPhase.get((short)current) : null;
        final int length = writer.setTradingPhase(buffer, 0, clock, instrument, TradingPhase.get((short)next), expected,
            random.nextInt(1_000_000));
        if (chance(40))
        {
            buffer.putByte(MessageHeaderEncoder.ENCODED_LENGTH + SetTradingPhaseEncoder.phaseEncodingOffset(),
                (byte)(chance(300) ? ReferenceExchange.VOLATILITY_CALL : chance(500) ? 0 : 9 + random.nextInt(200)));
        }
        return length;
    }

    private int volatilityGuards(final MutableDirectBuffer buffer)
    {
        final int instrument = anyInstrument();
        final int dynamic = chance(900) ? random.nextInt(1_500) : chance(500) ? -1 : 100_001;
        final int fixed = chance(900) ? random.nextInt(5_000) : -5;
        return writer.setVolatilityGuards(buffer, 0, clock, instrument, dynamic, fixed, chance(950) ? 1_000_000L : -1);
    }

    private int referencePrice(final MutableDirectBuffer buffer)
    {
        final int instrument = anyInstrument();
        final ReferenceExchange.Instrument inst = instrumentView(instrument);
        long price = inst == null ? UNIT : inst.reference + inst.tick * (random.nextInt(41) - 20);
        if (chance(100))
        {
            final long[] bad = {0, -UNIT, Long.MAX_VALUE, inst == null ? 7 : inst.reference + 1};
            price = bad[random.nextInt(bad.length)];
        }
        return writer.setReferencePrice(buffer, 0, clock, instrument, price);
    }

    /** Mostly mild amendments (limits, band, a tick the reference price stays on), sometimes bad values. */
    private int amendInstrument(final MutableDirectBuffer buffer)
    {
        final int instrument = anyInstrument();
        final ReferenceExchange.Instrument inst = instrumentView(instrument);
        final long tickNow = inst == null ? 100 : inst.tick;
        final long tick = chance(700) ? 0 : chance(500) ? tickNow : chance(500) ? tickNow * 2 : chance(500) ? -1 : 3;
        final long lot = chance(800) ? 0 : chance(900) ? 1 : -1;
        final long minQty = chance(800) ? 0 : chance(900) ? 1 + random.nextInt(3) : -1;
        final long maxQty = chance(600) ? 0 : chance(900) ? 50 + random.nextInt(2_000) : chance(500) ? -2 : 1;
        final long maxNotional = chance(800) ? 0 : chance(900) ? UNIT * (1_000 + random.nextInt(1_000_000)) : -1;
        final int band = chance(600) ? 0 : chance(900) ? 100 + random.nextInt(5_000) : chance(500) ? 100_001 : -1;
        final long reference = chance(900) ? 0 : inst == null ? UNIT : inst.reference + tickNow * (random.nextInt(11) - 5);
        return writer.amendInstrument(buffer, 0, clock, instrument, tick, lot, minQty, maxQty, maxNotional, reference, band);
    }

    private int endOfDay(final MutableDirectBuffer buffer)
    {
        // half of them guarded, since a time that is sometimes before and sometimes after the last day end
        final long unlessEndedSince = chance(500) ? 0 : Math.max(1, clock - random.nextInt(200_000));
        return writer.endOfDay(buffer, 0, clock, chance(100) ? 0 : anyInstrument(), unlessEndedSince);
    }

    private int createAccount(final MutableDirectBuffer buffer)
    {
        final int k = random.nextInt(100);
        long id = anyAccount();
        if (k < 15 && accountIds.size() < 12)
        {
            id = 100 + accountIds.size();
        }
        else if (k < 30)
        {
            // as many draws as ever (the seeds' streams stay the same): a third of the negatives become ids beyond 56 bits
            id = chance(500) ? 0 : k < 20 ? (1L << 56) + k : Long.MIN_VALUE;
        }
        final int length = writer.createAccount(buffer, 0, clock, id, StpMode.get((short)random.nextInt(5)));
        if (chance(100))
        {
            buffer.putByte(MessageHeaderEncoder.ENCODED_LENGTH + CreateAccountEncoder.stpModeEncodingOffset(), (byte)(5 + random.nextInt(250)));
        }
        else if (id >= 100 && id < 1L << 56 && !accountIds.contains(id))
        {
            accountIds.add(id);
            recentClOrdIds.add(new ArrayList<>());
        }
        return length;
    }

    private int addInstrument(final MutableDirectBuffer buffer)
    {
        int id = 1 + random.nextInt(maxInstruments + 2) - 1;
        String symbol = "N" + id;
        long tick = 100;
        long lot = 1;
        long minQty = 1;
        long maxQty = 10_000;
        long maxNotional = Long.MAX_VALUE;
        long reference = UNIT * (1 + random.nextInt(500));
        int band = 1_000;
        switch (random.nextInt(14))
        {
            case 0: tick = chance(500) ? 0 : -100; break;
            case 1: lot = 0; break;
            case 2: minQty = -1; break;
            case 3: maxQty = 0; break;
            case 4: maxNotional = 0; break;
            case 5: reference = chance(500) ? 0 : reference + 1; break;
            case 6: band = chance(500) ? 0 : 100_001; break;
            case 7: reference = Long.MAX_VALUE / 2 - (Long.MAX_VALUE / 2) % tick; band = 100_000; break;
            case 8: symbol = ""; break;
            case 9: symbol = "S" + (1 + random.nextInt(INSTRUMENTS)); break;
            case 10: id = random.nextBoolean() ? 0 : -5; break;
            default: break; // may be valid: a new instrument the mix then trades
        }
        if (id == BIG || id <= INSTRUMENTS && id > 0 && chance(500))
        {
            id = 1 + random.nextInt(INSTRUMENTS); // exists
        }
        return writer.addInstrument(buffer, 0, clock, id, symbol, tick, lot, minQty, maxQty, maxNotional, reference, band,
            TradingStatus.OPEN);
    }
}
