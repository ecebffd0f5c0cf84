package dev.bourse.readmodels.reference;

import dev.bourse.journal.JournalHandler;
import dev.bourse.protocol.JournalEntryReader;
import dev.bourse.protocol.JournalEventListener;
import dev.bourse.protocol.sbe.*;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2ObjectHashMap;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Map;

/**
 * The read side as it was before the history moved to a database: everything kept in memory, a
 * deliberately simple reference that tests compare the hot projections and the history store with.
 * <p>
 * All projections of the journal, folded by one thread: orders and their history, open orders,
 * executions, balances, holds and positions per account, and per instrument trades, candles,
 * depth and daily statistics.
 * <p>
 * Idempotent: an entry whose engine sequence is not above the last applied one is skipped, so
 * a tailer that re-delivers entries (a resume from an older checkpoint) changes nothing.
 */
public final class ReferenceModels implements JournalHandler, JournalEventListener
{
    /** The position before the first entry of a journal. */
    public static final long START = -1;

    private final JournalEntryReader reader = new JournalEntryReader();
    private final Long2ObjectHashMap<OrderRecord> orders = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<AccountView> accounts = new Long2ObjectHashMap<>();
    private final Int2ObjectHashMap<MarketView> markets = new Int2ObjectHashMap<>();
    /** Orders accepted or repriced in the current entry: they rest at its end if still live. */
    private final ArrayList<OrderRecord> pendingRest = new ArrayList<>();

    private long position = START;
    private long sequence;
    private long timestamp;
    private long entriesApplied;
    private long eventsApplied;
    private long duplicatesSkipped;
    private long malformedSkipped;

    // ------------------------------------------------------------------ applying the journal

    @Override
    public void onEntry(final long position, final DirectBuffer buffer, final int offset, final int length)
    {
        if (reader.readHeader(buffer, offset, length) != JournalEntryReader.OK)
        {
            malformedSkipped++;
            this.position = Math.max(this.position, position);
            return;
        }
        final long entrySequence = reader.header().sequence();
        if (entrySequence <= sequence)
        {
            duplicatesSkipped++;
            this.position = Math.max(this.position, position);
            return;
        }
        if (reader.read(buffer, offset, length, this) != JournalEntryReader.OK)
        {
            // Refused whole before any event was applied.
            malformedSkipped++;
        }
        this.position = Math.max(this.position, position);
    }

    @Override
    public void onEntryStart(final EntryHeaderDecoder header)
    {
        sequence = header.sequence();
        timestamp = header.timestamp();
        eventsApplied += header.eventCount();
    }

    @Override
    public void onEntryEnd(final EntryHeaderDecoder header)
    {
        for (int i = 0, n = pendingRest.size(); i < n; i++)
        {
            final OrderRecord order = pendingRest.get(i);
            if (order.isOpen() && !order.resting && order.leavesQty > 0 && order.ordType == OrdType.LIMIT.value() &&
                (order.timeInForce == TimeInForce.DAY.value() || order.timeInForce == TimeInForce.GTC.value()))
            {
                order.resting = true;
                market(order.instrumentId).side(order.side).add(order.price, order.leavesQty, 1);
            }
        }
        pendingRest.clear();
        entriesApplied++;
    }

    @Override
    public void onOrderAccepted(final EntryHeaderDecoder header, final OrderAcceptedDecoder event)
    {
        final OrderRecord order = new OrderRecord(event.orderId(), event.accountId(), event.instrumentId(),
            event.sessionId(), (byte)event.sideRaw(), (byte)event.ordTypeRaw(), (byte)event.timeInForceRaw(),
            event.flags().postOnly(), (byte)event.stpModeRaw(), sequence, timestamp, 4);
        order.price = event.price();
        order.quantity = event.quantity();
        order.leavesQty = event.quantity();
        order.holdPrice = event.holdPrice();
        order.clOrdId = event.clOrdId();
        order.status = OrderRecord.NEW;
        order.updatedSequence = sequence;
        order.updatedTimestamp = timestamp;
        final OrderChange accepted = new OrderChange(sequence, timestamp, OrderChange.ACCEPTED, order.price, order.quantity,
            order.leavesQty, 0, 0, (byte)0, order.clOrdId, order);
        order.history.add(accepted);
        orders.put(order.orderId, order);

        final AccountView account = account(order.accountId);
        account.openOrders.put(order.orderId, order);
        account.byClOrdId.put(order.clOrdId, order);
        if (order.side == Side.BUY.value())
        {
            account.cashHeld += order.holdPrice * order.quantity;
        }
        else
        {
            account.position(order.instrumentId).held += order.quantity;
        }
        account.activity.add(accepted);
        pendingRest.add(order);
    }

    @Override
    public void onOrderRejected(final EntryHeaderDecoder header, final OrderRejectedDecoder event)
    {
        final AccountView account = accounts.get(event.accountId());
        if (account != null)
        {
            account.activity.add(new Activity(sequence, timestamp, Activity.ORDER_REJECTED, 0, event.clOrdId(),
                event.instrumentId(), (byte)event.side(), event.price(), event.quantity(), 0, 0,
                event.reason().name(), 0));
        }
    }

    @Override
    public void onTrade(final EntryHeaderDecoder header, final TradeDecoder event)
    {
        final long price = event.price();
        final long quantity = event.quantity();
        final byte takerSide = (byte)event.takerSideRaw();
        // an auction's trade has no aggressor: no taker side on the print, AUCTION fills (reason 2) for both orders
        final boolean auction = event.auction() == BooleanType.TRUE;
        final MarketView market = market(event.instrumentId());
        market.onTrade(new TradeRecord(event.tradeId(), sequence, timestamp, price, quantity, auction ? 0 : takerSide));

        final OrderRecord maker = orders.get(event.makerOrderId());
        final OrderRecord taker = orders.get(event.takerOrderId());
        if (maker == null || taker == null)
        {
            return; // cannot happen on a journal read from its start
        }
        if (maker.resting)
        {
            market.side(maker.side).add(maker.price, -quantity, event.makerLeavesQty() == 0 ? -1 : 0);
            maker.resting = event.makerLeavesQty() > 0;
        }
        fill(maker, event.tradeId(), price, quantity, event.makerLeavesQty(), event.makerCumQty(), event.makerCumNotional(),
            auction ? OrderChange.LIQUIDITY_AUCTION : OrderChange.LIQUIDITY_MAKER);
        fill(taker, event.tradeId(), price, quantity, event.takerLeavesQty(), event.takerCumQty(), event.takerCumNotional(),
            auction ? OrderChange.LIQUIDITY_AUCTION : OrderChange.LIQUIDITY_TAKER);

        // Settlement (ENGINE-RULES, spot): the sell leg first, then the buy leg.
        final OrderRecord buy = takerSide == Side.BUY.value() ? taker : maker;
        final OrderRecord sell = buy == taker ? maker : taker;
        final long notional = price * quantity;
        final AccountView seller = account(sell.accountId);
        final PositionView sold = seller.position(sell.instrumentId);
        sold.held -= quantity;
        final AccountView buyer = account(buy.accountId);
        buyer.cashHeld -= buy.holdPrice * quantity;
        if (sell.accountId == buy.accountId)
        {
            return; // a self-trade moves nothing but the holds
        }
        sold.sell(quantity, price);
        seller.cash += notional;
        buyer.cash -= notional;
        buyer.position(buy.instrumentId).buy(quantity, price);
    }

    private void fill(
        final OrderRecord order, final long tradeId, final long price, final long quantity, final long leaves,
        final long cumQty, final long cumNotional, final byte liquidity)
    {
        order.leavesQty = leaves;
        order.cumQty = cumQty;
        order.cumNotional = cumNotional;
        order.updatedSequence = sequence;
        order.updatedTimestamp = timestamp;
        final OrderChange fill = new OrderChange(sequence, timestamp, OrderChange.FILL, price, quantity, leaves, cumQty, tradeId,
            liquidity, order.clOrdId, order);
        order.history.add(fill);
        final AccountView account = account(order.accountId);
        if (leaves == 0)
        {
            order.status = OrderRecord.FILLED;
            account.openOrders.remove(order.orderId);
        }
        else
        {
            order.status = OrderRecord.PARTIALLY_FILLED;
        }
        account.executions.add(fill);
        account.activity.add(fill);
    }

    @Override
    public void onOrderCanceled(final EntryHeaderDecoder header, final OrderCanceledDecoder event)
    {
        final OrderRecord order = orders.get(event.orderId());
        if (order == null)
        {
            return;
        }
        final long canceled = event.canceledQty();
        final AccountView account = account(order.accountId);
        if (order.side == Side.BUY.value())
        {
            account.cashHeld -= order.holdPrice * canceled;
        }
        else
        {
            account.position(order.instrumentId).held -= canceled;
        }
        if (order.resting)
        {
            market(order.instrumentId).side(order.side).add(order.price, -canceled, -1);
            order.resting = false;
        }
        order.leavesQty = 0;
        order.cumQty = event.cumQty();
        order.cumNotional = event.cumNotional();
        order.cancelReason = (byte)event.reasonRaw();
        order.status = event.reason() == CancelReason.EXPIRED ? OrderRecord.EXPIRED : OrderRecord.CANCELED;
        order.updatedSequence = sequence;
        order.updatedTimestamp = timestamp;
        final byte type = order.status == OrderRecord.EXPIRED ? OrderChange.EXPIRED : OrderChange.CANCELED;
        // a client's cancel is named by its own ClOrdID (as FIX's cancel report names it), any other by the order's
        final String requestClOrdId = event.reason() == CancelReason.USER ? event.requestClOrdId().trim() : "";
        final OrderChange cancel = new OrderChange(sequence, timestamp, type, order.price, canceled, 0,
            order.cumQty, 0, order.cancelReason, requestClOrdId.isEmpty() ? order.clOrdId : requestClOrdId, order);
        order.history.add(cancel);
        account.openOrders.remove(order.orderId);
        account.activity.add(cancel);
    }

    @Override
    public void onOrderReplaced(final EntryHeaderDecoder header, final OrderReplacedDecoder event)
    {
        final OrderRecord order = orders.get(event.orderId());
        if (order == null)
        {
            return;
        }
        final AccountView account = account(order.accountId);
        final long oldLeaves = event.oldLeavesQty();
        final long newLeaves = event.leavesQty();
        if (order.side == Side.BUY.value())
        {
            account.cashHeld += event.holdPrice() * newLeaves - order.holdPrice * oldLeaves;
        }
        else
        {
            account.position(order.instrumentId).held += newLeaves - oldLeaves;
        }
        final boolean kept = event.keptPriority() == BooleanType.TRUE;
        if (order.resting)
        {
            final DepthSide side = market(order.instrumentId).side(order.side);
            if (kept)
            {
                side.add(order.price, newLeaves - oldLeaves, 0);
            }
            else
            {
                side.add(event.oldPrice(), -oldLeaves, -1);
                order.resting = false;
            }
        }
        if (!kept)
        {
            pendingRest.add(order);
        }
        order.price = event.price();
        order.quantity = event.quantity();
        order.leavesQty = newLeaves;
        order.cumQty = event.cumQty();
        order.cumNotional = event.cumNotional();
        order.holdPrice = event.holdPrice();
        order.origClOrdId = order.clOrdId;
        order.clOrdId = event.clOrdId();
        order.updatedSequence = sequence;
        order.updatedTimestamp = timestamp;
        final OrderChange replace = new OrderChange(sequence, timestamp, OrderChange.REPLACED, order.price, order.quantity,
            newLeaves, order.cumQty, 0, (byte)(kept ? 1 : 0), order.clOrdId, order);
        order.history.add(replace);
        account.byClOrdId.put(order.clOrdId, order);
        account.activity.add(replace);
    }

    @Override
    public void onCancelRejected(final EntryHeaderDecoder header, final CancelRejectedDecoder event)
    {
        final AccountView account = accounts.get(event.accountId());
        if (account != null)
        {
            account.activity.add(new Activity(sequence, timestamp, Activity.CANCEL_REJECTED, event.orderId(),
                event.clOrdId(), 0, (byte)0, 0, 0, 0, 0, event.responseTo().name() + " " + event.reason().name(), 0));
        }
    }

    @Override
    public void onMassCancelDone(final EntryHeaderDecoder header, final MassCancelDoneDecoder event)
    {
        final AccountView account = accounts.get(event.accountId());
        if (account != null)
        {
            account.activity.add(new Activity(sequence, timestamp, Activity.MASS_CANCEL, 0, event.clOrdId(),
                event.instrumentId(), (byte)event.side(), 0, event.canceledCount(), 0, 0,
                event.reason().name() + " " + event.rejectReason().name(), 0));
        }
    }

    @Override
    public void onInstrumentAdded(final EntryHeaderDecoder header, final InstrumentAddedDecoder event)
    {
        final MarketView market = market(event.instrumentId());
        market.symbol = event.symbol();
        market.tickSize = event.tickSize();
        market.lotSize = event.lotSize();
        market.minQuantity = event.minQuantity();
        market.maxQuantity = event.maxQuantity();
        market.maxNotional = event.maxNotional();
        market.referencePrice = event.referencePrice();
        market.priceBandBps = event.priceBandBps();
        market.status = (byte)event.statusRaw();
    }

    @Override
    public void onInstrumentAmended(final EntryHeaderDecoder header, final InstrumentAmendedDecoder event)
    {
        final MarketView market = market(event.instrumentId());
        market.tickSize = event.tickSize();
        market.lotSize = event.lotSize();
        market.minQuantity = event.minQuantity();
        market.maxQuantity = event.maxQuantity();
        market.maxNotional = event.maxNotional();
        market.referencePrice = event.referencePrice();
        market.priceBandBps = event.priceBandBps();
    }

    @Override
    public void onTradingStatusChanged(final EntryHeaderDecoder header, final TradingStatusChangedDecoder event)
    {
        market(event.instrumentId()).status = (byte)event.statusRaw();
    }

    @Override
    public void onReferencePriceChanged(final EntryHeaderDecoder header, final ReferencePriceChangedDecoder event)
    {
        market(event.instrumentId()).referencePrice = event.referencePrice();
    }

    @Override
    public void onAccountCreated(final EntryHeaderDecoder header, final AccountCreatedDecoder event)
    {
        final AccountView account = account(event.accountId());
        account.stpMode = (byte)event.stpModeRaw();
        account.activity.add(new Activity(sequence, timestamp, Activity.ACCOUNT_CREATED, 0, "", 0, (byte)0, 0, 0, 0, 0,
            event.stpMode().name(), 0));
    }

    @Override
    public void onBalanceChanged(final EntryHeaderDecoder header, final BalanceChangedDecoder event)
    {
        final AccountView account = account(event.accountId());
        final int instrumentId = event.instrumentId();
        final boolean deposit = event.commandType() == CommandType.DEPOSIT;
        final long amount = event.amount();
        if (instrumentId == 0)
        {
            account.cash = event.balance();
        }
        else
        {
            final PositionView position = account.position(instrumentId);
            if (deposit)
            {
                final MarketView market = markets.get(instrumentId);
                position.buy(amount, market == null ? 0 : market.referencePrice);
            }
            else
            {
                position.remove(amount);
            }
            position.quantity = event.balance();
        }
        account.activity.add(new Activity(sequence, timestamp, deposit ? Activity.DEPOSIT : Activity.WITHDRAW, 0, "",
            instrumentId, (byte)0, 0, amount, 0, 0, "", event.balance()));
    }

    @Override
    public void onCommandRejected(final EntryHeaderDecoder header, final CommandRejectedDecoder event)
    {
        final AccountView account = event.accountId() == 0 ? null : accounts.get(event.accountId());
        if (account != null)
        {
            account.activity.add(new Activity(sequence, timestamp, Activity.COMMAND_REJECTED, 0, "",
                event.instrumentId(), (byte)0, 0, 0, 0, 0, event.commandType().name() + " " + event.reason().name(), 0));
        }
    }

    @Override
    public void onAuditRecorded(final EntryHeaderDecoder header, final AuditRecordedDecoder event)
    {
        final AccountView account = event.accountId() == 0 ? null : accounts.get(event.accountId());
        if (account != null)
        {
            account.activity.add(new Activity(sequence, timestamp, Activity.AUDIT, 0, event.username(), 0, (byte)0, 0,
                event.detail(), 0, 0, event.auditType().name(), 0));
        }
    }

    private AccountView account(final long accountId)
    {
        AccountView account = accounts.get(accountId);
        if (account == null)
        {
            account = new AccountView(accountId);
            accounts.put(accountId, account);
        }
        return account;
    }

    private MarketView market(final int instrumentId)
    {
        MarketView market = markets.get(instrumentId);
        if (market == null)
        {
            market = new MarketView(instrumentId);
            market.symbol = "";
            markets.put(instrumentId, market);
        }
        return market;
    }

    // ------------------------------------------------------------------ reading (projection thread only)

    /** Position of the last entry applied (or skipped), {@link #START} before the first. */
    public long position()
    {
        return position;
    }

    /** Engine sequence of the last entry applied; 0 before the first. */
    public long sequence()
    {
        return sequence;
    }

    public long entriesApplied()
    {
        return entriesApplied;
    }

    public long eventsApplied()
    {
        return eventsApplied;
    }

    public long duplicatesSkipped()
    {
        return duplicatesSkipped;
    }

    public long malformedSkipped()
    {
        return malformedSkipped;
    }

    public OrderRecord order(final long orderId)
    {
        return orders.get(orderId);
    }

    public AccountView account(final long accountId, final boolean create)
    {
        return create ? account(accountId) : accounts.get(accountId);
    }

    public AccountView findAccount(final long accountId)
    {
        return accounts.get(accountId);
    }

    public MarketView findMarket(final int instrumentId)
    {
        return markets.get(instrumentId);
    }

    /** By id, or by symbol. */
    public MarketView findMarket(final String idOrSymbol)
    {
        for (final MarketView market : markets.values())
        {
            if (market.symbol.equals(idOrSymbol))
            {
                return market;
            }
        }
        return null;
    }

    public Map<Integer, MarketView> markets()
    {
        return markets;
    }

    public Map<Long, AccountView> accounts()
    {
        return accounts;
    }

    // ------------------------------------------------------------------ checkpoints

    /**
     * Writes the whole state with its journal position in a canonical order (maps by key), so
     * equal states give equal bytes: restart and rebuild tests compare these bytes.
     */
    public void writeTo(final DataOutput out) throws IOException
    {
        out.writeLong(position);
        out.writeLong(sequence);
        out.writeLong(timestamp);
        out.writeLong(entriesApplied);
        out.writeLong(eventsApplied);

        final long[] orderIds = sortedKeys(orders);
        out.writeInt(orderIds.length);
        for (final long orderId : orderIds)
        {
            orders.get(orderId).write(out);
        }
        final long[] accountIds = sortedKeys(accounts);
        out.writeInt(accountIds.length);
        for (final long accountId : accountIds)
        {
            accounts.get(accountId).write(out);
        }
        final int[] instrumentIds = new int[markets.size()];
        int i = 0;
        for (final Int2ObjectHashMap<MarketView>.KeyIterator it = markets.keySet().iterator(); it.hasNext(); )
        {
            instrumentIds[i++] = it.nextInt();
        }
        Arrays.sort(instrumentIds);
        out.writeInt(instrumentIds.length);
        for (final int instrumentId : instrumentIds)
        {
            markets.get(instrumentId).write(out);
        }
    }

    /** Replaces this (empty) state with one written by {@link #writeTo}. */
    public void readFrom(final DataInput in) throws IOException
    {
        if (position != START || !orders.isEmpty())
        {
            throw new IllegalStateException("read a checkpoint only into a fresh ReferenceModels");
        }
        position = in.readLong();
        sequence = in.readLong();
        timestamp = in.readLong();
        entriesApplied = in.readLong();
        eventsApplied = in.readLong();
        int count = Checkpoints.readCount(in);
        for (int i = 0; i < count; i++)
        {
            final OrderRecord order = OrderRecord.read(in);
            orders.put(order.orderId, order);
        }
        count = Checkpoints.readCount(in);
        for (int i = 0; i < count; i++)
        {
            final AccountView account = AccountView.read(in, orders);
            accounts.put(account.accountId, account);
        }
        count = Checkpoints.readCount(in);
        for (int i = 0; i < count; i++)
        {
            final MarketView market = MarketView.read(in);
            markets.put(market.instrumentId, market);
        }
    }

    private static long[] sortedKeys(final Long2ObjectHashMap<?> map)
    {
        final long[] keys = new long[map.size()];
        int i = 0;
        for (final Long2ObjectHashMap<?>.KeyIterator it = map.keySet().iterator(); it.hasNext(); )
        {
            keys[i++] = it.nextLong();
        }
        Arrays.sort(keys);
        return keys;
    }
}
