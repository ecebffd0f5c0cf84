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
import org.agrona.concurrent.Agent;

import java.util.ArrayList;
import java.util.List;

/**
 * The market-data client library: subscribes to the incremental stream, and to the snapshot stream
 * while it needs a snapshot, and keeps an exact local copy of every instrument's order-by-order
 * book (and so its aggregated depth).
 * <p>
 * From the first incremental message (sequence 1) it is {@link State#SYNCED} at once. Joining
 * late, or after a gap in the sequence numbers (lost messages, a malformed fragment, an image
 * that Aeron dropped because this subscriber stalled), it is {@link State#RECOVERING}: it buffers
 * incrementals, waits for a snapshot cycle that starts no earlier than its buffer, rebuilds every
 * book from the snapshot, applies the buffered messages newer than each book's snapshot, and is
 * SYNCED again. Malformed or truncated fragments are counted and dropped; no exception escapes.
 * <p>
 * It follows one publisher at a time, told apart by the Aeron session id of the incremental image
 * (a restarted exchange is a new publication, so a new session id, on the same channel, and the old
 * image can stay beside the new one until it times out). When another session starts sending, it
 * follows that one and drops what the old session still delivers of its old flow (the old session
 * sending its recent fragments again, a cluster node leading again, is followed again). The new stream is taken for a
 * continuation of the old one only if it sends again the last message applied (same number, entry
 * timestamp, template and length: a cluster's new leader, which sends its recent fragments again
 * with the same numbering); anything
 * else (a heartbeat first, a message newer than the last one applied, another message where that
 * one was) is a new stream: the subscriber goes RECOVERING and rebuilds from the new publisher's
 * snapshot cycle. Snapshot fragments count only from the snapshot image whose session id is the
 * followed incremental image's: {@link MarketDataPublisher} creates its snapshot publication with
 * the session id of its incremental one.
 * <p>
 * Single-threaded: call {@link #poll} (or run it as an {@link Agent}) from one thread.
 * <p>
 * Longer than most classes here: its {@link Context} (a third of it) and the one state machine of
 * applying and recovering; checking fragments, buffering during recovery and assembling a snapshot
 * cycle are classes of their own ({@link FeedFragmentValidator}, {@link RecoveryBuffer},
 * {@link SnapshotAssembler}).
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
    /** Held only while recovering ({@link SnapshotSubscription}); null without an Aeron client. */
    private final SnapshotSubscription snapshotSubscription;
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
    /** The last incremental fragment ended with EntryContinues: books are not shown until its entry ends. */
    private boolean midEntry;
    private final FeedFragmentValidator validator = new FeedFragmentValidator();
    private final RecoveryBuffer buffer;
    private final SnapshotAssembler snapshot = new SnapshotAssembler();

    private final java.util.concurrent.atomic.AtomicLong imagesLost = new java.util.concurrent.atomic.AtomicLong();
    private long imagesLostSeen;
    /** Session id of the last incremental image lost that counted (written before imagesLost on the conductor thread). */
    private volatile int lostImageSession;

    /** An incremental session is followed (the first fragment with an Aeron header chose it). */
    private boolean following;
    /** Session id of the incremental image followed (polling thread). */
    private int session;
    /** The same, for the image handler on Aeron's conductor thread; written only on a switch. */
    private volatile int followedSession;
    private volatile boolean followedSessionKnown;
    /** The session followed before the current one: its image's fragments are dropped. */
    private boolean hasLeftSession;
    private int leftSession;
    /** Correlation id of the left session's image when it was left (Aeron.NULL_VALUE: already gone). */
    private long leftImage = Aeron.NULL_VALUE;
    /** The last sequence the followed session sent (a message's, or what a heartbeat says was sent), -1: none yet. */
    private long followedLastSequence = -1;
    /** The sequence the left session's own flow carries next (its leftovers go on from it), -1: not known. */
    private long leftNextSequence = -1;
    /** Following a new session that may continue the old stream (a cluster's new leader): not verified yet. */
    private boolean probing;
    /**
     * The last message applied while SYNCED, to recognise a new session that sends it again: its
     * sequence, its entry's timestamp (nanoseconds), its template and length. A cluster's new leader
     * resends the very fragments; a restarted exchange's message of that number is another entry's,
     * stamped at another nanosecond. Four fields, not a copy of each message.
     */
    private long lastAppliedSequence;
    private long lastAppliedTimestamp;
    private int lastAppliedTemplate;
    private int lastAppliedLength;
    private long sessionSwitches;
    private long staleFragments;
    private long unpairedSnapshotFragments;
    private State state = State.RECOVERING;
    /** Next incremental sequence expected while SYNCED (and, before any loss, from the start). */
    private long expectedSequence = 1;
    /** The books are a valid base for the next message: true from the start until a loss. */
    private boolean baseValid = true;
    /**
     * Nothing of the incremental stream seen yet: a first message or heartbeat past sequence 1 is
     * joining a running feed, which starts a recovery but is no gap (a probe's fresh subscriber
     * counted one).
     */
    private boolean beforeFirstMessage = true;

    private long messages;
    private long incrementalFragments;
    private long gaps;
    private long recoveries;
    private long malformedFragments;
    private long inconsistencies;
    private long errors;
    private long snapshotsApplied;
    /** Engine timestamp of the incremental message being applied ({@link #messageTimestamp()}). */
    private long messageTimestamp;

    public MarketDataSubscriber(final Context ctx, final MarketDataListener listener)
    {
        this.ctx = ctx.conclude();
        this.listener = listener == null ? new MarketDataListener() { } : listener;
        this.books = new OrderBooks(ctx.expectedOrders());
        this.buffer = new RecoveryBuffer(ctx.maxBufferedBytes());
        if (ctx.aeron() != null)
        {
            // An image that goes away (publisher gone, or this subscriber stalled and was untethered) may have
            // taken the end of the stream with it: nothing later would show the gap, so the loss is noted here
            // (on Aeron's conductor thread) and acted on by the polling thread. Only an image that delivered
            // something and did not end cleanly can have: each cluster follower holds an idle publication on
            // the stream, and stopping one sent every subscriber into a recovery that skipped trade prints (an
            // outside probe, on every follower restart). And only when no other image is left: in a cluster the
            // next leader's publication is there already, numbers its messages as the old one did and starts by
            // sending the old leader's last fragments again, so its messages or its heartbeat show any gap (a lost
            // leader's image timed out after the new one had closed the gap, and the recovery it set off skipped
            // the trades printed meanwhile). Aeron removes the image from the subscription before calling this.
            // Only the image of the session followed counts: another one (a publisher left behind) says nothing of it.
            incrementalSubscription = ctx.aeron().addSubscription(ctx.incrementalChannel(), ctx.incrementalStreamId(),
                image -> { }, image ->
                {
                    if (image.position() > image.joinPosition() && !image.isEndOfStream() && image.subscription().imageCount() == 0
                        && (!followedSessionKnown || image.sessionId() == followedSession))
                    {
                        lostImageSession = image.sessionId();
                        imagesLost.incrementAndGet();
                    }
                });
            snapshotSubscription = new SnapshotSubscription(ctx.aeron(), ctx.snapshotChannel(), ctx.snapshotStreamId());
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
            if (!following || lostImageSession == session)
            {
                gaps++;
                lose();
            }
        }
        int work = incrementalSubscription.poll(incrementalHandler, fragmentLimit);
        // the snapshot stream only while recovering: in sync, this subscriber leaves it (SnapshotSubscription)
        work += snapshotSubscription.poll(state != State.SYNCED, snapshotHandler, fragmentLimit);
        return work;
    }

    // ------------------------------------------------------------------ incremental stream

    /** One fragment of the incremental stream (public for custom transports and tests). */
    public void onIncrementalFragment(final DirectBuffer buffer, final int offset, final int length, final Header aeronHeader)
    {
        incrementalFragments++;
        try
        {
            if (!validator.isValid(buffer, offset, length, false))
            {
                malformedFragments++;
                return;
            }
            if (aeronHeader != null && !acceptSession(aeronHeader.sessionId(), buffer, offset, length))
            {
                staleFragments++;
                return;
            }
            final int end = offset + length;
            int position = offset;
            midEntry = false;
            while (position < end)
            {
                header.wrap(buffer, position);
                final int messageLength = MessageHeaderDecoder.ENCODED_LENGTH + header.blockLength();
                if (header.templateId() == EntryContinuesDecoder.TEMPLATE_ID)
                {
                    midEntry = true; // takes no sequence number: only says when to show the books
                }
                else
                {
                    onIncrementalMessage(buffer, position, messageLength);
                }
                position += messageLength;
            }
            if (!midEntry)
            {
                flushDirtyBooks(); // a book is shown only between whole journal entries
            }
        }
        catch (final RuntimeException e)
        {
            errors++;
            lose();
            midEntry = false;
            flushDirtyBooks();
        }
    }

    /**
     * Whether a fragment of this incremental session is to be handled: the one followed, the first
     * one seen, or another that starts sending (a new publisher: followed from now on). What the image
     * of the session left last still holds (a dead publisher's leftovers) is dropped; a new image with
     * that session id (the same publisher seen again after its image timed out) counts as another, and
     * so does the left image when it sends anything but its own flow's next message (see {@link #isLeftover}).
     */
    private boolean acceptSession(final int sessionId, final DirectBuffer buffer, final int offset, final int length)
    {
        if (following && sessionId == session)
        {
            return true;
        }
        if (!following)
        {
            following = true;
            session = sessionId;
            followedSession = sessionId;
            followedSessionKnown = true;
            return true;
        }
        if (hasLeftSession && sessionId == leftSession && imageOf(sessionId) == leftImage && isLeftover(buffer, offset, length))
        {
            return false;
        }
        switchSession(sessionId);
        return true;
    }

    /**
     * Whether a fragment of the left session's image goes on with that session's own flow where the
     * subscriber left it (its first message the next number, or a heartbeat saying no more was sent):
     * what a dead or deposed publisher still had on its way. A cluster node keeps its publication
     * when it stops leading, so a node that leads again comes back on the image left: it starts by
     * sending its recent fragments again, from further back, and is followed again (where every
     * fragment of it was dropped and the subscriber sat SYNCED and silent while that node led: an
     * outside tester's cluster demo, leadership going back and forth on a loaded host).
     */
    private boolean isLeftover(final DirectBuffer buffer, final int offset, final int length)
    {
        final int end = offset + length;
        int position = offset;
        boolean first = true;
        long last = -1;
        while (position < end)
        {
            header.wrap(buffer, position);
            final int template = header.templateId();
            if (template != EntryContinuesDecoder.TEMPLATE_ID)
            {
                final long sequence = buffer.getLong(position + MessageHeaderDecoder.ENCODED_LENGTH, java.nio.ByteOrder.LITTLE_ENDIAN);
                if (first && leftNextSequence >= 0
                    && sequence != (template == HeartbeatDecoder.TEMPLATE_ID ? leftNextSequence - 1 : leftNextSequence))
                {
                    return false;
                }
                first = false;
                last = sequence;
            }
            position += MessageHeaderDecoder.ENCODED_LENGTH + header.blockLength();
        }
        if (last >= 0 && leftNextSequence >= 0)
        {
            leftNextSequence = last + 1;
        }
        return true;
    }

    /** Another publisher's stream from now on: a continuation only if it proves to be one (see {@link #probe}). */
    private void switchSession(final int sessionId)
    {
        hasLeftSession = true;
        leftSession = session;
        leftImage = imageOf(session);
        leftNextSequence = followedLastSequence < 0 ? -1 : followedLastSequence + 1;
        followedLastSequence = -1;
        session = sessionId;
        followedSession = sessionId;
        sessionSwitches++;
        midEntry = false;
        if (state == State.SYNCED && baseValid && lastAppliedLength > 0 && lastAppliedSequence == expectedSequence - 1)
        {
            probing = true;
        }
        else
        {
            newStream();
        }
    }

    /** Correlation id of the incremental image with this session id, or Aeron.NULL_VALUE (none, or no subscription). */
    private long imageOf(final int sessionId)
    {
        final io.aeron.Image image = incrementalSubscription == null ? null : incrementalSubscription.imageBySessionId(sessionId);
        return image == null ? Aeron.NULL_VALUE : image.correlationId();
    }

    /** The followed publisher's stream is a new one: nothing buffered or staged from the old one counts. */
    private void newStream()
    {
        probing = false;
        buffer.clear();
        snapshot.abandon();
        beforeFirstMessage = true; // joining the new stream, not a gap in it
        lastAppliedLength = 0;
        lose();
    }

    /**
     * A message of a session that may continue the old stream. The old stream's last message applied,
     * sent again (same number, entry timestamp, template and length), proves it does; older messages
     * (numbered and stamped before it) are skipped meanwhile, as they were applied; anything else, a
     * heartbeat included, makes it a new stream.
     *
     * @return true if the message was handled (skipped, or proved the continuation).
     */
    private boolean probe(final DirectBuffer buffer, final int offset, final int length, final long sequence, final int template)
    {
        if (template != HeartbeatDecoder.TEMPLATE_ID)
        {
            final long timestamp = buffer.getLong(offset + MessageHeaderDecoder.ENCODED_LENGTH + 8, java.nio.ByteOrder.LITTLE_ENDIAN);
            if (sequence < lastAppliedSequence && timestamp <= lastAppliedTimestamp)
            {
                return true;
            }
            if (sequence == lastAppliedSequence && timestamp == lastAppliedTimestamp && length == lastAppliedLength
                && template == lastAppliedTemplate)
            {
                probing = false;
                return true;
            }
        }
        newStream();
        return false;
    }

    private void onIncrementalMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        final long sequence = buffer.getLong(offset + MessageHeaderDecoder.ENCODED_LENGTH, java.nio.ByteOrder.LITTLE_ENDIAN);
        final int template = header.templateId();
        final boolean isHeartbeat = template == HeartbeatDecoder.TEMPLATE_ID;
        followedLastSequence = sequence; // a heartbeat's is the last one sent too
        if (probing && probe(buffer, offset, length, sequence, template))
        {
            return;
        }
        if (isHeartbeat)
        {
            onHeartbeat(sequence);
            return;
        }
        messages++;
        final boolean joining = beforeFirstMessage;
        beforeFirstMessage = false;
        if (state == State.SYNCED || (baseValid && this.buffer.isEmpty()))
        {
            if (sequence < expectedSequence)
            {
                return;
            }
            if (sequence == expectedSequence)
            {
                if (apply(buffer, offset, true))
                {
                    keepLastApplied(buffer, offset, length, sequence, template);
                    expectedSequence++;
                    if (state != State.SYNCED)
                    {
                        changeState(State.SYNCED);
                    }
                    return;
                }
                inconsistencies++;
            }
            else if (!joining)
            {
                gaps++;
            }
            lose();
        }
        if (this.buffer.add(buffer, offset, length, sequence))
        {
            gaps++;
        }
    }

    /** Notes what identifies the last message applied ({@link #lastAppliedSequence}). */
    private void keepLastApplied(final DirectBuffer buffer, final int offset, final int length, final long sequence, final int template)
    {
        lastAppliedSequence = sequence;
        lastAppliedTimestamp = buffer.getLong(offset + MessageHeaderDecoder.ENCODED_LENGTH + 8, java.nio.ByteOrder.LITTLE_ENDIAN);
        lastAppliedTemplate = template;
        lastAppliedLength = length;
    }

    /** A heartbeat tells where the stream is: messages up to its sequence exist. */
    private void onHeartbeat(final long lastSent)
    {
        final boolean joining = beforeFirstMessage;
        beforeFirstMessage = false;
        if (state == State.SYNCED || (baseValid && this.buffer.isEmpty()))
        {
            if (lastSent < expectedSequence)
            {
                return;
            }
            if (!joining)
            {
                gaps++;
            }
            lose();
        }
        buffer.onHeartbeat(lastSent);
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
        // every message has its sequence then its timestamp first (as the probe reads it too)
        messageTimestamp = buffer.getLong(bodyOffset + 8, java.nio.ByteOrder.LITTLE_ENDIAN);
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
            if (aeronHeader != null && (!following || aeronHeader.sessionId() != session))
            {
                // another publisher's cycle (one left behind, or a cluster node that does not lead): its books
                // stand for another stream's numbering. A publisher's snapshot image has its incremental's session id.
                unpairedSnapshotFragments++;
                return;
            }
            if (!validator.isValid(buffer, offset, length, true))
            {
                malformedFragments++;
                snapshot.abandon();
                return;
            }
            final int end = offset + length;
            int position = offset;
            while (position < end)
            {
                header.wrap(buffer, position);
                position = onSnapshotMessage(buffer, position);
            }
            if (!midEntry)
            {
                flushDirtyBooks(); // a cycle completed on half an entry: its books are shown once the rest arrives
            }
        }
        catch (final RuntimeException e)
        {
            errors++;
            snapshot.abandon();
            flushDirtyBooks();
        }
    }

    /** @return the offset after the message. */
    private int onSnapshotMessage(final DirectBuffer buffer, final int offset)
    {
        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = header.blockLength();
        final int version = header.version();
        snapshot.onSequence(buffer.getLong(bodyOffset, java.nio.ByteOrder.LITTLE_ENDIAN));
        if (header.templateId() == SnapshotStartDecoder.TEMPLATE_ID)
        {
            snapshotStart.wrap(buffer, bodyOffset, blockLength, version);
            if (state == State.RECOVERING && snapshot.begin(snapshotStart))
            {
                completeCycle();
            }
            return bodyOffset + blockLength;
        }
        bookSnapshot.wrap(buffer, bodyOffset, blockLength, version);
        final int end = bookSnapshot.sbeSkip().limit();
        if (state == State.RECOVERING && snapshot.isAssembling())
        {
            bookSnapshot.wrap(buffer, bodyOffset, blockLength, version);
            if (snapshot.onBookSnapshot(bookSnapshot))
            {
                completeCycle();
            }
        }
        return end;
    }

    /** A whole cycle is staged: use it if the buffered incrementals continue it without a hole. */
    private void completeCycle()
    {
        final long startSequence = snapshot.startSequence();
        // usable only if the buffered incrementals (or a heartbeat) continue the snapshot without a hole
        if (buffer.isEmpty() || buffer.start() > startSequence + 1)
        {
            snapshot.abandon();
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
        for (int i = 0; i < snapshot.bookCount(); i++)
        {
            final StagedBook staged = snapshot.book(i);
            consistent &= staged.install(books);
            final OrderBook book = books.book(staged.instrumentId);
            markDirty(book);
            listener.onInstrument(book);
        }
        for (int i = 0; i < buffer.size() && consistent; i++)
        {
            consistent = apply(buffer.bytes(), buffer.offset(i), true);
        }
        final long next = Math.max(buffer.next(), startSequence + 1);
        snapshot.abandon();
        buffer.clear();
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
        books.forEachBook(book ->
        {
            if (book.symbol().equals(symbol))
            {
                found[0] = book;
            }
        });
        return found[0];
    }

    /**
     * The engine timestamp (epoch nanoseconds) of the incremental message being applied: in a listener
     * callback, when the exchange did what is reported ({@link MarketDataListener#onTrade} passes its
     * own; status, phase and auction callbacks carry none).
     */
    public long messageTimestamp()
    {
        return messageTimestamp;
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

    /** Times another incremental session (another publisher) started sending and was followed from then on. */
    public long sessionSwitches()
    {
        return sessionSwitches;
    }

    /** Incremental fragments dropped because they came from a session left behind (a dead publisher's leftovers). */
    public long staleFragments()
    {
        return staleFragments;
    }

    /** Snapshot fragments dropped because their image is not the followed incremental image's pair. */
    public long unpairedSnapshotFragments()
    {
        return unpairedSnapshotFragments;
    }

    /** Aeron session id of the incremental image followed, or {@code fallback} before any fragment came. */
    public int session(final int fallback)
    {
        return following ? session : fallback;
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
            buffer + ", " + snapshot + ", messages=" + messages + ", gaps=" + gaps +
            ", inconsistencies=" + inconsistencies + ", recoveries=" + recoveries + ", snapshots=" + snapshotsApplied +
            ", malformed=" + malformedFragments + ", errors=" + errors +
            (following ? ", session=" + session + ", sessionSwitches=" + sessionSwitches + ", stale=" + staleFragments +
            ", unpairedSnapshotFragments=" + unpairedSnapshotFragments : "") + ", connected=" + isConnected() +
            (snapshotSubscription == null ? "" : ", snapshotJoins=" + snapshotSubscription.joins() +
            ", snapshotJoinFailures=" + snapshotSubscription.failures()) + "}";
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
