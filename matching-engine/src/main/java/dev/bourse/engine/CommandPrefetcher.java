package dev.bourse.engine;

import dev.bourse.protocol.ClOrdIds;
import dev.bourse.protocol.sbe.CancelOrderDecoder;
import dev.bourse.protocol.sbe.MessageHeaderDecoder;
import dev.bourse.protocol.sbe.NewOrderDecoder;
import dev.bourse.protocol.sbe.ReplaceOrderDecoder;
import org.agrona.DirectBuffer;

/**
 * Reads, and changes nothing in, the slot of the day's ClOrdID index where a queued command's
 * duplicate check will start. The sequencer shows it a group of commands before their turn; it
 * notes their slots, and {@link #flush()} reads them back to back, so that their cache misses
 * overlap instead of stalling the engine one after another. On a day-sized ClOrdID index the duplicate
 * check's first probe missed the cache on nearly every command: about 30% of the engine thread
 * on bench engine's single-instrument workload (JFR).
 * <p>
 * Bad bytes are harmless: it reads only inside the length it is given, and nothing here decides
 * anything, so a wrong read only touches the wrong memory. Engine thread only.
 */
final class CommandPrefetcher
{
    private final EngineState state;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final NewOrderDecoder newOrder = new NewOrderDecoder();
    private final CancelOrderDecoder cancelOrder = new CancelOrderDecoder();
    private final ReplaceOrderDecoder replaceOrder = new ReplaceOrderDecoder();
    /** What the reads returned, kept so the compiler cannot drop them; the value means nothing. */
    private long touched;
    /** Slots of the ClOrdID index to read at the next {@link #flush()}. */
    private final int[] pendingSlots = new int[64];
    private int pending;

    CommandPrefetcher(final EngineState state)
    {
        this.state = state;
    }

    /** Notes where the command's ClOrdID probe will start, if it is an order, cancel or replace. */
    void prefetch(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH || pending == pendingSlots.length)
        {
            return;
        }
        header.wrap(buffer, offset);
        final int templateId = header.templateId();
        final int blockLength = header.blockLength();
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        if (header.schemaId() != NewOrderDecoder.SCHEMA_ID || body + blockLength > offset + length ||
            blockLength < CommandAdapter.minimumBlockLength(templateId))
        {
            return;
        }
        final int version = header.version();
        switch (templateId)
        {
            case NewOrderDecoder.TEMPLATE_ID:
                note(newOrder.wrap(buffer, body, blockLength, version).accountId(), buffer, body + NewOrderDecoder.clOrdIdEncodingOffset());
                break;
            case CancelOrderDecoder.TEMPLATE_ID:
                note(cancelOrder.wrap(buffer, body, blockLength, version).accountId(), buffer, body + CancelOrderDecoder.clOrdIdEncodingOffset());
                break;
            case ReplaceOrderDecoder.TEMPLATE_ID:
                note(replaceOrder.wrap(buffer, body, blockLength, version).accountId(), buffer, body + ReplaceOrderDecoder.clOrdIdEncodingOffset());
                break;
            default:
                break;
        }
    }

    private void note(final long accountId, final DirectBuffer buffer, final int clOrdIdOffset)
    {
        pendingSlots[pending++] = state.clOrdIds.firstSlotIndex(
            accountId, ClOrdIds.word0(buffer, clOrdIdOffset), ClOrdIds.word1(buffer, clOrdIdOffset), ClOrdIds.word2(buffer, clOrdIdOffset));
    }

    /** Reads the slots noted since the last flush, back to back so that their misses overlap. */
    void flush()
    {
        if (pending > 0)
        {
            touched += state.clOrdIds.readSlots(pendingSlots, pending);
            pending = 0;
        }
    }
}
