package dev.bourse.server.admin;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import quickfix.Message;
import quickfix.field.ClOrdID;
import quickfix.field.ExpireTime;
import quickfix.field.ExecType;
import quickfix.field.MsgType;
import quickfix.field.OrdStatus;
import quickfix.field.OrdType;
import quickfix.field.OrderQty;
import quickfix.field.Price;
import quickfix.field.Side;
import quickfix.field.Symbol;
import quickfix.field.Text;
import quickfix.field.TimeInForce;
import quickfix.field.TransactTime;
import quickfix.fix44.NewOrderSingle;

import dev.bourse.protocol.JournalEventListener;
import dev.bourse.protocol.sbe.AuditRecordedDecoder;
import dev.bourse.protocol.sbe.AuditType;
import dev.bourse.protocol.sbe.BlockChangedDecoder;
import dev.bourse.protocol.sbe.CommandType;
import dev.bourse.protocol.sbe.EntryHeaderDecoder;
import dev.bourse.protocol.sbe.MassCancelDoneDecoder;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static dev.bourse.server.admin.AdminApiIntegrationTest.assertRefused;
import static dev.bourse.server.admin.OpsExchange.awaitTrue;
import static org.junit.jupiter.api.Assertions.*;

/**
 * What operators do to traders, seen by the traders' own FIX engine (QuickFIX/J): the end of day
 * expires DAY orders with execution reports and turns the ClOrdID day over; the kill switch cancels an account's orders and refuses new ones until released; an
 * operator lists sessions, disconnects one and resets its sequence numbers.
 */
class EndOfDayAndKillSwitchTest
{
    @TempDir
    Path temp;

    private OpsExchange exchange;
    private FixClient alice;

    @AfterEach
    void tearDown()
    {
        if (alice != null)
        {
            alice.close();
        }
        if (exchange != null)
        {
            exchange.close();
        }
    }

    @Test
    void endOfDayExpiresDayOrdersOverFixAndTurnsTheClOrdIdDayOver() throws Exception
    {
        exchange = new OpsExchange(temp.resolve("data"));
        alice = new FixClient(exchange.server.gatewayPort(), "ALICE", "alice", "alice-demo").loggedOn();
        final FixClient bob = new FixClient(exchange.server.gatewayPort(), "BOB", "bob", "bob-demo").loggedOn();
        try
        {
            alice.send(order("D1", Side.BUY, 10, 180, TimeInForce.DAY));
            assertExec(alice.next(MsgType.EXECUTION_REPORT), ExecType.NEW, "D1");
            alice.send(order("G1", Side.BUY, 10, 181, TimeInForce.GOOD_TILL_CANCEL));
            assertExec(alice.next(MsgType.EXECUTION_REPORT), ExecType.NEW, "G1");
            // a trade: the GTC order is partly filled, and stays
            bob.send(order("S1", Side.SELL, 5, 181, TimeInForce.IMMEDIATE_OR_CANCEL));
            assertEquals(ExecType.TRADE, nextReport(bob, ExecType.TRADE).getChar(ExecType.FIELD));

            // a GTD order due before the day ends (the exchange's own GTD expiry is off here: only the day end expires it)
            final LocalDateTime due = LocalDateTime.now(ZoneOffset.UTC).plusSeconds(1);
            final NewOrderSingle gtd = order("T1", Side.BUY, 10, 179, TimeInForce.GOOD_TILL_DATE);
            gtd.set(new ExpireTime(due));
            alice.send(gtd);
            assertExec(nextReport(alice, ExecType.NEW), ExecType.NEW, "T1");
            while (!LocalDateTime.now(ZoneOffset.UTC).isAfter(due))
            {
                Thread.sleep(50); // the wall clock reaching a time, not a guess at how long something takes
            }

            final OpsExchange.Answer eod = exchange.admin("end-of-day", null);
            assertEquals(200, eod.status(), eod.body());
            assertTrue(eod.body().contains("\"expiredOrders\":1"), "only the DAY order expires at EndOfDay: " + eod.body());
            assertFalse(eod.body().contains("canceledOrders"), "a day's end counts its cancels once, as expiredOrders: " + eod.body());
            assertTrue(eod.body().contains("\"gtdExpired\":1"), "the GTD order due expires first: " + eod.body());
            // at once again, nothing in between: a retry or a double click, refused (an outside probe ended four days in a row)
            final OpsExchange.Answer again = exchange.admin("end-of-day", null);
            assertEquals(409, again.status(), again.body());
            assertTrue(again.body().contains("DAY_ALREADY_ENDED"), again.body());
            final OpsExchange.Answer forced = exchange.admin("end-of-day", "force=true");
            assertEquals(200, forced.status(), "an operator who means it: " + forced.body());
            assertEquals(400, exchange.admin("end-of-day", "force=yes").status());

            final Message gtdExpired = nextReport(alice, ExecType.EXPIRED);
            assertEquals("T1", gtdExpired.getString(ClOrdID.FIELD), "GTD expiry comes before EndOfDay");
            final Message expired = nextReport(alice, ExecType.EXPIRED);
            assertEquals("D1", expired.getString(ClOrdID.FIELD));
            assertEquals(OrdStatus.EXPIRED, expired.getChar(OrdStatus.FIELD));

            // the ClOrdID day turned over: D1 may be used again; G1 lives on and stays taken
            alice.send(order("D1", Side.BUY, 10, 180, TimeInForce.DAY));
            assertExec(nextReport(alice, ExecType.NEW), ExecType.NEW, "D1");
            alice.send(order("G1", Side.BUY, 10, 180, TimeInForce.DAY));
            final Message duplicate = nextReport(alice, ExecType.REJECTED);
            assertTrue(duplicate.getString(Text.FIELD).contains("DUPLICATE"), duplicate.toString());

        }
        finally
        {
            bob.close();
        }
    }

    @Test
    void theKillSwitchCancelsAndBlocksAnAccountUntilReleased() throws Exception
    {
        exchange = new OpsExchange(temp.resolve("data"));
        alice = new FixClient(exchange.server.gatewayPort(), "ALICE", "alice", "alice-demo").loggedOn();
        alice.send(order("K1", Side.BUY, 10, 180, TimeInForce.DAY));
        nextReport(alice, ExecType.NEW);
        alice.send(order("K2", Side.SELL, 10, 200, TimeInForce.GOOD_TILL_CANCEL));
        nextReport(alice, ExecType.NEW);

        final OpsExchange.Answer kill = exchange.admin("accounts/1001/kill", null);
        assertEquals(200, kill.status(), kill.body());
        assertTrue(kill.body().contains("\"canceledOrders\":2") && kill.body().contains("\"blocked\":true"), kill.body());
        final Message first = nextReport(alice, ExecType.CANCELED);
        final Message second = nextReport(alice, ExecType.CANCELED);
        assertEquals("KILL_SWITCH", first.getString(Text.FIELD));
        assertEquals("KILL_SWITCH", second.getString(Text.FIELD));

        alice.send(order("K3", Side.BUY, 10, 180, TimeInForce.DAY));
        final Message refused = nextReport(alice, ExecType.REJECTED);
        assertTrue(refused.getString(Text.FIELD).contains("BLOCKED"), refused.toString());

        // a restart keeps the block (journaled, replayed)
        alice.close();
        alice = null;
        exchange = exchange.restart();
        alice = new FixClient(exchange.server.gatewayPort(), "ALICE", "alice", "alice-demo").loggedOn();
        alice.send(order("K4", Side.BUY, 10, 180, TimeInForce.DAY));
        assertTrue(nextReport(alice, ExecType.REJECTED).getString(Text.FIELD).contains("BLOCKED"));

        assertEquals(200, exchange.admin("accounts/1001/release", null).status());
        alice.send(order("K5", Side.BUY, 10, 180, TimeInForce.DAY));
        assertExec(nextReport(alice, ExecType.NEW), ExecType.NEW, "K5");
    }

    /**
     * More resting orders than one slice (256): the block is journaled first, then the cancels as
     * several MassCancel entries (KILL_SWITCH), each bounded, until none remain; every order gets its
     * execution report and the one OPERATOR record names the action.
     */
    @Test
    void theKillSwitchCancelsMoreThanOneSliceInSeveralJournaledSlices() throws Exception
    {
        exchange = new OpsExchange(temp.resolve("data"));
        alice = new FixClient(exchange.server.gatewayPort(), "ALICE", "alice", "alice-demo").loggedOn();
        final int orders = 300;
        for (int i = 0; i < orders; i++)
        {
            alice.send(order("M" + i, Side.BUY, 1, 175, TimeInForce.GOOD_TILL_CANCEL));
        }
        for (int i = 0; i < orders; i++)
        {
            assertEquals(ExecType.NEW, alice.next(MsgType.EXECUTION_REPORT).getChar(ExecType.FIELD));
        }

        final OpsExchange.Answer kill = exchange.admin("accounts/1001/kill", null);
        assertEquals(200, kill.status(), kill.body());
        assertTrue(kill.body().contains("\"blocked\":true") && kill.body().contains("\"canceledOrders\":" + orders) &&
            kill.body().contains("\"slices\":2"), kill.body());
        for (int i = 0; i < orders; i++)
        {
            final Message canceled = alice.next(MsgType.EXECUTION_REPORT);
            assertEquals(ExecType.CANCELED, canceled.getChar(ExecType.FIELD), canceled.toString());
            assertEquals("KILL_SWITCH", canceled.getString(Text.FIELD));
        }

        final List<String> entries = new ArrayList<>();
        exchange.readJournal(new JournalEventListener()
        {
            @Override
            public void onAuditRecorded(final EntryHeaderDecoder header, final AuditRecordedDecoder event)
            {
                if (event.auditType() == AuditType.OPERATOR)
                {
                    entries.add("audit " + event.username().trim() + " " + CommandType.get((short)event.detail()) + " " + event.accountId());
                }
            }

            @Override
            public void onBlockChanged(final EntryHeaderDecoder header, final BlockChangedDecoder event)
            {
                entries.add("block " + event.accountId() + " " + event.blocked() + " " + event.canceledCount());
            }

            @Override
            public void onMassCancelDone(final EntryHeaderDecoder header, final MassCancelDoneDecoder event)
            {
                entries.add("slice " + event.reason() + " " + event.canceledCount() + " " + event.moreRemaining());
            }
        });
        assertEquals(List.of("audit ops SET_BLOCK 1001", "block 1001 TRUE 0", "slice KILL_SWITCH 256 TRUE", "slice KILL_SWITCH 44 FALSE"),
            entries);

        alice.send(order("M-late", Side.BUY, 1, 175, TimeInForce.DAY));
        assertTrue(nextReport(alice, ExecType.REJECTED).getString(Text.FIELD).contains("BLOCKED"));
    }

    @Test
    void operatorsListDisconnectAndResetSessions() throws Exception
    {
        exchange = new OpsExchange(temp.resolve("data"));
        alice = new FixClient(exchange.server.gatewayPort(), "ALICE", "alice", "alice-demo").loggedOn();
        final OpsExchange.Answer list = exchange.get("/api/v1/admin/sessions", "ops", OpsExchange.OPS_PASSWORD);
        assertEquals(200, list.status(), list.body());
        assertTrue(list.body().contains("\"compId\":\"ALICE\",\"username\":\"alice\",\"online\":true"), list.body());
        assertFalse(list.body().contains("\"sequence\":0,"), "the journal's position now, alice's logon included: " + list.body());
        final int sessionId = Integer.parseInt(list.body().replaceAll("(?s).*\"sessionId\":(\\d+),\"compId\":\"ALICE\".*", "$1"));

        assertRefused(exchange.admin("sessions/" + sessionId + "/reset-sequence", null), 409, "disconnect it first");
        final OpsExchange.Answer disconnected = exchange.admin("sessions/" + sessionId + "/disconnect", null);
        assertEquals(200, disconnected.status(), disconnected.body());
        assertTrue(disconnected.body().contains("\"online\":false"), "answered once it is off: " + disconnected.body());
        assertEquals("admin 5 disconnected by operations", alice.nextEvent());
        alice.close();
        alice = null;
        awaitTrue(() -> sessionsList(exchange).contains("\"compId\":\"ALICE\",\"username\":\"alice\",\"online\":false"),
            "the session is offline");

        final OpsExchange.Answer reset = exchange.admin("sessions/" + sessionId + "/reset-sequence", null);
        assertEquals(200, reset.status(), reset.body());
        assertTrue(reset.body().contains("\"nextInSeq\":1,\"nextOutSeq\":1"), reset.body());
        assertRefused(exchange.admin("sessions/" + sessionId + "/disconnect", null), 409, "not logged on");
        assertRefused(exchange.admin("sessions/999/reset-sequence", null), 404, "no session 999");
        // a kill switch names a session the gateway has given out: one not yet given out would block its future owner
        assertRefused(exchange.admin("sessions/999/kill", null), 404, "no session 999");
        // so do a disconnect and a release (a probe saw 409 "not logged on", and a release journaled on nothing)
        assertRefused(exchange.admin("sessions/999/disconnect", null), 404, "no session 999");
        assertRefused(exchange.admin("sessions/999/release", null), 404, "no session 999");
        final OpsExchange.Answer killed = exchange.admin("sessions/" + sessionId + "/kill", null);
        assertEquals(200, killed.status(), killed.body());
        assertTrue(killed.body().contains("\"blocked\":true"), killed.body());
    }

    private static String sessionsList(final OpsExchange exchange)
    {
        try
        {
            return exchange.get("/api/v1/admin/sessions", "ops", OpsExchange.OPS_PASSWORD).body();
        }
        catch (final Exception e)
        {
            return "";
        }
    }

    private static NewOrderSingle order(final String clOrdId, final char side, final int qty, final int price, final char tif)
    {
        final NewOrderSingle order = new NewOrderSingle(new ClOrdID(clOrdId), new Side(side), new TransactTime(LocalDateTime.now()),
            new OrdType(OrdType.LIMIT));
        order.set(new Symbol("AAPL"));
        order.set(new OrderQty(qty));
        order.set(new Price(price));
        order.set(new TimeInForce(tif));
        return order;
    }

    /** The next execution report of this ExecType, skipping others (fills of the other side, say). */
    private static Message nextReport(final FixClient client, final char execType) throws Exception
    {
        for (int i = 0; i < 10; i++)
        {
            final Message m = client.next(MsgType.EXECUTION_REPORT);
            if (m.getChar(ExecType.FIELD) == execType)
            {
                return m;
            }
        }
        throw new AssertionError("no ExecType " + execType);
    }

    private static void assertExec(final Message report, final char execType, final String clOrdId) throws Exception
    {
        assertEquals(execType, report.getChar(ExecType.FIELD), report.toString());
        assertEquals(clOrdId, report.getString(ClOrdID.FIELD));
    }
}
