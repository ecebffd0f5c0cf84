package dev.bourse.engine.reference;

import dev.bourse.protocol.sbe.*;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A deliberately simple second implementation of docs/ENGINE-RULES.md, written from the spec
 * and not from the engine: TreeMaps of price levels holding ArrayLists of orders, HashMaps of
 * accounts, plain long arithmetic with {@link Math#multiplyExact}, held stops in a list sorted
 * when needed, auctions priced by {@link ReferenceUncross} (every candidate price tried). Clarity
 * over speed; it allocates freely. It takes the same command bytes as the engine and answers
 * with the journal entry the spec says the engine must write, so the two can be compared byte
 * for byte. Long because it is the whole rulebook in one readable place, on purpose.
 */
public final class ReferenceExchange
{
    /** Balance ceiling for deposits (2^61 - 1), from the spec. */
    public static final long MAX_BALANCE = (1L << 61) - 1;
    /** Ceiling for the exchange's total of one asset (all cash, or all of one instrument's positions) after a deposit: 2^62 - 1. */
    public static final long MAX_TOTAL = (1L << 62) - 1;

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
    final Set<Long> blockedAccounts = new java.util.HashSet<>();
    final Set<Integer> blockedSessions = new java.util.HashSet<>();
    private int commandSession;
    /** ClOrdIDs used today per account. */
    final HashMap<Long, Set<String>> usedClOrdIds = new HashMap<>();
    /** The order each ClOrdID of the day was carried by (accepted orders and replaces only). */
    final HashMap<Long, Map<String, Long>> carriedClOrdIds = new HashMap<>();
    /** How each order that has ended ended (read only for a too-late cancel or replace, which names it). */
    final HashMap<Long, OrdStatus> ended = new HashMap<>();

    private long sequence;

    private long lastOrderId;
    private long lastTradeId;
    private long commandTimestamp;
    /** Stops move to the back of their stop price's queue in this order (placed or re-placed). */
    private long stopArrivals;
    private final int maxElectionsPerCommand;
    /** Instruments this command touched (a trade where stops are held, a call book change, a new phase), in order. */
    private final LinkedHashSet<Instrument> touched = new LinkedHashSet<>();

    public ReferenceExchange(final int maxInstruments, final long maxLiveOrders)
    {
        this(maxInstruments, maxLiveOrders, 100);
    }

    public ReferenceExchange(final int maxInstruments, final long maxLiveOrders, final int maxElectionsPerCommand)
    {
        this.maxInstruments = maxInstruments;
        this.maxLiveOrders = maxLiveOrders;
        this.maxElectionsPerCommand = maxElectionsPerCommand;
    }

    // phases (TradingPhase values)
    static final int CONTINUOUS = 1;
    static final int HALTED = 2;
    static final int CLOSED = 3;
    static final int OPENING_CALL = 4;
    static final int CLOSING_CALL = 5;
    static final int REOPENING_CALL = 6;
    static final int VOLATILITY_CALL = 7;
    static final int POST_CLOSE = 8;
    // order types and time in force (FIX values)
    static final int MARKET = 1;
    static final int LIMIT = 2;
    static final int STOP = 3;
    static final int STOP_LIMIT = 4;
    static final int DAY = 0;
    static final int GTC = 1;
    static final int OPG = 2;
    static final int IOC = 3;
    static final int FOK = 4;
    static final int GTD = 6;
    static final int ATC = 7;

    static boolean isCall(final int phase)
    {
        return phase >= OPENING_CALL && phase <= VOLATILITY_CALL;
    }

    static int statusOf(final int phase)
    {
        return phase == HALTED ? 2 : phase == CLOSED || phase == POST_CLOSE ? 3 : 1;
    }

    static int phaseOf(final int status)
    {
        return status == 2 ? HALTED : status == 3 ? CLOSED : CONTINUOUS;
    }

    // ------------------------------------------------------------------ model

    static final class Instrument
    {
        final int id;
        long tick;
        long lot;
        long minQty;
        long maxQty;
        long maxNotional;
        int bandBps;
        final String symbol;
        long reference;
        int status;
        int phase;
        long bandLow;
        long bandHigh;
        /** Best first: bids descending, asks ascending. */
        final TreeMap<Long, ArrayList<Order>> bids = new TreeMap<>(Collections.reverseOrder());
        final TreeMap<Long, ArrayList<Order>> asks = new TreeMap<>();
        /** Held stop orders, unsorted. */
        final ArrayList<Order> stops = new ArrayList<>();
        long lastTrade;
        long lastTradeBeforeCommand;
        /** The prices printed since the command began or the last election round began. */
        final ArrayList<Long> prints = new ArrayList<>();
        long lastAuction;
        int dynamicBps;
        int staticBps;
        long interruptionNanos;
        ReferenceUncross.Result indication = NO_INDICATION;

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
            this.phase = phaseOf(status);
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

        /** The call book as the auction sees it: every resting order with all its quantity. */
        List<ReferenceUncross.CallOrder> callBook()
        {
            final List<ReferenceUncross.CallOrder> book = new ArrayList<>();
            for (final ArrayList<Order> level : bids.values())
            {
                for (final Order o : level)
                {
                    book.add(new ReferenceUncross.CallOrder(1, o.price, o.leaves));
                }
            }
            for (final ArrayList<Order> level : asks.values())
            {
                for (final Order o : level)
                {
                    book.add(new ReferenceUncross.CallOrder(2, o.price, o.leaves));
                }
            }
            return book;
        }

        long auctionReference()
        {
            return lastTrade > 0 ? lastTrade : reference;
        }
    }

    static final ReferenceUncross.Result NO_INDICATION = new ReferenceUncross.Result(0, 0, 0, 0);

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
        long stopPrice;
        long maxFloor;
        long display;
        long expireTime;
        long stopArrival;

        boolean postOnly()
        {
            return (flags & 1) != 0;
        }

        boolean held()
        {
            return ordType == STOP || ordType == STOP_LIMIT;
        }

        long visible()
        {
            return maxFloor > 0 ? display : leaves;
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
        for (final Instrument inst : instruments.values())
        {
            inst.lastTradeBeforeCommand = inst.lastTrade;
            inst.prints.clear();
        }
        touched.clear();
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
        commandTimestamp = buffer.getLong(body, java.nio.ByteOrder.LITTLE_ENDIAN);
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
            case SetBlockDecoder.TEMPLATE_ID:
                return setBlock(new SetBlockDecoder().wrap(buffer, body, blockLength, version));
            case OrderStatusRequestDecoder.TEMPLATE_ID:
                return orderStatus(new OrderStatusRequestDecoder().wrap(buffer, body, blockLength, version));
            case AddInstrumentDecoder.TEMPLATE_ID:
                return addInstrument(new AddInstrumentDecoder().wrap(buffer, body, blockLength, version));
            case SetTradingStatusDecoder.TEMPLATE_ID:
                return setTradingStatus(new SetTradingStatusDecoder().wrap(buffer, body, blockLength, version));
            case AmendInstrumentDecoder.TEMPLATE_ID:
                return amendInstrument(new AmendInstrumentDecoder().wrap(buffer, body, blockLength, version));
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
            case SetTradingPhaseDecoder.TEMPLATE_ID:
                return setTradingPhase(new SetTradingPhaseDecoder().wrap(buffer, body, blockLength, version));
            case SetVolatilityGuardsDecoder.TEMPLATE_ID:
                return setVolatilityGuards(new SetVolatilityGuardsDecoder().wrap(buffer, body, blockLength, version));
            case ExpireOrdersDecoder.TEMPLATE_ID:
                return expireOrders(new ExpireOrdersDecoder().wrap(buffer, body, blockLength, version));
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
            case MassCancelDecoder.TEMPLATE_ID: return MassCancelDecoder.upToOrderIdEncodingOffset(); // versions 4 and 5 end before it
            case OrderStatusRequestDecoder.TEMPLATE_ID: return OrderStatusRequestDecoder.BLOCK_LENGTH;
            case AddInstrumentDecoder.TEMPLATE_ID: return AddInstrumentDecoder.BLOCK_LENGTH;
            case SetTradingStatusDecoder.TEMPLATE_ID: return SetTradingStatusDecoder.BLOCK_LENGTH;
            case SetReferencePriceDecoder.TEMPLATE_ID: return SetReferencePriceDecoder.BLOCK_LENGTH;
            case AmendInstrumentDecoder.TEMPLATE_ID: return AmendInstrumentDecoder.BLOCK_LENGTH;
            case CreateAccountDecoder.TEMPLATE_ID: return CreateAccountDecoder.BLOCK_LENGTH;
            case DepositDecoder.TEMPLATE_ID: return DepositDecoder.BLOCK_LENGTH;
            case WithdrawDecoder.TEMPLATE_ID: return WithdrawDecoder.BLOCK_LENGTH;
            case EndOfDayDecoder.TEMPLATE_ID: return EndOfDayDecoder.BLOCK_LENGTH;
            case AuditDecoder.TEMPLATE_ID: return AuditDecoder.instrumentIdEncodingOffset();
            case SetBlockDecoder.TEMPLATE_ID: return SetBlockDecoder.BLOCK_LENGTH;
            case SetTradingPhaseDecoder.TEMPLATE_ID: return SetTradingPhaseDecoder.BLOCK_LENGTH;
            case SetVolatilityGuardsDecoder.TEMPLATE_ID: return SetVolatilityGuardsDecoder.BLOCK_LENGTH;
            case ExpireOrdersDecoder.TEMPLATE_ID: return ExpireOrdersDecoder.BLOCK_LENGTH;
            default: return -1;
        }
    }

    /** The command's own events are written: what they set off comes next (elections, indications). */
    private byte[] finish()
    {
        endOfCommand();
        return out.finish();
    }

    private byte[] malformed(final int templateId, final RejectReason reason)
    {
        out.begin(++sequence, 0, 0, 0, CommandType.UNKNOWN);
        out.commandRejected(CommandType.UNKNOWN, reason, 0, 0, 0, templateId);
        return finish();
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

    private void carry(final Order o)
    {
        carriedClOrdIds.computeIfAbsent(o.accountId, k -> new HashMap<>()).put(o.clOrdId, o.orderId);
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
        return tif == DAY || tif == GTC || tif == OPG || tif == IOC || tif == FOK || tif == GTD || tif == ATC;
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
        commandSession = c.sessionId();
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
        final DirectBuffer b = c.buffer();
        final long stopPrice = b.getLong(c.offset() + NewOrderDecoder.stopPriceEncodingOffset(), java.nio.ByteOrder.LITTLE_ENDIAN);
        final long displayQty = b.getLong(c.offset() + NewOrderDecoder.displayQtyEncodingOffset(), java.nio.ByteOrder.LITTLE_ENDIAN);
        final long expireTime = b.getLong(c.offset() + NewOrderDecoder.expireTimeEncodingOffset(), java.nio.ByteOrder.LITTLE_ENDIAN);

        out.begin(++sequence, c.timestamp(), c.sessionId(), c.msgSeqNum(), CommandType.NEW_ORDER);
        final RejectReason reason = checkNewOrder(account, clOrdId, instrumentId, side, type, tif, stp, flags, price, quantity,
            stopPrice, displayQty, expireTime);
        if (reason == RejectReason.DUPLICATE_CLORDID && (c.buffer().getByte(c.offset() + NewOrderDecoder.flagsEncodingOffset()) & 0x02) != 0)
        {
            // a resend whose first copy is the account's live order (same instrument and side): its status instead
            final Object o = findOrder(account, 0, clOrdId);
            if (o instanceof Order && ((Order)o).instrumentId == instrumentId && ((Order)o).side == side)
            {
                out.orderStatus((Order)o, c.sessionId());
                return finish();
            }
        }
        if (reason != null)
        {
            out.orderRejected(account, instrumentId, c.sessionId(), side, type, tif, reason, price, quantity, raw);
            return finish();
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
        o.price = type == LIMIT || type == STOP_LIMIT ? price : 0;
        o.quantity = quantity;
        o.leaves = quantity;
        final long limit = limitOf(inst, side, type, price);
        o.holdPrice = side == 1 ? limit : 0;
        o.clOrdId = clOrdId;
        o.stopPrice = stopPrice;
        o.maxFloor = displayQty;
        o.expireTime = expireTime;
        use(account, clOrdId);
        carry(o);
        if (side == 1)
        {
            acct.cashHeld += o.holdPrice * quantity;
        }
        else
        {
            acct.position(instrumentId)[1] += quantity;
        }
        out.orderAccepted(o);
        liveOrders.put(o.orderId, o);
        if (o.held())
        {
            o.stopArrival = ++stopArrivals;
            inst.stops.add(o);
        }
        else
        {
            work(inst, o, limit);
        }
        return finish();
    }

    /** A limit price; for a market order (or a stop becoming one) the band edge it may go to. */
    private static long limitOf(final Instrument inst, final int side, final int type, final long price)
    {
        if (type == LIMIT || type == STOP_LIMIT)
        {
            return price;
        }
        return side == 1 ? inst.bandHigh : inst.bandLow;
    }

    private static int effectiveStp(final int orderStp, final Account account)
    {
        if (orderStp != 0)
        {
            return orderStp;
        }
        return account.stp;
    }

    private static boolean rests(final int tif)
    {
        return tif == DAY || tif == GTC || tif == GTD || tif == OPG || tif == ATC;
    }

    private RejectReason checkNewOrder(
        final long account, final String clOrdId, final int instrumentId, final int side, final int type, final int tif,
        final int stp, final int flags, final long price, final long quantity, final long stopPrice, final long displayQty,
        final long expireTime)
    {
        final Account acct = accounts.get(account);
        if (acct == null)
        {
            return RejectReason.UNKNOWN_ACCOUNT;
        }
        if (isBlocked(account, commandSession))
        {
            return RejectReason.BLOCKED;
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
        if (type < MARKET || type > STOP_LIMIT)
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
        final boolean stop = type == STOP || type == STOP_LIMIT;
        if (stop && tif != DAY && tif != GTC && tif != GTD && tif != IOC)
        {
            return RejectReason.INVALID_TIME_IN_FORCE;
        }
        if ((tif == OPG || tif == ATC) && type != LIMIT)
        {
            return RejectReason.INVALID_ORDER_TYPE;
        }
        if (stop ? stopPrice <= 0 : stopPrice != 0)
        {
            return RejectReason.INVALID_STOP_PRICE;
        }
        if (displayQty < 0 || displayQty > 0 && (type != LIMIT || !rests(tif)))
        {
            return RejectReason.INVALID_DISPLAY_QTY;
        }
        if (tif == GTD ? expireTime <= commandTimestamp : expireTime != 0)
        {
            return RejectReason.INVALID_EXPIRE_TIME;
        }
        final boolean postOnly = (flags & 1) != 0;
        if (postOnly && !(type == LIMIT && (tif == DAY || tif == GTC || tif == GTD)))
        {
            return RejectReason.POST_ONLY_NOT_ALLOWED;
        }
        if (inst.phase == HALTED)
        {
            return RejectReason.INSTRUMENT_HALTED;
        }
        if (inst.phase == CLOSED || inst.phase == POST_CLOSE)
        {
            return RejectReason.INSTRUMENT_CLOSED;
        }
        if (tif == OPG && inst.phase != OPENING_CALL || tif == ATC && inst.phase != CLOSING_CALL ||
            isCall(inst.phase) && !stop && (type == MARKET || tif == IOC || tif == FOK))
        {
            return RejectReason.NOT_ALLOWED_IN_PHASE;
        }
        if (quantity < inst.minQty || quantity > inst.maxQty)
        {
            return RejectReason.QTY_OUT_OF_RANGE;
        }
        if (quantity % inst.lot != 0)
        {
            return RejectReason.BAD_LOT;
        }
        if (displayQty % inst.lot != 0 || displayQty > quantity)
        {
            return RejectReason.INVALID_DISPLAY_QTY;
        }
        if (tooManyPeaks(displayQty, quantity))
        {
            return RejectReason.ICEBERG_TOO_MANY_PEAKS;
        }
        if (type == LIMIT || type == STOP_LIMIT)
        {
            final RejectReason priceProblem = checkPrice(inst, price);
            if (priceProblem != null)
            {
                return priceProblem;
            }
        }
        if (stop)
        {
            final RejectReason stopProblem = checkStop(inst, side, stopPrice);
            if (stopProblem != null)
            {
                return stopProblem;
            }
        }
        final long limit = limitOf(inst, side, type, price);
        final long notional = notional(limit, quantity);
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
            if (limit * quantity > acct.cash - acct.cashHeld)
            {
                return RejectReason.INSUFFICIENT_FUNDS;
            }
        }
        else if (quantity > acct.availablePosition(instrumentId))
        {
            return RejectReason.INSUFFICIENT_POSITION;
        }
        if (postOnly && inst.phase == CONTINUOUS && crosses(inst, side, price))
        {
            return RejectReason.WOULD_CROSS_POST_ONLY;
        }
        if (tif == FOK && !stop && !fillable(inst, account, side, effectiveStp(stp, acct), limit, quantity))
        {
            return RejectReason.FOK_NOT_FILLABLE;
        }
        return null;
    }

    private static RejectReason checkPrice(final Instrument inst, final long price)
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
        return null;
    }

    /** On a tick, inside the band, and not reached yet by the last trade. */
    private static RejectReason checkStop(final Instrument inst, final int side, final long stopPrice)
    {
        if (stopPrice <= 0 || stopPrice % inst.tick != 0 || stopPrice < inst.bandLow || stopPrice > inst.bandHigh)
        {
            return RejectReason.INVALID_STOP_PRICE;
        }
        if (inst.lastTrade > 0 && (side == 1 ? inst.lastTrade >= stopPrice : inst.lastTrade <= stopPrice))
        {
            return RejectReason.STOP_ALREADY_TRIGGERED;
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

    /** anchor x bps / 10,000, or no limit at all if that product overflows. */
    private static long guardWidth(final long anchor, final int bps)
    {
        try
        {
            return Math.multiplyExact(anchor, (long)bps) / 10_000;
        }
        catch (final ArithmeticException e)
        {
            return Long.MAX_VALUE / 2;
        }
    }

    /** A trade at this price would breach the dynamic or the static volatility guard. */
    private static boolean breachesGuards(final Instrument inst, final long price)
    {
        if (inst.dynamicBps > 0 && inst.lastTradeBeforeCommand > 0)
        {
            final long anchor = inst.lastTradeBeforeCommand;
            final long width = guardWidth(anchor, inst.dynamicBps);
            if (price < anchor - width || price > anchor + width)
            {
                return true;
            }
        }
        if (inst.staticBps > 0)
        {
            final long anchor = inst.lastAuction > 0 ? inst.lastAuction : inst.reference;
            final long width = guardWidth(anchor, inst.staticBps);
            return price < anchor - width || price > anchor + width;
        }
        return false;
    }

    private static boolean fillable(
        final Instrument inst, final long account, final int side, final int stp, final long limit, final long quantity)
    {
        long sum = 0;
        for (final Map.Entry<Long, ArrayList<Order>> level : inst.opposite(side).entrySet())
        {
            if (!within(side, level.getKey(), limit) || breachesGuards(inst, level.getKey()))
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

    /**
     * The entry's working order: in continuous trading it matches; a guard breach puts the
     * instrument into a volatility call; then what is left of a market, IOC or FOK order is
     * cancelled, and anything else rests.
     */
    private void work(final Instrument inst, final Order taker, final long limit)
    {
        int outcome = LEAVES; // no match outside continuous trading
        if (inst.phase == CONTINUOUS)
        {
            outcome = match(inst, taker, limit);
            if (outcome == DONE)
            {
                liveOrders.remove(taker.orderId);
                return;
            }
            if (outcome == INTERRUPTED)
            {
                changePhase(inst, VOLATILITY_CALL, PhaseChangeReason.VOLATILITY_INTERRUPTION, 0, inst.interruptionNanos);
            }
        }
        if (taker.ordType == MARKET || taker.tif == IOC || taker.tif == FOK)
        {
            cancelTaker(taker, outcome == INTERRUPTED ? CancelReason.VOLATILITY_INTERRUPTION : CancelReason.IOC_REMAINDER);
            return;
        }
        rest(inst, taker);
    }

    /** Joins the back of its level, an iceberg showing a full peak. */
    private void rest(final Instrument inst, final Order o)
    {
        inst.side(o.side).computeIfAbsent(o.price, k -> new ArrayList<>()).add(o);
        o.display = o.maxFloor > 0 ? Math.min(o.maxFloor, o.leaves) : 0;
        out.orderRested(o);
        touchIfCall(inst);
    }

    private static final int DONE = 0;
    private static final int LEAVES = 1;
    private static final int INTERRUPTED = 2;

    private int match(final Instrument inst, final Order taker, final long limit)
    {
        final TreeMap<Long, ArrayList<Order>> book = inst.opposite(taker.side);
        while (taker.leaves > 0 && !book.isEmpty())
        {
            final long levelPrice = book.firstKey();
            if (!within(taker.side, levelPrice, limit))
            {
                return LEAVES;
            }
            if (breachesGuards(inst, levelPrice))
            {
                return INTERRUPTED;
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
                    ended.put(maker.orderId, OrdStatus.CANCELED);
                }
                if (taker.stp == 3 || taker.stp == 4)
                {
                    cancelTaker(taker, CancelReason.SELF_TRADE_PREVENTION);
                    return DONE;
                }
                continue;
            }
            final long q = Math.min(maker.visible(), taker.leaves);
            fill(inst, maker, taker, levelPrice, q, false);
            if (maker.leaves == 0)
            {
                removeResting(inst, maker);
            }
            else if (maker.maxFloor > 0 && maker.display == 0)
            {
                // the peak traded away: a new one, at the back of the level
                level.remove(maker);
                level.add(maker);
                maker.display = Math.min(maker.maxFloor, maker.leaves);
                out.orderRested(maker);
            }
        }
        return taker.leaves > 0 ? LEAVES : DONE;
    }

    /** One trade: both orders and both accounts settle, the trade is written. */
    private void fill(final Instrument inst, final Order maker, final Order taker, final long price, final long q, final boolean auction)
    {
        final long value = Math.multiplyExact(price, q);
        maker.leaves -= q;
        maker.cumQty += q;
        maker.cumNotional += value;
        taker.leaves -= q;
        taker.cumQty += q;
        taker.cumNotional += value;
        if (maker.maxFloor > 0)
        {
            maker.display = Math.max(0, maker.display - q);
        }
        if (auction && taker.maxFloor > 0)
        {
            taker.display = Math.max(0, taker.display - q);
        }
        final Order buyer = taker.side == 1 ? taker : maker;
        final Order seller = taker.side == 1 ? maker : taker;
        settle(buyer, seller, price, q, value);
        inst.lastTrade = price;
        inst.prints.add(price);
        out.trade(++lastTradeId, inst.id, taker.side, price, q, maker, taker, auction);
        for (final Order o : new Order[]{maker, taker})
        {
            if (o.leaves == 0)
            {
                ended.put(o.orderId, OrdStatus.FILLED);
            }
        }
        if (!inst.stops.isEmpty())
        {
            touched.add(inst);
        }
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
        ended.put(taker.orderId, reason == CancelReason.EXPIRED ? OrdStatus.EXPIRED : OrdStatus.CANCELED);
        liveOrders.remove(taker.orderId);
        touchIfCall(instrument(taker.instrumentId));
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
        if (o.held())
        {
            inst.stops.remove(o);
        }
        else
        {
            final TreeMap<Long, ArrayList<Order>> side = inst.side(o.side);
            final ArrayList<Order> level = side.get(o.price);
            level.remove(o);
            if (level.isEmpty())
            {
                side.remove(o.price);
            }
        }
        liveOrders.remove(o.orderId);
    }

    /** Cancels a live order (resting or held) and writes its OrderCanceled. */
    private void cancelResting(final Order o, final CancelReason reason, final byte[] requestClOrdId)
    {
        final Instrument inst = instrument(o.instrumentId);
        removeResting(inst, o);
        releaseHold(o);
        out.orderCanceled(o, reason, o.leaves, requestClOrdId);
        o.leaves = 0;
        ended.put(o.orderId, reason == CancelReason.EXPIRED ? OrdStatus.EXPIRED : OrdStatus.CANCELED);
        touchIfCall(inst);
    }

    private void touchIfCall(final Instrument inst)
    {
        if (isCall(inst.phase))
        {
            touched.add(inst);
        }
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
        final Long carried = carriedClOrdIds.getOrDefault(account, Map.of()).get(origClOrdId);
        return carried != null && !liveOrders.containsKey(carried) ? RejectReason.TOO_LATE_TO_CANCEL : RejectReason.UNKNOWN_ORDER;
    }

    /** A refused cancel or replace; one whose OrigClOrdID named an ended order of the account names it, and how it ended. */
    private void refuse(final long account, final int sessionId, final long orderId, final CommandType responseTo,
        final RejectReason reason, final byte[] raw, final byte[] origRaw, final Order found)
    {
        final Long named = found == null && reason != RejectReason.UNKNOWN_ORDER
            ? carriedClOrdIds.getOrDefault(account, Map.of()).get(id(origRaw)) : null;
        final Long carried = named != null && !liveOrders.containsKey(named) ? named : null;
        final OrdStatus endedAs = carried == null ? null : ended.get(carried);
        out.cancelRejected(account, sessionId, orderId, responseTo, reason, raw, origRaw, found, carried == null ? 0 : carried, endedAs);
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

    /** The request names another instrument or side than the order's (0 or a null field: names none). */
    private static RejectReason mismatch(final Order order, final int instrumentId, final int side)
    {
        final boolean otherInstrument = instrumentId > 0 && instrumentId != order.instrumentId;
        final boolean otherSide = (side == 1 || side == 2) && side != order.side;
        return otherInstrument || otherSide ? RejectReason.ORDER_MISMATCH : null;
    }

    /** Named by OrderID and by an OrigClOrdID that carried another of the account's orders today. */
    private RejectReason idsMismatch(final Order order, final long orderId, final String origClOrdId)
    {
        if (orderId == 0 || isBlank(origClOrdId))
        {
            return null;
        }
        final Long carried = carriedClOrdIds.getOrDefault(order.accountId, Map.of()).get(origClOrdId);
        return carried != null && carried != order.orderId ? RejectReason.ORDER_MISMATCH : null;
    }

    /**
     * A replace may name the order's type (1-4), or none (0, or a version 8 command's null): another
     * is refused. A stop limit that was elected is a limit order now, its stop price kept, and still
     * answers to STOP_LIMIT.
     */
    /** A replace keeps the peak, expiry and post-only flag: one that names another is refused. */
    private static RejectReason settingsMismatch(final Order o, final ReplaceOrderDecoder c)
    {
        final long notNamed = Long.MIN_VALUE;
        final boolean otherPeak = c.displayQty() != notNamed && c.displayQty() != o.maxFloor;
        final boolean otherExpiry = c.expireTime() != notNamed && c.expireTime() != o.expireTime;
        final boolean otherPostOnly = c.postOnly() != BooleanType.NULL_VAL && (c.postOnly() == BooleanType.TRUE) != o.postOnly();
        return otherPeak || otherExpiry || otherPostOnly ? RejectReason.ORDER_MISMATCH : null;
    }

    private static RejectReason typeMismatch(final Order order, final int ordType)
    {
        if (ordType < MARKET || ordType > STOP_LIMIT || ordType == order.ordType)
        {
            return null;
        }
        return ordType == STOP_LIMIT && order.ordType == LIMIT && order.stopPrice != 0 ? null : RejectReason.ORDER_MISMATCH;
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
                reason = mismatch(order, c.instrumentId(), c.side());
                if (reason == null)
                {
                    reason = idsMismatch(order, c.orderId(), id(origRaw));
                }
            }
        }
        if (reason != null)
        {
            if (order == null && findOrder(c.accountId(), c.orderId(), id(origRaw)) instanceof Order named)
            {
                order = named; // refused before the lookup: still reported
            }
            refuse(c.accountId(), c.sessionId(), c.orderId(), CommandType.CANCEL_ORDER, reason, raw, origRaw, order);
            return finish();
        }
        use(c.accountId(), id(raw));
        if (!isBlank(id(raw)))
        {
            // the cancel's ClOrdID names the order it canceled: a request naming it later is too late
            carriedClOrdIds.computeIfAbsent(c.accountId(), k -> new HashMap<>()).put(id(raw), order.orderId);
        }
        cancelResting(order, CancelReason.USER, raw);
        return finish();
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
        final long requestedStop = c.buffer().getLong(c.offset() + ReplaceOrderDecoder.stopPriceEncodingOffset(),
            java.nio.ByteOrder.LITTLE_ENDIAN);
        RejectReason reason = checkAccountAndClOrdId(c.accountId(), id(raw));
        if (reason == null && isBlocked(c.accountId(), c.sessionId()))
        {
            reason = RejectReason.BLOCKED;
        }
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
                reason = mismatch(o, c.instrumentId(), c.side());
                if (reason == null)
                {
                    reason = typeMismatch(o, c.ordType());
                }
                if (reason == null && c.timeInForceRaw() != TimeInForce.NULL_VAL.value() && c.timeInForceRaw() != o.tif)
                {
                    reason = RejectReason.ORDER_MISMATCH; // a replace keeps the order's time in force: another named is refused
                }
                if (reason == null)
                {
                    reason = idsMismatch(o, c.orderId(), id(origRaw));
                }
                if (reason == null)
                {
                    reason = settingsMismatch(o, c);
                }
                if (reason == null)
                {
                    reason = checkReplace(o, price, quantity, requestedStop);
                }
            }
        }
        if (reason != null)
        {
            if (o == null && findOrder(c.accountId(), c.orderId(), id(origRaw)) instanceof Order named)
            {
                o = named; // refused before the lookup: still reported
            }
            refuse(c.accountId(), c.sessionId(), c.orderId(), CommandType.REPLACE_ORDER, reason, raw, origRaw, o);
            return finish();
        }

        final Instrument inst = instrument(o.instrumentId);
        final Account acct = accounts.get(o.accountId);
        final boolean held = o.held();
        final long oldPrice = o.price;
        final long oldLeaves = o.leaves;
        final long newLeaves = quantity - o.cumQty;
        final long newStop = held && requestedStop != 0 ? requestedStop : o.stopPrice;
        final boolean keep = held ? newStop == o.stopPrice : price == o.price && quantity <= o.quantity;
        final long limit = limitOf(inst, o.side, o.ordType, price);
        if (o.side == 1)
        {
            acct.cashHeld += limit * newLeaves - o.holdPrice * oldLeaves;
            o.holdPrice = limit;
        }
        else
        {
            acct.position(o.instrumentId)[1] += newLeaves - oldLeaves;
        }
        final String previous = o.clOrdId;
        use(o.accountId, id(raw));
        o.clOrdId = id(raw);
        carry(o);
        if (held)
        {
            if (!keep)
            {
                o.stopPrice = newStop;
                o.stopArrival = ++stopArrivals;
            }
        }
        else if (keep)
        {
            o.display = Math.min(o.display, newLeaves);
        }
        else
        {
            removeResting(inst, o);
        }
        o.price = held && o.ordType == STOP ? 0 : price;
        o.quantity = quantity;
        o.leaves = newLeaves;
        out.orderReplaced(o, keep, oldPrice, oldLeaves, previous.getBytes(StandardCharsets.ISO_8859_1), held ? newStop : 0);
        touchIfCall(inst);
        if (!keep && !held)
        {
            liveOrders.put(o.orderId, o);
            work(inst, o, price);
        }
        return finish();
    }

    /** More than 1,000 peaks of {@code peak} to show {@code leaves}: ceil(leaves / peak) > 1000, said plainly. */
    private static boolean tooManyPeaks(final long peak, final long leaves)
    {
        if (peak <= 0)
        {
            return false;
        }
        long peaks = leaves / peak;
        if (leaves % peak != 0)
        {
            peaks++;
        }
        return peaks > 1_000;
    }

    private RejectReason checkReplace(final Order o, final long price, final long quantity, final long requestedStop)
    {
        final Instrument inst = instrument(o.instrumentId);
        final Account acct = accounts.get(o.accountId);
        if (inst.phase == HALTED)
        {
            return RejectReason.INSTRUMENT_HALTED;
        }
        if (inst.phase == CLOSED || inst.phase == POST_CLOSE)
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
        if (tooManyPeaks(o.maxFloor, quantity - o.cumQty))
        {
            return RejectReason.ICEBERG_TOO_MANY_PEAKS;
        }
        if (o.ordType == STOP)
        {
            if (price != 0)
            {
                return RejectReason.INVALID_PRICE;
            }
        }
        else
        {
            final RejectReason priceProblem = checkPrice(inst, price);
            if (priceProblem != null)
            {
                return priceProblem;
            }
        }
        if (requestedStop != 0)
        {
            if (!o.held())
            {
                return RejectReason.INVALID_STOP_PRICE;
            }
            final RejectReason stopProblem = checkStop(inst, o.side, requestedStop);
            if (stopProblem != null)
            {
                return stopProblem;
            }
        }
        final long limit = limitOf(inst, o.side, o.ordType, price);
        final long notional = notional(limit, quantity);
        if (notional == Long.MAX_VALUE || notional > inst.maxNotional)
        {
            return RejectReason.NOTIONAL_EXCEEDED;
        }
        final long newLeaves = quantity - o.cumQty;
        if (o.side == 1)
        {
            if (limit * newLeaves - o.holdPrice * o.leaves > acct.cash - acct.cashHeld)
            {
                return RejectReason.INSUFFICIENT_FUNDS;
            }
        }
        else if (newLeaves - o.leaves > acct.availablePosition(o.instrumentId))
        {
            return RejectReason.INSUFFICIENT_POSITION;
        }
        final boolean keep = price == o.price && quantity <= o.quantity;
        if (!o.held() && !keep && o.postOnly() && inst.phase == CONTINUOUS && crosses(inst, o.side, price))
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
        final boolean killSwitch = reasonRaw == CancelReason.KILL_SWITCH.value();
        final boolean sessionWide = killSwitch && account == 0;
        final boolean onlyThisSession = c.onlyThisSessionRaw() == BooleanType.TRUE.value();
        final CancelReason reason = reasonRaw == CancelReason.CANCEL_ON_DISCONNECT.value() ?
            CancelReason.CANCEL_ON_DISCONNECT : killSwitch ? CancelReason.KILL_SWITCH : CancelReason.MASS_CANCEL;
        final int limit = c.actingVersion() < 4 ? 0 : c.maxOrders(); // a version 3 command has no limit: all at once
        final long upTo = c.actingVersion() < 6 ? 0 : c.upToOrderId(); // version 6: only orders up to this OrderID
        final long bound = upTo > 0 ? upTo : lastOrderId;
        out.begin(++sequence, c.timestamp(), c.sessionId(), c.msgSeqNum(), CommandType.MASS_CANCEL);

        RejectReason reject = null;
        if (killSwitch && (limit <= 0 || !isBlank(clOrdId) || (sessionWide && (!onlyThisSession || c.sessionId() <= 0))))
        {
            reject = RejectReason.MALFORMED_COMMAND;
        }
        else if (!sessionWide && !accounts.containsKey(account))
        {
            reject = RejectReason.UNKNOWN_ACCOUNT;
        }
        else if (isBlank(clOrdId) && reason != CancelReason.CANCEL_ON_DISCONNECT && limit <= 0)
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
        else if (reasonRaw != CancelReason.MASS_CANCEL.value() && reasonRaw != CancelReason.CANCEL_ON_DISCONNECT.value() && !killSwitch ||
            limit < 0 || upTo < 0)
        {
            reject = RejectReason.MALFORMED_COMMAND;
        }
        if (reject != null)
        {
            out.massCancelDone(account, c.sessionId(), instrumentId, side, reason, reject, 0, false, raw, 0);
            return finish();
        }
        if (!isBlank(clOrdId))
        {
            use(account, clOrdId);
        }
        final List<Order> victims = new ArrayList<>();
        for (final Order o : liveOrders.values())
        {
            if ((sessionWide ? o.sessionId == c.sessionId() : o.accountId == account && o.orderId <= bound) &&
                (instrumentId == 0 || o.instrumentId == instrumentId) &&
                (side == 0 || o.side == side) &&
                (!onlyThisSession || o.sessionId == c.sessionId()))
            {
                victims.add(o);
            }
        }
        if (sessionWide)
        {
            victims.sort(java.util.Comparator.comparingInt((Order o) -> o.instrumentId).thenComparingLong(o -> o.orderId));
        }
        // a slice takes the first limit of them (the lowest order ids); the rest wait for the next slice
        final boolean moreRemaining = limit > 0 && victims.size() > limit;
        final List<Order> slice = moreRemaining ? victims.subList(0, limit) : victims;
        for (final Order o : slice)
        {
            cancelResting(o, reason, null);
        }
        out.massCancelDone(account, c.sessionId(), instrumentId, side, reason, RejectReason.NONE, slice.size(), moreRemaining, raw, bound);
        return finish();
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
        final int instrument = c.instrumentId() == OrderStatusRequestDecoder.instrumentIdNullValue() ? 0 : c.instrumentId();
        final int side = c.side() == OrderStatusRequestDecoder.sideNullValue() ? 0 : c.side();
        if (found != null && (instrument > 0 && instrument != found.instrumentId || (side == 1 || side == 2) && side != found.side))
        {
            found = null; // the request describes another order than the one its ids found
        }
        if (found == null)
        {
            out.orderStatusUnknown(c.accountId(), c.sessionId(), c.orderId(), raw, instrument, side);
        }
        else
        {
            out.orderStatus(found, c.sessionId());
        }
        return finish();
    }

    // ------------------------------------------------------------------ operator commands

    private boolean isBlocked(final long account, final int session)
    {
        return blockedAccounts.contains(account) || (session != 0 && blockedSessions.contains(session));
    }

    /** SetBlock, as ENGINE-RULES.md states it. */
    private byte[] setBlock(final SetBlockDecoder c)
    {
        out.begin(++sequence, c.timestamp(), c.sessionId(), c.msgSeqNum(), CommandType.SET_BLOCK);
        final long account = c.accountId();
        final int session = c.targetSessionId();
        final int blocked = c.blockedRaw();
        final int cancel = c.cancelOrdersRaw();
        if ((account == 0) == (session == 0) || account < 0 || session < 0 || blocked > 1 || cancel != 0)
        {
            return rejectCommand(CommandType.SET_BLOCK, RejectReason.MALFORMED_COMMAND, account, 0, 0, SetBlockDecoder.TEMPLATE_ID);
        }
        if (account != 0 && !accounts.containsKey(account))
        {
            return rejectCommand(CommandType.SET_BLOCK, RejectReason.UNKNOWN_ACCOUNT, account, 0, 0, SetBlockDecoder.TEMPLATE_ID);
        }
        // version 5: a block cancels nothing itself; the kill switch's cancels are MassCancel slices
        if (account != 0)
        {
            if (blocked == 1)
            {
                blockedAccounts.add(account);
            }
            else
            {
                blockedAccounts.remove(account);
            }
        }
        else if (blocked == 1)
        {
            blockedSessions.add(session);
        }
        else
        {
            blockedSessions.remove(session);
        }
        out.blockChanged(account, session, blocked == 1, 0);
        return finish();
    }

    private byte[] rejectCommand(
        final CommandType type, final RejectReason reason, final long account, final int instrument, final long requestId, final int templateId)
    {
        out.commandRejected(type, reason, account, instrument, requestId, templateId);
        return finish();
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
        else if (c.tickSize() <= 0 || c.lotSize() <= 0 || c.minQuantity() < c.lotSize() || c.minQuantity() % c.lotSize() != 0 || c.maxNotional() <= 0 ||
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
        return finish();
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
        leave(inst, phaseOf(status));
        inst.status = status;
        inst.phase = phaseOf(status);
        inst.indication = NO_INDICATION;
        out.tradingStatusChanged(inst.id, status);
        touched.add(inst);
        return finish();
    }

    private byte[] setTradingPhase(final SetTradingPhaseDecoder c)
    {
        out.begin(++sequence, c.timestamp(), c.sessionId(), c.msgSeqNum(), CommandType.SET_TRADING_PHASE);
        final Instrument inst = instrument(c.instrumentId());
        final int phase = c.phaseRaw();
        RejectReason reason = null;
        if (inst == null)
        {
            reason = RejectReason.UNKNOWN_INSTRUMENT;
        }
        else if (phase < CONTINUOUS || phase > POST_CLOSE || phase == VOLATILITY_CALL)
        {
            reason = RejectReason.INVALID_TRADING_PHASE;
        }
        else if (c.expectedPhase() != 0 && c.expectedPhase() != inst.phase)
        {
            reason = RejectReason.TRADING_PHASE_MISMATCH;
        }
        else if (phase == inst.phase)
        {
            reason = RejectReason.INVALID_TRADING_PHASE;
        }
        if (reason != null)
        {
            return rejectCommand(CommandType.SET_TRADING_PHASE, reason, 0, c.instrumentId(), 0, SetTradingPhaseDecoder.TEMPLATE_ID);
        }
        leave(inst, phase);
        changePhase(inst, phase, PhaseChangeReason.COMMAND, c.callEndDelay(), 0);
        return finish();
    }

    private void changePhase(final Instrument inst, final int phase, final PhaseChangeReason reason, final long delay, final long interruption)
    {
        final int previous = inst.phase;
        inst.phase = phase;
        inst.status = statusOf(phase);
        if (!isCall(phase))
        {
            inst.indication = NO_INDICATION;
        }
        out.tradingPhaseChanged(inst.id, phase, previous, inst.status, reason, delay, interruption);
        touched.add(inst);
    }

    /**
     * Before a phase changes: a call left for continuous trading or the post-close is
     * uncrossed, continuous trading is always entered through an uncross (if the book crosses),
     * and the auction-only orders of an opening or closing call that ends expire.
     */
    private void leave(final Instrument inst, final int next)
    {
        final int from = inst.phase;
        if (from == HALTED && next != CLOSING_CALL)
        {
            expireAuctionOnly(inst, ATC); // only the closing auction is theirs: gone before any other
        }
        if (next == CONTINUOUS || isCall(from) && next == POST_CLOSE)
        {
            uncross(inst, from);
        }
        if (next == HALTED)
        {
            return; // a halt keeps the call's book, auction-only orders included
        }
        if ((from == OPENING_CALL || from == HALTED) && next != OPENING_CALL)
        {
            expireAuctionOnly(inst, OPG);
        }
        if (from == CLOSING_CALL && next != CLOSING_CALL)
        {
            expireAuctionOnly(inst, ATC);
        }
    }

    private void expireAuctionOnly(final Instrument inst, final int tif)
    {
        final List<Order> expiring = new ArrayList<>();
        for (final Order o : liveOrders.values())
        {
            if (o.instrumentId == inst.id && o.tif == tif)
            {
                expiring.add(o);
            }
        }
        for (final Order o : expiring)
        {
            cancelResting(o, CancelReason.EXPIRED, null);
        }
    }

    /**
     * The auction: the price from {@link ReferenceUncross}, then buys in price-time priority
     * (best price first, oldest first) filled against sells in the same order, each fill the
     * most both can take, at the one price, the sell named maker.
     */
    private void uncross(final Instrument inst, final int from)
    {
        final ReferenceUncross.Result result = ReferenceUncross.compute(inst.callBook(), inst.auctionReference());
        if (!result.crosses() && !isCall(from))
        {
            return;
        }
        out.auctionUncrossed(inst.id, from, result);
        if (result.crosses())
        {
            inst.lastAuction = result.price();
            inst.lastTradeBeforeCommand = result.price(); // the dynamic guard's anchor for the rest of the command
        }
        inst.indication = NO_INDICATION;
        long remaining = result.volume();
        Order buy = null;
        Order sell = null;
        while (remaining > 0)
        {
            buy = inst.bids.firstEntry().getValue().get(0);
            sell = inst.asks.firstEntry().getValue().get(0);
            final long q = Math.min(remaining, Math.min(buy.leaves, sell.leaves));
            fill(inst, sell, buy, result.price(), q, true);
            remaining -= q;
            if (buy.leaves == 0)
            {
                removeResting(inst, buy);
            }
            if (sell.leaves == 0)
            {
                removeResting(inst, sell);
            }
        }
        for (final Order o : new Order[]{buy, sell})
        {
            if (o != null && o.leaves > 0 && o.maxFloor > 0 && o.display == 0)
            {
                final ArrayList<Order> level = inst.side(o.side).get(o.price);
                level.remove(o);
                level.add(o);
                o.display = Math.min(o.maxFloor, o.leaves);
                out.orderRested(o);
                touchIfCall(inst);
            }
        }
    }

    private byte[] setVolatilityGuards(final SetVolatilityGuardsDecoder c)
    {
        out.begin(++sequence, c.timestamp(), c.sessionId(), c.msgSeqNum(), CommandType.SET_VOLATILITY_GUARDS);
        final Instrument inst = instrument(c.instrumentId());
        if (inst == null)
        {
            return rejectCommand(CommandType.SET_VOLATILITY_GUARDS, RejectReason.UNKNOWN_INSTRUMENT, 0, c.instrumentId(), 0,
                SetVolatilityGuardsDecoder.TEMPLATE_ID);
        }
        final int dynamic = c.dynamicBandBps();
        final int fixed = c.staticBandBps();
        if (dynamic < 0 || dynamic > 100_000 || fixed < 0 || fixed > 100_000 || c.interruptionNanos() < 0)
        {
            return rejectCommand(CommandType.SET_VOLATILITY_GUARDS, RejectReason.INVALID_VOLATILITY_GUARD, 0, c.instrumentId(), 0,
                SetVolatilityGuardsDecoder.TEMPLATE_ID);
        }
        final boolean changed = inst.dynamicBps != dynamic || inst.staticBps != fixed || inst.interruptionNanos != c.interruptionNanos();
        inst.dynamicBps = dynamic;
        inst.staticBps = fixed;
        inst.interruptionNanos = c.interruptionNanos();
        out.volatilityGuardsChanged(inst.id, dynamic, fixed, c.interruptionNanos(), changed);
        return finish();
    }

    private byte[] expireOrders(final ExpireOrdersDecoder c)
    {
        out.begin(++sequence, c.timestamp(), c.sessionId(), c.msgSeqNum(), CommandType.EXPIRE_ORDERS);
        final long time = c.expireTime();
        final List<Order> expiring = new ArrayList<>();
        for (final Order o : liveOrders.values())
        {
            if (o.tif == GTD && o.expireTime <= time)
            {
                expiring.add(o);
            }
        }
        expiring.sort((a, b) -> a.expireTime != b.expireTime ? Long.compare(a.expireTime, b.expireTime) : Long.compare(a.orderId, b.orderId));
        for (final Order o : expiring)
        {
            cancelResting(o, CancelReason.EXPIRED, null);
        }
        out.ordersExpired(time, expiring.size());
        return finish();
    }

    // ------------------------------------------------------------------ end of command

    /**
     * What a command sets off once its own events are written: stops triggered by its trades or
     * its new phase are elected (the instruments it touched in the order it touched them, then
     * every other instrument trading continuously with a triggered stop, by id), at most
     * {@code maxElectionsPerCommand} in all; then each touched instrument in a call publishes its
     * indication if it changed.
     */
    private void endOfCommand()
    {
        final int[] budget = {maxElectionsPerCommand};
        for (final Instrument inst : new ArrayList<>(touched))
        {
            elect(inst, budget);
        }
        for (final Instrument inst : instruments.values())
        {
            elect(inst, budget);
        }
        for (final Instrument inst : new ArrayList<>(touched))
        {
            if (isCall(inst.phase))
            {
                final ReferenceUncross.Result now = ReferenceUncross.compute(inst.callBook(), inst.auctionReference());
                if (!now.equals(inst.indication))
                {
                    inst.indication = now;
                    out.auctionIndication(inst.id, now);
                }
            }
        }
    }

    /**
     * In rounds: every stop that a price the round covers reached; the first round covers the
     * command's prints (or the last price if none), each later one the prints of the round before.
     */
    private void elect(final Instrument inst, final int[] budget)
    {
        long low = inst.prints.isEmpty() ? inst.lastTrade : Collections.min(inst.prints);
        long high = inst.prints.isEmpty() ? inst.lastTrade : Collections.max(inst.prints);
        inst.prints.clear();
        while (budget[0] > 0 && inst.phase == CONTINUOUS)
        {
            final Order stop = triggered(inst, low, high);
            if (stop == null)
            {
                if (inst.prints.isEmpty())
                {
                    return;
                }
                low = Collections.min(inst.prints);
                high = Collections.max(inst.prints);
                inst.prints.clear();
                continue;
            }
            budget[0]--;
            inst.stops.remove(stop);
            final int becomes = stop.ordType == STOP ? MARKET : LIMIT;
            out.orderElected(stop, becomes, stop.side == 1 ? high : low);
            stop.ordType = becomes;
            final long limit = becomes == LIMIT ? stop.price :
                stop.side == 1 ? Math.min(inst.bandHigh, stop.holdPrice) : inst.bandLow;
            work(inst, stop, limit);
        }
    }

    /**
     * The stop to elect in a round whose prints went from {@code low} to {@code high}: buy stops at or
     * below {@code high} (lowest stop price first, then the one that got to that stop price first), sell
     * stops at or above {@code low} (highest first); if both sides have one, the order accepted first.
     */
    private static Order triggered(final Instrument inst, final long low, final long high)
    {
        if (high == 0)
        {
            return null;
        }
        Order buy = null;
        Order sell = null;
        for (final Order o : inst.stops)
        {
            if (o.side == 1 && o.stopPrice <= high &&
                (buy == null || o.stopPrice < buy.stopPrice || o.stopPrice == buy.stopPrice && o.stopArrival < buy.stopArrival))
            {
                buy = o;
            }
            if (o.side == 2 && o.stopPrice >= low &&
                (sell == null || o.stopPrice > sell.stopPrice || o.stopPrice == sell.stopPrice && o.stopArrival < sell.stopArrival))
            {
                sell = o;
            }
        }
        if (buy == null)
        {
            return sell;
        }
        if (sell == null)
        {
            return buy;
        }
        return buy.orderId < sell.orderId ? buy : sell;
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
        touched.add(inst); // a call's indication may rest on the reference price
        return finish();
    }

    /** AmendInstrument, as ENGINE-RULES.md states it: 0 keeps a value; the first failed check names the reason. */
    private byte[] amendInstrument(final AmendInstrumentDecoder c)
    {
        out.begin(++sequence, c.timestamp(), c.sessionId(), c.msgSeqNum(), CommandType.AMEND_INSTRUMENT);
        final Instrument inst = instrument(c.instrumentId());
        final long[] in = {c.tickSize(), c.lotSize(), c.minQuantity(), c.maxQuantity(), c.maxNotional(), c.referencePrice(), c.priceBandBps()};
        RejectReason reason = null;
        if (inst == null)
        {
            reason = RejectReason.UNKNOWN_INSTRUMENT;
        }
        else if (java.util.Arrays.stream(in).allMatch(v -> v == 0))
        {
            reason = RejectReason.MALFORMED_COMMAND;
        }
        else if (in[0] < 0)
        {
            reason = RejectReason.BAD_TICK;
        }
        else if (in[1] < 0)
        {
            reason = RejectReason.BAD_LOT;
        }
        else if (in[2] < 0 || in[3] < 0 ||
            (in[3] == 0 ? inst.maxQty : in[3]) < (in[2] == 0 ? keptMinimum(inst.minQty, in[1] == 0 ? inst.lot : in[1]) : in[2]) ||
            (in[2] != 0 && (in[2] < (in[1] == 0 ? inst.lot : in[1]) || in[2] % (in[1] == 0 ? inst.lot : in[1]) != 0)))
        {
            reason = RejectReason.QTY_OUT_OF_RANGE;
        }
        else if (in[4] < 0)
        {
            reason = RejectReason.INVALID_AMOUNT;
        }
        else if (in[5] < 0)
        {
            reason = RejectReason.INVALID_PRICE;
        }
        else if ((in[5] == 0 ? inst.reference : in[5]) % (in[0] == 0 ? inst.tick : in[0]) != 0)
        {
            reason = RejectReason.BAD_TICK;
        }
        else
        {
            final int bps = in[6] == 0 ? inst.bandBps : (int)in[6];
            final long reference = in[5] == 0 ? inst.reference : in[5];
            final long[] band = bps < 1 || bps > 100_000 ? null : band(reference, bps, in[0] == 0 ? inst.tick : in[0]);
            if (band == null || band[1] <= 0)
            {
                reason = RejectReason.OUTSIDE_PRICE_BAND;
            }
        }
        if (reason != null)
        {
            return rejectCommand(CommandType.AMEND_INSTRUMENT, reason, 0, c.instrumentId(), 0, AmendInstrumentDecoder.TEMPLATE_ID);
        }
        inst.tick = in[0] == 0 ? inst.tick : in[0];
        inst.lot = in[1] == 0 ? inst.lot : in[1];
        inst.minQty = in[2] == 0 ? keptMinimum(inst.minQty, inst.lot) : in[2]; // a kept minimum rises to whole lots
        inst.maxQty = in[3] == 0 ? inst.maxQty : in[3];
        inst.maxNotional = in[4] == 0 ? inst.maxNotional : in[4];
        inst.bandBps = in[6] == 0 ? inst.bandBps : (int)in[6];
        inst.setReference(in[5] == 0 ? inst.reference : in[5]);
        out.instrumentAmended(inst.id, inst.tick, inst.lot, inst.minQty, inst.maxQty, inst.maxNotional, inst.reference, inst.bandBps);
        touched.add(inst);
        return finish();
    }

    private byte[] createAccount(final CreateAccountDecoder c)
    {
        out.begin(++sequence, c.timestamp(), c.sessionId(), c.msgSeqNum(), CommandType.CREATE_ACCOUNT);
        final long id = c.accountId();
        final int stp = c.stpModeRaw();
        RejectReason reason = null;
        if (id <= 0 || id >= 1L << 56) // ids use 56 bits at most
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
        return finish();
    }

    /** The exchange's total of an asset, summed over the accounts afresh (the engine keeps it as it goes). */
    private long total(final int instrumentId)
    {
        long total = 0;
        for (final Account a : accounts.values())
        {
            if (instrumentId == 0)
            {
                total = Math.addExact(total, a.cash);
            }
            else
            {
                final long[] p = a.positions.get(instrumentId);
                total = Math.addExact(total, p == null ? 0 : p[0]);
            }
        }
        return total;
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
            if (amount > MAX_BALANCE - current || amount > MAX_TOTAL - total(instrumentId))
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
        return finish();
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
        if (c.unlessEndedSince() > 0 && (out.dayOpenedAt == 0 || out.dayOpenedAt >= c.unlessEndedSince()))
        {
            return rejectCommand(CommandType.END_OF_DAY, RejectReason.DAY_ALREADY_ENDED, 0, instrumentId, 0, EndOfDayDecoder.TEMPLATE_ID);
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
                if (o.instrumentId == inst.id && (o.tif == DAY || o.tif == IOC || o.tif == OPG || o.tif == ATC))
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
            out.dayOpenedAt = 0;
            usedClOrdIds.clear();
            carriedClOrdIds.clear();
            for (final Order o : liveOrders.values())
            {
                use(o.accountId, o.clOrdId);
                carry(o);
            }
        }
        out.dayEnded(instrumentId, expiring.size());
        return finish();
    }

    private byte[] audit(final AuditDecoder c)
    {
        out.begin(++sequence, c.timestamp(), c.sessionId(), c.msgSeqNum(), CommandType.AUDIT);
        final int type = c.auditTypeRaw();
        if (type < 1 || type > 9)
        {
            return rejectCommand(CommandType.AUDIT, RejectReason.MALFORMED_COMMAND, c.accountId(), 0, 0, AuditDecoder.TEMPLATE_ID);
        }
        final byte[] username = new byte[AuditDecoder.usernameLength()];
        c.getUsername(username, 0);
        // a block long enough carries the instrument, whatever version the header claims
        final int instrumentId = c.limit() - c.offset() >= AuditDecoder.instrumentIdEncodingOffset() + 4
            ? c.buffer().getInt(c.offset() + AuditDecoder.instrumentIdEncodingOffset(), java.nio.ByteOrder.LITTLE_ENDIAN) : 0;
        // version 6: the gateway and the CompID, copied as they are
        final boolean v6 = c.limit() - c.offset() >= AuditDecoder.compIdEncodingOffset() + AuditDecoder.compIdLength();
        final byte[] compId = new byte[AuditDecoder.compIdLength()];
        if (v6)
        {
            c.buffer().getBytes(c.offset() + AuditDecoder.compIdEncodingOffset(), compId);
        }
        // version 14: the ClOrdID of a request the gateway refused, copied as it is
        final byte[] clOrdId = new byte[AuditDecoder.clOrdIdLength()];
        if (c.limit() - c.offset() >= AuditDecoder.clOrdIdEncodingOffset() + AuditDecoder.clOrdIdLength())
        {
            c.buffer().getBytes(c.offset() + AuditDecoder.clOrdIdEncodingOffset(), clOrdId);
        }
        out.auditRecorded(c.accountId(), type, c.detail(), username, instrumentId,
            v6 ? c.buffer().getInt(c.offset() + AuditDecoder.gatewayIdEncodingOffset(), java.nio.ByteOrder.LITTLE_ENDIAN) : 0, compId,
            clOrdId);
        return finish();
    }

    /** A kept minimum under a lot: the smallest whole number of lots at or above it, at least one lot. */
    private static long keptMinimum(final long minQty, final long lot)
    {
        long lots = Math.max(minQty, lot) / lot;
        if (lots * lot < Math.max(minQty, lot))
        {
            lots++;
        }
        return lots * lot;
    }

}
