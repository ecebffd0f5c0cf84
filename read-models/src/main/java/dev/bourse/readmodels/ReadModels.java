package dev.bourse.readmodels;

import dev.bourse.journal.JournalHandler;
import dev.bourse.protocol.JournalEntryReader;
import dev.bourse.protocol.JournalEventListener;
import dev.bourse.protocol.sbe.*;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.Long2ObjectHashMap;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Map;

/**
 * The hot projections of the journal, folded by one thread: live orders, balances, holds and
 * positions per account, and per instrument the definition and trading status, book depth, recent
 * trades and the current candles (the day's is the daily statistics). Everything here is bounded
 * by live state, not by history: an order is dropped once filled or canceled, and older trades and
 * candles are kept only by the history store (see {@code history.HistorySink}). Not thread-safe:
 * only the projection thread touches it (queries run on that thread too, see {@link ProjectionAgent}).
 * <p>
 * Idempotent: an entry whose engine sequence is not above the last applied one is skipped, so
 * a tailer that re-delivers entries (a resume from an older checkpoint) changes nothing.
 * <p>
 * About 700 lines because it has one listener method per journal event: the whole fold reads in
 * one place, as the engine's does.
 */
public final class ReadModels implements JournalHandler, JournalEventListener
{
    /** The position before the first entry of a journal. */
    public static final long START = -1;

    private final JournalEntryReader reader = new JournalEntryReader();
    /** Live orders only, in rows rather than objects (see {@link RowStore}). */
    private final KeyedRows orders = new KeyedRows(OrderRecord.ROW_BYTES);
    /** Flyweights over the rows of the orders an event names. */
    private final OrderRecord orderView = new OrderRecord();
    private final OrderRecord makerView = new OrderRecord();
    private final OrderRecord takerView = new OrderRecord();
    private final Long2ObjectHashMap<AccountView> accounts = new Long2ObjectHashMap<>();
    private final Int2ObjectHashMap<MarketView> markets = new Int2ObjectHashMap<>();
    /** Orders accepted or repriced in the current entry: they rest at its end if still live. */
    /** Journals before schema version 3 have no OrderRested: for their entries, which orders rest is derived at the entry's end. */
    private final IntArrayList pendingRest = new IntArrayList();
    private static final int FIRST_VERSION_WITH_REST_EVENT = 3;
    private boolean restIsExplicit;
    private StreamListener stream = StreamListener.NONE;
    /** The trading day the daily statistics and daily candles belong to (rolls at a whole-exchange DayEnded). */
    private final TradingDay tradingDay;

    /** Trading days named by UTC dates. */
    public ReadModels()
    {
        this(java.time.ZoneOffset.UTC);
    }

    /** Trading days named by dates in the exchange's time zone ({@code schedule.time-zone}). */
    public ReadModels(final java.time.ZoneId zone)
    {
        tradingDay = new TradingDay(zone);
    }

    private long position = START;
    private long sequence;
    private long timestamp;
    private long entriesApplied;
    private long eventsApplied;
    private long duplicatesSkipped;
    private long malformedSkipped;
    private long firstMalformedPosition = START;

    /** Who hears about every change as it is applied (the live streams); {@link StreamListener#NONE} by default. */
    public void streamListener(final StreamListener listener)
    {
        stream = listener == null ? StreamListener.NONE : listener;
    }

    // ------------------------------------------------------------------ applying the journal

    @Override
    public void onEntry(final long position, final DirectBuffer buffer, final int offset, final int length)
    {
        if (reader.readHeader(buffer, offset, length) != JournalEntryReader.OK)
        {
            malformed(position);
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
        this.position = Math.max(this.position, position);
        if (reader.read(buffer, offset, length, this) != JournalEntryReader.OK)
        {
            // Refused whole before any event was applied.
            malformed(position);
        }
    }

    @Override
    public void onEntryStart(final EntryHeaderDecoder header)
    {
        sequence = header.sequence();
        timestamp = header.timestamp();
        restIsExplicit = header.actingVersion() >= FIRST_VERSION_WITH_REST_EVENT;
        eventsApplied += header.eventCount();
        tradingDay.onEntryStart(timestamp);
        stream.onEntryStart(position, sequence, timestamp);
    }

    @Override
    public void onEntryEnd(final EntryHeaderDecoder header)
    {
        for (int i = 0, n = pendingRest.size(); i < n; i++)
        {
            final OrderRecord order = orderView.wrap(orders.rows(), pendingRest.getInt(i));
            if (order.isOpen() && !order.resting() && order.leavesQty() > 0 && order.ordType() == OrdType.LIMIT.value() &&
                (order.timeInForce() == TimeInForce.DAY.value() || order.timeInForce() == TimeInForce.GTC.value()))
            {
                order.resting(true);
                order.displayed(order.leavesQty());
                depth(market(order.instrumentId()), order.side(), order.price(), order.leavesQty(), 1);
            }
        }
        pendingRest.clear();
        orders.releaseClosed();
        if (tradingDay.onEntryEnd())
        {
            for (final MarketView market : markets.values())
            {
                market.onDayEnded();
            }
        }
        entriesApplied++;
        stream.onEntryEnd(this);
    }

    @Override
    public void onDayEnded(final EntryHeaderDecoder header, final DayEndedDecoder event)
    {
        tradingDay.onDayEnded(event.instrumentId());
    }

    /** The current trading day (its date names the daily statistics); see {@link TradingDay}. */
    public TradingDay tradingDay()
    {
        return tradingDay;
    }

    @Override
    public void onOrderAccepted(final EntryHeaderDecoder header, final OrderAcceptedDecoder event)
    {
        final long orderId = event.orderId();
        final int row = orders.create(orderId);
        if (row == KeyedRows.NONE)
        {
            return; // an OrderID accepted twice: the engine never does this; the first acceptance stands
        }
        final OrderRecord order = orderView.wrap(orders.rows(), row);
        order.init(orderId, event.accountId(), event.instrumentId(),
            event.sessionId(), (byte)event.sideRaw(), (byte)event.ordTypeRaw(), (byte)event.timeInForceRaw(),
            event.flags().postOnly(), (byte)event.stpModeRaw(), sequence, timestamp);
        final long quantity = event.quantity();
        order.price(event.price());
        order.quantity(quantity);
        order.leavesQty(quantity);
        order.holdPrice(event.holdPrice());
        order.clOrdId(event.buffer(), event.offset() + OrderAcceptedDecoder.clOrdIdEncodingOffset());
        order.stopPrice(OrderTypeFields.orZero(event.stopPrice()));
        order.displayQty(OrderTypeFields.orZero(event.displayQty()));
        order.expireTime(OrderTypeFields.orZero(event.expireTime()));
        order.status(OrderRecord.NEW);
        order.updated(sequence, timestamp);

        final AccountView account = account(order.accountId());
        account.openOrders.add(order);
        if (order.side() == Side.BUY.value())
        {
            account.cashHeld += order.holdPrice() * quantity;
        }
        else
        {
            account.position(order.instrumentId()).held += quantity;
        }
        if (!restIsExplicit)
        {
            pendingRest.addInt(order.row());
        }
        stream.onOrder(order);
    }

    /** The order joins its level's queue showing displayQty: held stops, IOCs and hidden parts never show. */
    @Override
    public void onOrderRested(final EntryHeaderDecoder header, final OrderRestedDecoder event)
    {
        final OrderRecord order = live(event.orderId(), orderView);
        if (order == null)
        {
            return;
        }
        final MarketView market = market(order.instrumentId());
        if (order.resting())
        {
            depth(market, order.side(), order.price(), -order.displayed(), -1);
        }
        order.resting(true);
        order.displayed(event.displayQty());
        depth(market, order.side(), event.price(), order.displayed(), 1);
    }

    @Override
    public void onTrade(final EntryHeaderDecoder header, final TradeDecoder event)
    {
        final long tradeId = event.tradeId();
        final long price = event.price();
        final long quantity = event.quantity();
        final byte takerSide = (byte)event.takerSideRaw();
        // An auction's trade is between two resting orders: the print has no aggressor side (as the market-data
        // feed's NONE) and both fills are AUCTION, neither maker nor taker (FIX gives them no LastLiquidityInd).
        // The engine still names the buy order taker, which settlement below relies on.
        final boolean auction = event.auctionRaw() == BooleanType.TRUE.value();
        final byte printedSide = auction ? TradeRecord.NO_SIDE : takerSide;
        final MarketView market = market(event.instrumentId());
        market.onTrade(tradeId, sequence, timestamp, price, quantity, printedSide, tradingDay.dateStartNanos());
        stream.onTrade(market, tradeId, price, quantity, printedSide);

        final OrderRecord maker = live(event.makerOrderId(), makerView);
        final OrderRecord taker = live(event.takerOrderId(), takerView);
        if (maker == null || taker == null)
        {
            return; // cannot happen on a journal read from its start
        }
        executedOnBook(market, maker, quantity, event.makerLeavesQty());
        // an auction's trades are between two resting orders
        executedOnBook(market, taker, quantity, event.takerLeavesQty());
        fill(maker, tradeId, price, quantity, event.makerLeavesQty(), event.makerCumQty(), event.makerCumNotional(),
            auction ? Liquidity.AUCTION : Liquidity.MAKER);
        fill(taker, tradeId, price, quantity, event.takerLeavesQty(), event.takerCumQty(), event.takerCumNotional(),
            auction ? Liquidity.AUCTION : Liquidity.TAKER);

        // Settlement (ENGINE-RULES, spot): the sell leg first, then the buy leg.
        final OrderRecord buy = takerSide == Side.BUY.value() ? taker : maker;
        final OrderRecord sell = buy == taker ? maker : taker;
        final long notional = price * quantity;
        final AccountView seller = account(sell.accountId());
        final PositionView sold = seller.position(sell.instrumentId());
        final AccountView buyer = account(buy.accountId());
        sold.held -= quantity;
        buyer.cashHeld -= buy.holdPrice() * quantity;
        if (seller == buyer)
        {
            return; // a self-trade nets out: no cash or position moves, so no P&L and no new average (a probe saw both)
        }
        sold.sell(quantity, price);
        seller.cash += notional;
        buyer.cash -= notional;
        buyer.position(buy.instrumentId()).buy(quantity, price);
    }

    /** What the book shows of a resting order goes down by the executed quantity; an iceberg's next peak comes with OrderRested. */
    private void executedOnBook(final MarketView market, final OrderRecord order, final long quantity, final long leaves)
    {
        if (!order.resting())
        {
            return;
        }
        final long shown = restIsExplicit ? Math.min(quantity, order.displayed()) : quantity;
        final long displayed = order.displayed() - shown;
        order.displayed(displayed);
        final boolean gone = leaves == 0 || displayed == 0;
        depth(market, order.side(), order.price(), -shown, gone ? -1 : 0);
        order.resting(!gone);
    }

    private void fill(
        final OrderRecord order, final long tradeId, final long price, final long quantity, final long leaves, final long cumQty,
        final long cumNotional, final byte liquidity)
    {
        order.leavesQty(leaves);
        order.cumQty(cumQty);
        order.cumNotional(cumNotional);
        order.updated(sequence, timestamp);
        order.status(leaves == 0 ? OrderRecord.FILLED : OrderRecord.PARTIALLY_FILLED);
        stream.onFill(order, tradeId, price, quantity, liquidity);
        stream.onOrder(order);
        if (leaves == 0)
        {
            close(order);
        }
    }

    /** A filled or canceled order leaves the hot state; its history is in the history store. */
    private void close(final OrderRecord order)
    {
        account(order.accountId()).openOrders.remove(order);
        orders.close(order.orderId());
    }

    @Override
    public void onOrderCanceled(final EntryHeaderDecoder header, final OrderCanceledDecoder event)
    {
        final OrderRecord order = live(event.orderId(), orderView);
        if (order == null)
        {
            return;
        }
        final long canceled = event.canceledQty();
        final AccountView account = account(order.accountId());
        if (order.side() == Side.BUY.value())
        {
            account.cashHeld -= order.holdPrice() * canceled;
        }
        else
        {
            account.position(order.instrumentId()).held -= canceled;
        }
        if (order.resting())
        {
            depth(market(order.instrumentId()), order.side(), order.price(), -order.displayed(), -1);
            order.resting(false);
            order.displayed(0);
        }
        order.leavesQty(0);
        order.cumQty(event.cumQty());
        order.cumNotional(event.cumNotional());
        order.status(OrderRecord.canceledStatus((byte)event.reasonRaw()));
        order.cancelReason((byte)event.reasonRaw());
        order.updated(sequence, timestamp);
        stream.onOrder(order);
        close(order);
    }

    @Override
    public void onOrderReplaced(final EntryHeaderDecoder header, final OrderReplacedDecoder event)
    {
        final OrderRecord order = live(event.orderId(), orderView);
        if (order == null)
        {
            return;
        }
        final AccountView account = account(order.accountId());
        final long oldLeaves = event.oldLeavesQty();
        final long newLeaves = event.leavesQty();
        if (order.side() == Side.BUY.value())
        {
            account.cashHeld += event.holdPrice() * newLeaves - order.holdPrice() * oldLeaves; // the hold price: a stop has price 0
        }
        else
        {
            account.position(order.instrumentId()).held += newLeaves - oldLeaves;
        }
        final boolean kept = event.keptPriority() == BooleanType.TRUE;
        if (order.resting())
        {
            final MarketView market = market(order.instrumentId());
            final long displayed = order.displayed();
            if (kept)
            {
                // what the book shows goes down to the new leaves if it showed more (an iceberg's peak may show less)
                final long shown = Math.min(displayed, newLeaves);
                depth(market, order.side(), order.price(), shown - displayed, 0);
                order.displayed(shown);
            }
            else
            {
                depth(market, order.side(), event.oldPrice(), -displayed, -1);
                order.resting(false);
                order.displayed(0);
            }
        }
        if (!kept && !restIsExplicit)
        {
            pendingRest.addInt(order.row());
        }
        order.price(event.price());
        order.quantity(event.quantity());
        order.leavesQty(newLeaves);
        order.cumQty(event.cumQty());
        order.cumNotional(event.cumNotional());
        order.holdPrice(event.holdPrice());
        order.clOrdIdBecomesOrig();
        order.clOrdId(event.buffer(), event.offset() + OrderReplacedDecoder.clOrdIdEncodingOffset());
        final long stopPrice = OrderTypeFields.orZero(event.stopPrice());
        if (stopPrice != 0)
        {
            order.stopPrice(stopPrice); // a held stop's new stop price; an elected one keeps the price it was elected at
        }
        order.updated(sequence, timestamp);
        stream.onOrder(order);
    }

    /** A held stop elected: it is now the market or limit order it became (its stop price stays), as FIX reports it. */
    @Override
    public void onOrderElected(final EntryHeaderDecoder header, final OrderElectedDecoder event)
    {
        final OrderRecord order = live(event.orderId(), orderView);
        if (order == null)
        {
            return;
        }
        order.ordType((byte)event.ordTypeRaw());
        order.price(event.price());
        order.updated(sequence, timestamp);
        stream.onOrder(order);
    }

    private void depth(final MarketView market, final byte side, final long price, final long quantity, final int orderDelta)
    {
        final DepthSide depth = market.side(side);
        depth.add(price, quantity, orderDelta);
        stream.onDepth(market, side, price, depth, quantity, orderDelta);
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
        market.status((byte)event.statusRaw());
        stream.onStatus(market);
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
        stream.onStatus(market);
    }

    @Override
    public void onTradingStatusChanged(final EntryHeaderDecoder header, final TradingStatusChangedDecoder event)
    {
        final MarketView market = market(event.instrumentId());
        market.status((byte)event.statusRaw());
        stream.onStatus(market);
    }

    @Override
    public void onTradingPhaseChanged(final EntryHeaderDecoder header, final TradingPhaseChangedDecoder event)
    {
        final MarketView market = market(event.instrumentId());
        market.phase((byte)event.phaseRaw(), (byte)event.statusRaw());
        stream.onStatus(market);
    }

    @Override
    public void onAuctionIndication(final EntryHeaderDecoder header, final AuctionIndicationDecoder event)
    {
        final MarketView market = market(event.instrumentId());
        market.indication(event.price(), event.matchedQty(), event.imbalanceQty(), (byte)event.imbalanceSide());
        stream.onStatus(market);
    }

    @Override
    public void onAuctionUncrossed(final EntryHeaderDecoder header, final AuctionUncrossedDecoder event)
    {
        final MarketView market = market(event.instrumentId());
        market.auction(header.timestamp(), (byte)event.callPhaseRaw(), event.price(), event.matchedQty());
        stream.onStatus(market);
    }

    @Override
    public void onReferencePriceChanged(final EntryHeaderDecoder header, final ReferencePriceChangedDecoder event)
    {
        final MarketView market = market(event.instrumentId());
        market.referencePrice = event.referencePrice();
        stream.onStatus(market);
    }

    @Override
    public void onVolatilityGuardsChanged(final EntryHeaderDecoder header, final VolatilityGuardsChangedDecoder event)
    {
        final MarketView market = market(event.instrumentId());
        market.dynamicBandBps = event.dynamicBandBps();
        market.staticBandBps = event.staticBandBps();
        market.interruptionNanos = event.interruptionNanos();
    }

    @Override
    public void onAccountCreated(final EntryHeaderDecoder header, final AccountCreatedDecoder event)
    {
        account(event.accountId()).stpMode = (byte)event.stpModeRaw();
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
    }

    /** The live order wrapped by {@code view}, or null. */
    private OrderRecord live(final long orderId, final OrderRecord view)
    {
        final int row = orders.find(orderId);
        return row == KeyedRows.NONE ? null : view.wrap(orders.rows(), row);
    }

    private AccountView account(final long accountId)
    {
        AccountView account = accounts.get(accountId);
        if (account == null)
        {
            account = new AccountView(accountId, orders.rows());
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

    /** The timestamp (ns) of the last entry applied; 0 before the first. */
    public long entryTimestamp()
    {
        return timestamp;
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

    private void malformed(final long position)
    {
        if (malformedSkipped++ == 0)
        {
            firstMalformedPosition = position;
        }
    }

    /** The position of the first entry skipped as malformed ({@link #START}: none), for the one line the log says of it. */
    public long firstMalformedPosition()
    {
        return firstMalformedPosition;
    }

    /**
     * A live order, or null (also for one filled or canceled: ask the history store). A new
     * flyweight over the order's row: read it before the projections apply the next entry.
     */
    public OrderRecord order(final long orderId)
    {
        return live(orderId, new OrderRecord());
    }

    /** Live orders now. */
    public int liveOrders()
    {
        return orders.size();
    }

    /**
     * Orders on the public books now (every level's count): what anyone may know. Held stops are
     * live orders but not public, so a public answer counts these, not {@link #liveOrders()}.
     */
    public long bookOrders()
    {
        long count = 0;
        for (final MarketView market : markets.values())
        {
            count += market.bids().orderCount() + market.asks().orderCount();
        }
        return count;
    }

    public AccountView findAccount(final long accountId)
    {
        return accounts.get(accountId);
    }

    public MarketView findMarket(final int instrumentId)
    {
        return markets.get(instrumentId);
    }

    /** By symbol. */
    public MarketView findMarket(final String symbol)
    {
        for (final MarketView market : markets.values())
        {
            if (market.symbol.equals(symbol))
            {
                return market;
            }
        }
        return null;
    }

    /** By id (digits) or else by symbol. */
    public MarketView findMarketByIdOrSymbol(final String idOrSymbol)
    {
        MarketView market = null;
        if (AsciiDigits.isDigits(idOrSymbol, 9))
        {
            market = findMarket(Integer.parseInt(idOrSymbol));
        }
        return market != null ? market : findMarket(idOrSymbol);
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
        final StateWriter writer = stateWriter(out);
        while (!writer.writeSome(Integer.MAX_VALUE))
        {
            // all at once
        }
    }

    /**
     * Writes what {@link #writeTo} writes, a slice at a time ({@link StateWriter#writeSome}), so
     * that the thread writing a checkpoint can answer queries between slices. Nothing may change
     * the models until the writer is done.
     */
    public StateWriter stateWriter(final DataOutput out) throws IOException
    {
        return new StateWriter(this, out);
    }

    /** The live orders by OrderID (a checkpoint's writer). */
    KeyedRows orderRows()
    {
        return orders;
    }


    /** Replaces this (empty) state with one written by {@link #writeTo}. */
    public void readFrom(final DataInput in) throws IOException
    {
        if (position != START || !orders.isEmpty())
        {
            throw new IllegalStateException("read a checkpoint only into a fresh ReadModels");
        }
        position = in.readLong();
        sequence = in.readLong();
        timestamp = in.readLong();
        entriesApplied = in.readLong();
        eventsApplied = in.readLong();
        final long dayNumber = in.readLong();
        final long dayDate = in.readLong();
        if (dayNumber < 1 || dayDate < TradingDay.NO_DATE)
        {
            throw new IOException("corrupt checkpoint: trading day " + dayNumber + " dated " + dayDate);
        }
        tradingDay.restore(dayNumber, dayDate);
        int count = Checkpoints.readCount(in);
        final OrderRecord read = OrderRecord.standalone(); // read first: its OrderID names its row
        for (int i = 0; i < count; i++)
        {
            read.readFrom(in);
            final int row = orders.create(read.orderId());
            if (row == KeyedRows.NONE)
            {
                throw new IOException("corrupt checkpoint: order " + read.orderId() + " twice");
            }
            orderView.wrap(orders.rows(), row).copyFrom(read);
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
}
