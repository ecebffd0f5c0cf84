package dev.bourse.gateway;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import quickfix.*;
import quickfix.field.*;
import quickfix.fix44.ExecutionReport;
import quickfix.fix44.NewOrderSingle;
import quickfix.fix44.OrderCancelReject;
import quickfix.fix44.OrderCancelReplaceRequest;
import quickfix.fix44.OrderCancelRequest;
import quickfix.fix44.OrderMassCancelReport;
import quickfix.fix44.OrderMassCancelRequest;
import quickfix.fix44.OrderStatusRequest;

import java.time.LocalDateTime;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** QuickFIX/J 3.0.1 as an unmodified initiator trading through the gateway. */
class QuickFixInteropTest
{
    private TestExchange exchange;
    private final Client alice = new Client("ALICE", "alice", TestExchange.PASSWORD);
    private final Client bob = new Client("BOB", "bob", TestExchange.PASSWORD);

    /** One QuickFIX/J initiator with one session; application messages land in a queue. */
    static final class Client implements Application
    {
        final String compId;
        final String username;
        volatile String password;
        final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        volatile boolean loggedOn;
        /** More session settings (SocketUseSSL and its store, for the TLS port). */
        final java.util.Map<String, String> extraSettings = new java.util.LinkedHashMap<>();
        SocketInitiator initiator;
        SessionID sessionId;
        /** One store kept across restarts of the initiator, as a file store would be. */
        MessageStore store;
        final MessageStoreFactory storeFactory = id ->
        {
            try
            {
                if (store == null)
                {
                    store = new MemoryStore(id);
                }
                return store;
            }
            catch (final java.io.IOException e)
            {
                throw new java.io.UncheckedIOException(e);
            }
        };

        Client(final String compId, final String username, final String password)
        {
            this.compId = compId;
            this.username = username;
            this.password = password;
        }

        void start(final int port) throws ConfigError
        {
            final SessionSettings settings = new SessionSettings();
            sessionId = new SessionID("FIX.4.4", compId, "BOURSE");
            settings.setString(sessionId, "ConnectionType", "initiator");
            settings.setString(sessionId, "StartTime", "00:00:00");
            settings.setString(sessionId, "EndTime", "00:00:00");
            settings.setLong(sessionId, "HeartBtInt", 30);
            settings.setLong(sessionId, "ReconnectInterval", 1);
            settings.setString(sessionId, "SocketConnectHost", "127.0.0.1");
            settings.setLong(sessionId, "SocketConnectPort", port);
            settings.setString(sessionId, "UseDataDictionary", "Y");
            settings.setString(sessionId, "DataDictionary", "FIX44.xml");
            settings.setString(sessionId, "ResetOnLogon", "N");
            settings.setString(sessionId, "PersistMessages", "Y");
            extraSettings.forEach((key, value) -> settings.setString(sessionId, key, value));
            initiator = new SocketInitiator(this, storeFactory, settings, new ScreenLogFactory(false, false, false), new DefaultMessageFactory());
            initiator.start();
        }

        void stop()
        {
            if (initiator != null)
            {
                initiator.stop(true);
                initiator = null;
            }
        }

        quickfix.Session session()
        {
            return quickfix.Session.lookupSession(sessionId);
        }

        void send(final Message message)
        {
            assertTrue(quickfix.Session.lookupSession(sessionId).send(message), "QuickFIX/J refused to send");
        }

        Message next(final String msgType) throws Exception
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline)
            {
                final Message m = received.poll(100, TimeUnit.MILLISECONDS);
                if (m != null && m.getHeader().getString(MsgType.FIELD).equals(msgType))
                {
                    assertTransactTime(m);
                    return m;
                }
                if (m != null)
                {
                    fail(compId + " expected " + msgType + " but got " + m);
                }
            }
            throw new AssertionError(compId + ": no " + msgType + " within 10 s");
        }

        /**
         * Reports, cancel rejects and mass cancel reports say when what they describe happened
         * (an outside probe found no TransactTime on any): the command's time, so not in the future
         * (the test's schedule runs on a clock of its own, in 1970).
         */
        private void assertTransactTime(final Message m) throws Exception
        {
            final String type = m.getHeader().getString(MsgType.FIELD);
            if (type.equals(MsgType.EXECUTION_REPORT) || type.equals(MsgType.ORDER_CANCEL_REJECT)
                || type.equals(MsgType.ORDER_MASS_CANCEL_REPORT))
            {
                assertTrue(m.isSetField(TransactTime.FIELD), "no TransactTime in " + m);
                final java.time.LocalDateTime at = m.getUtcTimeStamp(TransactTime.FIELD);
                final java.time.LocalDateTime now = java.time.LocalDateTime.now(java.time.ZoneOffset.UTC);
                assertTrue(!at.isAfter(now.plusSeconds(1)), at + " against " + now + " in " + m);
            }
        }

        ExecutionReport report() throws Exception
        {
            return (ExecutionReport)next(MsgType.EXECUTION_REPORT);
        }

        @Override
        public void onCreate(final SessionID id)
        {
        }

        @Override
        public void onLogon(final SessionID id)
        {
            loggedOn = true;
            events.add("logon");
        }

        @Override
        public void onLogout(final SessionID id)
        {
            loggedOn = false;
            events.add("logout");
        }

        @Override
        public void toAdmin(final Message message, final SessionID id)
        {
            try
            {
                if (MsgType.LOGON.equals(message.getHeader().getString(MsgType.FIELD)))
                {
                    message.setString(Username.FIELD, username);
                    message.setString(Password.FIELD, password);
                }
            }
            catch (final FieldNotFound e)
            {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void fromAdmin(final Message message, final SessionID id)
        {
            try
            {
                events.add("admin " + message.getHeader().getString(MsgType.FIELD) +
                    (message.isSetField(Text.FIELD) ? " " + message.getString(Text.FIELD) : ""));
            }
            catch (final FieldNotFound e)
            {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void toApp(final Message message, final SessionID id)
        {
        }

        @Override
        public void fromApp(final Message message, final SessionID id)
        {
            received.add(message);
        }
    }

    @BeforeEach
    void setUp() throws Exception
    {
        exchange = new TestExchange(ctx -> ctx.cancelOnDisconnect(false));
    }

    @AfterEach
    void tearDown() throws Exception
    {
        alice.stop();
        bob.stop();
        exchange.close();
    }

    static NewOrderSingle limit(final String clOrdId, final char side, final double qty, final double price)
    {
        final NewOrderSingle order = new NewOrderSingle(new ClOrdID(clOrdId), new Side(side), new TransactTime(LocalDateTime.now()),
            new OrdType(OrdType.LIMIT));
        order.set(new Symbol("ACME"));
        order.set(new OrderQty(qty));
        order.set(new Price(price));
        order.set(new TimeInForce(TimeInForce.DAY));
        return order;
    }

    private void logOn(final Client client) throws Exception
    {
        client.start(exchange.port());
        TestExchange.await(() -> client.loggedOn, client.compId + " logon");
    }

    @Test
    void twoSessionsTradeCancelReplaceMassCancelAndAskForStatus() throws Exception
    {
        logOn(alice);
        logOn(bob);

        alice.send(limit("a1", Side.BUY, 100, 100.25));
        ExecutionReport er = alice.report();
        assertEquals(ExecType.NEW, er.getExecType().getValue());
        assertEquals(OrdStatus.NEW, er.getOrdStatus().getValue());
        assertEquals(100, er.getLeavesQty().getValue());
        final String aliceOrderId = er.getOrderID().getValue();

        // bob sells 40: partial fill for both
        bob.send(limit("b1", Side.SELL, 40, 100));
        er = bob.report();
        assertEquals(ExecType.NEW, er.getExecType().getValue());
        final String bobOrderId = er.getOrderID().getValue();
        er = bob.report();
        assertEquals(ExecType.TRADE, er.getExecType().getValue());
        assertEquals(OrdStatus.FILLED, er.getOrdStatus().getValue());
        assertEquals(40, er.getLastQty().getValue());
        assertEquals(100.25, er.getLastPx().getValue());
        er = alice.report();
        assertEquals(ExecType.TRADE, er.getExecType().getValue());
        assertEquals(OrdStatus.PARTIALLY_FILLED, er.getOrdStatus().getValue());
        assertEquals(60, er.getLeavesQty().getValue());
        assertEquals(40, er.getCumQty().getValue());
        assertEquals(100.25, er.getAvgPx().getValue());

        // status of alice's order
        final OrderStatusRequest status = new OrderStatusRequest(new ClOrdID("a1"), new Side(Side.BUY));
        status.set(new Symbol("ACME"));
        status.set(new OrderID(aliceOrderId));
        alice.send(status);
        er = alice.report();
        assertEquals(ExecType.ORDER_STATUS, er.getExecType().getValue());
        assertEquals(OrdStatus.PARTIALLY_FILLED, er.getOrdStatus().getValue());
        assertEquals(60, er.getLeavesQty().getValue());

        // status of an order alice does not have: FIX's answer, which QuickFIX/J's dictionary accepts
        final OrderStatusRequest noSuchOrder = new OrderStatusRequest(new ClOrdID("nope"), new Side(Side.SELL));
        noSuchOrder.set(new Symbol("ACME"));
        alice.send(noSuchOrder);
        er = alice.report();
        assertEquals(ExecType.ORDER_STATUS, er.getExecType().getValue());
        assertEquals(OrdStatus.REJECTED, er.getOrdStatus().getValue());
        assertEquals(quickfix.field.OrdRejReason.UNKNOWN_ORDER, er.getInt(quickfix.field.OrdRejReason.FIELD));
        assertEquals("nope", er.getClOrdID().getValue());
        assertEquals(Side.SELL, er.getSide().getValue());

        // replace: price down to 99 and quantity 80 (leaves 40)
        final OrderCancelReplaceRequest replace = new OrderCancelReplaceRequest(new OrigClOrdID("a1"), new ClOrdID("a2"),
            new Side(Side.BUY), new TransactTime(LocalDateTime.now()), new OrdType(OrdType.LIMIT));
        replace.set(new Symbol("ACME"));
        replace.set(new OrderQty(80));
        replace.set(new Price(99));
        replace.set(new OrderID(aliceOrderId));
        alice.send(replace);
        er = alice.report();
        assertEquals(ExecType.REPLACED, er.getExecType().getValue());
        assertEquals("a2", er.getClOrdID().getValue());
        assertEquals("a1", er.getOrigClOrdID().getValue());
        assertEquals(40, er.getLeavesQty().getValue());

        // bob cannot cancel alice's order: unknown order, nothing revealed
        final OrderCancelRequest foreign = new OrderCancelRequest(new OrigClOrdID("a2"), new ClOrdID("b2"), new Side(Side.BUY),
            new TransactTime(LocalDateTime.now()));
        foreign.set(new Symbol("ACME"));
        foreign.set(new OrderID(aliceOrderId));
        bob.send(foreign);
        final OrderCancelReject reject = (OrderCancelReject)bob.next(MsgType.ORDER_CANCEL_REJECT);
        assertEquals("NONE", reject.getOrderID().getValue());
        assertEquals(CxlRejReason.UNKNOWN_ORDER, reject.getCxlRejReason().getValue());
        assertEquals("UNKNOWN_ORDER", reject.getText().getValue());

        // bob's own order filled: too late to cancel, and the reject names it and says it filled
        final OrderCancelRequest tooLate = new OrderCancelRequest(new OrigClOrdID("b1"), new ClOrdID("b3"), new Side(Side.SELL),
            new TransactTime(LocalDateTime.now()));
        tooLate.set(new Symbol("ACME"));
        bob.send(tooLate);
        final OrderCancelReject late = (OrderCancelReject)bob.next(MsgType.ORDER_CANCEL_REJECT);
        assertEquals(CxlRejReason.TOO_LATE_TO_CANCEL, late.getCxlRejReason().getValue());
        assertEquals(OrdStatus.FILLED, late.getOrdStatus().getValue());
        assertEquals(bobOrderId, late.getOrderID().getValue());
        assertEquals("b1", late.getOrigClOrdID().getValue());

        // alice cancels it
        final OrderCancelRequest cancel = new OrderCancelRequest(new OrigClOrdID("a2"), new ClOrdID("a3"), new Side(Side.BUY),
            new TransactTime(LocalDateTime.now()));
        cancel.set(new Symbol("ACME"));
        alice.send(cancel);
        er = alice.report();
        assertEquals(ExecType.CANCELED, er.getExecType().getValue());
        assertEquals("a3", er.getClOrdID().getValue());
        assertEquals(40, er.getCumQty().getValue());

        // two resting orders, then mass cancel of everything
        alice.send(limit("a4", Side.BUY, 10, 90));
        assertEquals(ExecType.NEW, alice.report().getExecType().getValue());
        alice.send(limit("a5", Side.SELL, 10, 110));
        assertEquals(ExecType.NEW, alice.report().getExecType().getValue());
        final OrderMassCancelRequest mass = new OrderMassCancelRequest(new ClOrdID("a6"),
            new MassCancelRequestType(MassCancelRequestType.CANCEL_ALL_ORDERS), new TransactTime(LocalDateTime.now()));
        alice.send(mass);
        assertEquals(ExecType.CANCELED, alice.report().getExecType().getValue());
        assertEquals(ExecType.CANCELED, alice.report().getExecType().getValue());
        final OrderMassCancelReport massReport = (OrderMassCancelReport)alice.next(MsgType.ORDER_MASS_CANCEL_REPORT);
        assertEquals(2, massReport.getTotalAffectedOrders().getValue());

        // an unknown symbol is rejected with a reason
        final NewOrderSingle unknown = limit("a7", Side.BUY, 1, 100);
        unknown.set(new Symbol("NOPE"));
        alice.send(unknown);
        er = alice.report();
        assertEquals(ExecType.REJECTED, er.getExecType().getValue());
        assertEquals(OrdRejReason.UNKNOWN_SYMBOL, er.getOrdRejReason().getValue());

        // logout
        alice.session().logout("done");
        TestExchange.await(() -> !alice.loggedOn, "alice logout");
    }

    @Test
    void reconnectWithSequenceGapsInBothDirectionsIsHealedByResendAndGapFill() throws Exception
    {
        logOn(alice);
        logOn(bob);
        alice.send(limit("a1", Side.BUY, 100, 100));
        assertEquals(ExecType.NEW, alice.report().getExecType().getValue());

        // alice goes away (orders stay: cancel on disconnect is off here); bob trades with her order
        alice.stop();
        TestExchange.await(() -> !alice.loggedOn, "alice gone");
        bob.send(limit("b1", Side.SELL, 30, 100));
        assertEquals(ExecType.NEW, bob.report().getExecType().getValue());
        assertEquals(ExecType.TRADE, bob.report().getExecType().getValue());

        // alice comes back with the same store: the gateway's MsgSeqNum is ahead, she asks for a resend
        alice.start(exchange.port());
        TestExchange.await(() -> alice.loggedOn, "alice logon again");
        final ExecutionReport fill = alice.report();
        assertEquals(ExecType.TRADE, fill.getExecType().getValue());
        assertTrue(fill.getHeader().getBoolean(PossDupFlag.FIELD), "resent with PossDupFlag");
        assertTrue(fill.getHeader().isSetField(OrigSendingTime.FIELD), "resent with OrigSendingTime");
        assertEquals(70, fill.getLeavesQty().getValue());

        // now alice skips 5 sequence numbers: the gateway asks for them and she gap-fills
        final quickfix.Session session = alice.session();
        session.setNextSenderMsgSeqNum(session.getExpectedSenderNum() + 5);
        alice.send(limit("a2", Side.BUY, 5, 99));
        final ExecutionReport next = alice.report();
        assertEquals(ExecType.NEW, next.getExecType().getValue());
        assertEquals("a2", next.getClOrdID().getValue());
    }

    @Test
    void aWrongPasswordIsRefused() throws Exception
    {
        alice.password = "wrong";
        alice.start(exchange.port());
        TestExchange.await(() -> alice.events.stream().anyMatch(e -> e.startsWith("admin 5")), "logout for a wrong password");
        assertFalse(alice.loggedOn);
    }

    @Test
    void stopIcebergAndAuctionOrdersTradeThroughAStockFixEngine() throws Exception
    {
        logOn(alice);
        logOn(bob);

        // a stop limit: held off the book until a trade at 101, then a limit order at 102
        final NewOrderSingle stop = new NewOrderSingle(new ClOrdID("s1"), new Side(Side.BUY), new TransactTime(LocalDateTime.now()),
            new OrdType(OrdType.STOP_LIMIT));
        stop.set(new Symbol("ACME"));
        stop.set(new OrderQty(10));
        stop.set(new Price(102));
        stop.set(new quickfix.field.StopPx(101));
        stop.set(new TimeInForce(TimeInForce.DAY));
        alice.send(stop);
        ExecutionReport er = alice.report();
        assertEquals(ExecType.NEW, er.getExecType().getValue());
        assertEquals(OrdType.STOP_LIMIT, er.getOrdType().getValue());
        assertEquals(101, er.getStopPx().getValue());

        bob.send(limit("b1", Side.SELL, 5, 101));
        assertEquals(ExecType.NEW, bob.report().getExecType().getValue());
        alice.send(limit("a1", Side.BUY, 5, 101));
        assertEquals(ExecType.NEW, alice.report().getExecType().getValue());
        er = alice.report();
        assertEquals(ExecType.TRADE, er.getExecType().getValue());
        assertEquals("2", er.getString(quickfix.field.LastLiquidityInd.FIELD), "a1 took liquidity");
        assertEquals(ExecType.TRADE, bob.report().getExecType().getValue());
        er = alice.report();
        assertEquals(ExecType.RESTATED, er.getExecType().getValue(), "the trade at 101 elected the stop");
        assertEquals(8, er.getInt(quickfix.field.ExecRestatementReason.FIELD));
        assertEquals("s1", er.getClOrdID().getValue());
        assertEquals(OrdType.LIMIT, er.getOrdType().getValue());

        // an iceberg: 100 to sell, 10 shown at a time
        final NewOrderSingle iceberg = limit("b2", Side.SELL, 100, 105);
        iceberg.set(new quickfix.field.MaxFloor(10));
        bob.send(iceberg);
        er = bob.report();
        assertEquals(ExecType.NEW, er.getExecType().getValue());
        assertEquals(10, er.getInt(quickfix.field.MaxFloor.FIELD));

        // a replace keeps the iceberg's peak, and its report says so
        final OrderCancelReplaceRequest moveIceberg = new OrderCancelReplaceRequest(new OrigClOrdID("b2"), new ClOrdID("b2r"),
            new Side(Side.SELL), new TransactTime(LocalDateTime.now()), new OrdType(OrdType.LIMIT));
        moveIceberg.set(new Symbol("ACME"));
        moveIceberg.set(new OrderQty(100));
        moveIceberg.set(new Price(106));
        bob.send(moveIceberg);
        er = bob.report();
        assertEquals(ExecType.REPLACED, er.getExecType().getValue());
        assertEquals(10, er.getInt(quickfix.field.MaxFloor.FIELD));

        // a peak of 1 on 1,001: more than 1,000 peaks, each of which would be a trade
        final NewOrderSingle thinIceberg = limit("b3", Side.SELL, 1_001, 107);
        thinIceberg.set(new quickfix.field.MaxFloor(1));
        bob.send(thinIceberg);
        er = bob.report();
        assertEquals(ExecType.REJECTED, er.getExecType().getValue());
        assertEquals("ICEBERG_TOO_MANY_PEAKS", er.getText().getValue());

        // a held stop limit moved to another trigger is still a stop limit, with its new StopPx
        final NewOrderSingle stop2 = new NewOrderSingle(new ClOrdID("s2"), new Side(Side.BUY), new TransactTime(LocalDateTime.now()),
            new OrdType(OrdType.STOP_LIMIT));
        stop2.set(new Symbol("ACME"));
        stop2.set(new OrderQty(10));
        stop2.set(new Price(110));
        stop2.set(new quickfix.field.StopPx(109));
        stop2.set(new TimeInForce(TimeInForce.DAY));
        alice.send(stop2);
        assertEquals(ExecType.NEW, alice.report().getExecType().getValue());
        final OrderCancelReplaceRequest moveStop = new OrderCancelReplaceRequest(new OrigClOrdID("s2"), new ClOrdID("s2r"),
            new Side(Side.BUY), new TransactTime(LocalDateTime.now()), new OrdType(OrdType.STOP_LIMIT));
        moveStop.set(new Symbol("ACME"));
        moveStop.set(new OrderQty(10));
        moveStop.set(new Price(110));
        moveStop.set(new quickfix.field.StopPx(108));
        alice.send(moveStop);
        er = alice.report();
        assertEquals(ExecType.REPLACED, er.getExecType().getValue());
        assertEquals(OrdType.STOP_LIMIT, er.getOrdType().getValue());
        assertEquals(108, er.getStopPx().getValue());
        assertEquals(110, er.getPrice().getValue());
        final OrderStatusRequest status = new OrderStatusRequest(new ClOrdID("s2r"), new Side(Side.BUY));
        status.set(new Symbol("ACME"));
        alice.send(status);
        er = alice.report();
        assertEquals(ExecType.ORDER_STATUS, er.getExecType().getValue());
        assertEquals(OrdType.STOP_LIMIT, er.getOrdType().getValue());
        assertEquals(108, er.getStopPx().getValue());

        // a replace asking for another type (limit) is refused, not carried out as a stop limit still
        final OrderCancelReplaceRequest retype = new OrderCancelReplaceRequest(new OrigClOrdID("s2r"), new ClOrdID("s2t"),
            new Side(Side.BUY), new TransactTime(LocalDateTime.now()), new OrdType(OrdType.LIMIT));
        retype.set(new Symbol("ACME"));
        retype.set(new OrderQty(10));
        retype.set(new Price(100));
        alice.send(retype);
        final Message refusedRetype = alice.next(MsgType.ORDER_CANCEL_REJECT);
        assertTrue(refusedRetype.getString(quickfix.field.Text.FIELD).contains("ORDER_MISMATCH"), refusedRetype.toString());

        // a held stop (market) order moved the FIX way: StopPx and no Price, which a stop has none of
        final NewOrderSingle stop3 = new NewOrderSingle(new ClOrdID("s3"), new Side(Side.BUY), new TransactTime(LocalDateTime.now()),
            new OrdType(OrdType.STOP));
        stop3.set(new Symbol("ACME"));
        stop3.set(new OrderQty(10));
        stop3.set(new quickfix.field.StopPx(112));
        stop3.set(new TimeInForce(TimeInForce.DAY));
        alice.send(stop3);
        assertEquals(ExecType.NEW, alice.report().getExecType().getValue());
        final OrderCancelReplaceRequest moveStop3 = new OrderCancelReplaceRequest(new OrigClOrdID("s3"), new ClOrdID("s3r"),
            new Side(Side.BUY), new TransactTime(LocalDateTime.now()), new OrdType(OrdType.STOP));
        moveStop3.set(new Symbol("ACME"));
        moveStop3.set(new OrderQty(10));
        moveStop3.set(new quickfix.field.StopPx(113));
        alice.send(moveStop3);
        er = alice.report();
        assertEquals(ExecType.REPLACED, er.getExecType().getValue(), er.toString());
        assertEquals(OrdType.STOP, er.getOrdType().getValue());
        assertEquals(113, er.getStopPx().getValue());

        // the opening auction of BETA: at-the-open orders collect in the call, the uncross fills them
        exchange.setTradingPhase(2, dev.bourse.protocol.sbe.TradingPhase.OPENING_CALL, dev.bourse.protocol.sbe.TradingPhase.CONTINUOUS);
        final NewOrderSingle buyAtOpen = limit("a2", Side.BUY, 20, 50);
        buyAtOpen.set(new Symbol("BETA"));
        buyAtOpen.set(new TimeInForce(TimeInForce.AT_THE_OPENING));
        alice.send(buyAtOpen);
        assertEquals(ExecType.NEW, alice.report().getExecType().getValue());
        final NewOrderSingle sellAtOpen = limit("b3", Side.SELL, 20, 49);
        sellAtOpen.set(new Symbol("BETA"));
        sellAtOpen.set(new TimeInForce(TimeInForce.AT_THE_OPENING));
        bob.send(sellAtOpen);
        assertEquals(ExecType.NEW, bob.report().getExecType().getValue());
        // an IOC is refused in a call, and the Text names the phase that refused it
        final NewOrderSingle iocInCall = limit("a3", Side.BUY, 5, 50);
        iocInCall.set(new Symbol("BETA"));
        iocInCall.set(new TimeInForce(TimeInForce.IMMEDIATE_OR_CANCEL));
        alice.send(iocInCall);
        final quickfix.fix44.ExecutionReport refused = alice.report();
        assertEquals(ExecType.REJECTED, refused.getExecType().getValue(), refused.toString());
        assertEquals("NOT_ALLOWED_IN_PHASE OPENING_CALL", refused.getText().getValue());
        exchange.setTradingPhase(2, dev.bourse.protocol.sbe.TradingPhase.CONTINUOUS, dev.bourse.protocol.sbe.TradingPhase.OPENING_CALL);
        for (final Client client : new Client[] {alice, bob})
        {
            er = client.report();
            assertEquals(ExecType.TRADE, er.getExecType().getValue(), client.compId + " filled in the uncross");
            assertEquals(20, er.getLastQty().getValue());
            assertEquals("2", er.getString(quickfix.field.TradingSessionSubID.FIELD), "a fill of the opening auction");
            assertFalse(er.isSetField(quickfix.field.LastLiquidityInd.FIELD));
        }
    }
}
