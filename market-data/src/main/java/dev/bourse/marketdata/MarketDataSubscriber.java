package dev.bourse.marketdata;

import dev.bourse.protocol.md.sbe.*;
import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.Agent;

import java.util.ArrayList;
import java.util.List;

/**
 * The market-data client library: subscribes to the incremental and snapshot streams and keeps
 * an exact local copy of every instrument's order-by-order book (and so its aggregated depth).
 * <p>
 * From the first incremental message (sequence 1) it is {@link State#SYNCED} at once. Joining
 * late, or after a gap in the sequence numbers (lost messages, a malformed fragment, an image
 * that Aeron dropped because this subscriber stalled), it is {@link State#RECOVERING}: it buffers
 * incrementals, waits for a snapshot cycle that starts no earlier than its buffer, rebuilds every
 * book from the snapshot, applies the buffered messages newer than each book's snapshot, and is
 * SYNCED again. Malformed or truncated fragments are counted and dropped; no exception escapes.
 * <p>
 * Single-threaded: call {@link #poll} (or run it as an {@link Agent}) from one thread.
 */
public final class MarketDataSubscriber implements Agent, AutoCloseable
{
    public enum State
    {
        RECOVERING, SYNCED
    }

    private final Context ctx;
    private final MarketDataListener listener;
    private final OrderBooks books;
    private final Subscription incrementalSubscription;
    private final Subscription snapshotSubscription;
    private final FragmentHandler incrementalHandler = this::onIncrementalFragment;
    private final FragmentHandler snapshotHandler = this::onSnapshotFragment;

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final InstrumentDefinitionDecoder definition = new InstrumentDefinitionDecoder();
    private final AddOrderDecoder addOrder = new AddOrderDecoder();
    private final OrderExecutedDecoder orderExecuted = new OrderExecutedDecoder();
    private final OrderReducedDecoder orderReduced = new OrderReducedDecoder();
    private final OrderDeletedDecoder orderDeleted = new OrderDeletedDecoder();
    private final OrderReplacedDecoder orderReplaced = new OrderReplacedDecoder();
    private final TradeDecoder trade = new TradeDecoder();
    private final TradingStatusDecoder tradingStatus = new TradingStatusDecoder();
    private final TradingPhaseDecoder tradingPhase = new TradingPhaseDecoder();
    private final AuctionIndicationDecoder auctionIndication = new AuctionIndicationDecoder();
    private final AuctionResultDecoder auctionResult = new AuctionResultDecoder();
    private final SnapshotStartDecoder snapshotStart = new SnapshotStartDecoder();
    private final BookSnapshotDecoder bookSnapshot = new BookSnapshotDecoder();
    private final List<OrderBook> dirtyBooks = new ArrayList<>();

    private final java.util.concurrent.atomic.AtomicLong imagesLost = new java.util.concurrent.atomic.AtomicLong();
    private long imagesLostSeen;
    private State state = State.RECOVERING;
    /** Next incremental sequence expected while SYNCED (and, before any loss, from the start). */
    private long expectedSequence = 1;
    /** The books are a valid base for the next message: true from the start until a loss. */
    private boolean baseValid = true;

    // recovery: buffered incrementals, contiguous from bufferStart
    private final ExpandableArrayBuffer buffered = new ExpandableArrayBuffer(1 << 16);
    private final IntArrayList bufferedOffsets = new IntArrayList();
    private int bufferedLimit;
    private long bufferStart;
    private long bufferNext;

    // recovery: the snapshot cycle being assembled
    private long expectedSnapshotSequence;
    private long assemblingCycle = -1;
    private int assemblingInstrumentCount;
    private long assemblingStartSequence;
    private final List<StagedBook> staged = new ArrayList<>();
    private final List<StagedBook> stagedPool = new ArrayList<>();
    private StagedBook current;
    private int completeBooks;

    private long messages;
    private long incrementalFragments;
    private long gaps;
    private long recoveries;
    private long malformedFragments;
    private long inconsistencies;
    private long errors;
    private long snapshotsApplied;

    public MarketDataSubscriber(final Context ctx, final MarketDataListener listener)
    {
        this.ctx = ctx.conclude();
        this.listener = listener == null ? new MarketDataListener() { } : listener;
        this.books = new OrderBooks(ctx.expectedOrders());
        if (ctx.aeron() != null)
        {
            // An image that goes away (publisher gone, or this subscriber stalled and was untethered) may have
            // taken the end of the stream with it: nothing later would show the gap, so the loss is noted here
            // (on Aeron's conductor thread) and acted on by the polling thread.
            incrementalSubscription = ctx.aeron().addSubscription(ctx.incrementalChannel(), ctx.incrementalStreamId(),
                image -> { }, image -> imagesLost.incrementAndGet());
            snapshotSubscription = ctx.aeron().addSubscription(ctx.snapshotChannel(), ctx.snapshotStreamId());
        }
        else
        {
            incrementalSubscription = null;
            snapshotSubscription = null;
        }
    }

    @Override
    public String roleName()
    {
        return "md-subscriber";
    }

    @Override
    public int doWork()
    {
        return poll(ctx.fragmentLimit());
    }

    /** Polls both streams (when this subscriber owns its subscriptions); returns fragments handled. */
    public int poll(final int fragmentLimit)
    {
        if (incrementalSubscription == null)
        {
            return 0;
        }
        final long lost = imagesLost.get();
        if (lost != imagesLostSeen)
        {
            imagesLostSeen = lost;
            gaps++;
            lose();
        }
        int work = incrementalSubscription.poll(incrementalHandler, fragmentLimit);
        work += snapshotSubscription.poll(snapshotHandler, fragmentLimit);
        return work;
    }

    // ------------------------------------------------------------------ incremental stream

    /** One fragment of the incremental stream (public for custom transports and tests). */
    public void onIncrementalFragment(final DirectBuffer buffer, final int offset, final int length, final Header aeronHeader)
    {
        incrementalFragments++;
        try
        {
            if (!validate(buffer, offset, length, false))
            {
                malformedFragments++;
                return;
            }
            final int end = offset + length;
            int position = offset;
            while (position < end)
            {
                header.wrap(buffer, position);
                final int messageLength = MessageHeaderDecoder.ENCODED_LENGTH + header.blockLength();
                onIncrementalMessage(buffer, position, messageLength);
                position += messageLength;
            }
            flushDirtyBooks();
        }
        catch (final RuntimeException e)
        {
            errors++;
            lose();
            flushDirtyBooks();
        }
    }

    private void onIncrementalMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        final long sequence = buffer.getLong(offset + MessageHeaderDecoder.ENCODED_LENGTH, java.nio.ByteOrder.LITTLE_ENDIAN);
        if (header.templateId() == HeartbeatDecoder.TEMPLATE_ID)
        {
            onHeartbeat(sequence);
            return;
        }
        messages++;
        if (state == State.SYNCED || (baseValid && bufferNext == 0))
        {
            if (sequence < expectedSequence)
            {
                return;
            }
            if (sequence == expectedSequence)
            {
                if (apply(buffer, offset, true))
                {
                    expectedSequence++;
                    if (state != State.SYNCED)
                    {
                        changeState(State.SYNCED);
                    }
                    return;
                }
                inconsistencies++;
            }
            else
            {
                gaps++;
            }
            lose();
        }
        bufferMessage(buffer, offset, length, sequence);
    }

    /** A heartbeat tells where the stream is: messages up to its sequence exist. */
    private void onHeartbeat(final long lastSent)
    {
        if (state == State.SYNCED || (baseValid && bufferNext == 0))
        {
            if (lastSent < expectedSequence)
            {
                return;
            }
            gaps++;
            lose();
        }
        if (bufferNext == 0 || lastSent >= bufferNext)
        {
            // the buffer (empty) starts after what the heartbeat says was sent
            clearBuffer();
            bufferStart = lastSent + 1;
            bufferNext = lastSent + 1;
        }
    }

    private void bufferMessage(final DirectBuffer buffer, final int offset, final int length, final long sequence)
    {
        if (bufferNext != 0 && sequence < bufferNext)
        {
            return;
        }
        if (bufferNext != 0 && sequence > bufferNext)
        {
            gaps++;
            clearBuffer();
        }
        if (bufferedLimit + length > ctx.maxBufferedBytes())
        {
            // the snapshot is taking too long: start again from here
            clearBuffer();
        }
        if (bufferNext == 0)
        {
            bufferStart = sequence;
        }
        bufferedOffsets.addInt(bufferedLimit);
        buffered.putBytes(bufferedLimit, buffer, offset, length);
        bufferedLimit += length;
        bufferNext = sequence + 1;
    }

    private void clearBuffer()
    {
        bufferedOffsets.clear();
        bufferedLimit = 0;
        bufferStart = 0;
        bufferNext = 0;
    }

    /** The local books can no longer be trusted: recover from the next usable snapshot. */
    private void lose()
    {
        baseValid = false;
        if (state == State.SYNCED)
        {
            recoveries++;
            changeState(State.RECOVERING);
        }
    }

    private void changeState(final State newState)
    {
        state = newState;
        listener.onStateChanged(newState);
    }

    /**
     * Applies one incremental message to the books.
     *
     * @return false if it does not fit the book (the copy has diverged).
     */
    private boolean apply(final DirectBuffer buffer, final int offset, final boolean callBack)
    {
        header.wrap(buffer, offset);
        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = header.blockLength();
        final int version = header.version();
        final long sequence = buffer.getLong(bodyOffset, java.nio.ByteOrder.LITTLE_ENDIAN);
        final int instrumentId = buffer.getInt(bodyOffset + instrumentIdOffset(header.templateId()), java.nio.ByteOrder.LITTLE_ENDIAN);
        final OrderBook existing = books.book(instrumentId);
        if (existing != null && sequence <= existing.snapshotSequence)
        {
            return true;
        }
        switch (header.templateId())
        {
            case InstrumentDefinitionDecoder.TEMPLATE_ID:
            {
                definition.wrap(buffer, bodyOffset, blockLength, version);
                final OrderBook book = books.define(instrumentId, definition.tickSize(), definition.lotSize(),
                    (byte)definition.statusRaw());
                book.symbol(buffer, bodyOffset + InstrumentDefinitionDecoder.symbolEncodingOffset());
                if (version >= 2)
                {
                    book.phase((byte)definition.phaseRaw());
                }
                markDirty(book);
                if (callBack)
                {
                    listener.onInstrument(book);
                }
                return true;
            }
            case AddOrderDecoder.TEMPLATE_ID:
                addOrder.wrap(buffer, bodyOffset, blockLength, version);
                return changed(existing, books.add(instrumentId, addOrder.orderId(), (byte)addOrder.sideRaw(),
                    addOrder.price(), addOrder.quantity()));
            case OrderExecutedDecoder.TEMPLATE_ID:
                orderExecuted.wrap(buffer, bodyOffset, blockLength, version);
                return changed(existing, books.execute(instrumentId, orderExecuted.orderId(), orderExecuted.executedQty()));
            case OrderReducedDecoder.TEMPLATE_ID:
                orderReduced.wrap(buffer, bodyOffset, blockLength, version);
                return changed(existing, books.reduce(instrumentId, orderReduced.orderId(), orderReduced.reducedQty()));
            case OrderDeletedDecoder.TEMPLATE_ID:
                orderDeleted.wrap(buffer, bodyOffset, blockLength, version);
                return changed(existing, books.delete(instrumentId, orderDeleted.orderId()));
            case OrderReplacedDecoder.TEMPLATE_ID:
                orderReplaced.wrap(buffer, bodyOffset, blockLength, version);
                return changed(existing, books.replace(instrumentId, orderReplaced.orderId(), orderReplaced.price(),
                    orderReplaced.quantity()));
            case TradeDecoder.TEMPLATE_ID:
                if (existing == null)
                {
                    return false;
                }
                trade.wrap(buffer, bodyOffset, blockLength, version);
                if (callBack)
                {
                    listener.onTrade(instrumentId, trade.tradeId(), trade.price(), trade.quantity(),
                        (byte)trade.aggressorSideRaw(), trade.timestamp(), sequence);
                }
                return true;
            case TradingStatusDecoder.TEMPLATE_ID:
                if (existing == null)
                {
                    return false;
                }
                tradingStatus.wrap(buffer, bodyOffset, blockLength, version);
                existing.status((byte)tradingStatus.statusRaw());
                if (callBack)
                {
                    listener.onTradingStatus(existing);
                }
                return true;
            case TradingPhaseDecoder.TEMPLATE_ID:
                if (existing == null)
                {
                    return false;
                }
                tradingPhase.wrap(buffer, bodyOffset, blockLength, version);
                existing.phase((byte)tradingPhase.phaseRaw());
                if (callBack)
                {
                    listener.onTradingStatus(existing);
                }
                return true;
            case AuctionIndicationDecoder.TEMPLATE_ID:
                if (existing == null)
                {
                    return false;
                }
                auctionIndication.wrap(buffer, bodyOffset, blockLength, version);
                existing.indication(auctionIndication.price(), auctionIndication.matchedQty(), auctionIndication.imbalanceQty(),
                    (byte)auctionIndication.imbalanceSideRaw());
                if (callBack)
                {
                    listener.onAuctionIndication(existing);
                }
                return true;
            case AuctionResultDecoder.TEMPLATE_ID:
                if (existing == null)
                {
                    return false;
                }
                auctionResult.wrap(buffer, bodyOffset, blockLength, version);
                existing.indication(0, 0, 0, (byte)0);
                if (callBack)
                {
                    listener.onAuctionResult(existing, (byte)auctionResult.callPhaseRaw(), auctionResult.price(),
                        auctionResult.matchedQty(), auctionResult.imbalanceQty(), (byte)auctionResult.imbalanceSideRaw());
                }
                return true;
            default:
                return false;
        }
    }

    /** Every incremental message names its instrument; where the field sits depends on the template. */
    private static int instrumentIdOffset(final int templateId)
    {
        switch (templateId)
        {
            case InstrumentDefinitionDecoder.TEMPLATE_ID: return InstrumentDefinitionDecoder.instrumentIdEncodingOffset();
            case AddOrderDecoder.TEMPLATE_ID: return AddOrderDecoder.instrumentIdEncodingOffset();
            case OrderExecutedDecoder.TEMPLATE_ID: return OrderExecutedDecoder.instrumentIdEncodingOffset();
            case OrderReducedDecoder.TEMPLATE_ID: return OrderReducedDecoder.instrumentIdEncodingOffset();
            case OrderDeletedDecoder.TEMPLATE_ID: return OrderDeletedDecoder.instrumentIdEncodingOffset();
            case OrderReplacedDecoder.TEMPLATE_ID: return OrderReplacedDecoder.instrumentIdEncodingOffset();
            case TradeDecoder.TEMPLATE_ID: return TradeDecoder.instrumentIdEncodingOffset();
            case TradingStatusDecoder.TEMPLATE_ID: return TradingStatusDecoder.instrumentIdEncodingOffset();
            case TradingPhaseDecoder.TEMPLATE_ID: return TradingPhaseDecoder.instrumentIdEncodingOffset();
            case AuctionIndicationDecoder.TEMPLATE_ID: return AuctionIndicationDecoder.instrumentIdEncodingOffset();
            case AuctionResultDecoder.TEMPLATE_ID: return AuctionResultDecoder.instrumentIdEncodingOffset();
            default: return 0;
        }
    }

    private boolean changed(final OrderBook book, final boolean applied)
    {
        if (applied)
        {
            markDirty(book);
        }
        return applied;
    }

    private void markDirty(final OrderBook book)
    {
        if (!book.dirty)
        {
            book.dirty = true;
            dirtyBooks.add(book);
        }
    }

    private void flushDirtyBooks()
    {
        for (int i = 0, size = dirtyBooks.size(); i < size; i++)
        {
            final OrderBook book = dirtyBooks.get(i);
            book.dirty = false;
            listener.onBookChanged(book);
        }
        dirtyBooks.clear();
    }

    // ------------------------------------------------------------------ snapshot stream

    /** One fragment of the snapshot stream (public for custom transports and tests). */
    public void onSnapshotFragment(final DirectBuffer buffer, final int offset, final int length, final Header aeronHeader)
    {
        try
        {
            if (!validate(buffer, offset, length, true))
            {
                malformedFragments++;
                abandonCycle();
                return;
            }
            final int end = offset + length;
            int position = offset;
            while (position < end)
            {
                header.wrap(buffer, position);
                position = onSnapshotMessage(buffer, position);
            }
            flushDirtyBooks();
        }
        catch (final RuntimeException e)
        {
            errors++;
            abandonCycle();
            flushDirtyBooks();
        }
    }

    /** @return the offset after the message. */
    private int onSnapshotMessage(final DirectBuffer buffer, final int offset)
    {
        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = header.blockLength();
        final int version = header.version();
        final long sequence = buffer.getLong(bodyOffset, java.nio.ByteOrder.LITTLE_ENDIAN);
        if (expectedSnapshotSequence != 0 && sequence != expectedSnapshotSequence)
        {
            abandonCycle();
        }
        expectedSnapshotSequence = sequence + 1;
        if (header.templateId() == SnapshotStartDecoder.TEMPLATE_ID)
        {
            snapshotStart.wrap(buffer, bodyOffset, blockLength, version);
            if (state == State.RECOVERING)
            {
                abandonCycle();
                assemblingCycle = snapshotStart.cycle();
                assemblingInstrumentCount = snapshotStart.instrumentCount();
                assemblingStartSequence = snapshotStart.incrementalSequence();
                if (assemblingInstrumentCount == 0)
                {
                    completeCycle();
                }
            }
            return bodyOffset + blockLength;
        }
        bookSnapshot.wrap(buffer, bodyOffset, blockLength, version);
        final int end = bookSnapshot.sbeSkip().limit();
        if (state == State.RECOVERING && assemblingCycle >= 0)
        {
            bookSnapshot.wrap(buffer, bodyOffset, blockLength, version);
            onBookSnapshot();
        }
        return end;
    }

    private void onBookSnapshot()
    {
        final BookSnapshotDecoder s = bookSnapshot;
        if (s.cycle() != assemblingCycle)
        {
            abandonCycle();
            return;
        }
        final int part = s.part();
        if (part == 0)
        {
            current = stagedPool.isEmpty() ? new StagedBook() : stagedPool.remove(stagedPool.size() - 1);
            current.reset(s);
            staged.add(current);
        }
        else if (current == null || current.instrumentId != s.instrumentId() || current.nextPart != part)
        {
            abandonCycle();
            return;
        }
        for (final BookSnapshotDecoder.OrdersDecoder order : s.orders())
        {
            current.add(order.orderId(), (byte)order.sideRaw(), order.price(), order.quantity());
        }
        current.nextPart++;
        if (current.nextPart == current.partCount)
        {
            current = null;
            if (++completeBooks == assemblingInstrumentCount)
            {
                completeCycle();
            }
        }
        else if (current.nextPart > current.partCount)
        {
            abandonCycle();
        }
    }

    private void abandonCycle()
    {
        assemblingCycle = -1;
        completeBooks = 0;
        current = null;
        stagedPool.addAll(staged);
        staged.clear();
    }

    /** A whole cycle is staged: use it if the buffered incrementals continue it without a hole. */
    private void completeCycle()
    {
        final long startSequence = assemblingStartSequence;
        // usable only if the buffered incrementals (or a heartbeat) continue the snapshot without a hole
        if (bufferNext == 0 || bufferStart > startSequence + 1)
        {
            abandonCycle();
            return;
        }
        baseValid = false;
        books.forEachBook(book ->
        {
            books.clear(book.instrumentId);
            book.snapshotSequence = 0;
            markDirty(book);
        });
        boolean consistent = true;
        for (int i = 0; i < staged.size(); i++)
        {
            final StagedBook s = staged.get(i);
            final OrderBook book = books.define(s.instrumentId, s.tickSize, s.lotSize, s.status);
            book.symbol(s.symbolBuffer, 0);
            if (s.version >= 2)
            {
                book.phase(s.phase);
                book.indication(s.indicativePrice, s.indicativeQty, s.imbalanceQty, s.imbalanceSide);
            }
            book.snapshotSequence = s.incrementalSequence;
            for (int o = 0; o < s.orderIds.size(); o++)
            {
                consistent &= books.add(s.instrumentId, s.orderIds.getLong(o), s.sides.get(o), s.prices.getLong(o),
                    s.quantities.getLong(o));
            }
            markDirty(book);
            listener.onInstrument(book);
        }
        for (int i = 0; i < bufferedOffsets.size() && consistent; i++)
        {
            consistent = apply(buffered, bufferedOffsets.getInt(i), true);
        }
        final long next = Math.max(bufferNext, startSequence + 1);
        abandonCycle();
        clearBuffer();
        if (!consistent)
        {
            errors++;
            return;
        }
        snapshotsApplied++;
        expectedSequence = next;
        baseValid = true;
        changeState(State.SYNCED);
    }

    // ------------------------------------------------------------------ validation

    /** Checks that a fragment is whole messages of this schema, every block and group inside it. */
    private boolean validate(final DirectBuffer buffer, final int offset, final int length, final boolean snapshotStream)
    {
        final int end = offset + length;
        if (length < MessageHeaderDecoder.ENCODED_LENGTH || offset < 0 || end > buffer.capacity())
        {
            return false;
        }
        int position = offset;
        while (position < end)
        {
            if (end - position < MessageHeaderDecoder.ENCODED_LENGTH)
            {
                return false;
            }
            header.wrap(buffer, position);
            if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
            {
                return false;
            }
            final int templateId = header.templateId();
            final int minimum = minimumBlockLength(templateId, snapshotStream);
            final int blockLength = header.blockLength();
            if (minimum == 0 || blockLength < minimum)
            {
                return false;
            }
            position += MessageHeaderDecoder.ENCODED_LENGTH + blockLength;
            if (position > end)
            {
                return false;
            }
            if (templateId == BookSnapshotDecoder.TEMPLATE_ID)
            {
                if (end - position < GroupSizeEncodingDecoder.ENCODED_LENGTH)
                {
                    return false;
                }
                final int entryLength = buffer.getShort(position, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
                final int count = buffer.getShort(position + 2, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
                if (entryLength < BookSnapshotDecoder.OrdersDecoder.sbeBlockLength())
                {
                    return false;
                }
                final long groupEnd = (long)position + GroupSizeEncodingDecoder.ENCODED_LENGTH + (long)entryLength * count;
                if (groupEnd > end)
                {
                    return false;
                }
                position = (int)groupEnd;
            }
        }
        return true;
    }

    private static int minimumBlockLength(final int templateId, final boolean snapshotStream)
    {
        if (snapshotStream)
        {
            switch (templateId)
            {
                case SnapshotStartDecoder.TEMPLATE_ID: return SnapshotStartDecoder.BLOCK_LENGTH;
                case BookSnapshotDecoder.TEMPLATE_ID: return BookSnapshotDecoder.BLOCK_LENGTH;
                default: return 0;
            }
        }
        switch (templateId)
        {
            case InstrumentDefinitionDecoder.TEMPLATE_ID: return InstrumentDefinitionDecoder.BLOCK_LENGTH;
            case AddOrderDecoder.TEMPLATE_ID: return AddOrderDecoder.BLOCK_LENGTH;
            case OrderExecutedDecoder.TEMPLATE_ID: return OrderExecutedDecoder.BLOCK_LENGTH;
            case OrderReducedDecoder.TEMPLATE_ID: return OrderReducedDecoder.BLOCK_LENGTH;
            case OrderDeletedDecoder.TEMPLATE_ID: return OrderDeletedDecoder.BLOCK_LENGTH;
            case OrderReplacedDecoder.TEMPLATE_ID: return OrderReplacedDecoder.BLOCK_LENGTH;
            case TradeDecoder.TEMPLATE_ID: return TradeDecoder.BLOCK_LENGTH;
            case TradingStatusDecoder.TEMPLATE_ID: return TradingStatusDecoder.BLOCK_LENGTH;
            case TradingPhaseDecoder.TEMPLATE_ID: return TradingPhaseDecoder.BLOCK_LENGTH;
            case AuctionIndicationDecoder.TEMPLATE_ID: return AuctionIndicationDecoder.BLOCK_LENGTH;
            case AuctionResultDecoder.TEMPLATE_ID: return AuctionResultDecoder.BLOCK_LENGTH;
            case HeartbeatDecoder.TEMPLATE_ID: return HeartbeatDecoder.BLOCK_LENGTH;
            default: return 0;
        }
    }

    // ------------------------------------------------------------------ queries

    public State state()
    {
        return state;
    }

    public boolean isSynced()
    {
        return state == State.SYNCED;
    }

    /** Sequence of the last incremental applied while synced. */
    public long lastSequence()
    {
        return expectedSequence - 1;
    }

    public OrderBooks books()
    {
        return books;
    }

    public OrderBook book(final int instrumentId)
    {
        return books.book(instrumentId);
    }

    /** The book of a symbol, or null (walks the books; not for hot paths). */
    public OrderBook book(final String symbol)
    {
        final OrderBook[] found = new OrderBook[1];
        baseValid = false;
        books.forEachBook(book ->
        {
            if (book.symbol().equals(symbol))
            {
                found[0] = book;
            }
        });
        return found[0];
    }

    public long messages()
    {
        return messages;
    }

    /**
     * Fragments received on the incremental stream, heartbeats and malformed ones included: while it
     * does not move the publisher is silent (it sends a heartbeat every 100 ms when it has nothing else).
     */
    public long incrementalFragments()
    {
        return incrementalFragments;
    }

    /** Holes found in the incremental sequence (each starts or restarts a recovery). */
    public long gaps()
    {
        return gaps;
    }

    /** Times this subscriber went from SYNCED to RECOVERING. */
    public long recoveries()
    {
        return recoveries;
    }

    public long snapshotsApplied()
    {
        return snapshotsApplied;
    }

    /** Messages that did not fit the local book (each starts a recovery). */
    public long inconsistencies()
    {
        return inconsistencies;
    }

    public long malformedFragments()
    {
        return malformedFragments;
    }

    /** Exceptions caught while handling a fragment (including from the listener). */
    public long errors()
    {
        return errors;
    }

    @Override
    public String toString()
    {
        return "MarketDataSubscriber{state=" + state + ", lastSequence=" + lastSequence() + ", buffered=" +
            (bufferNext == 0 ? "none" : bufferStart + ".." + (bufferNext - 1)) + ", assemblingCycle=" + assemblingCycle +
            ", completeBooks=" + completeBooks + "/" + assemblingInstrumentCount + ", messages=" + messages + ", gaps=" + gaps +
            ", inconsistencies=" + inconsistencies + ", recoveries=" + recoveries + ", snapshots=" + snapshotsApplied +
            ", malformed=" + malformedFragments + ", errors=" + errors + ", connected=" + isConnected() + "}";
    }

    public boolean isConnected()
    {
        return incrementalSubscription != null && incrementalSubscription.isConnected();
    }

    @Override
    public void onClose()
    {
        close();
    }

    @Override
    public void close()
    {
        CloseHelper.closeAll(incrementalSubscription, snapshotSubscription);
    }

    /** One instrument's snapshot being assembled from its parts. */
    private static final class StagedBook
    {
        int instrumentId;
        long tickSize;
        long lotSize;
        byte status;
        int version;
        byte phase;
        long indicativePrice;
        long indicativeQty;
        long imbalanceQty;
        byte imbalanceSide;
        final org.agrona.concurrent.UnsafeBuffer symbolBuffer = new org.agrona.concurrent.UnsafeBuffer(new byte[16]);
        long incrementalSequence;
        int partCount;
        int nextPart;
        final LongArrayList orderIds = new LongArrayList();
        final LongArrayList prices = new LongArrayList();
        final LongArrayList quantities = new LongArrayList();
        final ByteList sides = new ByteList();

        void reset(final BookSnapshotDecoder s)
        {
            instrumentId = s.instrumentId();
            tickSize = s.tickSize();
            lotSize = s.lotSize();
            status = (byte)s.statusRaw();
            version = s.actingVersion();
            if (version >= 2)
            {
                phase = (byte)s.phaseRaw();
                indicativePrice = s.indicativePrice();
                indicativeQty = s.indicativeQty();
                imbalanceQty = s.imbalanceQty();
                imbalanceSide = (byte)s.imbalanceSideRaw();
            }
            symbolBuffer.putBytes(0, s.buffer(), s.offset() + BookSnapshotDecoder.symbolEncodingOffset(), 16);
            incrementalSequence = s.incrementalSequence();
            partCount = s.partCount();
            nextPart = 0;
            orderIds.clear();
            prices.clear();
            quantities.clear();
            sides.clear();
        }

        void add(final long orderId, final byte side, final long price, final long quantity)
        {
            orderIds.addLong(orderId);
            sides.add(side);
            prices.addLong(price);
            quantities.addLong(quantity);
        }
    }

    private static final class ByteList
    {
        private byte[] values = new byte[64];
        private int size;

        void add(final byte value)
        {
            if (size == values.length)
            {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        byte get(final int index)
        {
            return values[index];
        }

        void clear()
        {
            size = 0;
        }
    }

    /** Subscriber configuration; {@link #conclude()} checks it and fills defaults. */
    public static final class Context
    {
        private Aeron aeron;
        private String incrementalChannel = MarketDataPublisher.Context.DEFAULT_CHANNEL;
        private int incrementalStreamId = MarketDataPublisher.Context.DEFAULT_INCREMENTAL_STREAM_ID;
        private String snapshotChannel = MarketDataPublisher.Context.DEFAULT_CHANNEL;
        private int snapshotStreamId = MarketDataPublisher.Context.DEFAULT_SNAPSHOT_STREAM_ID;
        private int fragmentLimit = 64;
        private int expectedOrders = 16_384;
        private int maxBufferedBytes = 64 << 20;
        private boolean concluded;

        public Context conclude()
        {
            if (concluded)
            {
                return this;
            }
            if (fragmentLimit < 1 || expectedOrders < 0 || maxBufferedBytes < 1 << 16)
            {
                throw new IllegalArgumentException("market data subscriber: fragmentLimit >= 1, expectedOrders >= 0, maxBufferedBytes >= 64 KiB");
            }
            incrementalChannel = untethered(incrementalChannel);
            snapshotChannel = untethered(snapshotChannel);
            concluded = true;
            return this;
        }

        /**
         * Subscriptions are untethered unless the channel says otherwise: when this subscriber
         * stalls, Aeron drops it after a while instead of holding back the publisher and every
         * other subscriber, and it recovers from a snapshot when it polls again.
         */
        static String untethered(final String channel)
        {
            final ChannelUri uri = ChannelUri.parse(channel);
            if (uri.get(CommonContext.TETHER_PARAM_NAME) == null)
            {
                uri.put(CommonContext.TETHER_PARAM_NAME, "false");
            }
            return uri.toString();
        }

        public Aeron aeron()
        {
            return aeron;
        }

        /** The Aeron client to subscribe with; null: no subscriptions (feed fragments in yourself). */
        public Context aeron(final Aeron value)
        {
            aeron = value;
            return this;
        }

        public String incrementalChannel()
        {
            return incrementalChannel;
        }

        public Context incrementalChannel(final String value)
        {
            incrementalChannel = value;
            return this;
        }

        public int incrementalStreamId()
        {
            return incrementalStreamId;
        }

        public Context incrementalStreamId(final int value)
        {
            incrementalStreamId = value;
            return this;
        }

        public String snapshotChannel()
        {
            return snapshotChannel;
        }

        public Context snapshotChannel(final String value)
        {
            snapshotChannel = value;
            return this;
        }

        public int snapshotStreamId()
        {
            return snapshotStreamId;
        }

        public Context snapshotStreamId(final int value)
        {
            snapshotStreamId = value;
            return this;
        }

        public int fragmentLimit()
        {
            return fragmentLimit;
        }

        public Context fragmentLimit(final int value)
        {
            fragmentLimit = value;
            return this;
        }

        public int expectedOrders()
        {
            return expectedOrders;
        }

        public Context expectedOrders(final int value)
        {
            expectedOrders = value;
            return this;
        }

        public int maxBufferedBytes()
        {
            return maxBufferedBytes;
        }

        /** Incrementals kept while waiting for a snapshot; beyond it the buffer starts over. */
        public Context maxBufferedBytes(final int value)
        {
            maxBufferedBytes = value;
            return this;
        }
    }
}
