package dev.bourse.engine;

import dev.bourse.protocol.ClOrdIds;
import dev.bourse.protocol.JournalEntryReader;
import dev.bourse.protocol.JournalEventListener;
import dev.bourse.protocol.sbe.*;
import org.agrona.DirectBuffer;

/**
 * Rebuilds engine state from journal entries by applying each event through the same
 * {@link EngineState} methods the live engine uses. Used for recovery, the snapshotter's shadow
 * state and the replay-equivalence tests. Throws {@link IllegalStateException} if the journal
 * does not fit the state (an event for an order that does not exist, a sequence gap).
 */
public final class EngineReplayer implements JournalEventListener
{
    /** Entries of earlier schema versions leave resting to be derived at the entry's end. */
    static final int FIRST_VERSION_WITH_REST_EVENT = 3;

    private final EngineState state;
    private final JournalEntryReader reader = new JournalEntryReader();

    public EngineReplayer(final EngineState state)
    {
        this.state = state;
    }

    public EngineState state()
    {
        return state;
    }

    /**
     * Applies one entry. Entries at or below the state's sequence are skipped (so replaying an
     * overlap after a snapshot is harmless).
     *
     * @return true if applied, false if skipped as already applied.
     */
    public boolean apply(final DirectBuffer buffer, final int offset, final int length)
    {
        final int status = reader.readHeader(buffer, offset, length);
        if (status != JournalEntryReader.OK)
        {
            throw new IllegalStateException("malformed journal entry (status " + status + ")");
        }
        final long sequence = reader.header().sequence();
        if (sequence <= state.lastSequence)
        {
            return false;
        }
        if (sequence != state.lastSequence + 1)
        {
            throw new IllegalStateException("journal sequence gap: expected " + (state.lastSequence + 1) + " got " + sequence);
        }
        final int result = reader.read(buffer, offset, length, this);
        if (result != JournalEntryReader.OK)
        {
            throw new IllegalStateException("malformed journal entry at sequence " + sequence + " (status " + result + ")");
        }
        return true;
    }

    @Override
    public void onEntryStart(final EntryHeaderDecoder header)
    {
        state.entryStarted(header.sequence(), header.timestamp());
    }

    @Override
    public void onEntryEnd(final EntryHeaderDecoder header)
    {
        if (header.actingVersion() < FIRST_VERSION_WITH_REST_EVENT)
        {
            state.entryEndedWithoutRestEvent();
        }
        else
        {
            state.entryEnded();
        }
    }

    @Override
    public void onOrderRested(final EntryHeaderDecoder header, final OrderRestedDecoder e)
    {
        state.orderRested(order(e.orderId()), e.displayQty());
    }

    @Override
    public void onInstrumentAdded(final EntryHeaderDecoder header, final InstrumentAddedDecoder e)
    {
        final int symbolOffset = e.offset() + InstrumentAddedDecoder.symbolEncodingOffset();
        state.instrumentAdded(
            e.instrumentId(),
            e.buffer().getLong(symbolOffset),
            e.buffer().getLong(symbolOffset + 8),
            e.tickSize(),
            e.lotSize(),
            e.minQuantity(),
            e.maxQuantity(),
            e.maxNotional(),
            e.referencePrice(),
            e.priceBandBps(),
            (byte)e.statusRaw());
    }

    @Override
    public void onTradingStatusChanged(final EntryHeaderDecoder header, final TradingStatusChangedDecoder e)
    {
        state.tradingStatusChanged(e.instrumentId(), (byte)e.statusRaw());
    }

    @Override
    public void onInstrumentAmended(final EntryHeaderDecoder header, final InstrumentAmendedDecoder e)
    {
        state.instrumentAmended(e.instrumentId(), e.tickSize(), e.lotSize(), e.minQuantity(), e.maxQuantity(), e.maxNotional(),
            e.referencePrice(), e.priceBandBps());
    }

    @Override
    public void onReferencePriceChanged(final EntryHeaderDecoder header, final ReferencePriceChangedDecoder e)
    {
        state.referencePriceChanged(e.instrumentId(), e.referencePrice());
    }

    @Override
    public void onAccountCreated(final EntryHeaderDecoder header, final AccountCreatedDecoder e)
    {
        state.accountCreated(e.accountId(), (byte)e.stpModeRaw());
    }

    @Override
    public void onBalanceChanged(final EntryHeaderDecoder header, final BalanceChangedDecoder e)
    {
        state.balanceChanged(e.accountId(), e.instrumentId(), e.balance());
    }

    @Override
    public void onOrderAccepted(final EntryHeaderDecoder header, final OrderAcceptedDecoder e)
    {
        final DirectBuffer b = e.buffer();
        final int cl = e.offset() + OrderAcceptedDecoder.clOrdIdEncodingOffset();
        final byte flags = b.getByte(e.offset() + OrderAcceptedDecoder.flagsEncodingOffset());
        state.orderAccepted(
            e.orderId(),
            e.accountId(),
            e.instrumentId(),
            e.sessionId(),
            (byte)e.sideRaw(),
            (byte)e.ordTypeRaw(),
            (byte)e.timeInForceRaw(),
            flags,
            (byte)e.stpModeRaw(),
            e.price(),
            e.quantity(),
            e.holdPrice(),
            ClOrdIds.word0(b, cl),
            ClOrdIds.word1(b, cl),
            ClOrdIds.word2(b, cl),
            since3(e.actingVersion(), e.stopPrice()),
            since3(e.actingVersion(), e.displayQty()),
            since3(e.actingVersion(), e.expireTime()));
    }

    /** A field added in schema version 3 is 0 in an older event. */
    private static long since3(final int actingVersion, final long value)
    {
        return actingVersion >= 3 ? value : 0;
    }

    @Override
    public void onOrderElected(final EntryHeaderDecoder header, final OrderElectedDecoder e)
    {
        state.orderElected(order(e.orderId()), (byte)e.ordTypeRaw());
    }

    @Override
    public void onTradingPhaseChanged(final EntryHeaderDecoder header, final TradingPhaseChangedDecoder e)
    {
        state.tradingPhaseChanged(e.instrumentId(), (byte)e.phaseRaw());
    }

    @Override
    public void onAuctionIndication(final EntryHeaderDecoder header, final AuctionIndicationDecoder e)
    {
        state.auctionIndication(e.instrumentId(), e.price(), e.matchedQty(), e.imbalanceQty(), (byte)e.imbalanceSide());
    }

    @Override
    public void onAuctionUncrossed(final EntryHeaderDecoder header, final AuctionUncrossedDecoder e)
    {
        state.auctionUncrossed(e.instrumentId(), e.price(), e.matchedQty());
    }

    @Override
    public void onVolatilityGuardsChanged(final EntryHeaderDecoder header, final VolatilityGuardsChangedDecoder e)
    {
        state.volatilityGuardsChanged(e.instrumentId(), e.dynamicBandBps(), e.staticBandBps(), e.interruptionNanos());
    }

    @Override
    public void onOrdersExpired(final EntryHeaderDecoder header, final OrdersExpiredDecoder e)
    {
        state.ordersExpired(e.expireTime());
    }

    @Override
    public void onTrade(final EntryHeaderDecoder header, final TradeDecoder e)
    {
        state.trade(e.tradeId(), order(e.makerOrderId()), order(e.takerOrderId()), e.price(), e.quantity());
    }

    @Override
    public void onOrderCanceled(final EntryHeaderDecoder header, final OrderCanceledDecoder e)
    {
        state.orderCanceled(order(e.orderId()), e.reason() == CancelReason.EXPIRED);
        final int r = e.offset() + OrderCanceledDecoder.requestClOrdIdEncodingOffset();
        final DirectBuffer b = e.buffer();
        state.clOrdIdUsed(e.accountId(), ClOrdIds.word0(b, r), ClOrdIds.word1(b, r), ClOrdIds.word2(b, r), e.orderId());
    }

    @Override
    public void onOrderReplaced(final EntryHeaderDecoder header, final OrderReplacedDecoder e)
    {
        final DirectBuffer b = e.buffer();
        final int cl = e.offset() + OrderReplacedDecoder.clOrdIdEncodingOffset();
        state.orderReplaced(
            order(e.orderId()),
            e.price(),
            e.quantity(),
            e.holdPrice(),
            e.keptPriorityRaw() == BooleanType.TRUE.value(),
            ClOrdIds.word0(b, cl),
            ClOrdIds.word1(b, cl),
            ClOrdIds.word2(b, cl),
            since3(e.actingVersion(), e.stopPrice()));
    }

    @Override
    public void onMassCancelDone(final EntryHeaderDecoder header, final MassCancelDoneDecoder e)
    {
        if (e.rejectReasonRaw() == RejectReason.NONE.value())
        {
            final DirectBuffer b = e.buffer();
            final int cl = e.offset() + MassCancelDoneDecoder.clOrdIdEncodingOffset();
            state.massCancelClOrdIdUsed(e.accountId(), ClOrdIds.word0(b, cl), ClOrdIds.word1(b, cl), ClOrdIds.word2(b, cl));
        }
    }

    @Override
    public void onDayEnded(final EntryHeaderDecoder header, final DayEndedDecoder e)
    {
        state.dayEnded(e.instrumentId());
    }

    @Override
    public void onBlockChanged(final EntryHeaderDecoder header, final BlockChangedDecoder e)
    {
        state.blockChanged(e.accountId(), e.targetSessionId(), e.blocked() == BooleanType.TRUE);
    }

    private Order order(final long orderId)
    {
        final Order order = state.order(orderId);
        if (order == null)
        {
            throw new IllegalStateException("journal refers to unknown order " + orderId + " at sequence " + state.lastSequence);
        }
        return order;
    }
}
