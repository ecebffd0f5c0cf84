package dev.bourse.protocol;

import dev.bourse.protocol.sbe.*;

/**
 * Receives the events of journal entries as decoded by {@link JournalEntryReader}. Decoders are
 * flyweights valid only during the call. Every method has an empty default so a reader implements
 * only what it needs.
 */
public interface JournalEventListener
{
    /** Called first for every entry; the header stays valid until {@link #onEntryEnd}. */
    default void onEntryStart(EntryHeaderDecoder header)
    {
    }

    default void onOrderAccepted(EntryHeaderDecoder header, OrderAcceptedDecoder event)
    {
    }

    default void onOrderRejected(EntryHeaderDecoder header, OrderRejectedDecoder event)
    {
    }

    default void onTrade(EntryHeaderDecoder header, TradeDecoder event)
    {
    }

    default void onOrderCanceled(EntryHeaderDecoder header, OrderCanceledDecoder event)
    {
    }

    default void onOrderReplaced(EntryHeaderDecoder header, OrderReplacedDecoder event)
    {
    }

    default void onCancelRejected(EntryHeaderDecoder header, CancelRejectedDecoder event)
    {
    }

    default void onMassCancelDone(EntryHeaderDecoder header, MassCancelDoneDecoder event)
    {
    }

    default void onOrderStatusReport(EntryHeaderDecoder header, OrderStatusReportDecoder event)
    {
    }

    /**
     * The order joins the back of the queue at its price (schema version 3 and later): the last
     * event of the entry that accepted or repriced it, or an iceberg's refill.
     */
    default void onOrderRested(EntryHeaderDecoder header, OrderRestedDecoder event)
    {
    }

    /** A held stop was elected; the events of the order it became follow (version 3 on). */
    default void onOrderElected(EntryHeaderDecoder header, OrderElectedDecoder event)
    {
    }

    /** An instrument entered another trading phase (version 3 on). */
    default void onTradingPhaseChanged(EntryHeaderDecoder header, TradingPhaseChangedDecoder event)
    {
    }

    /** During a call: the would-be auction result changed (version 3 on). */
    default void onAuctionIndication(EntryHeaderDecoder header, AuctionIndicationDecoder event)
    {
    }

    /** A call's auction: its result, before its trades (version 3 on). */
    default void onAuctionUncrossed(EntryHeaderDecoder header, AuctionUncrossedDecoder event)
    {
    }

    default void onVolatilityGuardsChanged(EntryHeaderDecoder header, VolatilityGuardsChangedDecoder event)
    {
    }

    /** The end of an expiry of GTD orders (their cancels come before it; version 3 on). */
    default void onOrdersExpired(EntryHeaderDecoder header, OrdersExpiredDecoder event)
    {
    }

    default void onInstrumentAdded(EntryHeaderDecoder header, InstrumentAddedDecoder event)
    {
    }

    /** An instrument's rules after an AmendInstrument: every value as it now is (version 5 on). */
    default void onInstrumentAmended(EntryHeaderDecoder header, InstrumentAmendedDecoder event)
    {
    }

    default void onTradingStatusChanged(EntryHeaderDecoder header, TradingStatusChangedDecoder event)
    {
    }

    default void onReferencePriceChanged(EntryHeaderDecoder header, ReferencePriceChangedDecoder event)
    {
    }

    default void onAccountCreated(EntryHeaderDecoder header, AccountCreatedDecoder event)
    {
    }

    default void onBalanceChanged(EntryHeaderDecoder header, BalanceChangedDecoder event)
    {
    }

    default void onCommandRejected(EntryHeaderDecoder header, CommandRejectedDecoder event)
    {
    }

    default void onDayEnded(EntryHeaderDecoder header, DayEndedDecoder event)
    {
    }

    default void onAuditRecorded(EntryHeaderDecoder header, AuditRecordedDecoder event)
    {
    }

    /** An operator blocked or released an account or a session (the kill switch, a suspension). */
    default void onBlockChanged(EntryHeaderDecoder header, BlockChangedDecoder event)
    {
    }

    /** An event with a templateId this reader does not know (written by a newer schema): skipped. */
    default void onUnknownEvent(EntryHeaderDecoder header, int templateId, int version)
    {
    }

    /** Called last for every well-formed entry. */
    default void onEntryEnd(EntryHeaderDecoder header)
    {
    }
}
