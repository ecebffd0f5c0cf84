package dev.bourse.readmodels.stream;

import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.Prices;
import dev.bourse.protocol.sbe.OrdType;
import dev.bourse.protocol.sbe.Side;
import dev.bourse.protocol.sbe.StpMode;
import dev.bourse.protocol.sbe.TimeInForce;
import dev.bourse.readmodels.Workload;
import org.agrona.collections.LongHashSet;
import org.junit.jupiter.api.Test;

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

    private final StreamSourceFixture fixture = new StreamSourceFixture();
    private final Workload workload = fixture.workload;
    private final CommandWriter writer = fixture.writer;

    @Test
    void aChangeBackToTheLastPublishedBboIsSentToTheSubscriberThatCameBetween()
    {
        final StreamSource source = fixture.source;
        final LongHashSet watching = new LongHashSet();
        watching.add(StreamChannels.key(StreamChannels.BBO, 1));
        final LongHashSet nobody = new LongHashSet();
        source.interest(watching);
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

    /** The bbo updates of the new journal entries: "bidxqty askxqty". */
    private List<String> bboUpdates()
    {
        return fixture.updates(StreamChannels.key(StreamChannels.BBO, 1), (buffer, index) ->
            buffer.getLong(index + StreamRing.BID_PRICE) + "x" + buffer.getLong(index + StreamRing.BID_QUANTITY) + " " +
            buffer.getLong(index + StreamRing.ASK_PRICE) + "x" + buffer.getLong(index + StreamRing.ASK_QUANTITY));
    }
}
