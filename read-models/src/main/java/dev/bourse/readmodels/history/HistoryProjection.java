package dev.bourse.readmodels.history;

import dev.bourse.readmodels.KeyedRows;
import dev.bourse.readmodels.Liquidity;
import dev.bourse.readmodels.OrderTypeFields;
import dev.bourse.readmodels.TradeRecord;
import dev.bourse.journal.JournalHandler;
import dev.bourse.protocol.JournalEntryReader;
import dev.bourse.protocol.JournalEventListener;
import dev.bourse.protocol.sbe.*;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.LongHashSet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Turns journal entries into history rows (a {@link HistoryBatch}). Keeps only what it needs to
 * write them, all bounded by live state: the live orders' account, instrument, side, price and
 * ClOrdID (a fill names only the order), the accounts seen (activity is reported for known
 * accounts only) and the instruments' definitions. After a restart that state is read back from
 * the store ({@link #restore}), so the sink resumes exactly at its checkpoint.
 * <p>
 * Entries at or below the checkpoint's engine sequence are skipped: re-delivered entries write
 * nothing twice.
 * <p>
 * About 590 lines because it has one listener method per journal event, each writing its rows;
 * splitting the fold would scatter what one entry writes.
 */
final class HistoryProjection implements JournalHandler, JournalEventListener
{
    /** An instrument's definition as the instruments table holds it. */
    static final class InstrumentRow
    {
        String symbol = "";
        long tickSize;
        long lotSize;
        long minQuantity;
        long maxQuantity;
        long maxNotional;
        long referencePrice;
        int priceBandBps;
        byte status;
        long updatedSequence;
    }

    private final JournalEntryReader reader = new JournalEntryReader();
    /** Live orders by OrderID; a closed order's row is reused once the batch that closed it is written. */
    private final KeyedRows live = new KeyedRows(LiveOrder.ROW_BYTES);
    private final LiveOrder orderView = new LiveOrder();
    private final LiveOrder makerView = new LiveOrder();
    private final LiveOrder takerView = new LiveOrder();
    private final LongHashSet accounts = new LongHashSet();
    private final Int2ObjectHashMap<InstrumentRow> instruments = new Int2ObjectHashMap<>();
    /** Orders whose row is in the current batch (their batchRow is reset once it is written). */
    private final IntArrayList insertedInBatch = new IntArrayList();
    private final HistoryBatch batch;
    private dev.bourse.readmodels.TradingDay tradingDay = new dev.bourse.readmodels.TradingDay();

    private long position = -1;
    private long sequence;
    private long timestamp;
    private long entries;
    private long events;
    private int line;
    private long duplicatesSkipped;
    private long malformedSkipped;
    /** The smallest live order id (order ids only grow), or Long.MAX_VALUE; stale when {@link #oldestClosed}. */
    private long oldestLive = Long.MAX_VALUE;
    private boolean oldestClosed;

    HistoryProjection(final HistoryBatch batch)
    {
        this.batch = batch;
    }

    /** Names the trading days by dates in {@code zone} (before the first entry). */
    void timeZone(final java.time.ZoneId zone)
    {
        tradingDay = new dev.bourse.readmodels.TradingDay(zone);
    }

    /** Reads the checkpoint and the state that goes with it; returns the checkpoint's position. */
    long restore(final Connection connection) throws SQLException
    {
        try (PreparedStatement s = connection.prepareStatement(
            "SELECT position, sequence, entries, events, entry_timestamp, oldest_live_order, trading_day, trade_date " +
            "FROM sink_checkpoint WHERE id = 1");
            ResultSet rs = s.executeQuery())
        {
            if (!rs.next())
            {
                throw new SQLException("sink_checkpoint has no row");
            }
            position = rs.getLong(1);
            sequence = rs.getLong(2);
            entries = rs.getLong(3);
            events = rs.getLong(4);
            timestamp = rs.getLong(5);
            oldestLive = rs.getLong(6);
            tradingDay.restore(rs.getLong(7), rs.getLong(8));
            batch.tradingDay = tradingDay.number();
            batch.tradeDate = tradingDay.date();
        }
        try (PreparedStatement s = connection.prepareStatement("SELECT account_id FROM accounts");
            ResultSet rs = s.executeQuery())
        {
            while (rs.next())
            {
                accounts.add(rs.getLong(1));
            }
        }
        try (PreparedStatement s = connection.prepareStatement(
            "SELECT instrument_id, symbol, tick_size, lot_size, min_quantity, max_quantity, max_notional, reference_price, " +
            "price_band_bps, status, updated_sequence FROM instruments");
            ResultSet rs = s.executeQuery())
        {
            while (rs.next())
            {
                final InstrumentRow row = new InstrumentRow();
                row.symbol = rs.getString(2);
                row.tickSize = rs.getLong(3);
                row.lotSize = rs.getLong(4);
                row.minQuantity = rs.getLong(5);
                row.maxQuantity = rs.getLong(6);
                row.maxNotional = rs.getLong(7);
                row.referencePrice = rs.getLong(8);
                row.priceBandBps = rs.getInt(9);
                row.status = (byte)rs.getInt(10);
                row.updatedSequence = rs.getLong(11);
                instruments.put(rs.getInt(1), row);
            }
        }
        // Live: accepted since the oldest order live at the checkpoint, and closed neither in its batch nor later.
        // Rows above the checkpoint (a parallel writer's, see ParallelWriter) are not there yet.
        final String liveOrders = "o.order_id >= ? AND o.created_sequence <= ? AND o.closed_sequence IS NULL AND " +
            "NOT EXISTS (SELECT 1 FROM order_closes c WHERE c.order_id = o.order_id)";
        try (PreparedStatement s = connection.prepareStatement(
            "SELECT o.order_id, o.account_id, o.instrument_id, o.side FROM orders o WHERE " + liveOrders))
        {
            s.setLong(1, oldestLive);
            s.setLong(2, sequence);
            try (ResultSet rs = s.executeQuery())
            {
                while (rs.next())
                {
                    final long orderId = rs.getLong(1);
                    orderView.wrap(live.rows(), live.create(orderId)).init(orderId, rs.getLong(2), rs.getInt(3), (byte)rs.getInt(4));
                }
            }
        }
        // Price and ClOrdID of each live order: those of its last acceptance or replacement.
        try (PreparedStatement s = connection.prepareStatement(
            "SELECT e.order_id, e.price, e.cl_ord_id FROM order_events e JOIN orders o ON o.order_id = e.order_id " +
            "WHERE " + liveOrders + " AND e.sequence <= ? AND e.type IN (1, 4) ORDER BY e.order_id, e.sequence, e.line"))
        {
            s.setLong(1, oldestLive);
            s.setLong(2, sequence);
            s.setLong(3, sequence);
            try (ResultSet rs = s.executeQuery())
            {
                while (rs.next())
                {
                    final LiveOrder order = live(rs.getLong(1), orderView);
                    order.price(rs.getLong(2));
                    order.clOrdId(rs.getString(3));
                }
            }
        }
        connection.commit();
        return position;
    }

    // ------------------------------------------------------------------ applying the journal

    @Override
    public void onEntry(final long position, final DirectBuffer buffer, final int offset, final int length)
    {
        if (reader.readHeader(buffer, offset, length) != JournalEntryReader.OK)
        {
            malformedSkipped++;
        }
        else if (reader.header().sequence() <= sequence)
        {
            duplicatesSkipped++;
        }
        else if (reader.read(buffer, offset, length, this) != JournalEntryReader.OK)
        {
            malformedSkipped++;
        }
        this.position = Math.max(this.position, position);
        if (batch.entries++ == 0)
        {
            batch.firstEntryNanos = System.nanoTime();
        }
        batch.position = this.position;
        batch.sequence = sequence;
        batch.totalEntries = entries;
        batch.totalEvents = events;
        batch.entryTimestamp = timestamp;
    }

    @Override
    public void onEntryStart(final EntryHeaderDecoder header)
    {
        sequence = header.sequence();
        timestamp = header.timestamp();
        events += header.eventCount();
        entries++;
        line = 0;
        tradingDay.onEntryStart(timestamp);
        batch.tradingDay(tradingDay.number(), tradingDay.date());
    }

    @Override
    public void onDayEnded(final EntryHeaderDecoder header, final DayEndedDecoder event)
    {
        tradingDay.onDayEnded(event.instrumentId());
    }

    @Override
    public void onEntryEnd(final EntryHeaderDecoder header)
    {
        // The entry that ends the day belongs to it (its expiries are that day's cancels); the next begins after it.
        batch.tradingDay(tradingDay.number(), tradingDay.date());
        if (tradingDay.onEntryEnd())
        {
            batch.tradingDay(tradingDay.number(), tradingDay.date());
        }
    }

    @Override
    public void onOrderAccepted(final EntryHeaderDecoder header, final OrderAcceptedDecoder event)
    {
        final long orderId = event.orderId();
        final int row = live.create(orderId);
        if (row == KeyedRows.NONE)
        {
            return; // an OrderID accepted twice: the engine never does this; the first acceptance stands
        }
        final LiveOrder order = orderView.wrap(live.rows(), row);
        order.init(orderId, event.accountId(), event.instrumentId(), (byte)event.sideRaw());
        final int sessionId = event.sessionId();
        final byte ordType = (byte)event.ordTypeRaw();
        final byte timeInForce = (byte)event.timeInForceRaw();
        final boolean postOnly = event.flags().postOnly();
        final byte stpMode = (byte)event.stpModeRaw();
        final long price = event.price();
        order.price(price);
        final long quantity = event.quantity();
        order.clOrdId(event.buffer(), event.offset() + OrderAcceptedDecoder.clOrdIdEncodingOffset());
        if (live.size() == 1)
        {
            oldestLive = orderId;
            oldestClosed = false;
        }
        final long accountId = event.accountId();
        final int instrumentId = event.instrumentId();
        knowAccount(accountId);
        order.batchRow(batch.orders(orderId).row().l(orderId).l(accountId).l(instrumentId).l(sessionId).l(order.side())
            .l(ordType).l(timeInForce).l(postOnly ? 1 : 0).l(stpMode).s(order.clOrdId()).l(sequence).l(timestamp)
            .l(RowBuffer.NULL).l(OrderTypeFields.orZero(event.displayQty())).l(OrderTypeFields.orZero(event.expireTime())).end());
        insertedInBatch.addInt(order.row());
        orderEvent(order, ActivityKind.EVENT_ACCEPTED, price, quantity, quantity, 0, 0, 0, 0,
            OrderTypeFields.orZero(event.stopPrice()));
        batch.day(instrumentId).accepted++;
    }

    @Override
    public void onOrderRejected(final EntryHeaderDecoder header, final OrderRejectedDecoder event)
    {
        final long accountId = event.accountId();
        final String clOrdId = event.clOrdId();
        final int instrumentId = event.instrumentId();
        if (accounts.contains(accountId))
        {
            activity(accountId, ActivityKind.ORDER_REJECTED, 0, clOrdId, instrumentId, event.side(), event.price(),
                event.quantity(), event.reason().name(), 0);
        }
        batch.day(instrumentId).rejected++;
    }

    @Override
    public void onTrade(final EntryHeaderDecoder header, final TradeDecoder event)
    {
        final int instrumentId = event.instrumentId();
        final long tradeId = event.tradeId();
        final long price = event.price();
        final long quantity = event.quantity();
        // an auction's trade: no taker side, and AUCTION fills (as the hot projections, see ReadModels.onTrade)
        final boolean auction = event.auctionRaw() == BooleanType.TRUE.value();
        batch.trades.row().l(instrumentId).l(tradeId).l(sequence).l(timestamp).l(price).l(quantity)
            .l(auction ? TradeRecord.NO_SIDE : event.takerSideRaw()).l(event.makerOrderId()).l(event.takerOrderId()).end();
        batch.trade(instrumentId, timestamp, price, quantity);
        final LiveOrder maker = live(event.makerOrderId(), makerView);
        final LiveOrder taker = live(event.takerOrderId(), takerView);
        if (maker == null || taker == null)
        {
            return; // cannot happen on a journal read from its start
        }
        fill(maker, tradeId, price, quantity, event.makerLeavesQty(), event.makerCumQty(), event.makerCumNotional(),
            auction ? Liquidity.AUCTION : Liquidity.MAKER);
        fill(taker, tradeId, price, quantity, event.takerLeavesQty(), event.takerCumQty(), event.takerCumNotional(),
            auction ? Liquidity.AUCTION : Liquidity.TAKER);
    }

    private void fill(
        final LiveOrder order, final long tradeId, final long price, final long quantity, final long leaves, final long cumQty,
        final long cumNotional, final byte liquidity)
    {
        orderEvent(order, ActivityKind.EVENT_FILL, price, quantity, leaves, cumQty, cumNotional, tradeId, liquidity, 0);
        if (leaves == 0)
        {
            close(order);
        }
    }

    @Override
    public void onOrderCanceled(final EntryHeaderDecoder header, final OrderCanceledDecoder event)
    {
        final LiveOrder order = live(event.orderId(), orderView);
        if (order == null)
        {
            return;
        }
        // an expiry (reason EXPIRED) is an EXPIRED event, as the order's status is EXPIRED; the reason is kept either way.
        // A client's cancel carries its own ClOrdID (FIX 11 of the OrderCancelRequest), which from then on names this
        // order (the engine refuses it for a new order and answers a cancel naming it about this one): the event keeps it,
        // so accounts/{a}/orders?clOrdId= finds the order by it, as by the ids of its acceptance and replaces.
        final String requestClOrdId = event.reason() == CancelReason.USER ? event.requestClOrdId().trim() : "";
        orderEvent(order, ActivityKind.cancelEvent(event.reasonRaw()), order.price(), event.canceledQty(), 0, event.cumQty(),
            event.cumNotional(), 0, event.reasonRaw(), 0, requestClOrdId.isEmpty() ? order.clOrdId() : requestClOrdId);
        close(order);
        batch.day(order.instrumentId()).canceled++;
    }

    @Override
    public void onOrderReplaced(final EntryHeaderDecoder header, final OrderReplacedDecoder event)
    {
        final LiveOrder order = live(event.orderId(), orderView);
        if (order == null)
        {
            return;
        }
        final boolean kept = event.keptPriority() == BooleanType.TRUE;
        final long price = event.price();
        order.price(price);
        final long quantity = event.quantity();
        final long leaves = event.leavesQty();
        final long cumQty = event.cumQty();
        final long cumNotional = event.cumNotional();
        order.clOrdId(event.buffer(), event.offset() + OrderReplacedDecoder.clOrdIdEncodingOffset());
        orderEvent(order, ActivityKind.EVENT_REPLACED, price, quantity, leaves, cumQty, cumNotional, 0, kept ? 1 : 0,
            OrderTypeFields.orZero(event.stopPrice()));
        batch.day(order.instrumentId()).replaced++;
    }

    /** A held stop elected: when, as what, and at which trade price (a compliance question the history answered nowhere). */
    @Override
    public void onOrderElected(final EntryHeaderDecoder header, final OrderElectedDecoder event)
    {
        final LiveOrder order = live(event.orderId(), orderView);
        if (order == null)
        {
            return;
        }
        final long price = event.price();
        order.price(price);
        // a held stop has not traded: nothing filled yet
        orderEvent(order, ActivityKind.EVENT_ELECTED, price, event.leavesQty(), event.leavesQty(), 0, 0, 0, event.ordTypeRaw(),
            event.triggerPrice());
    }

    @Override
    public void onCancelRejected(final EntryHeaderDecoder header, final CancelRejectedDecoder event)
    {
        final long accountId = event.accountId();
        if (accounts.contains(accountId))
        {
            final long orderId = event.orderId();
            final String clOrdId = event.clOrdId();
            activity(accountId, ActivityKind.CANCEL_REJECTED, orderId, clOrdId, 0, 0, 0, 0,
                event.responseTo().name() + " " + visibleReason(event.reason()).name(), 0);
        }
    }

    /**
     * The reason as the requesting account may read it: another account's order is an unknown order,
     * as the gateway answers it, or an account's own report would tell which OrderIDs are someone
     * else's live orders (an outside probe). The journal keeps the engine's reason for compliance.
     */
    static RejectReason visibleReason(final RejectReason reason)
    {
        return reason == RejectReason.NOT_YOUR_ORDER ? RejectReason.UNKNOWN_ORDER : reason;
    }

    @Override
    public void onMassCancelDone(final EntryHeaderDecoder header, final MassCancelDoneDecoder event)
    {
        final long accountId = event.accountId();
        if (accounts.contains(accountId))
        {
            activity(accountId, ActivityKind.MASS_CANCEL, 0, event.clOrdId(), event.instrumentId(), event.side(), 0,
                event.canceledCount(), event.reason().name() + " " + event.rejectReason().name(), 0);
        }
    }

    @Override
    public void onInstrumentAdded(final EntryHeaderDecoder header, final InstrumentAddedDecoder event)
    {
        final InstrumentRow row = instrument(event.instrumentId());
        row.symbol = event.symbol();
        row.tickSize = event.tickSize();
        row.lotSize = event.lotSize();
        row.minQuantity = event.minQuantity();
        row.maxQuantity = event.maxQuantity();
        row.maxNotional = event.maxNotional();
        row.referencePrice = event.referencePrice();
        row.priceBandBps = event.priceBandBps();
        row.status = (byte)event.statusRaw();
    }

    @Override
    public void onInstrumentAmended(final EntryHeaderDecoder header, final InstrumentAmendedDecoder event)
    {
        final InstrumentRow row = instrument(event.instrumentId());
        row.tickSize = event.tickSize();
        row.lotSize = event.lotSize();
        row.minQuantity = event.minQuantity();
        row.maxQuantity = event.maxQuantity();
        row.maxNotional = event.maxNotional();
        row.referencePrice = event.referencePrice();
        row.priceBandBps = event.priceBandBps();
    }

    @Override
    public void onTradingStatusChanged(final EntryHeaderDecoder header, final TradingStatusChangedDecoder event)
    {
        instrument(event.instrumentId()).status = (byte)event.statusRaw();
    }

    @Override
    public void onReferencePriceChanged(final EntryHeaderDecoder header, final ReferencePriceChangedDecoder event)
    {
        instrument(event.instrumentId()).referencePrice = event.referencePrice();
    }

    @Override
    public void onAccountCreated(final EntryHeaderDecoder header, final AccountCreatedDecoder event)
    {
        final long accountId = event.accountId();
        knowAccount(accountId);
        activity(accountId, ActivityKind.ACCOUNT_CREATED, 0, "", 0, 0, 0, 0, event.stpMode().name(), 0);
    }

    @Override
    public void onBalanceChanged(final EntryHeaderDecoder header, final BalanceChangedDecoder event)
    {
        final long accountId = event.accountId();
        final int instrumentId = event.instrumentId();
        final boolean deposit = event.commandType() == CommandType.DEPOSIT;
        final long amount = event.amount();
        final long balance = event.balance();
        knowAccount(accountId);
        activity(accountId, deposit ? ActivityKind.DEPOSIT : ActivityKind.WITHDRAW, 0, "", instrumentId, 0, 0, amount, "", balance);
    }

    @Override
    public void onBlockChanged(final EntryHeaderDecoder header, final BlockChangedDecoder event)
    {
        // a session's block (accountId 0) is the gateway's business; an account's goes in its report
        final long accountId = event.accountId();
        if (accountId != 0 && accounts.contains(accountId))
        {
            activity(accountId, ActivityKind.BLOCK_CHANGED, 0, "", 0, 0, 0, 0,
                event.blocked() == BooleanType.TRUE ? "BLOCKED" : "UNBLOCKED", 0);
        }
    }

    @Override
    public void onCommandRejected(final EntryHeaderDecoder header, final CommandRejectedDecoder event)
    {
        final long accountId = event.accountId();
        if (accountId != 0 && accounts.contains(accountId))
        {
            activity(accountId, ActivityKind.COMMAND_REJECTED, 0, "", event.instrumentId(), 0, 0, 0,
                event.commandType().name() + " " + event.reason().name(), 0);
        }
    }

    @Override
    public void onAuditRecorded(final EntryHeaderDecoder header, final AuditRecordedDecoder event)
    {
        // Every audit record is kept, also those of no known account (refused logons, operators'
        // actions on instruments): together they are the audit log compliance reads (/api/v1/audit).
        final long accountId = event.accountId();
        final String username = event.username();
        final dev.bourse.protocol.sbe.AuditType type = event.auditType();
        final int instrumentId = event.actingVersion() >= AuditRecordedDecoder.instrumentIdSinceVersion() ? event.instrumentId() : 0;
        final String detail = type == dev.bourse.protocol.sbe.AuditType.OPERATOR
            ? "OPERATOR " + dev.bourse.protocol.sbe.CommandType.get((short)event.detail()).name() : type.name();
        // order_id holds the session the record is about (the entry's session: the FIX session of a
        // logon, the target of an operator's session action), 0 for none; comp_id the CompID the record
        // names (a FIX session's on LOGON, SEQUENCE_RESERVED, SESSION_CLAIMED; "query" for the query side's door)
        final String compId = printable(event.compId()); // empty in entries before schema version 6
        activity(accountId, ActivityKind.AUDIT, header.sessionId(), username, instrumentId, 0, 0, event.detail(), detail, 0,
            compId);
        if (type == dev.bourse.protocol.sbe.AuditType.ORDER_REFUSED)
        {
            // a request the gateway refused itself: in the account's activity as its rejects are, and in the day's count
            final String clOrdId = event.actingVersion() >= AuditRecordedDecoder.clOrdIdSinceVersion() ? printable(event.clOrdId()) : "";
            if (accounts.contains(accountId))
            {
                activity(accountId, ActivityKind.ORDER_REFUSED, 0, clOrdId, instrumentId, 0, 0, 0, rejectReasonName(event.detail()), 0);
            }
            if (instrumentId > 0)
            {
                batch.day(instrumentId).rejected++;
            }
        }
    }

    private static String rejectReasonName(final int value)
    {
        for (final dev.bourse.protocol.sbe.RejectReason reason : dev.bourse.protocol.sbe.RejectReason.values())
        {
            if (reason.value() == value && reason != dev.bourse.protocol.sbe.RejectReason.NULL_VAL)
            {
                return reason.name();
            }
        }
        return "REASON_" + value;
    }

    /** Text from the wire as it is kept: printable ASCII, without the padding. */
    private static String printable(final String text)
    {
        final StringBuilder kept = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c > ' ' && c < 127)
            {
                kept.append(c);
            }
        }
        return kept.toString();
    }

    // ------------------------------------------------------------------ rows

    private void orderEvent(
        final LiveOrder order, final byte type, final long price, final long quantity, final long leaves, final long cumQty,
        final long cumNotional, final long tradeId, final int reason, final long stopPrice)
    {
        orderEvent(order, type, price, quantity, leaves, cumQty, cumNotional, tradeId, reason, stopPrice, order.clOrdId());
    }

    private void orderEvent(
        final LiveOrder order, final byte type, final long price, final long quantity, final long leaves, final long cumQty,
        final long cumNotional, final long tradeId, final int reason, final long stopPrice, final String clOrdId)
    {
        final long orderId = order.orderId();
        batch.orderEvents(orderId).row().l(orderId).l(sequence).l(line++).l(order.accountId()).l(timestamp).l(type).l(price)
            .l(quantity).l(leaves).l(cumQty).l(cumNotional).l(tradeId).l(reason).s(clOrdId)
            .l(stopPrice == 0 ? RowBuffer.NULL : stopPrice).end();
    }

    private void activity(
        final long accountId, final byte kind, final long orderId, final String clOrdId, final int instrumentId, final int side,
        final long price, final long quantity, final String detail, final long balance)
    {
        activity(accountId, kind, orderId, clOrdId, instrumentId, side, price, quantity, detail, balance, "");
    }

    private void activity(
        final long accountId, final byte kind, final long orderId, final String clOrdId, final int instrumentId, final int side,
        final long price, final long quantity, final String detail, final long balance, final String compId)
    {
        batch.activity.row().l(accountId).l(sequence).l(line++).l(timestamp).l(kind).l(orderId).s(clOrdId).l(instrumentId)
            .l(side).l(price).l(quantity).s(detail).l(balance).s(compId).end();
    }

    private void close(final LiveOrder order)
    {
        final long orderId = order.orderId();
        live.close(orderId);
        oldestClosed |= orderId == oldestLive;
        final int batchRow = order.batchRow();
        if (batchRow >= 0)
        {
            batch.orders(orderId).set(batchRow, HistoryBatch.ORDERS_CLOSED_SEQUENCE, sequence);
        }
        else
        {
            batch.orderCloses.row().l(orderId).l(sequence).end();
        }
    }

    /** The live order wrapped by {@code view}, or null. */
    private LiveOrder live(final long orderId, final LiveOrder view)
    {
        final int row = live.find(orderId);
        return row == KeyedRows.NONE ? null : view.wrap(live.rows(), row);
    }

    private void knowAccount(final long accountId)
    {
        if (accounts.add(accountId))
        {
            batch.accounts.row().l(accountId).l(sequence).end();
        }
    }

    private InstrumentRow instrument(final int instrumentId)
    {
        InstrumentRow row = instruments.get(instrumentId);
        if (row == null)
        {
            row = new InstrumentRow();
            instruments.put(instrumentId, row);
        }
        row.updatedSequence = sequence;
        if (!batch.changedInstruments.contains(instrumentId))
        {
            batch.changedInstruments.add(instrumentId);
        }
        return row;
    }

    /**
     * Completes the batch before it is written: upsert rows for the changed instruments and the
     * summed candles and days. After a successful write, {@link #batchWritten} forgets which orders
     * were inserted by it.
     */
    void closeBatch()
    {
        if (oldestClosed)
        {
            // Rare: only when the oldest live order goes. One pass over the live orders.
            oldestLive = live.smallestKey();
            oldestClosed = false;
        }
        batch.oldestLiveOrder = oldestLive;
        for (final int instrumentId : batch.changedInstruments)
        {
            final InstrumentRow r = instruments.get(instrumentId);
            batch.instruments.row().l(instrumentId).s(r.symbol).l(r.tickSize).l(r.lotSize).l(r.minQuantity).l(r.maxQuantity)
                .l(r.maxNotional).l(r.referencePrice).l(r.priceBandBps).l(r.status).l(r.updatedSequence).end();
        }
        batch.closeAggregates();
    }

    void batchWritten()
    {
        for (int i = 0, n = insertedInBatch.size(); i < n; i++)
        {
            orderView.wrap(live.rows(), insertedInBatch.getInt(i)).batchRow(-1);
        }
        insertedInBatch.clear();
        live.releaseClosed(); // no row of this batch names a closed order's row any more
    }

    long position()
    {
        return position;
    }

    long sequence()
    {
        return sequence;
    }

    /** The timestamp (ns) of the last entry written; 0 before the first. */
    long timestamp()
    {
        return timestamp;
    }

    int liveOrders()
    {
        return live.size();
    }

    long duplicatesSkipped()
    {
        return duplicatesSkipped;
    }

    long malformedSkipped()
    {
        return malformedSkipped;
    }
}
