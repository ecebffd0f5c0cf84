package dev.bourse.gateway;

import dev.bourse.engine.sequencer.CommandPublisher;
import dev.bourse.gateway.fix.FixMessage;
import dev.bourse.gateway.fix.FixTime;
import dev.bourse.protocol.ClOrdIds;
import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.Prices;
import dev.bourse.protocol.sbe.*;
import org.agrona.AsciiSequenceView;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static dev.bourse.gateway.fix.FixTags.*;

/**
 * The application messages of a logged-on session turned into engine commands: NewOrderSingle,
 * OrderCancelRequest, OrderCancelReplaceRequest, OrderMassCancelRequest and OrderStatusRequest.
 * Checks what the engine cannot (the fields' FIX syntax, the symbol, the session's rate), answers
 * what it refuses itself in the message's own answer type, and submits the rest through the
 * {@link CommandSubmitter} stamped with the message's MsgSeqNum. Gateway thread only; allocation free.
 * <p>
 * About 810 lines: it is one FIX-to-command mapping per message type, each short, and
 * splitting them apart would spread the shared field checks (ClOrdID, OrigClOrdID, Symbol, Side)
 * over several classes.
 */
final class OrderEntry
{
    private final CommandSubmitter submitter;
    private final SessionSender sender;
    private final ReportWriter reports;
    private final Instruments instruments;
    private final GatewayCounters counters;
    private final GatewayContext ctx;
    private final CommandClock timestamps;
    private final AbuseLog abuseLog;
    private final CommandWriter commands;
    private final AsciiSequenceView clOrdId = new AsciiSequenceView();
    private final AsciiSequenceView origClOrdId = new AsciiSequenceView();
    private int namedInstrument;
    private int namedSide;

    private final MarketDays marketDays;

    OrderEntry(
        final GatewayContext ctx, final CommandSubmitter submitter, final SessionSender sender, final ReportWriter reports,
        final Instruments instruments, final GatewayCounters counters, final CommandClock timestamps, final AbuseLog abuseLog,
        final ClientMassCancels massCancels)
    {
        this.massCancels = massCancels;
        this.abuseLog = abuseLog;
        this.ctx = ctx;
        this.submitter = submitter;
        this.sender = sender;
        this.reports = reports;
        this.instruments = instruments;
        this.counters = counters;
        this.timestamps = timestamps;
        this.commands = submitter.writer();
        this.marketDays = new MarketDays(ctx.marketZone());
    }

    private final ClientMassCancels massCancels;

    ClientMassCancels massCancels()
    {
        return massCancels;
    }

    void onMessage(final FixSession s, final FixMessage m, final int seq, final byte type)
    {
        final boolean byOrderId = m.has(ORDER_ID);
        final int clOrdIdOffset = m.valueOffset(CL_ORD_ID);
        final int clOrdIdLength = m.valueLength(CL_ORD_ID);
        if (clOrdIdOffset < 0)
        {
            if (type != ORDER_STATUS_REQUEST || !byOrderId)
            {
                sender.sessionReject(s, seq, m, CL_ORD_ID, REJECT_REQUIRED_TAG_MISSING, "ClOrdID(11) missing");
                return;
            }
            clOrdId.wrap(m.buffer(), clOrdIdOffset < 0 ? 0 : clOrdIdOffset, 0);
        }
        else if (clOrdIdLength > ClOrdIds.LENGTH || !FixMessage.isVisibleAscii(m.buffer(), clOrdIdOffset, clOrdIdLength))
        {
            sender.sessionReject(s, seq, m, CL_ORD_ID, REJECT_VALUE_INCORRECT, "ClOrdID(11) must be 1 to 20 ASCII characters from ! to ~ (no spaces)");
            return;
        }
        else
        {
            clOrdId.wrap(m.buffer(), clOrdIdOffset, clOrdIdLength);
        }
        final long nowNanos = ctx.nanoClock().nanoTime();
        if (!s.bucket.tryTake(nowNanos) || !s.userBucket.tryTake(nowNanos))
        {
            counters.throttled.incrementRelease();
            abuseLog.record(Refusal.MESSAGE_THROTTLED, sender.nowMs(), s.store.compId(), "rejected, one by one");
            refuse(s, m, seq, type, RejectReason.THROTTLED, "throttled: message rate limit exceeded");
            return;
        }
        if (m.has(ACCOUNT) && m.getLong(ACCOUNT) != s.accountId)
        {
            // the order would otherwise go to the session's account whatever it named: a firm routing
            // several accounts over one session, or a typo, would trade in the wrong one without a word
            refuse(s, m, seq, type, RejectReason.UNKNOWN_ACCOUNT,
                "Account(1) must be this session's account, " + s.accountId + ", or left out");
            if (type != ORDER_STATUS_REQUEST)
            {
                journalRefusal(s, seq, RejectReason.UNKNOWN_ACCOUNT, knownInstrument(m));
            }
            return;
        }
        switch (type)
        {
            case NEW_ORDER_SINGLE:
                newOrder(s, m, seq);
                break;
            case ORDER_CANCEL_REQUEST:
                cancel(s, m, seq);
                break;
            case ORDER_CANCEL_REPLACE_REQUEST:
                replace(s, m, seq);
                break;
            case ORDER_MASS_CANCEL_REQUEST:
                massCancel(s, m, seq);
                break;
            default:
                status(s, m, seq);
                break;
        }
    }

    // A Side, OrdType or TimeInForce FIX 4.4 defines but this exchange does not trade is a business matter,
    // answered with a rejected ExecutionReport (OrdRejReason 11) the client's order system can match to its
    // order; a value FIX 4.4 does not define is a session Reject (373=5).

    private void newOrder(final FixSession s, final FixMessage m, final int seq)
    {
        if (badTransactTime(s, m, seq))
        {
            return;
        }
        final int instrumentId = symbol(s, m, seq);
        if (instrumentId < 0)
        {
            return;
        }
        final byte sideChar = m.getChar(SIDE);
        final Side side = sideChar == '1' ? Side.BUY : sideChar == '2' ? Side.SELL : null;
        if (side == null)
        {
            if (m.isOneOf(SIDE, FIX44_SIDES))
            {
                // a side FIX 4.4 defines (sell short, cross, ...) that this exchange does not trade: the order is rejected
                reports.localOrderReject(s, m, RejectReason.INVALID_SIDE, "Side(54) " + (char)sideChar
                    + " is not supported: 1 (buy) or 2 (sell)");
                journalRefusal(s, seq, RejectReason.INVALID_SIDE, instrumentId);
            }
            else if (m.has(SIDE))
            {
                sender.sessionReject(s, seq, m, SIDE, REJECT_VALUE_INCORRECT, "Side(54) must be 1 (buy) or 2 (sell)");
            }
            else
            {
                sender.sessionReject(s, seq, m, SIDE, REJECT_REQUIRED_TAG_MISSING, "Side(54) missing");
            }
            return;
        }
        final long quantity = m.getWholeQuantity(ORDER_QTY);
        if (quantity == FixMessage.NO_VALUE || quantity <= 0)
        {
            sender.sessionReject(s, seq, m, ORDER_QTY, quantityRejectReason(m, quantity), QUANTITY_FORMAT);
            return;
        }
        final OrdType ordType;
        switch (m.getChar(ORD_TYPE))
        {
            case '1':
                ordType = OrdType.MARKET;
                break;
            case '2':
                ordType = OrdType.LIMIT;
                break;
            case '3':
                ordType = OrdType.STOP;
                break;
            case '4':
                ordType = OrdType.STOP_LIMIT;
                break;
            default:
                if (m.isOneOf(ORD_TYPE, FIX44_ORD_TYPES))
                {
                    reports.localOrderReject(s, m, RejectReason.INVALID_ORDER_TYPE, "OrdType(40) " + (char)m.getChar(ORD_TYPE)
                        + " is not supported: 1 (market), 2 (limit), 3 (stop) or 4 (stop limit)");
                    journalRefusal(s, seq, RejectReason.INVALID_ORDER_TYPE, instrumentId);
                    return;
                }
                sender.sessionReject(s, seq, m, ORD_TYPE, m.has(ORD_TYPE) ? REJECT_VALUE_INCORRECT : REJECT_REQUIRED_TAG_MISSING,
                    "OrdType(40) must be 1 (market), 2 (limit), 3 (stop) or 4 (stop limit)");
                return;
        }
        long stopPrice = 0;
        // on another type a StopPx goes on to the engine, which refuses it (INVALID_STOP_PRICE) rather than drop it
        if (ordType == OrdType.STOP || ordType == OrdType.STOP_LIMIT || m.has(STOP_PX))
        {
            final int p = m.valueOffset(STOP_PX);
            stopPrice = p < 0 ? Prices.INVALID : Prices.parse(m.buffer(), p, m.valueLength(STOP_PX));
            if (stopPrice == Prices.INVALID)
            {
                sender.sessionReject(s, seq, m, STOP_PX, p < 0 ? REJECT_REQUIRED_TAG_MISSING : REJECT_INCORRECT_DATA_FORMAT,
                    p < 0 ? "StopPx(99) required for stop and stop limit orders (OrdType 3 or 4)" : DECIMAL_FORMAT_STOP_PX);
                return;
            }
        }
        final long peak = peak(s, m, seq);
        if (peak == ANSWERED)
        {
            return;
        }
        final long displayQty = peak == NOT_GIVEN ? 0 : peak;
        long price = 0;
        if ((ordType == OrdType.MARKET || ordType == OrdType.STOP) && m.has(PRICE))
        {
            // a client that sends a limit on an order without one may believe it is protected by it: refused, not dropped
            reports.localOrderReject(s, m, RejectReason.INVALID_PRICE,
                "Price(44) is not allowed on a market or stop order (OrdType 1 or 3)");
            journalRefusal(s, seq, RejectReason.INVALID_PRICE, instrumentId);
            return;
        }
        if (ordType == OrdType.LIMIT || ordType == OrdType.STOP_LIMIT)
        {
            final int p = m.valueOffset(PRICE);
            price = p < 0 ? Prices.INVALID : Prices.parse(m.buffer(), p, m.valueLength(PRICE));
            if (price == Prices.INVALID)
            {
                sender.sessionReject(s, seq, m, PRICE, p < 0 ? REJECT_REQUIRED_TAG_MISSING : REJECT_INCORRECT_DATA_FORMAT,
                    p < 0 ? "Price(44) required for limit and stop limit orders (OrdType 2 or 4)" : DECIMAL_FORMAT_PRICE);
                return;
            }
        }
        final TimeInForce tif = m.has(TIME_IN_FORCE) ? timeInForceOf(m.getChar(TIME_IN_FORCE)) : TimeInForce.DAY;
        if (tif == null)
        {
            refuseTimeInForce(s, m, seq, NEW_ORDER_SINGLE, instrumentId);
            return;
        }
        // with another TimeInForce an expiry goes on to the engine, which refuses it (INVALID_EXPIRE_TIME) rather than drop it
        final long expiry = tif == TimeInForce.GTD || m.has(EXPIRE_TIME) || m.has(EXPIRE_DATE) ? expiry(s, m, seq) : NOT_GIVEN;
        if (expiry == ANSWERED)
        {
            return;
        }
        final long expireTime = expiry == NOT_GIVEN ? 0 : expiry;
        final String unsupported = OrderInstructions.unsupported(m);
        if (unsupported != null)
        {
            refuse(s, m, seq, NEW_ORDER_SINGLE, RejectReason.INVALID_ORDER_TYPE, unsupported);
            journalRefusal(s, seq, RejectReason.INVALID_ORDER_TYPE, instrumentId);
            return;
        }
        final boolean postOnly = m.valueContains(EXEC_INST, (byte)'6');
        final StpMode stp;
        // a one-character value only, and no character stands for "absent": "x", once the absent case's marker, was taken as one
        switch (!m.has(SELF_MATCH_PREVENTION) ? -1 : m.valueLength(SELF_MATCH_PREVENTION) == 1 ? m.getChar(SELF_MATCH_PREVENTION) : -2)
        {
            case -1:
                stp = StpMode.ACCOUNT_DEFAULT;
                break;
            case '0':
                stp = StpMode.NONE;
                break;
            case '1':
                stp = StpMode.CANCEL_AGGRESSOR;
                break;
            case '2':
                stp = StpMode.CANCEL_RESTING;
                break;
            case '3':
                stp = StpMode.CANCEL_BOTH;
                break;
            default:
                sender.sessionReject(s, seq, m, SELF_MATCH_PREVENTION, REJECT_VALUE_INCORRECT,
                    "SelfMatchPreventionInstruction(2964) must be 0 to 3");
                return;
        }
        final long claim = submitter.tryClaim();
        if (claim == CommandPublisher.NO_CLAIM)
        {
            reports.localOrderReject(s, m, RejectReason.EXCHANGE_BUSY, "exchange busy, try again");
            return;
        }
        final MutableDirectBuffer slot = submitter.buffer(claim);
        final int length = commands.newOrder(slot, 0, timestamps.timestamp(), s.sessionId, s.accountId,
            instrumentId, side, ordType, tif, postOnly, stp, price, quantity, clOrdId, stopPrice, displayQty, expireTime);
        // a resent order whose first copy did arrive is answered with that order's status, not a duplicate reject (FIX 4.4:
        // the receiver of a PossResend order checks its ClOrdID); a PossDupFlag message that reached this layer came at a
        // new MsgSeqNum (one below the expected is dropped by the session), which a client's own resend logic does too
        if (m.getChar(POSS_RESEND) == 'Y' || m.getChar(POSS_DUP_FLAG) == 'Y')
        {
            CommandWriter.markPossResend(slot, 0);
        }
        submitter.commit(claim, length, s, seq);
    }

    private static final String QUANTITY_FORMAT = "OrderQty(38) must be a positive whole number of at most 18 digits";
    /** The answers to a price that is there but not one (malformed, too many decimals, out of range). */
    private static final String DECIMAL_FORMAT_PRICE =
        "Price(44) must be a decimal of digits with an optional . and leading -, up to 4 decimal places, at most " + Prices.MAX_WHOLE;
    private static final String DECIMAL_FORMAT_STOP_PX =
        "StopPx(99) must be a decimal of digits with an optional . and leading -, up to 4 decimal places, at most " + Prices.MAX_WHOLE;

    /** The last expiry the engine's nanoseconds since 1970 hold, to the millisecond (2262-04-11T23:47:16.854Z). */
    private static final long LAST_EXPIRY_MS = Long.MAX_VALUE / 1_000_000L;
    private static final String LAST_EXPIRY = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HH:mm:ss.SSS")
        .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.ofEpochMilli(LAST_EXPIRY_MS)) + " (UTC)";

    /** What {@link #peak} and {@link #expiry} return when the message does not name the field. */
    private static final long NOT_GIVEN = CommandWriter.NOT_NAMED;
    /** What they return after answering the message with a session Reject. */
    private static final long ANSWERED = -1;

    /** The peak: FIX 4.4's MaxFloor (111), or FIX 5.0's DisplayQty (1138), which clients on 4.4 often send instead. */
    private long peak(final FixSession s, final FixMessage m, final int seq)
    {
        final int peakTag = m.has(MAX_FLOOR) ? MAX_FLOOR : m.has(DISPLAY_QTY) ? DISPLAY_QTY : 0;
        if (peakTag == 0)
        {
            return NOT_GIVEN;
        }
        final long displayQty = m.getWholeQuantity(peakTag);
        if (displayQty == FixMessage.NO_VALUE || displayQty < 0)
        {
            // as OrderQty: 5 for a negative number, 6 for anything that is not a whole number of at most 18 digits
            sender.sessionReject(s, seq, m, peakTag,
                (displayQty != FixMessage.NO_VALUE && displayQty < 0) || m.isNegativeWholeNumber(peakTag)
                    ? REJECT_VALUE_INCORRECT : REJECT_INCORRECT_DATA_FORMAT,
                peakTag == MAX_FLOOR ? "MaxFloor(111) must be a whole number of at most 18 digits, not negative"
                    : "DisplayQty(1138) must be a whole number of at most 18 digits, not negative");
            return ANSWERED;
        }
        if (peakTag == MAX_FLOOR && m.has(DISPLAY_QTY) && m.getWholeQuantity(DISPLAY_QTY) != displayQty)
        {
            sender.sessionReject(s, seq, m, DISPLAY_QTY, REJECT_VALUE_INCORRECT, "DisplayQty(1138) differs from MaxFloor(111)");
            return ANSWERED;
        }
        return displayQty;
    }

    /** The expire time in nanos: ExpireTime (126), else the end of ExpireDate (432); one of them is required (GTD). */
    private long expiry(final FixSession s, final FixMessage m, final int seq)
    {
        final int e = m.valueOffset(EXPIRE_TIME);
        final int d = m.valueOffset(EXPIRE_DATE);
        if (e >= 0 || d < 0)
        {
            final long ms = e < 0 ? FixTime.INVALID : FixTime.parse(m.buffer(), e, m.valueLength(EXPIRE_TIME));
            if (ms == FixTime.INVALID)
            {
                if (e < 0)
                {
                    sender.sessionReject(s, seq, m, EXPIRE_TIME, REJECT_REQUIRED_TAG_MISSING,
                        "ExpireTime(126), a UTCTimestamp, or ExpireDate(432), a YYYYMMDD date, required with TimeInForce 6 (GTD)");
                }
                else
                {
                    sender.sessionReject(s, seq, m, EXPIRE_TIME, REJECT_INCORRECT_DATA_FORMAT,
                        "ExpireTime(126) must be a UTCTimestamp, YYYYMMDD-HH:MM:SS[.sss]");
                }
                return ANSWERED;
            }
            if (ms > LAST_EXPIRY_MS)
            {
                sender.sessionReject(s, seq, m, EXPIRE_TIME, REJECT_VALUE_INCORRECT, "ExpireTime(126) must be before " + LAST_EXPIRY);
                return ANSWERED;
            }
            return ms * 1_000_000L;
        }
        // ExpireDate is the last day the order trades, a date of the market's time zone: it expires when that day ends
        final long day = FixTime.parseDate(m.buffer(), d, m.valueLength(EXPIRE_DATE));
        if (day == FixTime.INVALID)
        {
            sender.sessionReject(s, seq, m, EXPIRE_DATE, REJECT_INCORRECT_DATA_FORMAT, "ExpireDate(432) must be a date YYYYMMDD");
            return ANSWERED;
        }
        final long end = marketDays.endNanos(day);
        if (end == Long.MAX_VALUE)
        {
            // the end of so late a day saturates nanoseconds since 1970: refused as the same ExpireTime is, not acked
            // with an expiry the client never sent (an outside probe)
            sender.sessionReject(s, seq, m, EXPIRE_DATE, REJECT_VALUE_INCORRECT, "ExpireDate(432) must end before " + LAST_EXPIRY);
            return ANSWERED;
        }
        return end;
    }

    /** Symbol (55) to instrument id; answers and returns -1 when missing or unknown. */
    private int symbol(final FixSession s, final FixMessage m, final int seq)
    {
        final int offset = m.valueOffset(SYMBOL);
        if (offset < 0)
        {
            sender.sessionReject(s, seq, m, SYMBOL, REJECT_REQUIRED_TAG_MISSING, "Symbol(55) missing");
            return -1;
        }
        final int id = instruments.find(m.buffer(), offset, m.valueLength(SYMBOL));
        if (id <= 0)
        {
            reports.localOrderReject(s, m, RejectReason.UNKNOWN_INSTRUMENT, "unknown symbol");
            journalRefusal(s, seq, RejectReason.UNKNOWN_INSTRUMENT, 0);
            return -1;
        }
        return id;
    }

    /**
     * OrigClOrdID (41) into {@link #origClOrdId}; it may be left out when OrderID (37) names the
     * order. Answers and returns false when it is needed and missing or malformed.
     */
    private boolean origClOrdId(final FixSession s, final FixMessage m, final int seq)
    {
        final int orig = m.valueOffset(ORIG_CL_ORD_ID);
        final int length = m.valueLength(ORIG_CL_ORD_ID);
        if (orig < 0 && m.has(ORDER_ID))
        {
            origClOrdId.wrap(m.buffer(), 0, 0);
            return true;
        }
        if (orig < 0 || length > ClOrdIds.LENGTH || !FixMessage.isVisibleAscii(m.buffer(), orig, length))
        {
            sender.sessionReject(s, seq, m, ORIG_CL_ORD_ID, orig < 0 ? REJECT_REQUIRED_TAG_MISSING : REJECT_VALUE_INCORRECT,
                "OrigClOrdID(41) must be 1 to 20 ASCII characters from ! to ~ (no spaces), or OrderID(37) given");
            return false;
        }
        origClOrdId.wrap(m.buffer(), orig, length);
        return true;
    }

    /** FIX's SessionRejectReason for a bad OrderQty: missing (1), not a whole number (6), or zero or negative (5). */
    private static int quantityRejectReason(final FixMessage m, final long quantity)
    {
        if (!m.has(ORDER_QTY))
        {
            return REJECT_REQUIRED_TAG_MISSING;
        }
        return quantity == FixMessage.NO_VALUE && !m.isNegativeWholeNumber(ORDER_QTY) ? REJECT_INCORRECT_DATA_FORMAT
            : REJECT_VALUE_INCORRECT;
    }

    /** OrderID (37) if it can be one of ours (a positive number), else 0: the engine then finds the order by ClOrdID. */
    private static long orderId(final FixMessage m)
    {
        final long id = m.getLong(ORDER_ID);
        return id == FixMessage.NO_VALUE || id < 0 ? 0 : id;
    }

    /**
     * An OrderID (37) that cannot be one of ours (they are positive numbers; FIX's OrderID is a
     * String, so "abc" is well formed): it names no order of the account, which is an unknown order
     * (answered as the engine answers one), not a request that names none.
     */
    private static boolean namesUnknownOrderId(final FixMessage m)
    {
        return m.has(ORDER_ID) && orderId(m) == 0;
    }

    /**
     * Symbol (55) and Side (54) of a cancel, replace or status request into {@link #namedInstrument}
     * and {@link #namedSide}: the engine refuses a cancel or replace if they are not the order's,
     * since neither can be changed, and echoes them in the answer to a status request for an unknown
     * order. A Symbol the exchange does not list names no order's instrument. FIX 4.4 makes both
     * required in F, G and H, so a request without either gets a session Reject (373=1), as a
     * Side FIX 4.4 does not define gets one (373=5). A Side it defines that no order here has (sell
     * short, ...) is well formed but names none of ours: refused in the request's own answer type
     * ({@code type}), as a NewOrderSingle with it is. Answers and returns false then.
     */
    private boolean namedOrder(final FixSession s, final FixMessage m, final int seq, final byte type)
    {
        namedInstrument = 0;
        namedSide = 0;
        final int symbol = m.valueOffset(SYMBOL);
        if (symbol < 0)
        {
            sender.sessionReject(s, seq, m, SYMBOL, REJECT_REQUIRED_TAG_MISSING, "Symbol(55) missing");
            return false;
        }
        if (!m.has(SIDE))
        {
            sender.sessionReject(s, seq, m, SIDE, REJECT_REQUIRED_TAG_MISSING, "Side(54) missing");
            return false;
        }
        final byte side = m.getChar(SIDE);
        if (side != '1' && side != '2')
        {
            if (m.isOneOf(SIDE, FIX44_SIDES))
            {
                refuse(s, m, seq, type, RejectReason.INVALID_SIDE, "Side(54) " + (char)side
                    + " is not traded here, so no order has it: 1 (buy) or 2 (sell)");
                journalRefusal(s, seq, RejectReason.INVALID_SIDE, knownInstrument(m));
            }
            else
            {
                sender.sessionReject(s, seq, m, SIDE, REJECT_VALUE_INCORRECT, "Side(54) must be 1 (buy) or 2 (sell)");
            }
            return false;
        }
        final int id = instruments.find(m.buffer(), symbol, m.valueLength(SYMBOL));
        namedInstrument = id > 0 ? id : Integer.MAX_VALUE;
        namedSide = side == '1' ? Side.BUY.value() : Side.SELL.value();
        return true;
    }

    /** A TransactTime(60) that is there but no UTCTimestamp gets a session Reject (373=6); the exchange stamps its own time. */
    private boolean badTransactTime(final FixSession s, final FixMessage m, final int seq)
    {
        final int t = m.valueOffset(TRANSACT_TIME);
        if (t >= 0 && FixTime.parse(m.buffer(), t, m.valueLength(TRANSACT_TIME)) == FixTime.INVALID)
        {
            sender.sessionReject(s, seq, m, TRANSACT_TIME, REJECT_INCORRECT_DATA_FORMAT, "TransactTime(60) must be a UTCTimestamp");
            return true;
        }
        return false;
    }

    private void cancel(final FixSession s, final FixMessage m, final int seq)
    {
        if (badTransactTime(s, m, seq) || !origClOrdId(s, m, seq) || !namedOrder(s, m, seq, ORDER_CANCEL_REQUEST))
        {
            return;
        }
        if (namesUnknownOrderId(m))
        {
            reports.unknownOrderCancelReject(s, m, (byte)'1');
            return;
        }
        final long claim = submitter.tryClaim();
        if (claim == CommandPublisher.NO_CLAIM)
        {
            reports.localCancelReject(s, m, (byte)'1', "exchange busy, try again");
            return;
        }
        submitter.commit(claim, commands.cancelOrder(submitter.buffer(claim), 0, timestamps.timestamp(), s.sessionId, s.accountId,
            orderId(m), clOrdId, origClOrdId, namedInstrument, namedSide), s, seq);
    }

    private void replace(final FixSession s, final FixMessage m, final int seq)
    {
        if (badTransactTime(s, m, seq) || !origClOrdId(s, m, seq) || !namedOrder(s, m, seq, ORDER_CANCEL_REPLACE_REQUEST))
        {
            return;
        }
        final long quantity = m.getWholeQuantity(ORDER_QTY);
        if (quantity == FixMessage.NO_VALUE || quantity <= 0)
        {
            sender.sessionReject(s, seq, m, ORDER_QTY, quantityRejectReason(m, quantity), QUANTITY_FORMAT);
            return;
        }
        if (!m.has(ORD_TYPE))
        {
            // required on a replace as on a new order (FIX 4.4): one without it was carried out, and a stop's was refused
            // for a missing Price
            sender.sessionReject(s, seq, m, ORD_TYPE, REJECT_REQUIRED_TAG_MISSING,
                "OrdType(40) required: the order's own, 2 limit, 3 stop or 4 stop limit");
            return;
        }
        final byte ordType = m.getChar(ORD_TYPE);
        if ((ordType < '1' || ordType > '4' || m.valueLength(ORD_TYPE) != 1) && m.isOneOf(ORD_TYPE, FIX44_ORD_TYPES))
        {
            // well formed, but no order here has that type and a replace keeps the order's: the engine's answer to another type
            reports.localCancelReject(s, m, (byte)'2', "OrdType(40) " + (char)ordType
                + " is not traded here, and a replace keeps the order's type: 2 (limit), 3 (stop) or 4 (stop limit)");
            journalRefusal(s, seq, RejectReason.INVALID_ORDER_TYPE, namedInstrument == Integer.MAX_VALUE ? 0 : namedInstrument);
            return;
        }
        if (ordType < '1' || ordType > '4' || m.valueLength(ORD_TYPE) != 1)
        {
            sender.sessionReject(s, seq, m, ORD_TYPE, REJECT_VALUE_INCORRECT,
                "OrdType(40) must be 1 market, 2 limit, 3 stop or 4 stop limit");
            return;
        }
        long stopPrice = 0;
        if (m.has(STOP_PX))
        {
            stopPrice = Prices.parse(m.buffer(), m.valueOffset(STOP_PX), m.valueLength(STOP_PX));
            if (stopPrice == Prices.INVALID)
            {
                sender.sessionReject(s, seq, m, STOP_PX, REJECT_INCORRECT_DATA_FORMAT, DECIMAL_FORMAT_STOP_PX);
                return;
            }
        }
        final int p = m.valueOffset(PRICE);
        // a stop (market) order has no Price in FIX: a replace of one may leave it out (0, as the engine keeps it). A replace
        // naming a market order has none either: the engine refuses it with the order's own status (a replace keeps the
        // order's type, and no live order is a market order), which only it knows
        final boolean stopWithoutPrice = p < 0 && (ordType == '3' || ordType == '1');
        final long price = stopWithoutPrice ? 0 : p < 0 ? Prices.INVALID : Prices.parse(m.buffer(), p, m.valueLength(PRICE));
        if (price == Prices.INVALID)
        {
            sender.sessionReject(s, seq, m, PRICE, p < 0 ? REJECT_REQUIRED_TAG_MISSING : REJECT_INCORRECT_DATA_FORMAT,
                p < 0 ? "Price(44) required (but for a stop order, OrdType 3)" : DECIMAL_FORMAT_PRICE);
            return;
        }
        // a replace keeps the order's TimeInForce: one named goes to the engine, which refuses another than the order's
        final TimeInForce tif = m.has(TIME_IN_FORCE) ? timeInForceOf(m.getChar(TIME_IN_FORCE)) : TimeInForce.NULL_VAL;
        if (tif == null)
        {
            refuseTimeInForce(s, m, seq, ORDER_CANCEL_REPLACE_REQUEST, namedInstrument == Integer.MAX_VALUE ? 0 : namedInstrument);
            return;
        }
        // the peak, expiry and post-only a replace keeps: named ones go to the engine, which refuses others than the order's
        final long peak = peak(s, m, seq);
        final long expiry = m.has(EXPIRE_TIME) || m.has(EXPIRE_DATE) ? expiry(s, m, seq) : NOT_GIVEN;
        if (peak == ANSWERED || expiry == ANSWERED)
        {
            return;
        }
        final String unsupported = OrderInstructions.unsupported(m);
        if (unsupported != null)
        {
            refuse(s, m, seq, ORDER_CANCEL_REPLACE_REQUEST, RejectReason.INVALID_ORDER_TYPE, unsupported);
            return;
        }
        final BooleanType postOnly = !m.has(EXEC_INST) ? BooleanType.NULL_VAL
            : m.valueContains(EXEC_INST, (byte)'6') ? BooleanType.TRUE : BooleanType.FALSE;
        if (namesUnknownOrderId(m))
        {
            reports.unknownOrderCancelReject(s, m, (byte)'2');
            return;
        }
        final long claim = submitter.tryClaim();
        if (claim == CommandPublisher.NO_CLAIM)
        {
            reports.localCancelReject(s, m, (byte)'2', "exchange busy, try again");
            return;
        }
        submitter.commit(claim, commands.replaceOrder(submitter.buffer(claim), 0, timestamps.timestamp(), s.sessionId, s.accountId,
            orderId(m), price, quantity, clOrdId, origClOrdId, stopPrice, namedInstrument, namedSide,
            ordType - '0', tif, peak, expiry, postOnly), s, seq);
    }

    private void massCancel(final FixSession s, final FixMessage m, final int seq)
    {
        if (!m.has(MASS_CANCEL_REQUEST_TYPE))
        {
            sender.sessionReject(s, seq, m, MASS_CANCEL_REQUEST_TYPE, REJECT_REQUIRED_TAG_MISSING, "MassCancelRequestType(530) missing");
            return;
        }
        if (!m.isOneOf(MASS_CANCEL_REQUEST_TYPE, FIX44_MASS_CANCEL_REQUEST_TYPES))
        {
            // a value FIX 4.4 does not define: echoed in a report, it made the report invalid to a validating client
            sender.sessionReject(s, seq, m, MASS_CANCEL_REQUEST_TYPE, REJECT_VALUE_INCORRECT,
                "MassCancelRequestType(530) must be 1 (security) or 7 (all orders)");
            return;
        }
        final byte scope = m.getChar(MASS_CANCEL_REQUEST_TYPE);
        int instrumentId = 0;
        if (scope == '1')
        {
            final int offset = m.valueOffset(SYMBOL);
            if (offset < 0)
            {
                // FIX 4.4: Symbol is required when MassCancelRequestType is 1 (cancel orders for a security)
                sender.sessionReject(s, seq, m, SYMBOL, REJECT_REQUIRED_TAG_MISSING,
                    "Symbol(55) missing: required when MassCancelRequestType(530) is 1");
                return;
            }
            instrumentId = instruments.find(m.buffer(), offset, m.valueLength(SYMBOL));
            if (instrumentId <= 0)
            {
                reports.localMassCancelReject(s, m, true, "unknown symbol");
                journalRefusal(s, seq, RejectReason.UNKNOWN_INSTRUMENT, 0);
                return;
            }
        }
        else if (scope != '7')
        {
            reports.localMassCancelReject(s, m, false, "MassCancelRequestType(530) must be 1 (security) or 7 (all orders)");
            journalRefusal(s, seq, RejectReason.MALFORMED_COMMAND, 0);
            return;
        }
        final byte sideChar = m.getChar(SIDE);
        final Side side = m.valueLength(SIDE) != 1 ? null : sideChar == '1' ? Side.BUY : sideChar == '2' ? Side.SELL : null;
        if (side == null && m.has(SIDE))
        {
            if (m.isOneOf(SIDE, FIX44_SIDES))
            {
                // well formed, but no order here has that side: answered as the other order messages answer it
                reports.localMassCancelReject(s, m, false, "Side(54) " + (char)sideChar + " is not traded here: 1 (buy) or 2 (sell)");
                journalRefusal(s, seq, RejectReason.INVALID_SIDE, instrumentId);
                return;
            }
            sender.sessionReject(s, seq, m, SIDE, REJECT_VALUE_INCORRECT, "Side(54) must be 1 (buy) or 2 (sell)");
            return;
        }
        if (massCancels.inProgress(s.sessionId))
        {
            // not reached from a client: the session reads nothing behind its mass cancel until it is done (Sessions.holdsInbound)
            reports.localMassCancelReject(s, m, false, "the session's last mass cancel is still under way, try again");
            return;
        }
        final long claim = submitter.tryClaim();
        if (claim == CommandPublisher.NO_CLAIM)
        {
            reports.localMassCancelReject(s, m, false, "exchange busy, try again");
            return;
        }
        // the first slice; ClientMassCancels sends the rest while orders remain
        submitter.commit(claim, commands.massCancel(submitter.buffer(claim), 0, timestamps.timestamp(), s.sessionId, s.accountId,
            instrumentId, side, false, CancelReason.MASS_CANCEL, clOrdId, massCancels.slice()), s, seq);
        massCancels.submitted(s.sessionId);
    }

    private void status(final FixSession s, final FixMessage m, final int seq)
    {
        if (!namedOrder(s, m, seq, ORDER_STATUS_REQUEST))
        {
            return;
        }
        if (m.valueLength(ORD_STATUS_REQ_ID) > StatusRequestIds.MAX_LENGTH)
        {
            // refused rather than answered without it: the client could not match the answer to its request
            sender.sessionReject(s, seq, m, ORD_STATUS_REQ_ID, REJECT_VALUE_INCORRECT,
                "OrdStatusReqID(790) must be at most " + StatusRequestIds.MAX_LENGTH + " characters");
            return;
        }
        if (namesUnknownOrderId(m))
        {
            if (namedInstrument == Integer.MAX_VALUE)
            {
                // the unknown-order report must name a listed Symbol: as the engine's answer, a BusinessMessageReject then
                sender.businessReject(s, m, seq, BUSINESS_REJECT_UNKNOWN_SECURITY, "unknown order");
            }
            else
            {
                reports.unknownOrderStatus(s, m, namedInstrument, namedSide);
            }
            return;
        }
        final boolean withRequestId = m.has(ORD_STATUS_REQ_ID);
        if (withRequestId && !s.statusRequestIds.hasRoom())
        {
            sender.businessReject(s, m, seq, BUSINESS_REJECT_OTHER, "too many status requests with OrdStatusReqID(790) unanswered ("
                + StatusRequestIds.SLOTS + "), send it again once answers come");
            return;
        }
        final long claim = submitter.tryClaim();
        if (claim == CommandPublisher.NO_CLAIM)
        {
            sender.businessReject(s, m, seq, BUSINESS_REJECT_OTHER, "exchange busy, try again");
            return;
        }
        submitter.commit(claim, commands.orderStatus(submitter.buffer(claim), 0, timestamps.timestamp(), s.sessionId, s.accountId,
            orderId(m), clOrdId, namedInstrument, namedSide), s, seq);
        if (withRequestId)
        {
            s.statusRequestIds.remember(seq, m.buffer(), m.valueOffset(ORD_STATUS_REQ_ID), m.valueLength(ORD_STATUS_REQ_ID));
        }
    }

    /** TimeInForce (59)'s value as the engine's, or null for one this exchange does not trade. */
    private static TimeInForce timeInForceOf(final byte value)
    {
        switch (value)
        {
            case '0':
                return TimeInForce.DAY;
            case '1':
                return TimeInForce.GTC;
            case '2':
                return TimeInForce.AT_THE_OPEN;
            case '3':
                return TimeInForce.IOC;
            case '4':
                return TimeInForce.FOK;
            case '6':
                return TimeInForce.GTD;
            case '7':
                return TimeInForce.AT_THE_CLOSE;
            default:
                return null;
        }
    }

    /** A TimeInForce not traded here: refused in the request's answer type if FIX 4.4 defines it, else a session Reject (373=5). */
    private void refuseTimeInForce(final FixSession s, final FixMessage m, final int seq, final byte type, final int instrumentId)
    {
        if (m.isOneOf(TIME_IN_FORCE, FIX44_TIMES_IN_FORCE))
        {
            refuse(s, m, seq, type, RejectReason.INVALID_TIME_IN_FORCE, "TimeInForce(59) " + (char)m.getChar(TIME_IN_FORCE)
                + " is not supported: 0, 1, 2, 3, 4, 6 or 7");
            journalRefusal(s, seq, RejectReason.INVALID_TIME_IN_FORCE, instrumentId);
            return;
        }
        sender.sessionReject(s, seq, m, TIME_IN_FORCE, REJECT_VALUE_INCORRECT, "TimeInForce(59) must be 0, 1, 2, 3, 4, 6 or 7");
    }

    /**
     * A refusal the gateway made itself, journaled as an ORDER_REFUSED audit (the reason, the
     * request's ClOrdID, the instrument if known, and the message's MsgSeqNum, received): the
     * journal is the audit trail, and the account's activity report lists it. Not for what protects
     * the engine (a throttled message, a busy ring), nor for a message FIX's session layer rejects.
     */
    private void journalRefusal(final FixSession s, final int seq, final RejectReason reason, final int instrumentId)
    {
        submitter.refusedOrder(timestamps.timestamp(), s.sessionId, s.accountId, reason, s.username, instrumentId, clOrdId, seq);
    }

    /** The instrument a request's Symbol names, or 0. */
    private int knownInstrument(final FixMessage m)
    {
        final int offset = m.valueOffset(SYMBOL);
        final int id = offset < 0 ? 0 : instruments.find(m.buffer(), offset, m.valueLength(SYMBOL));
        return Math.max(0, id);
    }

    /** A gateway-side refusal of an application message, in the message's own answer type. */
    private void refuse(final FixSession s, final FixMessage m, final int seq, final byte type, final RejectReason reason, final String text)
    {
        switch (type)
        {
            case NEW_ORDER_SINGLE:
                reports.localOrderReject(s, m, reason, text);
                break;
            case ORDER_CANCEL_REQUEST:
            case ORDER_CANCEL_REPLACE_REQUEST:
                reports.localCancelReject(s, m, (byte)(type == ORDER_CANCEL_REQUEST ? '1' : '2'), text);
                break;
            case ORDER_MASS_CANCEL_REQUEST:
                reports.localMassCancelReject(s, m, false, text);
                break;
            default:
                sender.businessReject(s, m, seq, BUSINESS_REJECT_OTHER, text);
                break;
        }
    }

}
