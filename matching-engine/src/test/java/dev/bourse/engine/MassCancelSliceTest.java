package dev.bourse.engine;

import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.sbe.*;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.bourse.engine.EngineHarness.px;
import static dev.bourse.engine.EventAssert.assertEvents;
import static dev.bourse.engine.EventAssert.field;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A mass cancel in slices (MassCancel.limit): each command cancels at most limit orders and says
 * whether more remain, so a huge cancel-on-disconnect leaves room for other commands between its
 * slices. Asserted here: every order of the disconnected session is canceled exactly once, nothing
 * else is touched (its account's other session, another account, orders entered between slices),
 * and the journal's events rebuild exactly the live state.
 */
class MassCancelSliceTest
{
    private static final long ALICE = 10;
    private static final long BOB = 20;
    private static final int ACME = 1;
    private static final int BETA = 2;
    private static final int GONE = 21;     // Alice's session that disconnects
    private static final int STAYING = 22;  // Alice's other session
    private static final int BOBS = 31;
    private static final int SLICE = 256;

    private final EngineHarness h = new EngineHarness(new EngineConfig().maxInstruments(8).preallocatedOrders(8_192)
        .preallocatedLevels(256).expectedClOrdIdsPerDay(1 << 14));
    private final CommandWriter writer = new CommandWriter();
    private final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
    private long clock = 5_000_000_000L;
    private int clOrdIds;

    @Test
    void cancelOnDisconnectInSlicesCancelsEveryOrderOfTheSessionOnceAndNothingElse()
    {
        setUp();
        final Set<Long> gone = new HashSet<>();
        for (int i = 0; i < 3_000; i++)
        {
            gone.add(rest(ALICE, GONE, i % 2 == 0 ? ACME : BETA, i % 3 == 0 ? Side.SELL : Side.BUY, i % 10));
        }
        final Set<Long> untouched = new HashSet<>();
        for (int i = 0; i < 40; i++)
        {
            untouched.add(rest(ALICE, STAYING, ACME, Side.BUY, i % 10));
            untouched.add(rest(BOB, BOBS, BETA, Side.SELL, i % 10));
        }

        final Set<Long> canceled = new HashSet<>();
        final List<Integer> sliceCounts = new ArrayList<>();
        boolean more = true;
        while (more)
        {
            final List<String> events = codSlice(SLICE);
            final String done = events.get(events.size() - 1);
            for (final String event : events.subList(0, events.size() - 1))
            {
                assertEquals("CANCEL_ON_DISCONNECT", field(event, "reason"), event);
                final long orderId = Long.parseLong(field(event, "orderId"));
                assertTrue(gone.contains(orderId), "canceled an order that was not the session's: " + event);
                assertTrue(canceled.add(orderId), "canceled twice: " + event);
            }
            assertEquals("NONE", field(done, "rejectReason"), done);
            sliceCounts.add(Integer.parseInt(field(done, "canceledCount")));
            assertEquals(events.size() - 1, sliceCounts.get(sliceCounts.size() - 1), done);
            more = "TRUE".equals(field(done, "moreRemaining"));

            // between slices the exchange goes on: the other session and Bob trade, and their orders stay apart
            untouched.add(rest(ALICE, STAYING, ACME, Side.BUY, 5));
            final List<String> trade = send(writer.newOrder(command, 0, clock += 1_000, BOBS, BOB, BETA, Side.BUY, OrdType.LIMIT,
                TimeInForce.IOC, false, StpMode.NONE, px(120), 1, nextClOrdId()));
            assertEquals("OrderAccepted", trade.get(0).substring(0, trade.get(0).indexOf(':')), String.join("\n", trade));
        }

        assertEquals(gone, canceled, "every order of the disconnected session canceled");
        assertEquals((3_000 + SLICE - 1) / SLICE, sliceCounts.size(), "slices " + sliceCounts);
        for (int i = 0; i < sliceCounts.size() - 1; i++)
        {
            assertEquals(SLICE, sliceCounts.get(i), "a full slice before the last: " + sliceCounts);
        }
        for (final long orderId : gone)
        {
            assertNull(h.state.order(orderId), "order " + orderId + " still live");
        }
        for (final long orderId : untouched)
        {
            assertNotNull(h.state.order(orderId), "order " + orderId + " of another session was taken away");
        }
        assertEquals(untouched.size(), h.state.liveOrders());

        // nothing left: one more slice is harmless
        assertEvents(codSlice(SLICE), "MassCancelDone rejectReason=NONE canceledCount=0 moreRemaining=FALSE");
        assertArrayEquals(EngineSnapshot.toBytes(h.state), EngineSnapshot.toBytes(h.replay()), "the journal rebuilds the live state");
    }

    @Test
    void aSlicedMassCancelTakesTheLowestOrderIdsFirstAndItsFollowUpsMayOmitTheClOrdId()
    {
        setUp();
        final long a = rest(ALICE, STAYING, ACME, Side.BUY, 1);
        final long b = rest(ALICE, STAYING, BETA, Side.BUY, 1);
        final long c = rest(ALICE, STAYING, ACME, Side.SELL, 1);
        final long d = rest(ALICE, STAYING, ACME, Side.BUY, 2);

        assertEvents(massCancel(ACME, "k1", 2),
            "OrderCanceled orderId=" + a + " reason=MASS_CANCEL",
            "OrderCanceled orderId=" + c + " reason=MASS_CANCEL",
            "MassCancelDone rejectReason=NONE canceledCount=2 moreRemaining=TRUE clOrdId=k1");
        assertEvents(massCancel(ACME, "", 2),
            "OrderCanceled orderId=" + d + " reason=MASS_CANCEL",
            "MassCancelDone rejectReason=NONE canceledCount=1 moreRemaining=FALSE");
        assertNotNull(h.state.order(b), "the other instrument's order stays");

        // exactly as many as the limit: nothing remains, and the engine says so
        final long e = rest(ALICE, STAYING, BETA, Side.BUY, 3);
        assertEvents(massCancel(BETA, "k2", 2),
            "OrderCanceled orderId=" + b, "OrderCanceled orderId=" + e,
            "MassCancelDone canceledCount=2 moreRemaining=FALSE");
    }

    @Test
    void aNegativeLimitIsMalformedAndABlankClOrdIdNeedsASliceOrADisconnect()
    {
        setUp();
        rest(ALICE, STAYING, ACME, Side.BUY, 1);
        assertEvents(massCancel(ACME, "k1", -1), "MassCancelDone rejectReason=MALFORMED_COMMAND canceledCount=0");
        assertEvents(massCancel(ACME, "", 0), "MassCancelDone rejectReason=INVALID_CLORDID canceledCount=0");
        assertEquals(1, h.state.liveOrders());
    }

    private void setUp()
    {
        h.addInstrument(ACME, "ACME");
        h.addInstrument(BETA, "BETA");
        h.fundedAccount(ALICE, ACME, BETA);
        h.fundedAccount(BOB, ACME, BETA);
    }

    /** A resting GTC limit order, away from the other side's prices; its order id. */
    private long rest(final long account, final int session, final int instrument, final Side side, final int step)
    {
        final long price = side == Side.BUY ? px(90 - step) : px(130 + step);
        final List<String> events = send(writer.newOrder(command, 0, clock += 1_000, session, account, instrument, side, OrdType.LIMIT,
            TimeInForce.GTC, false, StpMode.NONE, price, 1, nextClOrdId()));
        assertEquals(2, events.size(), () -> "accepted and rested: " + events);
        return Long.parseLong(field(events.get(0), "orderId"));
    }

    private List<String> codSlice(final int limit)
    {
        return send(writer.massCancel(command, 0, clock += 1_000, GONE, ALICE, 0, null, true, CancelReason.CANCEL_ON_DISCONNECT, "",
            limit));
    }

    private List<String> massCancel(final int instrument, final String clOrdId, final int limit)
    {
        return send(writer.massCancel(command, 0, clock += 1_000, STAYING, ALICE, instrument, null, false, CancelReason.MASS_CANCEL,
            clOrdId, limit));
    }

    private List<String> send(final int length)
    {
        assertTrue(length > 0, "command did not encode");
        return h.send(command, length);
    }

    private String nextClOrdId()
    {
        return "c" + ++clOrdIds;
    }
}
