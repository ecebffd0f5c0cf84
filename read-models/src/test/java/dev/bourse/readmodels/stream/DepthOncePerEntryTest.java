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
 * The depth channel sends each level a journal entry changed once, at the entry's end, and a level
 * the entry left as it was not at all: a replace that kept an iceberg's place and changed only its
 * hidden part sent the unchanged level (an outside probe), and an order taking two resting orders
 * at one level sent that level twice, the first time half-way.
 */
class DepthOncePerEntryTest
{
    private static final long PRICE = 60 * Prices.SCALE;

    private final StreamSourceFixture fixture = new StreamSourceFixture();
    private final Workload workload = fixture.workload;
    private final CommandWriter writer = fixture.writer;

    @Test
    void eachChangedLevelOnceAndAnUnchangedOneNever()
    {
        final LongHashSet interest = new LongHashSet();
        interest.add(StreamChannels.key(StreamChannels.DEPTH, 1));
        fixture.source.interest(interest);
        assertEquals(List.of(), depthUpdates(), "the setup touches no level");

        workload.submit(b -> writer.newOrder(b, 0, 0, 1, 1, 1, Side.BUY, OrdType.LIMIT, TimeInForce.GTC, false, StpMode.NONE,
            PRICE, 100, "iceberg", 0, 10, 0));
        assertEquals(List.of("1 " + PRICE + " 10 1"), depthUpdates(), "the iceberg shows its peak");
        final long icebergId = workload.state.lastOrderId();

        workload.submit(b -> writer.replaceOrder(b, 0, 0, 1, 1, icebergId, PRICE, 90, "iceberg-2", "iceberg"));
        assertEquals(1, workload.state.liveOrders());
        assertEquals(List.of(), depthUpdates(), "only the hidden part changed: the level is as it was");

        workload.submit(b -> writer.newOrder(b, 0, 0, 1, 2, 1, Side.BUY, OrdType.LIMIT, TimeInForce.GTC, false, StpMode.NONE,
            PRICE, 5, "plain", 0, 0, 0));
        assertEquals(List.of("1 " + PRICE + " 15 2"), depthUpdates());

        workload.submit(b -> writer.newOrder(b, 0, 0, 1, 3, 1, Side.SELL, OrdType.LIMIT, TimeInForce.IOC, false, StpMode.NONE,
            PRICE, 12, "taker", 0, 0, 0));
        final List<String> afterTaking = depthUpdates();
        assertEquals(1, afterTaking.size(), "one update for the level, at the entry's end: " + afterTaking);
    }

    /** The depth updates of the new journal entries: "side price quantity orders". */
    private List<String> depthUpdates()
    {
        return fixture.updates(StreamChannels.key(StreamChannels.DEPTH, 1), (buffer, index) ->
            buffer.getByte(index + StreamRing.DEPTH_SIDE) + " " + buffer.getLong(index + StreamRing.DEPTH_PRICE) + " " +
            buffer.getLong(index + StreamRing.DEPTH_QUANTITY) + " " + buffer.getLong(index + StreamRing.DEPTH_ORDERS));
    }
}
