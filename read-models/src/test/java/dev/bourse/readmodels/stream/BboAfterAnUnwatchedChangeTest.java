package dev.bourse.readmodels.stream;

import dev.bourse.journal.JournalTailer;
import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.Prices;
import dev.bourse.protocol.sbe.OrdType;
import dev.bourse.protocol.sbe.Side;
import dev.bourse.protocol.sbe.StpMode;
import dev.bourse.protocol.sbe.TimeInForce;
import dev.bourse.readmodels.ReadModels;
import dev.bourse.readmodels.Workload;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A BBO change made while nobody watched the instrument's bbo channel, and undone once someone did,
 * is sent: the channel compared each BBO with the one it last published, from before the unwatched
 * change, so a subscriber whose snapshot came in between kept the unwatched BBO for good (an outside
 * tester: a better price placed and canceled around a new subscription).
 */
class BboAfterAnUnwatchedChangeTest
{
    private static final long BID = 60 * Prices.SCALE;
    private static final long BETTER_BID = 61 * Prices.SCALE;

    private final Workload workload = new Workload(3);
    private final CommandWriter writer = new CommandWriter();
    private final ReadModels models = new ReadModels();
    private final OneToOneRingBuffer ring = new OneToOneRingBuffer(
        new UnsafeBuffer(ByteBuffer.allocateDirect((1 << 16) + RingBufferDescriptor.TRAILER_LENGTH)));
    private final JournalTailer tailer = workload.journal.tailer();

    @Test
    void aChangeBackToTheLastPublishedBboIsSentToTheSubscriberThatCameBetween()
    {
        final StreamSource source = new StreamSource(ring);
        final LongHashSet watching = new LongHashSet();
        watching.add(StreamChannels.key(StreamChannels.BBO, 1));
        final LongHashSet nobody = new LongHashSet();
        source.interest(watching);
        models.streamListener(source);
        bboUpdates();

        workload.submit(b -> writer.newOrder(b, 0, 0, 1, 1, 1, Side.BUY, OrdType.LIMIT, TimeInForce.GTC, false, StpMode.NONE,
            BID, 10, "bid", 0, 0, 0));
        assertEquals(List.of(BID + "x10 0x0"), bboUpdates(), "the first subscriber is told of the bid");

        source.interest(nobody); // the first subscriber leaves
        workload.submit(b -> writer.newOrder(b, 0, 0, 1, 1, 1, Side.BUY, OrdType.LIMIT, TimeInForce.GTC, false, StpMode.NONE,
            BETTER_BID, 5, "better", 0, 0, 0));
        final long betterId = workload.state.lastOrderId();
        assertEquals(2, workload.state.liveOrders(), "the better bid rests");
        assertEquals(List.of(), bboUpdates(), "nobody watches");

        source.interest(watching); // a second subscriber: its snapshot shows the better bid
        workload.submit(b -> writer.cancelOrder(b, 0, 0, 1, 1, betterId, "better-x", "better"));
        assertEquals(1, workload.state.liveOrders());
        assertEquals(List.of(BID + "x10 0x0"), bboUpdates(), "the better bid is gone: the second subscriber must hear it");
    }

    /** Applies the new journal entries and returns the bbo updates they put in the ring: "bidxqty askxqty". */
    private List<String> bboUpdates()
    {
        while (tailer.poll(models, 1_000) > 0)
        {
        }
        final List<String> updates = new ArrayList<>();
        ring.read((type, buffer, index, length) ->
        {
            if (type == StreamRing.UPDATE && buffer.getLong(index + StreamRing.KEY) == StreamChannels.key(StreamChannels.BBO, 1))
            {
                updates.add(buffer.getLong(index + StreamRing.BID_PRICE) + "x" + buffer.getLong(index + StreamRing.BID_QUANTITY) + " " +
                    buffer.getLong(index + StreamRing.ASK_PRICE) + "x" + buffer.getLong(index + StreamRing.ASK_QUANTITY));
            }
        });
        return updates;
    }
}
