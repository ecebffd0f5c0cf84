package dev.bourse.marketdata;

import dev.bourse.protocol.JournalEventListener;
import dev.bourse.protocol.md.sbe.*;
import dev.bourse.protocol.sbe.EntryHeaderDecoder;
import dev.bourse.protocol.sbe.InstrumentAddedDecoder;
import dev.bourse.protocol.sbe.InstrumentAmendedDecoder;
import dev.bourse.protocol.sbe.OrderAcceptedDecoder;
import dev.bourse.protocol.sbe.OrderCanceledDecoder;
import dev.bourse.protocol.sbe.OrderReplacedDecoder;
import dev.bourse.protocol.sbe.OrderRestedDecoder;
import dev.bourse.protocol.sbe.TradingStatusChangedDecoder;
import dev.bourse.protocol.sbe.BooleanType;
import dev.bourse.protocol.sbe.AuctionIndicationDecoder;
import dev.bourse.protocol.sbe.AuctionUncrossedDecoder;
import dev.bourse.protocol.sbe.OrderElectedDecoder;
import dev.bourse.protocol.sbe.TradingPhaseChangedDecoder;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.LongHashSet;

/**
 * Turns the events of journal entries into incremental feed messages, keeping the displayed book
 * the messages describe. An incoming order is not in the book while it matches; it joins the back
 * of its level when the engine says so with an {@code OrderRested} event (AddOrder). A replace
 * that loses priority takes the order out of the engine's book and lets it match: the feed keeps
 * showing it at its old place until it rests again (OrderReplaced) or the entry ends without that
 * (OrderDeleted). Journals of schema version 2 have no OrderRested: for their entries the rule is
 * derived as the engine then applied it (a LIMIT DAY/GTC order with quantity left rests when its
 * entry ends). Held stop orders are not on the book: they show only once elected and resting.
 * Icebergs show their peak. Phases, auction indications and auction results pass through.
 * Anonymous: no account, session or ClOrdID leaves this class.
 * <p>
 * A little over 500 lines: one short handler per journal event, each encoding its feed message,
 * and the schema-2 rule above, which needs the same per-entry state.
 */
final class FeedTranslator implements JournalEventListener
{
    private static final byte LIMIT = (byte)dev.bourse.protocol.sbe.OrdType.LIMIT.value();
    private static final byte DAY = (byte)dev.bourse.protocol.sbe.TimeInForce.DAY.value();
    private static final byte GTC = (byte)dev.bourse.protocol.sbe.TimeInForce.GTC.value();
    private static final int FIRST_VERSION_WITH_REST_EVENT = 3;
    private static final short STOP = dev.bourse.protocol.sbe.OrdType.STOP.value();
    private static final short STOP_LIMIT = dev.bourse.protocol.sbe.OrdType.STOP_LIMIT.value();

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
    private final TradingPhaseEncoder tradingPhase = new TradingPhaseEncoder();
    private final AuctionIndicationEncoder auctionIndication = new AuctionIndicationEncoder();
    private final AuctionResultEncoder auctionResult = new AuctionResultEncoder();
    /** Stop orders accepted and not yet elected: off the book, so their cancels and replaces show nothing. */
    private final LongHashSet heldStops = new LongHashSet();

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
    /** Where the last one was found (a constant: no allocation). */
    String lastInconsistency;

    private void inconsistent(final String where)
    {
        inconsistencies++;
        lastInconsistency = where;
    }

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

    /** New tick or lot: the definition goes out again (subscribers redefine the book and keep its orders). */
    @Override
    public void onInstrumentAmended(final EntryHeaderDecoder header, final InstrumentAmendedDecoder event)
    {
        final OrderBook book = books.book(event.instrumentId());
        if (book != null)
        {
            book.tickSize = event.tickSize();
            book.lotSize = event.lotSize();
            encodeDefinition(book);
        }
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
            .putSymbol(book.symbol, 0)
            .phase(MdTradingPhase.get(book.phase));
    }

    @Override
    public void onTradingStatusChanged(final EntryHeaderDecoder header, final TradingStatusChangedDecoder event)
    {
        final OrderBook book = books.book(event.instrumentId());
        if (book == null)
        {
            inconsistent("line 126");
            return;
        }
        book.status((byte)event.statusRaw());
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
        final short ordType = event.ordTypeRaw();
        if (ordType == STOP || ordType == STOP_LIMIT)
        {
            heldStops.add(event.orderId());
            return;
        }
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
        // an auction's trades are between two resting orders: both are executed on the book
        final boolean auction = event.actingVersion() >= FIRST_VERSION_WITH_REST_EVENT && event.auctionRaw() == BooleanType.TRUE.value();
        executed(instrumentId, makerOrderId, quantity, price, tradeId, auction);
        if (auction)
        {
            executed(instrumentId, event.takerOrderId(), quantity, price, tradeId, true);
        }
        else if (event.takerOrderId() == pendingOrderId)
        {
            pendingLeaves = event.takerLeavesQty();
        }
        final int offset = batch.reserve(MessageHeaderEncoder.ENCODED_LENGTH + TradeEncoder.BLOCK_LENGTH);
        trade.wrapAndApplyHeader(batch.buffer, offset, batch.header)
            .sequence(batch.takeSequence())
            .timestamp(timestamp)
            .tradeId(tradeId)
            .instrumentId(instrumentId)
            .aggressorSide(auction ? MdSide.NONE : MdSide.get((short)event.takerSideRaw()))
            .price(price)
            .quantity(quantity);
    }

    private void executed(
        final int instrumentId, final long orderId, final long quantity, final long price, final long tradeId, final boolean auction)
    {
        if (auction && books.order(orderId) == null)
        {
            return; // an iceberg whose peak an earlier fill of this auction used up: nothing shown changes
        }
        if (books.execute(instrumentId, orderId, quantity))
        {
            final int offset = batch.reserve(MessageHeaderEncoder.ENCODED_LENGTH + OrderExecutedEncoder.BLOCK_LENGTH);
            orderExecuted.wrapAndApplyHeader(batch.buffer, offset, batch.header)
                .sequence(batch.takeSequence())
                .timestamp(timestamp)
                .orderId(orderId)
                .instrumentId(instrumentId)
                .executedQty(quantity)
                .price(price)
                .tradeId(tradeId);
        }
        else
        {
            inconsistent("line 208");
        }
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
        if (heldStops.remove(orderId))
        {
            return;
        }
        if (books.delete(event.instrumentId(), orderId))
        {
            encodeDeleted(event.instrumentId(), orderId);
        }
        else
        {
            inconsistent("line 232");
        }
    }

    @Override
    public void onOrderReplaced(final EntryHeaderDecoder header, final OrderReplacedDecoder event)
    {
        final int instrumentId = event.instrumentId();
        final long orderId = event.orderId();
        if (heldStops.contains(orderId))
        {
            return;
        }
        if (event.keptPriority() == BooleanType.TRUE)
        {
            // what the book shows goes down to the new leaves if it showed more (an iceberg's peak may show less)
            final BookOrder shown = books.order(orderId);
            final long reducedBy = shown == null ? 0 : shown.quantity - Math.min(shown.quantity, event.leavesQty());
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
                    inconsistent("line 264");
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
                inconsistent("line 300");
            }
        }
        else if (books.add(instrumentId, orderId, (byte)event.sideRaw(), price, displayed))
        {
            encodeAdded(instrumentId, orderId, (byte)event.sideRaw(), price, displayed);
        }
        else
        {
            inconsistent("line 309");
        }
    }

    @Override
    public void onOrderElected(final EntryHeaderDecoder header, final OrderElectedDecoder event)
    {
        // the previous working order is done with by now; from here the elected stop is the working order
        finishWorkingOrder();
        heldStops.remove(event.orderId());
        pendingOrderId = event.orderId();
        pendingInstrumentId = event.instrumentId();
        pendingSide = (byte)event.sideRaw();
        pendingPrice = event.price();
        pendingLeaves = event.leavesQty();
        pendingRests = false;
        pendingWasResting = false;
    }

    @Override
    public void onTradingPhaseChanged(final EntryHeaderDecoder header, final TradingPhaseChangedDecoder event)
    {
        final OrderBook book = books.book(event.instrumentId());
        if (book == null)
        {
            inconsistent("line 334");
            return;
        }
        book.phase((byte)event.phaseRaw());
        final int offset = batch.reserve(MessageHeaderEncoder.ENCODED_LENGTH + TradingPhaseEncoder.BLOCK_LENGTH);
        tradingPhase.wrapAndApplyHeader(batch.buffer, offset, batch.header)
            .sequence(batch.takeSequence())
            .timestamp(timestamp)
            .instrumentId(book.instrumentId)
            .phase(MdTradingPhase.get(book.phase))
            .status(MdTradingStatus.get(book.status));
    }

    @Override
    public void onAuctionIndication(final EntryHeaderDecoder header, final AuctionIndicationDecoder event)
    {
        final OrderBook book = books.book(event.instrumentId());
        if (book == null)
        {
            inconsistent("line 353");
            return;
        }
        book.indication(event.price(), event.matchedQty(), event.imbalanceQty(), (byte)event.imbalanceSide());
        final int offset = batch.reserve(MessageHeaderEncoder.ENCODED_LENGTH + AuctionIndicationEncoder.BLOCK_LENGTH);
        auctionIndication.wrapAndApplyHeader(batch.buffer, offset, batch.header)
            .sequence(batch.takeSequence())
            .timestamp(timestamp)
            .instrumentId(book.instrumentId)
            .price(book.indicativePrice)
            .matchedQty(book.indicativeQty)
            .imbalanceQty(book.imbalanceQty)
            .imbalanceSide(MdSide.get(book.imbalanceSide));
    }

    @Override
    public void onAuctionUncrossed(final EntryHeaderDecoder header, final AuctionUncrossedDecoder event)
    {
        final OrderBook book = books.book(event.instrumentId());
        if (book == null)
        {
            inconsistent("line 374");
            return;
        }
        book.indication(0, 0, 0, (byte)0);
        final int offset = batch.reserve(MessageHeaderEncoder.ENCODED_LENGTH + AuctionResultEncoder.BLOCK_LENGTH);
        auctionResult.wrapAndApplyHeader(batch.buffer, offset, batch.header)
            .sequence(batch.takeSequence())
            .timestamp(timestamp)
            .instrumentId(book.instrumentId)
            .callPhase(MdTradingPhase.get((short)event.callPhaseRaw()))
            .price(event.price())
            .matchedQty(event.matchedQty())
            .imbalanceQty(event.imbalanceQty())
            .imbalanceSide(MdSide.get((short)event.imbalanceSide()));
    }

    @Override
    public void onEntryEnd(final EntryHeaderDecoder header)
    {
        final long orderId = pendingOrderId;
        if (orderId == 0)
        {
            return;
        }
        if (restIsExplicit)
        {
            finishWorkingOrder();
            return;
        }
        pendingOrderId = 0;
        final int instrumentId = pendingInstrumentId;
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
                    inconsistent("line 416");
                }
            }
            else if (books.delete(instrumentId, orderId))
            {
                encodeDeleted(instrumentId, orderId);
            }
            else
            {
                inconsistent("line 425");
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
                inconsistent("line 436");
            }
        }
    }

    /**
     * The entry's working order is done and did not rest (it would have cleared itself): if the
     * feed still shows it at its old place (a replace that lost priority), it is gone.
     */
    private void finishWorkingOrder()
    {
        final long orderId = pendingOrderId;
        if (orderId == 0)
        {
            return;
        }
        pendingOrderId = 0;
        if (pendingWasResting)
        {
            if (books.delete(pendingInstrumentId, orderId))
            {
                encodeDeleted(pendingInstrumentId, orderId);
            }
            else
            {
                inconsistent("line 461");
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
