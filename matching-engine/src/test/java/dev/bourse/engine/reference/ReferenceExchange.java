package dev.bourse.engine.reference;

import dev.bourse.protocol.sbe.*;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A deliberately simple second implementation of docs/ENGINE-RULES.md, written from the spec
 * and not from the engine: TreeMaps of price levels holding ArrayLists of orders, HashMaps of
 * accounts, plain long arithmetic with {@link Math#multiplyExact}. Clarity over speed; it
 * allocates freely. It takes the same command bytes as the engine and answers with the journal
 * entry the spec says the engine must write, so the two can be compared byte for byte.
 */
public final class ReferenceExchange
{
    /** Balance ceiling for deposits (2^61 - 1), from the spec. */
    public static final long MAX_BALANCE = (1L << 61) - 1;

    private static final int SCHEMA_ID = MessageHeaderDecoder.SCHEMA_ID;
    private static final int HEADER = MessageHeaderDecoder.ENCODED_LENGTH;
    private static final String BLANK_ID = new String(new byte[20], StandardCharsets.ISO_8859_1);

    private final int maxInstruments;
    private final long maxLiveOrders;
    private final ReferenceEntryWriter out = new ReferenceEntryWriter();

    final TreeMap<Integer, Instrument> instruments = new TreeMap<>();
    final HashMap<Long, Account> accounts = new HashMap<>();
    /** Live (resting) orders by OrderID: ascending iteration is what mass cancel and end of day need. */
    final TreeMap<Long, Order> liveOrders = new TreeMap<>();
    /** ClOrdIDs used today per account. */
    final HashMap<Long, Set<String>> usedClOrdIds = new HashMap<>();

    private long sequence;
    private long lastOrderId;
    private long lastTradeId;

    public ReferenceExchange(final int maxInstruments, final long maxLiveOrders)
    {
        this.maxInstruments = maxInstruments;
        this.maxLiveOrders = maxLiveOrders;
    }

    // ------------------------------------------------------------------ model

    static final class Instrument
    {
        final int id;
        final long tick;
        final long lot;
        final long minQty;
        final long maxQty;
        final long maxNotional;
        final int bandBps;
        final String symbol;
        long reference;
        int status;
        long bandLow;
        long bandHigh;
        /** Best first: bids descending, asks ascending. */
        final TreeMap<Long, ArrayList<Order>> bids = new TreeMap<>(Collections.reverseOrder());
        final TreeMap<Long, ArrayList<Order>> asks = new TreeMap<>();

        Instrument(final int id, final long tick, final long lot, final long minQty, final long maxQty,
            final long maxNotional, final long reference, final int bandBps, final int status, final String symbol)
        {
            this.id = id;
            this.tick = tick;
            this.lot = lot;
            this.minQty = minQty;
            this.maxQty = maxQty;
            this.maxNotional = maxNotional;
            this.bandBps = bandBps;
            this.status = status;
            this.symbol = symbol;
            setReference(reference);
        }

        void setReference(final long price)
        {
            final long[] band = band(price, bandBps, tick);
            reference = price;
            bandLow = band[0];
            bandHigh = band[1];
        }

        TreeMap<Long, ArrayList<Order>> side(final int side)
        {
            return side == 1 ? bids : asks;
        }

        TreeMap<Long, ArrayList<Order>> opposite(final int side)
        {
            return side == 1 ? asks : bids;
        }
    }

    static final class Account
    {
        final long id;
        final int stp;
        long cash;
        long cashHeld;
        /** instrument -> {quantity, held} */
        final HashMap<Integer, long[]> positions = new HashMap<>();

        Account(final long id, final int stp)
        {
            this.id = id;
            this.stp = stp;
        }

        long[] position(final int instrument)
        {
            return positions.computeIfAbsent(instrument, k -> new long[2]);
        }

        long availablePosition(final int instrument)
        {
            final long[] p = positions.get(instrument);
            return p == null ? 0 : p[0] - p[1];
        }
    }

    static final class Order
    {
        long orderId;
        long accountId;
        int instrumentId;
        int sessionId;
        int side;
        int ordType;
        int tif;
        int flags;
        int stp;
        long price;
        long quantity;
        long leaves;
        long cumQty;
        long cumNotional;
        long holdPrice;
        String clOrdId;

        boolean postOnly()
        {
            return (flags & 1) != 0;
        }
    }

    /** The band for a reference price, or null if it cannot be computed without overflow. */
    static long[] band(final long reference, final int bps, final long tick)
    {
        try
        {
            final long width = Math.multiplyExact(reference, (long)bps) / 10_000;
            final long high = Math.floorDiv(Math.addExact(reference, width), tick) * tick;
            long low = -Math.floorDiv(-(reference - width), tick) * tick;
            if (low < tick)
            {
                low = tick;
            }
            return new long[]{low, high};
        }
        catch (final ArithmeticException e)
        {
            return null;
        }
    }

    // ------------------------------------------------------------------ read-only views for the generator

    public long lastOrderId()
    {
        return lastOrderId;
    }

    // ------------------------------------------------------------------ commands

    /** Processes one command and returns the journal entry (null for a zero-length command). */
    public byte[] onCommand(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length <= 0)
        {
            return null;
        }
        if (length < HEADER)
        {
            return malformed(0, RejectReason.MALFORMED_COMMAND);
        }
        final int blockLength = buffer.getShort(offset, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final int templateId = buffer.getShort(offset + 2, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final int schemaId = buffer.getShort(offset + 4, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final int version = buffer.getShort(offset + 6, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        // the spec's order: our schema with its declared block all there, then a known command, then long enough
        if (schemaId != SCHEMA_ID || HEADER + blockLength > length)
        {
            return malformed(templateId, RejectReason.MALFORMED_COMMAND);
        }
        final int minimum = minimumBlockLength(templateId);
        if (minimum < 0)
        {
            return malformed(templateId, RejectReason.UNSUPPORTED_COMMAND);
        }
        if (blockLength < minimum)
        {
            return malformed(templateId, RejectReason.MALFORMED_COMMAND);
        }
        final int body = offset + HEADER;
        switch (templateId)
        {
            case NewOrderDecoder.TEMPLATE_ID:
                return newOrder(new NewOrderDecoder().wrap(buffer, body, blockLength, version));
            case CancelOrderDecoder.TEMPLATE_ID:
                return cancel(new CancelOrderDecoder().wrap(buffer, body, blockLength, version));
            case ReplaceOrderDecoder.TEMPLATE_ID:
                return replace(new ReplaceOrderDecoder().wrap(buffer, body, blockLength, version));
            case MassCancelDecoder.TEMPLATE_ID:
                return massCancel(new MassCancelDecoder().wrap(buffer, body, blockLength, version));
            case OrderStatusRequestDecoder.TEMPLATE_ID:
                return orderStatus(new OrderStatusRequestDecoder().wrap(buffer, body, blockLength, version));
            case AddInstrumentDecoder.TEMPLATE_ID:
                return addInstrument(new AddInstrumentDecoder().wrap(buffer, body, blockLength, version));
            case SetTradingStatusDecoder.TEMPLATE_ID:
                return setTradingStatus(new SetTradingStatusDecoder().wrap(buffer, body, blockLength, version));
            case SetReferencePriceDecoder.TEMPLATE_ID:
                return setReferencePrice(new SetReferencePriceDecoder().wrap(buffer, body, blockLength, version));
            case CreateAccountDecoder.TEMPLATE_ID:
                return createAccount(new CreateAccountDecoder().wrap(buffer, body, blockLength, version));
            case DepositDecoder.TEMPLATE_ID:
            {
                final DepositDecoder d = new DepositDecoder().wrap(buffer, body, blockLength, version);
                return balance(true, d.timestamp(), d.sessionId(), d.msgSeqNum(), d.accountId(), d.instrumentId(), d.amount(), d.requestId());
            }
            case WithdrawDecoder.TEMPLATE_ID:
            {
                final WithdrawDecoder d = new WithdrawDecoder().wrap(buffer, body, blockLength, version);
                return balance(false, d.timestamp(), d.sessionId(), d.msgSeqNum(), d.accountId(), d.instrumentId(), d.amount(), d.requestId());
            }
            case EndOfDayDecoder.TEMPLATE_ID:
                return endOfDay(new EndOfDayDecoder().wrap(buffer, body, blockLength, version));
            case AuditDecoder.TEMPLATE_ID:
                return audit(new AuditDecoder().wrap(buffer, body, blockLength, version));
            default:
                throw new IllegalStateException("unreachable: " + templateId);
        }
    }

    /** Block length each command needs; -1 for a template id that is not a command. */
    static int minimumBlockLength(final int templateId)
    {
        switch (templateId)
        {
            case NewOrderDecoder.TEMPLATE_ID: return NewOrderDecoder.BLOCK_LENGTH;
            case CancelOrderDecoder.TEMPLATE_ID: return CancelOrderDecoder.BLOCK_LENGTH;
            case ReplaceOrderDecoder.TEMPLATE_ID: return ReplaceOrderDecoder.BLOCK_LENGTH;
            case MassCancelDecoder.TEMPLATE_ID: return MassCancelDecoder.BLOCK_LENGTH;
            case OrderStatusRequestDecoder.TEMPLATE_ID: return OrderStatusRequestDecoder.BLOCK_LENGTH;
            case AddInstrumentDecoder.TEMPLATE_ID: return AddInstrumentDecoder.BLOCK_LENGTH;
            case SetTradingStatusDecoder.TEMPLATE_ID: return SetTradingStatusDecoder.BLOCK_LENGTH;
            case SetReferencePriceDecoder.TEMPLATE_ID: return SetReferencePriceDecoder.BLOCK_LENGTH;
            case CreateAccountDecoder.TEMPLATE_ID: return CreateAccountDecoder.BLOCK_LENGTH;
            case DepositDecoder.TEMPLATE_ID: return DepositDecoder.BLOCK_LENGTH;
            case WithdrawDecoder.TEMPLATE_ID: return WithdrawDecoder.BLOCK_LENGTH;
            case EndOfDayDecoder.TEMPLATE_ID: return EndOfDayDecoder.BLOCK_LENGTH;
            case AuditDecoder.TEMPLATE_ID: return AuditDecoder.BLOCK_LENGTH;
            default: return -1;
        }
    }

    private byte[] malformed(final int templateId, final RejectReason reason)
    {
        out.begin(++sequence, 0, 0, 0, CommandType.UNKNOWN);
        out.commandRejected(CommandType.UNKNOWN, reason, 0, 0, 0, templateId);
        return out.finish();
    }

    private static String id(final byte[] raw)
    {
        return new String(raw, StandardCharsets.ISO_8859_1);
    }

    private static boolean isBlank(final String clOrdId)
    {
        return BLANK_ID.equals(clOrdId);
    }

    private boolean isUsed(final long account, final String clOrdId)
    {
        final Set<String> used = usedClOrdIds.get(account);
        return used != null && used.contains(clOrdId);
    }

    private void use(final long account, final String clOrdId)
    {
        usedClOrdIds.computeIfAbsent(account, k -> new HashSet<>()).add(clOrdId);
    }

    private Instrument instrument(final int id)
    {
        return instruments.get(id);
    }

    private static boolean isSide(final int side)
    {
        return side == 1 || side == 2;
    }

    private static boolean isTif(final int tif)
    {
        return tif == 0 || tif == 1 || tif == 3 || tif == 4;
    }

    private static long notional(final long price, final long quantity)
    {
        try
        {
            return Math.multiplyExact(price, quantity);
        }
        catch (final ArithmeticException e)
        {
            return Long.MAX_VALUE;
        }
    }

    // ------------------------------------------------------------------ NewOrder

    private byte[] newOrder(final NewOrderDecoder c)
    {
        final byte[] raw = new byte[20];
        c.getClOrdId(raw, 0);
        final String clOrdId = id(raw);
        final int side = c.sideRaw();
        final int type = c.ordTypeRaw();
        final int tif = c.timeInForceRaw();
        final int stp = c.stpModeRaw();
        // only postOnly is defined; other bits are ignored (and not echoed), as a reader of a newer version would
        final int flags = c.buffer().getByte(c.offset() + NewOrderDecoder.flagsEncodingOffset()) & 0x01;
        final long account = c.accountId();
        final int instrumentId = c.instrumentId();
        final long price = c.price();
        final long quantity = c.quantity();

        out.begin(++sequence, c.timestamp(), c.sessionId(), c.msgSeqNum(), CommandType.NEW_ORDER);
        final RejectReason reason = checkNewOrder(account, clOrdId, instrumentId, side, type, tif, stp, flags, price, quantity);
        if (reason != null)
        {
            out.orderRejected(account, instrumentId, c.sessionId(), side, type, tif, reason, price, quantity, raw);
            return out.finish();
        }

        final Instrument inst = instrument(instrumentId);
        final Account acct = accounts.get(account);
        final Order o = new Order();
        o.orderId = ++lastOrderId;
        o.accountId = account;
        o.instrumentId = instrumentId;
        o.sessionId = c.sessionId();
        o.side = side;
        o.ordType = type;
        o.tif = tif;
        o.flags = flags;
        o.stp = effectiveStp(stp, acct);
        o.price = type == 2 ? price : 0;
        o.quantity = quantity;
        o.leaves = quantity;
        o.holdPrice = side == 1 ? (type == 2 ? price : inst.bandHigh) : 0;
        o.clOrdId = clOrdId;
        use(account, clOrdId);
        if (side == 1)
        {
            acct.cashHeld += o.holdPrice * quantity;
        }
        else
        {
            acct.position(instrumentId)[1] += quantity;
        }
        out.orderAccepted(o);
        final long limit = type == 2 ? price : (side == 1 ? inst.bandHigh : inst.bandLow);
        matchAndRest(inst, o, limit);
        return out.finish();
    }

    private static int effectiveStp(final int orderStp, final Account account)
    {
        if (orderStp != 0)
        {
            return orderStp;
        }
        return account.stp;
    }

    private RejectReason checkNewOrder(
        final long account, final String clOrdId, final int instrumentId, final int side, final int type, final int tif,
        final int stp, final int flags, final long price, final long quantity)
    {
        final Account acct = accounts.get(account);
        if (acct == null)
        {
            return RejectReason.UNKNOWN_ACCOUNT;
        }
        if (isBlank(clOrdId))
        {
            return RejectReason.INVALID_CLORDID;
        }
        if (isUsed(account, clOrdId))
        {
            return RejectReason.DUPLICATE_CLORDID;
        }
        final Instrument inst = instrument(instrumentId);
        if (inst == null)
        {
            return RejectReason.UNKNOWN_INSTRUMENT;
        }
        if (!isSide(side))
        {
            return RejectReason.INVALID_SIDE;
        }
        if (type != 1 && type != 2)
        {
            return RejectReason.INVALID_ORDER_TYPE;
        }
        if (!isTif(tif))
        {
            return RejectReason.INVALID_TIME_IN_FORCE;
        }
        if (stp < 0 || stp > 4)
        {
            return RejectReason.INVALID_STP_MODE;
        }
        final boolean postOnly = (flags & 1) != 0;
        if (postOnly && !(type == 2 && (tif == 0 || tif == 1)))
        {
            return RejectReason.POST_ONLY_NOT_ALLOWED;
        }
        if (inst.status == 2)
        {
            return RejectReason.INSTRUMENT_HALTED;
        }
        if (inst.status == 3)
        {
            return RejectReason.INSTRUMENT_CLOSED;
        }
        if (quantity < inst.minQty || quantity > inst.maxQty)
        {
            return RejectReason.QTY_OUT_OF_RANGE;
        }
        if (quantity % inst.lot != 0)
        {
            return RejectReason.BAD_LOT;
        }
        if (type == 2)
        {
            if (price <= 0)
            {
                return RejectReason.INVALID_PRICE;
            }
            if (price % inst.tick != 0)
            {
                return RejectReason.BAD_TICK;
            }
            if (price < inst.bandLow || price > inst.bandHigh)
            {
                return RejectReason.OUTSIDE_PRICE_BAND;
            }
        }
        final long notionalPrice = type == 2 ? price : (side == 1 ? inst.bandHigh : inst.bandLow);
        final long notional = notional(notionalPrice, quantity);
        if (notional == Long.MAX_VALUE || notional > inst.maxNotional)
        {
            return RejectReason.NOTIONAL_EXCEEDED;
        }
        if (liveOrders.size() >= maxLiveOrders)
        {
            return RejectReason.TOO_MANY_ORDERS;
        }
        if (side == 1)
        {
            final long holdPrice = type == 2 ? price : inst.bandHigh;
            if (holdPrice * quantity > acct.cash - acct.cashHeld)
            {
                return RejectReason.INSUFFICIENT_FUNDS;
            }
        }
        else if (quantity > acct.availablePosition(instrumentId))
        {
            return RejectReason.INSUFFICIENT_POSITION;
        }
        if (postOnly && crosses(inst, side, price))
        {
            return RejectReason.WOULD_CROSS_POST_ONLY;
        }
        if (tif == 4)
        {
            final long limit = type == 2 ? price : (side == 1 ? inst.bandHigh : inst.bandLow);
            if (!fillable(inst, account, side, effectiveStp(stp, acct), limit, quantity))
            {
                return RejectReason.FOK_NOT_FILLABLE;
            }
        }
        return null;
    }

    private static boolean crosses(final Instrument inst, final int side, final long price)
    {
        final TreeMap<Long, ArrayList<Order>> opposite = inst.opposite(side);
        if (opposite.isEmpty())
        {
            return false;
        }
        final long best = opposite.firstKey();
        return side == 1 ? best <= price : best >= price;
    }

    private static boolean within(final int takerSide, final long restingPrice, final long limit)
    {
        return takerSide == 1 ? restingPrice <= limit : restingPrice >= limit;
    }

    private static boolean fillable(
        final Instrument inst, final long account, final int side, final int stp, final long limit, final long quantity)
    {
        long sum = 0;
        for (final Map.Entry<Long, ArrayList<Order>> level : inst.opposite(side).entrySet())
        {
            if (!within(side, level.getKey(), limit))
            {
                break;
            }
            for (final Order resting : level.getValue())
            {
                if (sum >= quantity)
                {
                    return true;
                }
                if (resting.accountId == account && stp != 1)
                {
                    if (stp == 2)
                    {
                        continue;
                    }
                    return false;
                }
                sum += resting.leaves;
            }
        }
        return sum >= quantity;
    }

    /** Matches a taker, then cancels an IOC remainder or rests a DAY/GTC limit remainder. */
    private void matchAndRest(final Instrument inst, final Order taker, final long limit)
    {
        final boolean takerCanceled = match(inst, taker, limit);
        if (takerCanceled || taker.leaves == 0)
        {
            return;
        }
        if (taker.ordType == 1 || taker.tif == 3 || taker.tif == 4)
        {
            cancelTaker(taker, CancelReason.IOC_REMAINDER);
            return;
        }
        inst.side(taker.side).computeIfAbsent(taker.price, k -> new ArrayList<>()).add(taker);
        liveOrders.put(taker.orderId, taker);
    }

    /** @return true if the taker was cancelled by self-trade prevention. */
    private boolean match(final Instrument inst, final Order taker, final long limit)
    {
        final TreeMap<Long, ArrayList<Order>> book = inst.opposite(taker.side);
        while (taker.leaves > 0 && !book.isEmpty())
        {
            final long levelPrice = book.firstKey();
            if (!within(taker.side, levelPrice, limit))
            {
                break;
            }
            final ArrayList<Order> level = book.get(levelPrice);
            final Order maker = level.get(0);
            if (maker.accountId == taker.accountId && taker.stp != 1)
            {
                if (taker.stp == 2 || taker.stp == 4)
                {
                    removeResting(inst, maker);
                    releaseHold(maker);
                    out.orderCanceled(maker, CancelReason.SELF_TRADE_PREVENTION, maker.leaves, null);
                    maker.leaves = 0;
                }
                if (taker.stp == 3 || taker.stp == 4)
                {
                    cancelTaker(taker, CancelReason.SELF_TRADE_PREVENTION);
                    return true;
                }
                continue;
            }
            final long q = Math.min(maker.leaves, taker.leaves);
            final long value = Math.multiplyExact(levelPrice, q);
            maker.leaves -= q;
            maker.cumQty += q;
            maker.cumNotional += value;
            taker.leaves -= q;
            taker.cumQty += q;
            taker.cumNotional += value;
            final Order buyer = taker.side == 1 ? taker : maker;
            final Order seller = taker.side == 1 ? maker : taker;
            settle(buyer, seller, levelPrice, q, value);
            out.trade(++lastTradeId, inst.id, taker.side, levelPrice, q, maker, taker);
            if (maker.leaves == 0)
            {
                removeResting(inst, maker);
            }
        }
        return false;
    }

    private void settle(final Order buyer, final Order seller, final long price, final long q, final long value)
    {
        final Account b = accounts.get(buyer.accountId);
        final Account s = accounts.get(seller.accountId);
        b.cash -= value;
        b.cashHeld -= buyer.holdPrice * q;
        b.position(buyer.instrumentId)[0] += q;
        final long[] sp = s.position(seller.instrumentId);
        sp[0] -= q;
        sp[1] -= q;
        s.cash += value;
    }

    private void cancelTaker(final Order taker, final CancelReason reason)
    {
        releaseHold(taker);
        out.orderCanceled(taker, reason, taker.leaves, null);
        taker.leaves = 0;
    }

    private void releaseHold(final Order o)
    {
        final Account a = accounts.get(o.accountId);
        if (o.side == 1)
        {
            a.cashHeld -= o.holdPrice * o.leaves;
        }
        else
        {
            a.position(o.instrumentId)[1] -= o.leaves;
        }
    }

    private void removeResting(final Instrument inst, final Order o)
    {
        final TreeMap<Long, ArrayList<Order>> side = inst.side(o.side);
        final ArrayList<Order> level = side.get(o.price);
        level.remove(o);
        if (level.isEmpty())
        {
            side.remove(o.price);
        }
        liveOrders.remove(o.orderId);
    }

    /** Cancels a resting order and writes its OrderCanceled. */
    private void cancelResting(final Order o, final CancelReason reason, final byte[] requestClOrdId)
    {
        removeResting(instrument(o.instrumentId), o);
        releaseHold(o);
        out.orderCanceled(o, reason, o.leaves, requestClOrdId);
        o.leaves = 0;
    }

    // ------------------------------------------------------------------ Cancel / Replace

    /** The order a cancel or replace refers to, or the reason it cannot be found. */
    private Object findOrder(final long account, final long orderId, final String origClOrdId)
    {
        if (orderId != 0)
        {
            final Order o = liveOrders.get(orderId);
            if (o == null)
            {
                return RejectReason.UNKNOWN_ORDER;
            }
            return o.accountId == account ? o : RejectReason.NOT_YOUR_ORDER;
        }
        for (final Order o : liveOrders.values())
        {
            if (o.accountId == account && o.clOrdId.equals(origClOrdId))
            {
                return o;
            }
        }
        return RejectReason.UNKNOWN_ORDER;
    }

    private RejectReason checkAccountAndClOrdId(final long account, final String clOrdId)
    {
        if (!accounts.containsKey(account))
        {
            return RejectReason.UNKNOWN_ACCOUNT;
        }
        if (isBlank(clOrdId))
        {
            return RejectReason.INVALID_CLORDID;
        }
        if (isUsed(account, clOrdId))
        {
            return RejectReason.DUPLICATE_CLORDID;
        }
        return null;
    }

    private byte[] cancel(final CancelOrderDecoder c)
    {
        final byte[] raw = new byte[20];
        final byte[] origRaw = new byte[20];
        c.getClOrdId(raw, 0);
        c.getOrigClOrdId(origRaw, 0);
        out.begin(++sequence, c.timestamp(), c.sessionId(), c.msgSeqNum(), CommandType.CANCEL_ORDER);
        RejectReason reason = checkAccountAndClOrdId(c.accountId(), id(raw));
        Order order = null;
        if (reason == null)
        {
            final Object found = findOrder(c.accountId(), c.orderId(), id(origRaw));
            if (found instanceof RejectReason)
            {
                reason = (RejectReason)found;
            }
            else
            {
                order = (Order)found;
            }
        }
        if (reason != null)
        {
            out.cancelRejected(c.accountId(), c.sessionId(), c.orderId(), CommandType.CANCEL_ORDER, reason, raw, origRaw);
            return out.finish();
        }
        use(c.accountId(), id(raw));
        cancelResting(order, CancelReason.USER, raw);
        return out.finish();
    }

    private byte[] replace(final ReplaceOrderDecoder c)
    {
        final byte[] raw = new byte[20];
        final byte[] origRaw = new byte[20];
        c.getClOrdId(raw, 0);
        c.getOrigClOrdId(origRaw, 0);
        out.begin(++sequence, c.timestamp(), c.sessionId(), c.msgSeqNum(), CommandType.REPLACE_ORDER);
        final long price = c.price();
        final long quantity = c.quantity();
        RejectReason reason = checkAccountAndClOrdId(c.accountId(), id(raw));
        Order o = null;
        if (reason == null)
        {
            final Object found = findOrder(c.accountId(), c.orderId(), id(origRaw));
            if (found instanceof RejectReason)
            {
                reason = (RejectReason)found;
            }
            else
            {
                o = (Order)found;
                reason = checkReplace(o, price, quantity);
            }
        }
        if (reason != null)
        {
            out.cancelRejected(c.accountId(), c.sessionId(), c.orderId(), CommandType.REPLACE_ORDER, reason, raw, origRaw);
            return out.finish();
        }

        final Instrument inst = instrument(o.instrumentId);
        final Account acct = accounts.get(o.accountId);
        final long oldPrice = o.price;
        final long oldLeaves = o.leaves;
        final long newLeaves = quantity - o.cumQty;
        final boolean keep = price == o.price && quantity <= o.quantity;
        if (o.side == 1)
        {
            acct.cashHeld += price * newLeaves - o.holdPrice * oldLeaves;
            o.holdPrice = price;
        }
        else
        {
            acct.position(o.instrumentId)[1] += newLeaves - oldLeaves;
        }
        final String previous = o.clOrdId;
        use(o.accountId, id(raw));
        o.clOrdId = id(raw);
        if (!keep)
        {
            removeResting(inst, o);
        }
        o.price = price;
        o.quantity = quantity;
        o.leaves = newLeaves;
        out.orderReplaced(o, keep, oldPrice, oldLeaves, previous.getBytes(StandardCharsets.ISO_8859_1));
        if (!keep)
        {
            matchAndRest(inst, o, price);
        }
        return out.finish();
    }

    private RejectReason checkReplace(final Order o, final long price, final long quantity)
    {
        final Instrument inst = instrument(o.instrumentId);
        final Account acct = accounts.get(o.accountId);
        if (inst.status == 2)
        {
            return RejectReason.INSTRUMENT_HALTED;
        }
        if (inst.status == 3)
        {
            return RejectReason.INSTRUMENT_CLOSED;
        }
        if (quantity <= o.cumQty)
        {
            return RejectReason.REPLACE_BELOW_FILLED;
        }
        if (quantity < inst.minQty || quantity > inst.maxQty)
        {
            return RejectReason.QTY_OUT_OF_RANGE;
        }
        if (quantity % inst.lot != 0)
        {
            return RejectReason.BAD_LOT;
        }
        if (price <= 0)
        {
            return RejectReason.INVALID_PRICE;
        }
        if (price % inst.tick != 0)
        {
            return RejectReason.BAD_TICK;
        }
        if (price < inst.bandLow || price > inst.bandHigh)
        {
            return RejectReason.OUTSIDE_PRICE_BAND;
        }
        final long notional = notional(price, quantity);
        if (notional == Long.MAX_VALUE || notional > inst.maxNotional)
        {
            return RejectReason.NOTIONAL_EXCEEDED;
        }
        final long newLeaves = quantity - o.cumQty;
        if (o.side == 1)
        {
            if (price * newLeaves - o.holdPrice * o.leaves > acct.cash - acct.cashHeld)
            {
                return RejectReason.INSUFFICIENT_FUNDS;
            }
        }
        else if (newLeaves - o.leaves > acct.availablePosition(o.instrumentId))
        {
            return RejectReason.INSUFFICIENT_POSITION;
        }
        final boolean keep = price == o.price && quantity <= o.quantity;
        if (!keep && o.postOnly() && crosses(inst, o.side, price))
        {
            return RejectReason.WOULD_CROSS_POST_ONLY;
        }
        return null;
    }

    // ------------------------------------------------------------------ Mass cancel / status

    private byte[] massCancel(final MassCancelDecoder c)
    {
        final byte[] raw = new byte[20];
        c.getClOrdId(raw, 0);
        final String clOrdId = id(raw);
        final long account = c.accountId();
        final int instrumentId = c.instrumentId();
        final int side = c.side();
        final int reasonRaw = c.reasonRaw();
        final CancelReason reason = reasonRaw == CancelReason.CANCEL_ON_DISCONNECT.value() ?
            CancelReason.CANCEL_ON_DISCONNECT : CancelReason.MASS_CANCEL;
        out.begin(++sequence, c.timestamp(), c.sessionId(), c.msgSeqNum(), CommandType.MASS_CANCEL);

        RejectReason reject = null;
        if (!accounts.containsKey(account))
        {
            reject = RejectReason.UNKNOWN_ACCOUNT;
        }
        else if (isBlank(clOrdId) && reason != CancelReason.CANCEL_ON_DISCONNECT)
        {
            reject = RejectReason.INVALID_CLORDID;
        }
        else if (!isBlank(clOrdId) && isUsed(account, clOrdId))
        {
            reject = RejectReason.DUPLICATE_CLORDID;
        }
        else if (instrumentId != 0 && instrument(instrumentId) == null)
        {
            reject = RejectReason.UNKNOWN_INSTRUMENT;
        }
        else if (side != 0 && !isSide(side))
        {
            reject = RejectReason.INVALID_SIDE;
        }
        else if (reasonRaw != CancelReason.MASS_CANCEL.value() && reasonRaw != CancelReason.CANCEL_ON_DISCONNECT.value())
        {
            reject = RejectReason.MALFORMED_COMMAND;
        }
        if (reject != null)
        {
            out.massCancelDone(account, c.sessionId(), instrumentId, side, reason, reject, 0, raw);
            return out.finish();
        }
        if (!isBlank(clOrdId))
        {
            use(account, clOrdId);
        }
        final boolean onlyThisSession = c.onlyThisSessionRaw() == BooleanType.TRUE.value();
        final List<Order> victims = new ArrayList<>();
        for (final Order o : liveOrders.values())
        {
            if (o.accountId == account &&
                (instrumentId == 0 || o.instrumentId == instrumentId) &&
                (side == 0 || o.side == side) &&
                (!onlyThisSession || o.sessionId == c.sessionId()))
            {
                victims.add(o);
            }
        }
        for (final Order o : victims)
        {
            cancelResting(o, reason, null);
        }
        out.massCancelDone(account, c.sessionId(), instrumentId, side, reason, RejectReason.NONE, victims.size(), raw);
        return out.finish();
    }

    private byte[] orderStatus(final OrderStatusRequestDecoder c)
    {
        final byte[] raw = new byte[20];
        c.getClOrdId(raw, 0);
        out.begin(++sequence, c.timestamp(), c.sessionId(), c.msgSeqNum(), CommandType.ORDER_STATUS);
        Order found = null;
        if (c.orderId() != 0)
        {
            final Order o = liveOrders.get(c.orderId());
            if (o != null && o.accountId == c.accountId())
            {
                found = o;
            }
        }
        else
        {
            final Object o = findOrder(c.accountId(), 0, id(raw));
            if (o instanceof Order)
            {
                found = (Order)o;
            }
        }
        if (found == null)
        {
            out.orderStatusUnknown(c.accountId(), c.sessionId(), c.orderId(), raw);
        }
        else
        {
            out.orderStatus(found, c.sessionId());
        }
        return out.finish();
    }

    // ------------------------------------------------------------------ operator commands

    private byte[] rejectCommand(
        final CommandType type, final RejectReason reason, final long account, final int instrument, final long requestId, final int templateId)
    {
        out.commandRejected(type, reason, account, instrument, requestId, templateId);
        return out.finish();
    }

    private byte[] addInstrument(final AddInstrumentDecoder c)
    {
        out.begin(++sequence, c.timestamp(), c.sessionId(), c.msgSeqNum(), CommandType.ADD_INSTRUMENT);
        final int id = c.instrumentId();
        final byte[] symbolRaw = new byte[16];
        c.getSymbol(symbolRaw, 0);
        final String symbol = id(symbolRaw);
        RejectReason reason = null;
        if (id < 1 || id >= maxInstruments)
        {
            reason = RejectReason.INVALID_INSTRUMENT;
        }
        else if (instruments.containsKey(id))
        {
            reason = RejectReason.INSTRUMENT_EXISTS;
        }
        else if (c.tickSize() <= 0 || c.lotSize() <= 0 || c.minQuantity() <= 0 || c.maxNotional() <= 0 ||
            c.referencePrice() <= 0 || c.maxQuantity() < c.minQuantity() || c.referencePrice() % c.tickSize() != 0 ||
            c.priceBandBps() < 1 || c.priceBandBps() > 100_000 ||
            band(c.referencePrice(), c.priceBandBps(), c.tickSize()) == null ||
            c.statusRaw() < 1 || c.statusRaw() > 3 || symbolRaw[0] == 0 && isAllZero(symbolRaw))
        {
            reason = RejectReason.INVALID_INSTRUMENT;
        }
        else
        {
            for (final Instrument other : instruments.values())
            {
                if (other.symbol.equals(symbol))
                {
                    reason = RejectReason.INSTRUMENT_EXISTS;
                    break;
                }
            }
        }
        if (reason != null)
        {
            return rejectCommand(CommandType.ADD_INSTRUMENT, reason, 0, id, 0, AddInstrumentDecoder.TEMPLATE_ID);
        }
        final Instrument inst = new Instrument(id, c.tickSize(), c.lotSize(), c.minQuantity(), c.maxQuantity(),
            c.maxNotional(), c.referencePrice(), c.priceBandBps(), c.statusRaw(), symbol);
        instruments.put(id, inst);
        out.instrumentAdded(inst, symbolRaw);
        return out.finish();
    }

    private static boolean isAllZero(final byte[] bytes)
    {
        for (final byte b : bytes)
        {
            if (b != 0)
            {
                return false;
            }
        }
        return true;
    }

    private byte[] setTradingStatus(final SetTradingStatusDecoder c)
    {
        out.begin(++sequence, c.timestamp(), c.sessionId(), c.msgSeqNum(), CommandType.SET_TRADING_STATUS);
        final Instrument inst = instrument(c.instrumentId());
        if (inst == null)
        {
            return rejectCommand(CommandType.SET_TRADING_STATUS, RejectReason.UNKNOWN_INSTRUMENT, 0, c.instrumentId(), 0,
                SetTradingStatusDecoder.TEMPLATE_ID);
        }
        final int status = c.statusRaw();
        if (status < 1 || status > 3)
        {
            return rejectCommand(CommandType.SET_TRADING_STATUS, RejectReason.INVALID_TRADING_STATUS, 0, c.instrumentId(), 0,
                SetTradingStatusDecoder.TEMPLATE_ID);
        }
        inst.status = status;
        out.tradingStatusChanged(inst.id, status);
        return out.finish();
    }

    private byte[] setReferencePrice(final SetReferencePriceDecoder c)
    {
        out.begin(++sequence, c.timestamp(), c.sessionId(), c.msgSeqNum(), CommandType.SET_REFERENCE_PRICE);
        final Instrument inst = instrument(c.instrumentId());
        if (inst == null)
        {
            return rejectCommand(CommandType.SET_REFERENCE_PRICE, RejectReason.UNKNOWN_INSTRUMENT, 0, c.instrumentId(), 0,
                SetReferencePriceDecoder.TEMPLATE_ID);
        }
        final long price = c.referencePrice();
        if (price <= 0 || price % inst.tick != 0 || band(price, inst.bandBps, inst.tick) == null)
        {
            return rejectCommand(CommandType.SET_REFERENCE_PRICE, RejectReason.INVALID_PRICE, 0, c.instrumentId(), 0,
                SetReferencePriceDecoder.TEMPLATE_ID);
        }
        inst.setReference(price);
        out.referencePriceChanged(inst.id, price);
        return out.finish();
    }

    private byte[] createAccount(final CreateAccountDecoder c)
    {
        out.begin(++sequence, c.timestamp(), c.sessionId(), c.msgSeqNum(), CommandType.CREATE_ACCOUNT);
        final long id = c.accountId();
        final int stp = c.stpModeRaw();
        RejectReason reason = null;
        if (id <= 0)
        {
            reason = RejectReason.INVALID_ACCOUNT;
        }
        else if (accounts.containsKey(id))
        {
            reason = RejectReason.ACCOUNT_EXISTS;
        }
        else if (stp > 4)
        {
            reason = RejectReason.INVALID_STP_MODE;
        }
        if (reason != null)
        {
            return rejectCommand(CommandType.CREATE_ACCOUNT, reason, id, 0, 0, CreateAccountDecoder.TEMPLATE_ID);
        }
        // 0 ("account default") on an account can only mean NONE: the event says so explicitly
        final int mode = stp == 0 ? StpMode.NONE.value() : stp;
        accounts.put(id, new Account(id, mode));
        out.accountCreated(id, mode);
        return out.finish();
    }

    private byte[] balance(
        final boolean deposit, final long timestamp, final int sessionId, final int msgSeqNum, final long account, final int instrumentId,
        final long amount, final long requestId)
    {
        final CommandType type = deposit ? CommandType.DEPOSIT : CommandType.WITHDRAW;
        final int templateId = deposit ? DepositDecoder.TEMPLATE_ID : WithdrawDecoder.TEMPLATE_ID;
        out.begin(++sequence, timestamp, sessionId, msgSeqNum, type);
        final Account a = accounts.get(account);
        RejectReason reason = null;
        if (a == null)
        {
            reason = RejectReason.UNKNOWN_ACCOUNT;
        }
        else if (instrumentId != 0 && instrument(instrumentId) == null)
        {
            reason = RejectReason.UNKNOWN_INSTRUMENT;
        }
        else if (amount <= 0)
        {
            reason = RejectReason.INVALID_AMOUNT;
        }
        else if (deposit)
        {
            final long current = instrumentId == 0 ? a.cash : a.position(instrumentId)[0];
            if (amount > MAX_BALANCE - current)
            {
                reason = RejectReason.BALANCE_OVERFLOW;
            }
        }
        else if (instrumentId == 0 ? amount > a.cash - a.cashHeld : amount > a.availablePosition(instrumentId))
        {
            reason = instrumentId == 0 ? RejectReason.INSUFFICIENT_FUNDS : RejectReason.INSUFFICIENT_POSITION;
        }
        if (reason != null)
        {
            return rejectCommand(type, reason, account, instrumentId, requestId, templateId);
        }
        final long signed = deposit ? amount : -amount;
        final long after;
        if (instrumentId == 0)
        {
            a.cash += signed;
            after = a.cash;
        }
        else
        {
            final long[] p = a.position(instrumentId);
            p[0] += signed;
            after = p[0];
        }
        out.balanceChanged(account, instrumentId, type, amount, after, requestId);
        return out.finish();
    }

    private byte[] endOfDay(final EndOfDayDecoder c)
    {
        out.begin(++sequence, c.timestamp(), c.sessionId(), c.msgSeqNum(), CommandType.END_OF_DAY);
        final int instrumentId = c.instrumentId();
        if (instrumentId != 0 && instrument(instrumentId) == null)
        {
            return rejectCommand(CommandType.END_OF_DAY, RejectReason.UNKNOWN_INSTRUMENT, 0, instrumentId, 0,
                EndOfDayDecoder.TEMPLATE_ID);
        }
        final List<Order> expiring = new ArrayList<>();
        for (final Instrument inst : instruments.values())
        {
            if (instrumentId != 0 && inst.id != instrumentId)
            {
                continue;
            }
            for (final Order o : liveOrders.values())
            {
                if (o.instrumentId == inst.id && o.tif == 0)
                {
                    expiring.add(o);
                }
            }
        }
        for (final Order o : expiring)
        {
            cancelResting(o, CancelReason.EXPIRED, null);
        }
        if (instrumentId == 0)
        {
            usedClOrdIds.clear();
            for (final Order o : liveOrders.values())
            {
                use(o.accountId, o.clOrdId);
            }
        }
        out.dayEnded(instrumentId, expiring.size());
        return out.finish();
    }

    private byte[] audit(final AuditDecoder c)
    {
        out.begin(++sequence, c.timestamp(), c.sessionId(), c.msgSeqNum(), CommandType.AUDIT);
        final int type = c.auditTypeRaw();
        if (type < 1 || type > 6)
        {
            return rejectCommand(CommandType.AUDIT, RejectReason.MALFORMED_COMMAND, c.accountId(), 0, 0, AuditDecoder.TEMPLATE_ID);
        }
        final byte[] username = new byte[AuditDecoder.usernameLength()];
        c.getUsername(username, 0);
        out.auditRecorded(c.accountId(), type, c.detail(), username);
        return out.finish();
    }
}
