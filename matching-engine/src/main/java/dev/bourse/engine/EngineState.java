package dev.bourse.engine;

import org.agrona.collections.Long2ObjectHashMap;

/**
 * The whole state of a matching engine and the only code that changes it. Each method below
 * applies one journal event; the live engine calls it right after encoding the event, and replay
 * ({@link EngineReplayer}) calls it after decoding one. State is therefore exactly the fold of the
 * journal's events, which is what recovery, snapshots and the replay tests rely on.
 * <p>
 * Single-threaded: one writer (the engine thread, or the thread that replays into a shadow copy).
 * <p>
 * Longer than most classes here: one method per journal event, each short, and the lookups they
 * share. Split up, the fold of one journal would be spread over classes that each reach into the
 * same books and indexes; keeping it whole is what makes "state is the fold" checkable by eye.
 */
public final class EngineState
{
    final EngineConfig config;
    final Instrument[] instruments;
    int instrumentCount;
    final Long2ObjectHashMap<Account> accounts;
    /** Accounts and sessions an operator blocked (suspended, or killed): new orders and replaces are refused. */
    final org.agrona.collections.LongHashSet blockedAccounts = new org.agrona.collections.LongHashSet();
    final org.agrona.collections.IntHashSet blockedSessions = new org.agrona.collections.IntHashSet();
    final Long2ObjectHashMap<Order> orders;
    final ClOrdIdIndex clOrdIds;
    final DeadOrders deadOrders;
    final OrderPool orderPool;
    final LevelPool levelPool;
    /** GTD orders by expire time (derived: rebuilt from the orders when a snapshot is read). */
    final ExpiryIndex expiries = new ExpiryIndex();

    long lastSequence;
    long lastTimestamp;
    long lastOrderId;
    long lastTradeId;
    /**
     * Command time of the first command since the whole exchange's last day end (EndOfDay for every
     * instrument), or of the very first command; 0 until a command comes. A guarded day end for a
     * scheduled time at or before it is for a day that already ended.
     */
    long dayOpenedAt;
    /** Live orders across all instruments. */
    long liveOrders;
    /**
     * All accounts' cash (derived: only deposits and withdrawals change it, trades move cash
     * between accounts; recomputed from the accounts when a snapshot is read). Each instrument
     * keeps its total position the same way ({@link Instrument#totalPosition}).
     */
    long totalCash;
    /** The order a new-order or replace command is working; it rests at the end of the command if it can. */
    Order pending;

    public EngineState(final EngineConfig config)
    {
        this.config = config.conclude();
        this.instruments = new Instrument[config.maxInstruments()];
        this.accounts = new Long2ObjectHashMap<>(Math.max(8, config.expectedAccounts() * 2), 0.65f);
        final int orderCapacity = (int)Math.min(1 << 30, Math.max(16, config.preallocatedOrders() * 2L));
        this.orders = new Long2ObjectHashMap<>(orderCapacity, 0.65f);
        this.clOrdIds = new ClOrdIdIndex(config.expectedClOrdIdsPerDay());
        this.deadOrders = new DeadOrders(config.expectedClOrdIdsPerDay());
        this.orderPool = new OrderPool(config.preallocatedOrders());
        this.levelPool = new LevelPool(config.preallocatedLevels());
    }

    // ------------------------------------------------------------------ read access

    public Instrument instrument(final int id)
    {
        return id > 0 && id < instruments.length ? instruments[id] : null;
    }

    public int instrumentCount()
    {
        return instrumentCount;
    }

    public Account account(final long id)
    {
        return accounts.get(id);
    }

    public int accountCount()
    {
        return accounts.size();
    }

    public Order order(final long orderId)
    {
        return orders.get(orderId);
    }

    public long liveOrders()
    {
        return liveOrders;
    }

    public long lastSequence()
    {
        return lastSequence;
    }

    public long lastTimestamp()
    {
        return lastTimestamp;
    }

    /** Command time of the first command of the exchange's current day (since its last whole-exchange day end). */
    public long dayOpenedAt()
    {
        return dayOpenedAt;
    }

    /** All accounts' cash: what deposits less withdrawals have brought in. */
    public long totalCash()
    {
        return totalCash;
    }

    /** All accounts' positions in an instrument (0 for an unknown instrument). */
    public long totalPosition(final int instrumentId)
    {
        final Instrument instrument = instrument(instrumentId);
        return instrument == null ? 0 : instrument.totalPosition;
    }

    /**
     * Recomputes the exchange's totals (cash, and each instrument's positions) from the accounts:
     * after a snapshot is read, whose format does not carry them. Not on the command path.
     */
    void recomputeTotals()
    {
        long cash = 0;
        for (final Instrument instrument : instruments)
        {
            if (instrument != null)
            {
                instrument.totalPosition = 0;
            }
        }
        for (final Account account : accounts.values())
        {
            cash += account.cash;
            for (final Position position : account.positions.values())
            {
                final Instrument instrument = instrument(position.instrumentId);
                if (instrument != null)
                {
                    instrument.totalPosition += position.quantity;
                }
            }
        }
        totalCash = cash;
    }

    public long lastOrderId()
    {
        return lastOrderId;
    }

    public long lastTradeId()
    {
        return lastTradeId;
    }

    public EngineConfig config()
    {
        return config;
    }

    /** The live order carrying a ClOrdID for an account, or null. */
    Order orderByClOrdId(final long accountId, final long w0, final long w1, final int w2)
    {
        final long orderId = clOrdIds.orderId(accountId, w0, w1, w2);
        if (orderId == 0)
        {
            return null;
        }
        // The index is not told when an order dies or changes its id (that write would miss the
        // cache on nearly every replace, cancel and fill): the id names the order only if the order
        // is still live and still carries it.
        final Order order = orders.get(orderId);
        return order != null && order.clOrdId0 == w0 && order.clOrdId1 == w1 && order.clOrdId2 == w2 ? order : null;
    }

    /** For the ClOrdID day's end: true if the entry still names a live order. */
    private final ClOrdIdIndex.LiveCheck liveClOrdId = this::namesLiveOrder;

    private boolean namesLiveOrder(final long accountId, final long w0, final long w1, final int w2, final long orderId)
    {
        final Order order = orders.get(orderId);
        return order != null && order.clOrdId0 == w0 && order.clOrdId1 == w1 && order.clOrdId2 == w2;
    }

    /** The order that carried a ClOrdID of the account today, live or not; 0 if none did. */
    long orderIdOfClOrdId(final long accountId, final long w0, final long w1, final int w2)
    {
        return clOrdIds.orderId(accountId, w0, w1, w2);
    }

    /** How an order that carried a ClOrdID the index still holds ended ({@link DeadOrders}): FILLED, CANCELED, EXPIRED or UNKNOWN. */
    dev.bourse.protocol.sbe.OrdStatus howOrderEnded(final long orderId)
    {
        return DeadOrders.asOrdStatus(deadOrders.how(orderId));
    }

    /** The day's ClOrdIDs reached {@link EngineConfig#maxClOrdIdsPerDay()}: no new order or replace until the day ends. */
    boolean clOrdIdDayFull()
    {
        return clOrdIds.size() >= config.maxClOrdIdsPerDay();
    }

    boolean isClOrdIdUsed(final long accountId, final long w0, final long w1, final int w2)
    {
        return clOrdIds.contains(accountId, w0, w1, w2);
    }

    // ------------------------------------------------------------------ fold: one method per event

    /** Entry header: every entry advances the sequence. */
    void entryStarted(final long sequence, final long timestamp)
    {
        lastSequence = sequence;
        lastTimestamp = timestamp;
        pending = null;
    }

    /**
     * A fold that changes the engine's state: the first since a day end opens the next day at its
     * entry's time. An entry that changes nothing (an audit record, a rejected command or order, a
     * status answer, a round of expiries that expired nothing) opens none, so "nothing since the
     * last day end" stays true through an operator's refused day end or a scheduler's empty round.
     */
    private void opened()
    {
        if (dayOpenedAt == 0)
        {
            dayOpenedAt = lastTimestamp;
        }
    }

    void instrumentAdded(
        final int id,
        final long symbol0,
        final long symbol1,
        final long tickSize,
        final long lotSize,
        final long minQuantity,
        final long maxQuantity,
        final long maxNotional,
        final long referencePrice,
        final int priceBandBps,
        final byte status)
    {
        opened();
        instruments[id] = new Instrument(
            id, symbol0, symbol1, tickSize, lotSize, minQuantity, maxQuantity, maxNotional, referencePrice,
            priceBandBps, status, levelPool, config.levelsPerSide());
        instrumentCount++;
    }

    /** The legacy status command: OPEN is continuous trading, HALTED and CLOSED the phases of that name. */
    void tradingStatusChanged(final int instrumentId, final byte status)
    {
        opened();
        final Instrument instrument = instruments[instrumentId];
        instrument.status = status;
        instrument.phase = EngineCodes.phaseOf(status);
        clearIndication(instrument);
    }

    /** A new phase, and the status it implies; the call's indication goes when a call ends. */
    void tradingPhaseChanged(final int instrumentId, final byte phase)
    {
        opened();
        final Instrument instrument = instruments[instrumentId];
        instrument.phase = phase;
        instrument.status = EngineCodes.statusOf(phase);
        if (!EngineCodes.isCall(phase))
        {
            clearIndication(instrument);
        }
    }

    void auctionIndication(final int instrumentId, final long price, final long quantity, final long imbalance, final byte imbalanceSide)
    {
        opened();
        final Instrument instrument = instruments[instrumentId];
        instrument.indicativePrice = price;
        instrument.indicativeQty = quantity;
        instrument.imbalanceQty = imbalance;
        instrument.imbalanceSide = imbalanceSide;
    }

    /**
     * The auction's result; its trades follow as Trade events. A traded auction price anchors the
     * static guard, and the dynamic guard for the rest of the entry (the stops it elects are judged
     * against the price the auction just found, not the one before the call).
     */
    void auctionUncrossed(final int instrumentId, final long price, final long quantity)
    {
        opened();
        final Instrument instrument = instruments[instrumentId];
        if (quantity > 0)
        {
            instrument.lastAuctionPrice = price;
            instrument.priorTradePrice = price;
            instrument.lastTradeSequence = lastSequence;
            instrument.printLow = price;
            instrument.printHigh = price;
        }
        clearIndication(instrument);
    }

    private static void clearIndication(final Instrument instrument)
    {
        instrument.indicativePrice = 0;
        instrument.indicativeQty = 0;
        instrument.imbalanceQty = 0;
        instrument.imbalanceSide = 0;
    }

    void volatilityGuardsChanged(final int instrumentId, final int dynamicBandBps, final int staticBandBps, final long interruptionNanos)
    {
        final Instrument instrument = instruments[instrumentId];
        if (instrument.dynamicBandBps != dynamicBandBps || instrument.staticBandBps != staticBandBps ||
            instrument.interruptionNanos != interruptionNanos)
        {
            opened(); // the same guards again, as a scheduler sends them at every start, change nothing (an outside probe)
        }
        instrument.dynamicBandBps = dynamicBandBps;
        instrument.staticBandBps = staticBandBps;
        instrument.interruptionNanos = interruptionNanos;
    }

    void instrumentAmended(
        final int instrumentId,
        final long tickSize,
        final long lotSize,
        final long minQuantity,
        final long maxQuantity,
        final long maxNotional,
        final long referencePrice,
        final int priceBandBps)
    {
        opened();
        instruments[instrumentId].amend(tickSize, lotSize, minQuantity, maxQuantity, maxNotional, referencePrice, priceBandBps);
    }

    void referencePriceChanged(final int instrumentId, final long referencePrice)
    {
        opened();
        instruments[instrumentId].setReferencePrice(referencePrice);
    }

    void accountCreated(final long accountId, final byte stpMode)
    {
        opened();
        accounts.put(accountId, new Account(accountId, stpMode));
    }

    /**
     * Deposits and withdrawals carry the resulting balance, so applying one is a plain assignment;
     * the exchange's total of the asset moves by the difference (the only fold that changes it).
     */
    void balanceChanged(final long accountId, final int instrumentId, final long balance)
    {
        opened();
        final Account account = accounts.get(accountId);
        if (instrumentId == 0)
        {
            totalCash += balance - account.cash;
            account.cash = balance;
        }
        else
        {
            final Position position = account.positionOrCreate(instrumentId);
            instruments[instrumentId].totalPosition += balance - position.quantity;
            position.quantity = balance;
        }
    }

    /**
     * A new order enters: holds are taken and it is indexed. A stop is held off the book at its
     * stop price; any other order becomes the command's pending order (it may trade, then rest).
     */
    Order orderAccepted(
        final long orderId,
        final long accountId,
        final int instrumentId,
        final int sessionId,
        final byte side,
        final byte ordType,
        final byte timeInForce,
        final byte flags,
        final byte stpMode,
        final long price,
        final long quantity,
        final long holdPrice,
        final long clOrdId0,
        final long clOrdId1,
        final int clOrdId2,
        final long stopPrice,
        final long displayQty,
        final long expireTime)
    {
        opened();
        final Order order = orderPool.acquire();
        final Account account = accounts.get(accountId);
        final Instrument instrument = instruments[instrumentId];
        order.orderId = orderId;
        order.accountId = accountId;
        order.instrumentId = instrumentId;
        order.sessionId = sessionId;
        order.side = side;
        order.ordType = ordType;
        order.timeInForce = timeInForce;
        order.flags = flags;
        order.stpMode = stpMode;
        order.price = price;
        order.quantity = quantity;
        order.leavesQty = quantity;
        order.cumQty = 0;
        order.cumNotional = 0;
        order.holdPrice = holdPrice;
        order.clOrdId0 = clOrdId0;
        order.clOrdId1 = clOrdId1;
        order.clOrdId2 = clOrdId2;
        order.stopPrice = stopPrice;
        order.maxFloor = displayQty;
        order.displayQty = 0;
        order.expireTime = expireTime;
        order.account = account;
        order.instrument = instrument;

        if (side == EngineCodes.BUY)
        {
            account.cashHeld += holdPrice * quantity;
        }
        else
        {
            account.positionOrCreate(instrumentId).held += quantity;
        }
        orders.put(orderId, order);
        clOrdIds.put(accountId, clOrdId0, clOrdId1, clOrdId2, orderId);
        account.appendLive(order);
        instrument.appendLive(order);
        liveOrders++;
        lastOrderId = orderId;
        if (EngineCodes.isStop(ordType))
        {
            instrument.stops(side).getOrCreate(stopPrice).append(order);
            instrument.heldStops++;
        }
        else
        {
            pending = order;
        }
        if (timeInForce == EngineCodes.GTD)
        {
            expiries.add(expireTime, orderId);
        }
        return order;
    }

    /**
     * A held stop is elected: it leaves the stop book as the MARKET or LIMIT order it becomes,
     * and is the command's pending order from here on.
     */
    void orderElected(final Order order, final byte ordType)
    {
        opened();
        final PriceLevel level = order.level;
        level.unlink(order);
        if (level.orderCount == 0)
        {
            order.instrument.stops(order.side).remove(level);
        }
        order.instrument.heldStops--;
        order.ordType = ordType;
        pending = order;
    }

    /** A maker and the pending taker trade {@code quantity} at {@code price}; both sides settle. */
    void trade(final long tradeId, final Order maker, final Order taker, final long price, final long quantity)
    {
        opened();
        lastTradeId = tradeId;
        final long notional = price * quantity;
        final Order buy = maker.side == EngineCodes.BUY ? maker : taker;
        final Order sell = buy == maker ? taker : maker;
        final Account buyer = buy.account;
        final Account seller = sell.account;
        final int instrumentId = maker.instrumentId;
        final Instrument instrument = maker.instrument;
        if (instrument.lastTradeSequence != lastSequence)
        {
            instrument.priorTradePrice = instrument.lastTradePrice;
            instrument.lastTradeSequence = lastSequence;
            instrument.printLow = price;
            instrument.printHigh = price;
        }
        else if (price < instrument.printLow)
        {
            instrument.printLow = price;
        }
        else if (price > instrument.printHigh)
        {
            instrument.printHigh = price;
        }
        instrument.lastTradePrice = price;

        // cash and units move between the two accounts: the exchange's totals do not change
        buyer.cash -= notional;
        buyer.cashHeld -= buy.holdPrice * quantity;
        buyer.positionOrCreate(instrumentId).quantity += quantity;
        final Position sellerPosition = seller.positionOrCreate(instrumentId);
        sellerPosition.quantity -= quantity;
        sellerPosition.held -= quantity;
        seller.cash += notional;

        fillOrder(maker, price, quantity);
        fillOrder(taker, price, quantity);
    }

    private void fillOrder(final Order order, final long price, final long quantity)
    {
        final PriceLevel level = order.level;
        if (level != null)
        {
            level.totalQty -= quantity;
            if (order.maxFloor > 0)
            {
                // the peak trades first; in an auction more than the peak can trade at once
                order.displayQty = Math.max(0, order.displayQty - quantity);
            }
        }
        order.leavesQty -= quantity;
        order.cumQty += quantity;
        order.cumNotional += price * quantity;
        if (order.leavesQty == 0)
        {
            deadOrders.ended(order.orderId, DeadOrders.FILLED);
            retire(order);
        }
    }

    /**
     * Removes the rest of an order: its hold is released and it leaves book, lists and indexes.
     * {@code expired}: it ended by its time in force (GTD, DAY, OPG/ATC), else it was canceled.
     */
    void orderCanceled(final Order order, final boolean expired)
    {
        opened();
        deadOrders.ended(order.orderId, expired ? DeadOrders.EXPIRED : DeadOrders.CANCELED);
        final long leaves = order.leavesQty;
        if (order.side == EngineCodes.BUY)
        {
            order.account.cashHeld -= order.holdPrice * leaves;
        }
        else
        {
            order.account.position(order.instrumentId).held -= leaves;
        }
        retire(order);
    }

    /**
     * A replace: holds move from the old leaves to the new, and an order that loses priority
     * leaves the book and becomes the command's pending order (it may trade, then rests). A held
     * stop stays held: a new stop price moves it to the back of that stop price's queue.
     */
    void orderReplaced(
        final Order order,
        final long price,
        final long quantity,
        final long holdPrice,
        final boolean keptPriority,
        final long clOrdId0,
        final long clOrdId1,
        final int clOrdId2,
        final long stopPrice)
    {
        opened();
        final long newLeaves = quantity - order.cumQty;
        final Account account = order.account;
        if (order.side == EngineCodes.BUY)
        {
            account.cashHeld += holdPrice * newLeaves - order.holdPrice * order.leavesQty;
        }
        else
        {
            account.position(order.instrumentId).held += newLeaves - order.leavesQty;
        }

        clOrdIds.put(order.accountId, clOrdId0, clOrdId1, clOrdId2, order.orderId);
        order.clOrdId0 = clOrdId0;
        order.clOrdId1 = clOrdId1;
        order.clOrdId2 = clOrdId2;

        final PriceLevel level = order.level;
        if (order.isHeldStop())
        {
            level.totalQty += newLeaves - order.leavesQty;
            order.price = price;
            order.quantity = quantity;
            order.leavesQty = newLeaves;
            if (stopPrice != order.stopPrice)
            {
                final BookSide stops = order.instrument.stops(order.side);
                level.unlink(order);
                if (level.orderCount == 0)
                {
                    stops.remove(level);
                }
                order.stopPrice = stopPrice;
                stops.getOrCreate(stopPrice).append(order);
            }
        }
        else if (keptPriority)
        {
            if (level != null)
            {
                level.totalQty += newLeaves - order.leavesQty;
            }
            order.quantity = quantity;
            order.leavesQty = newLeaves;
            order.displayQty = Math.min(order.displayQty, newLeaves);
        }
        else
        {
            if (level != null)
            {
                removeFromBook(order, level);
            }
            order.price = price;
            order.quantity = quantity;
            order.leavesQty = newLeaves;
            order.displayQty = 0;
            pending = order;
        }
        order.holdPrice = holdPrice;
    }

    /**
     * Records a mass cancel's ClOrdID, unless the day's ClOrdIDs are at their bound: a mass cancel
     * still works there and may end no order, so keeping its id let an outside probe grow the
     * index past the bound without end (a reuse of such an id is then not caught as a duplicate).
     * Live and replay decide alike: the same folds, the same bound.
     */
    void massCancelClOrdIdUsed(final long accountId, final long w0, final long w1, final int w2)
    {
        opened();
        if (!clOrdIdDayFull())
        {
            clOrdIdUsed(accountId, w0, w1, w2, 0);
        }
    }

    /**
     * Records a ClOrdID used by a request that is not itself an order, with the order it carried
     * out on (a cancel's), or 0: a later cancel or replace naming it as its OrigClOrdID, as FIX's
     * chain of ClOrdIDs has it, finds that order ended, too late, rather than an unknown order.
     */
    void clOrdIdUsed(final long accountId, final long w0, final long w1, final int w2, final long orderId)
    {
        opened();
        if (!dev.bourse.protocol.ClOrdIds.isBlank(w0, w1, w2))
        {
            clOrdIds.put(accountId, w0, w1, w2, orderId);
        }
    }

    /**
     * The order joins the back of the queue at its price: the order an entry worked, once it is
     * done matching, or an iceberg refilling (already in its level: it moves to the back).
     */
    void orderRested(final Order order, final long displayQty)
    {
        opened();
        order.displayQty = order.maxFloor > 0 ? displayQty : 0;
        final PriceLevel level = order.level;
        if (level != null)
        {
            level.unlink(order);
            level.append(order);
        }
        else
        {
            order.instrument.side(order.side).getOrCreate(order.price).append(order);
        }
        if (pending == order)
        {
            pending = null;
        }
    }

    /** End of every entry written by this engine (schema version 3 on): resting was explicit. */
    void entryEnded()
    {
        pending = null;
    }

    /**
     * End of an entry of schema version 2, which had no OrderRested event: the pending order, if
     * still live and a LIMIT DAY/GTC order, joins the back of its level, as the engine then did.
     */
    void entryEndedWithoutRestEvent()
    {
        final Order order = pending;
        pending = null;
        if (order != null && order.leavesQty > 0 && order.level == null && order.orderId != 0 &&
            order.ordType == EngineCodes.LIMIT && (order.timeInForce == EngineCodes.DAY || order.timeInForce == EngineCodes.GTC))
        {
            orderRested(order, order.leavesQty);
        }
    }

    /** GTD orders due by {@code expireTime} have expired (their cancels came first): the index forgets them. */
    void ordersExpired(final long expireTime)
    {
        while (expiries.hasDue(expireTime))
        {
            expiries.poll();
        }
    }

    /** The ClOrdID day ends (after expiring DAY orders of every instrument). */
    /** An account (sessionId 0) or a session (accountId 0) is blocked or released. */
    void blockChanged(final long accountId, final int sessionId, final boolean blocked)
    {
        opened();
        if (accountId != 0)
        {
            if (blocked)
            {
                blockedAccounts.add(accountId);
            }
            else
            {
                blockedAccounts.remove(accountId);
            }
        }
        if (sessionId != 0)
        {
            if (blocked)
            {
                blockedSessions.add(sessionId);
            }
            else
            {
                blockedSessions.remove(sessionId);
            }
        }
    }

    /** True if an order from this account and session is refused: one of them is blocked. */
    boolean isBlocked(final long accountId, final int sessionId)
    {
        return (!blockedAccounts.isEmpty() && blockedAccounts.contains(accountId)) ||
            (!blockedSessions.isEmpty() && sessionId != 0 && blockedSessions.contains(sessionId));
    }

    void dayEnded(final int instrumentId)
    {
        if (instrumentId == 0)
        {
            dayOpenedAt = 0; // the next command opens the next day
            clOrdIds.retainLiveOnly(liveClOrdId);
            deadOrders.dayStarted(lastOrderId + 1);
        }
    }

    private void retire(final Order order)
    {
        final PriceLevel level = order.level;
        if (order.isHeldStop())
        {
            level.unlink(order);
            if (level.orderCount == 0)
            {
                order.instrument.stops(order.side).remove(level);
            }
            order.instrument.heldStops--;
        }
        else if (level != null)
        {
            removeFromBook(order, level);
        }
        orders.remove(order.orderId);
        order.account.unlinkLive(order);
        order.instrument.unlinkLive(order);
        liveOrders--;
        if (pending == order)
        {
            pending = null;
        }
        order.orderId = 0;
        order.leavesQty = 0;
        order.ordType = 0;
        orderPool.release(order);
    }

    private static void removeFromBook(final Order order, final PriceLevel level)
    {
        level.unlink(order);
        if (level.orderCount == 0)
        {
            order.instrument.side(order.side).remove(level);
        }
    }
}
