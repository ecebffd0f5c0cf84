package dev.bourse.engine;

import dev.bourse.protocol.ClOrdIds;
import dev.bourse.protocol.sbe.CancelOrderDecoder;
import dev.bourse.protocol.sbe.MessageHeaderDecoder;
import dev.bourse.protocol.sbe.NewOrderDecoder;
import dev.bourse.protocol.sbe.ReplaceOrderDecoder;
import org.agrona.DirectBuffer;

/**
 * Reads, and changes nothing in, the memory a queued command will need from the engine's large
 * tables: its ClOrdID's slot in the day's index and the order it names. The sequencer calls it a
 * few commands ahead of the one the engine is working on, so their cache misses overlap with work
 * instead of stalling the engine one after another. On a day-sized ClOrdID index the duplicate
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

    void prefetch(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return;
        }
        header.wrap(buffer, offset);
        final int blockLength = header.blockLength();
        final int version = header.version();
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        if (header.schemaId() != NewOrderDecoder.SCHEMA_ID || body + blockLength > offset + length)
        {
            return;
        }
        switch (header.templateId())
        {
            case NewOrderDecoder.TEMPLATE_ID:
                if (blockLength >= NewOrderDecoder.BLOCK_LENGTH)
                {
                    touch(newOrder.wrap(buffer, body, blockLength, version).accountId(),
                        buffer, body + NewOrderDecoder.clOrdIdEncodingOffset(), 0);
                }
                break;
            case CancelOrderDecoder.TEMPLATE_ID:
                if (blockLength >= CancelOrderDecoder.BLOCK_LENGTH)
                {
                    final CancelOrderDecoder d = cancelOrder.wrap(buffer, body, blockLength, version);
                    touch(d.accountId(), buffer, body + CancelOrderDecoder.clOrdIdEncodingOffset(), d.orderId());
                }
                break;
            case ReplaceOrderDecoder.TEMPLATE_ID:
                if (blockLength >= ReplaceOrderDecoder.BLOCK_LENGTH)
                {
                    final ReplaceOrderDecoder d = replaceOrder.wrap(buffer, body, blockLength, version);
                    touch(d.accountId(), buffer, body + ReplaceOrderDecoder.clOrdIdEncodingOffset(), d.orderId());
                }
                break;
            default:
                break;
        }
    }

    private void touch(final long accountId, final DirectBuffer buffer, final int clOrdIdOffset, final long orderId)
    {
        if (pending < pendingSlots.length)
        {
            pendingSlots[pending++] = state.clOrdIds.firstSlotIndex(
                accountId, ClOrdIds.word0(buffer, clOrdIdOffset), ClOrdIds.word1(buffer, clOrdIdOffset), ClOrdIds.word2(buffer, clOrdIdOffset));
        }
        long sum = 0;
        if (orderId != 0)
        {
            final Order order = state.order(orderId);
            if (order != null)
            {
                sum += order.leavesQty;
            }
        }
        touched += sum;
    }

    /** Reads the slots noted since the last flush, back to back so that their misses overlap. */
    void flush()
    {
        final int count = pending;
        if (count > 0)
        {
            final long[] slots = state.clOrdIds.slots();
            final int[] indexes = pendingSlots;
            long sum = 0;
            for (int i = 0; i < count; i++)
            {
                sum += slots[indexes[i] & (slots.length - 1)];
            }
            pending = 0;
            touched += sum;
        }
    }
}
