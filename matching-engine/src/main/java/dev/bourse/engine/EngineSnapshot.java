package dev.bourse.engine;

import java.util.Arrays;

/**
 * Writes and reads the whole engine state in a canonical form: instruments (with their phase,
 * last trade and auction prices, volatility guards and the current call's indication), accounts,
 * positions sorted by key, the day's ClOrdIDs in the order the journal gave them, orders in book
 * order (price then time) and then the held stops in election order. Two states of the same
 * journal are equal exactly when their snapshots are byte-identical, which is how the tests
 * compare the live engine with a replay. Written only between commands (no
 * order is pending). What can be derived (the GTD expiry index, the dynamic guard's anchor, the
 * live engine's list of instruments with stops left to elect) is rebuilt, not written.
 * <p>
 * Longer than most classes here: the writer and the reader of one format sit side by side so each
 * field's write and read can be checked against each other; it runs only between commands.
 */
public final class EngineSnapshot
{
    /** "BRSS": bourse snapshot. */
    public static final int MAGIC = 0x42525353;
    /**
     * 2: trading phases, auction and guard state, stop, iceberg and GTD fields, held stops. 3: the
     * blocked accounts and sessions (kill switch). 4: how the orders the ClOrdID index can still
     * name ended ({@link DeadOrders}). 5: when the exchange's current day began (after the
     * timestamp), for guarded day ends. Versions 1 to 4 are still read.
     */
    public static final int FORMAT_VERSION = 5;
    private static final int END_MARKER = 0x454E4421;

    private EngineSnapshot()
    {
    }

    /** Writes the state. Call it off the hot path, on a shadow state: it allocates a little (sorting the accounts). */
    public static void write(final EngineState state, final StateOutput out)
    {
        if (state.pending != null)
        {
            throw new IllegalStateException("snapshot taken in the middle of a command");
        }
        out.putInt(MAGIC);
        out.putInt(FORMAT_VERSION);
        out.putLong(state.lastSequence);
        out.putLong(state.lastTimestamp);
        out.putLong(state.dayOpenedAt); // with the counters any command moves: the first after a day end sets it
        out.putLong(state.lastOrderId);
        out.putLong(state.lastTradeId);

        out.putInt(state.instrumentCount);
        for (final Instrument i : state.instruments)
        {
            if (i != null)
            {
                out.putInt(i.id);
                out.putLong(i.symbol0);
                out.putLong(i.symbol1);
                out.putLong(i.tickSize);
                out.putLong(i.lotSize);
                out.putLong(i.minQuantity);
                out.putLong(i.maxQuantity);
                out.putLong(i.maxNotional);
                out.putLong(i.referencePrice);
                out.putInt(i.priceBandBps);
                out.putByte(i.status);
                out.putByte(i.phase);
                out.putLong(i.lastTradePrice);
                out.putLong(i.lastAuctionPrice);
                out.putInt(i.dynamicBandBps);
                out.putInt(i.staticBandBps);
                out.putLong(i.interruptionNanos);
                out.putLong(i.indicativePrice);
                out.putLong(i.indicativeQty);
                out.putLong(i.imbalanceQty);
                out.putByte(i.imbalanceSide);
            }
        }

        final long[] accountIds = new long[state.accounts.size()];
        int n = 0;
        for (final Account account : state.accounts.values())
        {
            accountIds[n++] = account.id;
        }
        Arrays.sort(accountIds);
        out.putInt(accountIds.length);
        for (final long id : accountIds)
        {
            final Account a = state.accounts.get(id);
            out.putLong(a.id);
            out.putByte(a.stpMode);
            out.putLong(a.cash);
            out.putLong(a.cashHeld);
            final int[] instrumentIds = new int[a.positions.size()];
            int p = 0;
            for (final Position position : a.positions.values())
            {
                instrumentIds[p++] = position.instrumentId;
            }
            Arrays.sort(instrumentIds);
            out.putInt(instrumentIds.length);
            for (final int instrumentId : instrumentIds)
            {
                final Position position = a.positions.get(instrumentId);
                out.putInt(instrumentId);
                out.putLong(position.quantity);
                out.putLong(position.held);
            }
        }

        out.putLong(state.liveOrders);
        long written = 0;
        for (final Instrument i : state.instruments)
        {
            if (i != null)
            {
                written += writeSide(i.bids, out);
                written += writeSide(i.asks, out);
                written += writeSide(i.buyStops, out);
                written += writeSide(i.sellStops, out);
            }
        }
        if (written != state.liveOrders)
        {
            throw new IllegalStateException("live order count " + state.liveOrders + " but " + written + " in books");
        }

        // The ClOrdID entries in the index's own order, the order the journal put them in (kept by
        // day ends and by reading a snapshot back), so every state with the same history writes the
        // same bytes. They were sorted, through a copy of the whole index beside it: a third copy of
        // the day's ids (50 bytes each) that an outside tester's soak saw in the snapshotter's heap.
        out.putInt(state.clOrdIds.size());
        state.clOrdIds.forEach((account, w0, w1, w2, orderId) ->
        {
            out.putLong(account);
            out.putLong(w0);
            out.putLong(w1);
            out.putInt(w2);
            out.putLong(orderId);
        });
        final long[] blockedAccounts = new long[state.blockedAccounts.size()];
        int b = 0;
        for (final org.agrona.collections.LongHashSet.LongIterator it = state.blockedAccounts.iterator(); it.hasNext(); )
        {
            blockedAccounts[b++] = it.nextValue();
        }
        Arrays.sort(blockedAccounts);
        out.putInt(blockedAccounts.length);
        for (final long id : blockedAccounts)
        {
            out.putLong(id);
        }
        final int[] blockedSessions = new int[state.blockedSessions.size()];
        b = 0;
        for (final org.agrona.collections.IntHashSet.IntIterator it = state.blockedSessions.iterator(); it.hasNext(); )
        {
            blockedSessions[b++] = it.nextValue();
        }
        Arrays.sort(blockedSessions);
        out.putInt(blockedSessions.length);
        for (final int id : blockedSessions)
        {
            out.putInt(id);
        }
        state.deadOrders.write(out, state.lastOrderId);
        out.putInt(END_MARKER);
    }

    private static long writeSide(final BookSide side, final StateOutput out)
    {
        long written = 0;
        for (int rank = 0; rank < side.size(); rank++)
        {
            for (Order o = side.level(rank).head; o != null; o = o.next)
            {
                out.putLong(o.orderId);
                out.putLong(o.accountId);
                out.putInt(o.instrumentId);
                out.putInt(o.sessionId);
                out.putByte(o.side);
                out.putByte(o.ordType);
                out.putByte(o.timeInForce);
                out.putByte(o.flags);
                out.putByte(o.stpMode);
                out.putLong(o.price);
                out.putLong(o.quantity);
                out.putLong(o.leavesQty);
                out.putLong(o.cumQty);
                out.putLong(o.cumNotional);
                out.putLong(o.holdPrice);
                out.putLong(o.clOrdId0);
                out.putLong(o.clOrdId1);
                out.putInt(o.clOrdId2);
                out.putLong(o.stopPrice);
                out.putLong(o.maxFloor);
                out.putLong(o.displayQty);
                out.putLong(o.expireTime);
                written++;
            }
        }
        return written;
    }

    /**
     * Reads a snapshot into a new state.
     *
     * @throws IllegalStateException if the bytes are not a whole snapshot of this format.
     */
    public static EngineState read(final StateInput in, final EngineConfig config)
    {
        if (in.getInt() != MAGIC)
        {
            throw new IllegalStateException("not an engine snapshot");
        }
        final int version = in.getInt();
        if (version < 1 || version > FORMAT_VERSION)
        {
            throw new IllegalStateException("unsupported snapshot format " + version);
        }
        final EngineState state = new EngineState(config);
        state.lastSequence = in.getLong();
        state.lastTimestamp = in.getLong();
        // an older snapshot does not know when the day began: at the latest when the snapshot was taken, which keeps
        // a guarded catch-up from ending a day that began after the missed end it is for
        state.dayOpenedAt = version >= 5 ? in.getLong() : state.lastTimestamp;
        state.lastOrderId = in.getLong();
        state.lastTradeId = in.getLong();

        final int instruments = in.getInt();
        for (int k = 0; k < instruments; k++)
        {
            final int id = in.getInt();
            if (id < 1 || id >= state.instruments.length)
            {
                throw new IllegalStateException("snapshot instrument id " + id + " outside engine.maxInstruments");
            }
            state.instrumentAdded(id, in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getLong(),
                in.getLong(), in.getLong(), in.getLong(), in.getInt(), in.getByte());
            if (version >= 2)
            {
                final Instrument i = state.instruments[id];
                i.phase = in.getByte();
                i.lastTradePrice = in.getLong();
                i.lastAuctionPrice = in.getLong();
                i.dynamicBandBps = in.getInt();
                i.staticBandBps = in.getInt();
                i.interruptionNanos = in.getLong();
                i.indicativePrice = in.getLong();
                i.indicativeQty = in.getLong();
                i.imbalanceQty = in.getLong();
                i.imbalanceSide = in.getByte();
            }
        }

        final int accounts = in.getInt();
        for (int k = 0; k < accounts; k++)
        {
            final long id = in.getLong();
            final byte stp = in.getByte();
            state.accountCreated(id, stp);
            final Account a = state.accounts.get(id);
            a.cash = in.getLong();
            a.cashHeld = in.getLong();
            final int positions = in.getInt();
            for (int p = 0; p < positions; p++)
            {
                final Position position = a.positionOrCreate(in.getInt());
                position.quantity = in.getLong();
                position.held = in.getLong();
            }
        }

        final long liveOrders = in.getLong();
        if (liveOrders < 0 || liveOrders > Integer.MAX_VALUE)
        {
            throw new IllegalStateException("snapshot order count " + liveOrders);
        }
        final Order[] all = new Order[(int)liveOrders];
        for (int k = 0; k < all.length; k++)
        {
            final Order o = state.orderPool.acquire();
            o.orderId = in.getLong();
            o.accountId = in.getLong();
            o.instrumentId = in.getInt();
            o.sessionId = in.getInt();
            o.side = in.getByte();
            o.ordType = in.getByte();
            o.timeInForce = in.getByte();
            o.flags = in.getByte();
            o.stpMode = in.getByte();
            o.price = in.getLong();
            o.quantity = in.getLong();
            o.leavesQty = in.getLong();
            o.cumQty = in.getLong();
            o.cumNotional = in.getLong();
            o.holdPrice = in.getLong();
            o.clOrdId0 = in.getLong();
            o.clOrdId1 = in.getLong();
            o.clOrdId2 = in.getInt();
            o.stopPrice = version >= 2 ? in.getLong() : 0;
            o.maxFloor = version >= 2 ? in.getLong() : 0;
            o.displayQty = version >= 2 ? in.getLong() : 0;
            o.expireTime = version >= 2 ? in.getLong() : 0;
            o.account = state.accounts.get(o.accountId);
            o.instrument = state.instrument(o.instrumentId);
            if (o.account == null || o.instrument == null)
            {
                throw new IllegalStateException("snapshot order " + o.orderId + " refers to unknown account or instrument");
            }
            if (o.isHeldStop())
            {
                o.instrument.stops(o.side).getOrCreate(o.stopPrice).append(o);
                o.instrument.heldStops++;
            }
            else
            {
                o.instrument.side(o.side).getOrCreate(o.price).append(o);
            }
            if (o.timeInForce == EngineCodes.GTD)
            {
                state.expiries.add(o.expireTime, o.orderId);
            }
            state.orders.put(o.orderId, o);
            all[k] = o;
        }
        Arrays.sort(all, (a, b) -> Long.compare(a.orderId, b.orderId));
        for (final Order o : all)
        {
            o.account.appendLive(o);
            o.instrument.appendLive(o);
        }
        state.liveOrders = liveOrders;

        final int entries = in.getInt();
        for (int k = 0; k < entries; k++)
        {
            state.clOrdIds.put(in.getLong(), in.getLong(), in.getLong(), in.getInt(), in.getLong());
        }
        if (version >= 3)
        {
            final int blockedAccounts = in.getInt();
            for (int k = 0; k < blockedAccounts; k++)
            {
                state.blockChanged(in.getLong(), 0, true);
            }
            final int blockedSessions = in.getInt();
            for (int k = 0; k < blockedSessions; k++)
            {
                state.blockChanged(0, in.getInt(), true);
            }
        }
        if (version >= 4)
        {
            state.deadOrders.read(in);
        }
        else
        {
            // an older snapshot knows nothing of how orders ended: the orders from here on are noted
            state.deadOrders.dayStarted(state.lastOrderId + 1);
        }
        if (in.getInt() != END_MARKER)
        {
            throw new IllegalStateException("snapshot end marker missing");
        }
        state.recomputeTotals(); // derived, not in the format: deposits check them from the next command on
        return state;
    }

    /** The canonical bytes of a state (tests and tools). */
    public static byte[] toBytes(final EngineState state)
    {
        final BufferStateIO.Output out = new BufferStateIO.Output();
        write(state, out);
        return out.toByteArray();
    }
}
