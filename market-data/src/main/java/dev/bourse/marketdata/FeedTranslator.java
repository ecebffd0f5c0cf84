package dev.bourse.marketdata;

import dev.bourse.protocol.JournalEventListener;
import dev.bourse.protocol.md.sbe.*;
import dev.bourse.protocol.sbe.EntryHeaderDecoder;
import dev.bourse.protocol.sbe.InstrumentAddedDecoder;
import dev.bourse.protocol.sbe.OrderAcceptedDecoder;
import dev.bourse.protocol.sbe.OrderCanceledDecoder;
import dev.bourse.protocol.sbe.OrderReplacedDecoder;
import dev.bourse.protocol.sbe.OrderRestedDecoder;
import dev.bourse.protocol.sbe.TradingStatusChangedDecoder;
import dev.bourse.protocol.sbe.BooleanType;
import org.agrona.collections.IntArrayList;

/**
 * Turns the events of journal entries into incremental feed messages, keeping the displayed book
 * the messages describe. An incoming order is not in the book while it matches; it joins the back
 * of its level when the engine says so with an {@code OrderRested} event (AddOrder). A replace
 * that loses priority takes the order out of the engine's book and lets it match: the feed keeps
 * showing it at its old place until it rests again (OrderReplaced) or the entry ends without that
 * (OrderDeleted). Journals of schema version 2 have no OrderRested: for their entries the rule is
 * derived as the engine then applied it (a LIMIT DAY/GTC order with quantity left rests when its
 * entry ends). Anonymous: no account, session or ClOrdID leaves this class.
 */
final class FeedTranslator implements JournalEventListener
{
    private static final byte LIMIT = (byte)dev.bourse.protocol.sbe.OrdType.LIMIT.value();
    private static final byte DAY = (byte)dev.bourse.protocol.sbe.TimeInForce.DAY.value();
    private static final byte GTC = (byte)dev.bourse.protocol.sbe.TimeInForce.GTC.value();
    private static final int FIRST_VERSION_WITH_REST_EVENT = 3;

    private final OrderBooks books;
    private final FragmentBatch batch;
    private final IntArrayList instrumentIds;
    private final InstrumentDefinitionEncoder definition = new InstrumentDefinitionEncoder();
    private final AddOrderEncoder addOrder = new AddOrderEncoder();
    private final OrderExecutedEncoder orderExecuted = new OrderExecutedEncoder();
    private final OrderReducedEncoder orderReduced = new OrderReducedEncoder();
    private final OrderDeletedEncoder orderDeleted = new OrderDeletedEncoder();
    private final OrderReplacedEncoder orderReplaced = new OrderReplacedEncoder();
    private final TradeEncoder trade = new TradeEncoder();
    private final TradingStatusEncoder tradingStatus = new TradingStatusEncoder();

    private long timestamp;
    /** The entry says when an order rests (schema version 3 on); otherwise it is derived at the entry's end. */
    private boolean restIsExplicit;
    /** The order the entry is working (new order or replace that lost priority); 0 if none. */
    private long pendingOrderId;
    private int pendingInstrumentId;
    private byte pendingSide;
    private long pendingPrice;
    private long pendingLeaves;
    private boolean pendingRests;
    private boolean pendingWasResting;
    /** Book changes that did not fit the book (never expected; counted for diagnosis). */
    long inconsistencies;

    FeedTranslator(final OrderBooks books, final FragmentBatch batch, final IntArrayList instrumentIds)
    {
        this.books = books;
        this.batch = batch;
        this.instrumentIds = instrumentIds;
    }

    long timestamp()
    {
        return timestamp;
    }

    @Override
    public void onEntryStart(final EntryHeaderDecoder header)
    {
        timestamp = header.timestamp();
        restIsExplicit = header.actingVersion() >= FIRST_VERSION_WITH_REST_EVENT;
        pendingOrderId = 0;
    }

    @Override
    public void onInstrumentAdded(final EntryHeaderDecoder header, final InstrumentAddedDecoder event)
    {
        final int instrumentId = event.instrumentId();
        final boolean isNew = books.book(instrumentId) == null;
        final OrderBook book = books.define(instrumentId, event.tickSize(), event.lotSize(), (byte)event.statusRaw());
        book.symbol(event.buffer(), event.offset() + InstrumentAddedDecoder.symbolEncodingOffset());
        if (isNew)
        {
            instrumentIds.addInt(instrumentId);
        }
        encodeDefinition(book);
    }

    private void encodeDefinition(final OrderBook book)
    {
        final int offset = batch.reserve(MessageHeaderEncoder.ENCODED_LENGTH + InstrumentDefinitionEncoder.BLOCK_LENGTH);
        definition.wrapAndApplyHeader(batch.buffer, offset, batch.header)
            .sequence(batch.takeSequence())
            .timestamp(timestamp)
            .instrumentId(book.instrumentId)
            .tickSize(book.tickSize)
            .lotSize(book.lotSize)
            .status(MdTradingStatus.get(book.status))
            .putSymbol(book.symbol, 0);
    }

    @Override
    public void onTradingStatusChanged(final EntryHeaderDecoder header, final TradingStatusChangedDecoder event)
    {
        final OrderBook book = books.book(event.instrumentId());
        if (book == null)
        {
            inconsistencies++;
            return;
        }
        book.status = (byte)event.statusRaw();
        final int offset = batch.reserve(MessageHeaderEncoder.ENCODED_LENGTH + TradingStatusEncoder.BLOCK_LENGTH);
        tradingStatus.wrapAndApplyHeader(batch.buffer, offset, batch.header)
            .sequence(batch.takeSequence())
            .timestamp(timestamp)
            .instrumentId(book.instrumentId)
            .status(MdTradingStatus.get(book.status));
    }

    @Override
    public void onOrderAccepted(final EntryHeaderDecoder header, final OrderAcceptedDecoder event)
    {
        pendingOrderId = event.orderId();
        pendingInstrumentId = event.instrumentId();
        pendingSide = (byte)event.sideRaw();
        pendingPrice = event.price();
        pendingLeaves = event.quantity();
        final byte tif = (byte)event.timeInForceRaw();
        pendingRests = event.ordTypeRaw() == LIMIT && (tif == DAY || tif == GTC);
        pendingWasResting = false;
    }

    @Override
    public void onTrade(final EntryHeaderDecoder header, final dev.bourse.protocol.sbe.TradeDecoder event)
    {
        final int instrumentId = event.instrumentId();
        final long makerOrderId = event.makerOrderId();
        final long quantity = event.quantity();
        final long price = event.price();
        final long tradeId = event.tradeId();
        if (books.reduce(instrumentId, makerOrderId, quantity))
        {
            final int offset = batch.reserve(MessageHeaderEncoder.ENCODED_LENGTH + OrderExecutedEncoder.BLOCK_LENGTH);
            orderExecuted.wrapAndApplyHeader(batch.buffer, offset, batch.header)
                .sequence(batch.takeSequence())
                .timestamp(timestamp)
                .orderId(makerOrderId)
                .instrumentId(instrumentId)
                .executedQty(quantity)
                .price(price)
                .tradeId(tradeId);
        }
        else
        {
            inconsistencies++;
        }
        if (event.takerOrderId() == pendingOrderId)
        {
            pendingLeaves = event.takerLeavesQty();
        }
        final int offset = batch.reserve(MessageHeaderEncoder.ENCODED_LENGTH + TradeEncoder.BLOCK_LENGTH);
        trade.wrapAndApplyHeader(batch.buffer, offset, batch.header)
            .sequence(batch.takeSequence())
            .timestamp(timestamp)
            .tradeId(tradeId)
            .instrumentId(instrumentId)
            .aggressorSide(MdSide.get((short)event.takerSideRaw()))
            .price(price)
            .quantity(quantity);
    }

    @Override
    public void onOrderCanceled(final EntryHeaderDecoder header, final OrderCanceledDecoder event)
    {
        final long orderId = event.orderId();
        if (orderId == pendingOrderId)
        {
            // the working order ends in this entry; if it was resting before a replace, it is deleted at the end
            pendingLeaves = 0;
            return;
        }
        if (books.delete(event.instrumentId(), orderId))
        {
            encodeDeleted(event.instrumentId(), orderId);
        }
        else
        {
            inconsistencies++;
        }
    }

    @Override
    public void onOrderReplaced(final EntryHeaderDecoder header, final OrderReplacedDecoder event)
    {
        final int instrumentId = event.instrumentId();
        final long orderId = event.orderId();
        if (event.keptPriority() == BooleanType.TRUE)
        {
            final long reducedBy = event.oldLeavesQty() - event.leavesQty();
            if (reducedBy > 0)
            {
                if (books.reduce(instrumentId, orderId, reducedBy))
                {
                    final int offset = batch.reserve(MessageHeaderEncoder.ENCODED_LENGTH + OrderReducedEncoder.BLOCK_LENGTH);
                    orderReduced.wrapAndApplyHeader(batch.buffer, offset, batch.header)
                        .sequence(batch.takeSequence())
                        .timestamp(timestamp)
                        .orderId(orderId)
                        .instrumentId(instrumentId)
                        .reducedQty(reducedBy);
                }
                else
                {
                    inconsistencies++;
                }
            }
            return;
        }
        // Lost priority: the order matches as a taker first; the book shows its old place until the
        // entry ends (the old price cannot cross what it may trade with, so the book stays sane).
        pendingOrderId = orderId;
        pendingInstrumentId = instrumentId;
        pendingSide = (byte)event.sideRaw();
        pendingPrice = event.price();
        pendingLeaves = event.leavesQty();
        pendingRests = true;
        pendingWasResting = books.order(orderId) != null;
    }

    @Override
    public void onOrderRested(final EntryHeaderDecoder header, final OrderRestedDecoder event)
    {
        final long orderId = event.orderId();
        if (orderId == pendingOrderId)
        {
            pendingOrderId = 0;
        }
        final int instrumentId = event.instrumentId();
        final long price = event.price();
        final long displayed = event.displayQty();
        if (books.order(orderId) != null)
        {
            // shown at its old place (a replace that lost priority): it moves to the back at its new price
            if (books.replace(instrumentId, orderId, price, displayed))
            {
                encodeReplaced(instrumentId, orderId, price, displayed);
            }
            else
            {
                inconsistencies++;
            }
        }
        else if (books.add(instrumentId, orderId, (byte)event.sideRaw(), price, displayed))
        {
            encodeAdded(instrumentId, orderId, (byte)event.sideRaw(), price, displayed);
        }
        else
        {
            inconsistencies++;
        }
    }

    @Override
    public void onEntryEnd(final EntryHeaderDecoder header)
    {
        final long orderId = pendingOrderId;
        if (orderId == 0)
        {
            return;
        }
        pendingOrderId = 0;
        final int instrumentId = pendingInstrumentId;
        if (restIsExplicit)
        {
            // the working order did not rest: if the feed still shows it (a replaced order), it is gone
            if (pendingWasResting)
            {
                if (books.delete(instrumentId, orderId))
                {
                    encodeDeleted(instrumentId, orderId);
                }
                else
                {
                    inconsistencies++;
                }
            }
            return;
        }
        final boolean rests = pendingRests && pendingLeaves > 0;
        if (pendingWasResting)
        {
            if (rests)
            {
                if (books.replace(instrumentId, orderId, pendingPrice, pendingLeaves))
                {
                    encodeReplaced(instrumentId, orderId, pendingPrice, pendingLeaves);
                }
                else
                {
                    inconsistencies++;
                }
            }
            else if (books.delete(instrumentId, orderId))
            {
                encodeDeleted(instrumentId, orderId);
            }
            else
            {
                inconsistencies++;
            }
        }
        else if (rests)
        {
            if (books.add(instrumentId, orderId, pendingSide, pendingPrice, pendingLeaves))
            {
                encodeAdded(instrumentId, orderId, pendingSide, pendingPrice, pendingLeaves);
            }
            else
            {
                inconsistencies++;
            }
        }
    }

    private void encodeAdded(final int instrumentId, final long orderId, final byte side, final long price, final long quantity)
    {
        final int offset = batch.reserve(MessageHeaderEncoder.ENCODED_LENGTH + AddOrderEncoder.BLOCK_LENGTH);
        addOrder.wrapAndApplyHeader(batch.buffer, offset, batch.header)
            .sequence(batch.takeSequence())
            .timestamp(timestamp)
            .orderId(orderId)
            .instrumentId(instrumentId)
            .side(MdSide.get(side))
            .price(price)
            .quantity(quantity);
    }

    private void encodeReplaced(final int instrumentId, final long orderId, final long price, final long quantity)
    {
        final int offset = batch.reserve(MessageHeaderEncoder.ENCODED_LENGTH + OrderReplacedEncoder.BLOCK_LENGTH);
        orderReplaced.wrapAndApplyHeader(batch.buffer, offset, batch.header)
            .sequence(batch.takeSequence())
            .timestamp(timestamp)
            .orderId(orderId)
            .instrumentId(instrumentId)
            .price(price)
            .quantity(quantity);
    }

    private void encodeDeleted(final int instrumentId, final long orderId)
    {
        final int offset = batch.reserve(MessageHeaderEncoder.ENCODED_LENGTH + OrderDeletedEncoder.BLOCK_LENGTH);
        orderDeleted.wrapAndApplyHeader(batch.buffer, offset, batch.header)
            .sequence(batch.takeSequence())
            .timestamp(timestamp)
            .orderId(orderId)
            .instrumentId(instrumentId);
    }
}
