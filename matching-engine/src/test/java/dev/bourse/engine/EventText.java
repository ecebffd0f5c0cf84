package dev.bourse.engine;

import dev.bourse.protocol.JournalEntryReader;
import dev.bourse.protocol.JournalEventListener;
import dev.bourse.protocol.sbe.*;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders journal entries as text, one line per event ({@code Name: field=value|...}), every
 * field included. Tests assert on these lines; the differential test compares them in full.
 */
public final class EventText implements JournalEventListener
{
    private final JournalEntryReader reader = new JournalEntryReader();
    private final List<String> lines = new ArrayList<>();
    private String header;

    /** The event lines of one entry (the header is in {@link #header()} after the call). */
    public List<String> events(final DirectBuffer buffer, final int offset, final int length)
    {
        lines.clear();
        final int status = reader.read(buffer, offset, length, this);
        if (status != JournalEntryReader.OK)
        {
            throw new IllegalStateException("malformed entry: " + status);
        }
        return new ArrayList<>(lines);
    }

    /** The entry's header line: sequence, timestamp, session, command type, event count. */
    public String header()
    {
        return header;
    }

    private void add(final Object decoder)
    {
        final String text = decoder.toString();
        final int start = text.indexOf('[') + 1;
        final int nameEnd = text.indexOf(']');
        final int fields = text.indexOf("):") + 2;
        lines.add(text.substring(start, nameEnd) + ": " + text.substring(fields));
    }

    @Override
    public void onEntryStart(final EntryHeaderDecoder h)
    {
        header = "Entry: sequence=" + h.sequence() + "|timestamp=" + h.timestamp() + "|sessionId=" + h.sessionId() +
            "|commandType=" + h.commandType() + "|eventCount=" + h.eventCount() + "|msgSeqNum=" + h.msgSeqNum();
    }

    @Override
    public void onOrderAccepted(final EntryHeaderDecoder h, final OrderAcceptedDecoder e)
    {
        add(e);
    }

    @Override
    public void onOrderRejected(final EntryHeaderDecoder h, final OrderRejectedDecoder e)
    {
        add(e);
    }

    @Override
    public void onTrade(final EntryHeaderDecoder h, final TradeDecoder e)
    {
        add(e);
    }

    @Override
    public void onOrderCanceled(final EntryHeaderDecoder h, final OrderCanceledDecoder e)
    {
        add(e);
    }

    @Override
    public void onOrderReplaced(final EntryHeaderDecoder h, final OrderReplacedDecoder e)
    {
        add(e);
    }

    @Override
    public void onCancelRejected(final EntryHeaderDecoder h, final CancelRejectedDecoder e)
    {
        add(e);
    }

    @Override
    public void onMassCancelDone(final EntryHeaderDecoder h, final MassCancelDoneDecoder e)
    {
        add(e);
    }

    @Override
    public void onOrderStatusReport(final EntryHeaderDecoder h, final OrderStatusReportDecoder e)
    {
        add(e);
    }

    @Override
    public void onOrderRested(final EntryHeaderDecoder h, final OrderRestedDecoder e)
    {
        add(e);
    }

    @Override
    public void onOrderElected(final EntryHeaderDecoder h, final OrderElectedDecoder e)
    {
        add(e);
    }

    @Override
    public void onTradingPhaseChanged(final EntryHeaderDecoder h, final TradingPhaseChangedDecoder e)
    {
        add(e);
    }

    @Override
    public void onAuctionIndication(final EntryHeaderDecoder h, final AuctionIndicationDecoder e)
    {
        add(e);
    }

    @Override
    public void onAuctionUncrossed(final EntryHeaderDecoder h, final AuctionUncrossedDecoder e)
    {
        add(e);
    }

    @Override
    public void onVolatilityGuardsChanged(final EntryHeaderDecoder h, final VolatilityGuardsChangedDecoder e)
    {
        add(e);
    }

    @Override
    public void onOrdersExpired(final EntryHeaderDecoder h, final OrdersExpiredDecoder e)
    {
        add(e);
    }

    @Override
    public void onInstrumentAdded(final EntryHeaderDecoder h, final InstrumentAddedDecoder e)
    {
        add(e);
    }

    @Override
    public void onInstrumentAmended(final EntryHeaderDecoder h, final InstrumentAmendedDecoder e)
    {
        add(e);
    }

    @Override
    public void onTradingStatusChanged(final EntryHeaderDecoder h, final TradingStatusChangedDecoder e)
    {
        add(e);
    }

    @Override
    public void onReferencePriceChanged(final EntryHeaderDecoder h, final ReferencePriceChangedDecoder e)
    {
        add(e);
    }

    @Override
    public void onAccountCreated(final EntryHeaderDecoder h, final AccountCreatedDecoder e)
    {
        add(e);
    }

    @Override
    public void onBalanceChanged(final EntryHeaderDecoder h, final BalanceChangedDecoder e)
    {
        add(e);
    }

    @Override
    public void onCommandRejected(final EntryHeaderDecoder h, final CommandRejectedDecoder e)
    {
        add(e);
    }

    @Override
    public void onDayEnded(final EntryHeaderDecoder h, final DayEndedDecoder e)
    {
        add(e);
    }

    @Override
    public void onAuditRecorded(final EntryHeaderDecoder h, final AuditRecordedDecoder e)
    {
        add(e);
    }

    @Override
    public void onBlockChanged(final EntryHeaderDecoder h, final BlockChangedDecoder e)
    {
        add(e);
    }

    @Override
    public void onUnknownEvent(final EntryHeaderDecoder h, final int templateId, final int version)
    {
        lines.add("Unknown: templateId=" + templateId + "|version=" + version);
    }
}
