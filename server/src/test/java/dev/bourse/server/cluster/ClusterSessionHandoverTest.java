package dev.bourse.server.cluster;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import quickfix.Application;
import quickfix.ConfigError;
import quickfix.DefaultMessageFactory;
import quickfix.FieldNotFound;
import quickfix.FileStoreFactory;
import quickfix.Message;
import quickfix.ScreenLogFactory;
import quickfix.Session;
import quickfix.SessionID;
import quickfix.SessionSettings;
import quickfix.SocketInitiator;
import quickfix.field.ClOrdID;
import quickfix.field.ExecType;
import quickfix.field.MsgType;
import quickfix.field.OrdType;
import quickfix.field.OrderQty;
import quickfix.field.OrigClOrdID;
import quickfix.field.Password;
import quickfix.field.PossResend;
import quickfix.field.Side;
import quickfix.field.Symbol;
import quickfix.field.Text;
import quickfix.field.TimeInForce;
import quickfix.field.TransactTime;
import quickfix.field.Username;
import quickfix.fix44.NewOrderSingle;
import quickfix.fix44.OrderCancelRequest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A FIX session moving between the gateways of a cluster. Three nodes and two gateways, each
 * {@code exchange start} in a JVM of its own; the clients are stock QuickFIX/J initiators with a
 * file store, never reset. Gateway 1 is SIGKILLed; its client's order is filled while it is away;
 * the client then logs on at gateway 2 and carries on with its own sequence numbers: it gets the
 * fill it missed (PossResend), later fills live, and can cancel an order it entered at gateway 1.
 * Gateway 1, started again, gives the session up.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ClusterSessionHandoverTest
{
    private static final String PASSWORD = "cluster-test";
    private static final String OPS_PASSWORD = "ops-secret-1";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Kept when the test fails: every process's output is in cluster/. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path root;

    private LocalCluster cluster;
    private final List<Client> clients = new ArrayList<>();

    @AfterEach
    void stopEverything()
    {
        System.out.println("processes' output in " + root.resolve("cluster"));
        clients.forEach(Client::close);
        if (cluster != null)
        {
            cluster.close();
        }
    }

    @Test
    void aClientWhoseGatewayDiedCarriesOnAtAnotherGatewayWithItsSequenceNumbers() throws Exception
    {
        final int mdPort = LocalCluster.freeUdpRange(2);
        final String config = ClusterFixFailoverTest.config(mdPort).replace("users = t1, t2, t3", "users = t1, t2, t3, ops")
            + "user.ops.role = operations\nuser.ops.password = " + OPS_PASSWORD + "\n";
        cluster = new LocalCluster(root.resolve("cluster"), 3, config, ClusterFixFailoverTest.jvmFlags(), "384m");
        cluster.restartNodesThatStopThemselves(System.out::println); // as a supervisor would (docs/CLUSTER.md)
        cluster.startAll(180);
        cluster.awaitBootstrap(120);
        final ExchangeProcess gateway1 = cluster.startGateway(1, 120);
        final ExchangeProcess gateway2 = cluster.startGateway(2, 120);
        final int port1 = LocalCluster.gatewayPort(gateway1);
        final int port2 = LocalCluster.gatewayPort(gateway2);

        final Path t1Store = root.resolve("t1-store");
        final Client t1AtGateway1 = client(t1Store, "T1", "t1", port1);
        final Client t2 = client(root.resolve("t2-store"), "T2", "t2", port2);
        t1AtGateway1.awaitLogon();
        t2.awaitLogon();
        // a session whose only message at gateway 1 is its Logon (its takeover asked for the Logon again: an outside tester)
        final Path t3Store = root.resolve("t3-store");
        final Client t3AtGateway1 = client(t3Store, "T3", "t3", port1);
        t3AtGateway1.awaitLogon();

        t1AtGateway1.send(order("B1", Side.BUY, "100.00"));
        t1AtGateway1.send(order("B2", Side.BUY, "100.00"));
        t1AtGateway1.send(order("B3", Side.BUY, "99.00"));
        for (final String id : List.of("B1", "B2", "B3"))
        {
            assertEquals(ExecType.NEW, t1AtGateway1.report(id).getChar(ExecType.FIELD), id + " accepted at gateway 1");
        }
        final int nextOutAtGateway1 = t1AtGateway1.session().getExpectedSenderNum();
        final int nextInAtGateway1 = t1AtGateway1.session().getExpectedTargetNum();

        // gateway 1 dies; its client's process goes with it (its store on disk survives)
        gateway1.kill();
        t1AtGateway1.close();
        t3AtGateway1.close();

        // B1 is filled while its owner is away
        t2.send(order("S1", Side.SELL, "100.00"));
        assertEquals(ExecType.TRADE, t2.reportOf("S1", ExecType.TRADE).getChar(ExecType.FIELD));

        // the client logs on at gateway 2, its numbers as they were: no reset
        final Client t1 = client(t1Store, "T1", "t1", port2);
        t1.awaitLogon();
        assertTrue(t1.session().getExpectedSenderNum() >= nextOutAtGateway1, "the client's own numbers carried on");
        final Message missedFill = t1.reportOf("B1", ExecType.TRADE);
        assertTrue(missedFill.getHeader().isSetField(PossResend.FIELD) && missedFill.getHeader().getBoolean(PossResend.FIELD),
            "the fill sent while the client was away comes again, PossResend: " + missedFill);
        assertTrue(t1.session().getExpectedTargetNum() > nextInAtGateway1, "the gateway's numbers carried on");

        // later fills come live; an order entered at gateway 1 is still this session's
        t2.send(order("S2", Side.SELL, "100.00"));
        final Message liveFill = t1.reportOf("B2", ExecType.TRADE);
        assertFalse(liveFill.getHeader().isSetField(PossResend.FIELD) && liveFill.getHeader().getBoolean(PossResend.FIELD),
            "a fill after the takeover is sent once: " + liveFill);
        // t2, at gateway 2 all along, is not sent its reports again by t1's replay (an outside probe saw every session
        // on the gateway get the whole replay)
        assertTrue(t2.reportOf("S2", ExecType.TRADE) != null);
        assertEquals(List.of(), t2.possResends, "t2 never moved");
        final OrderCancelRequest cancel = new OrderCancelRequest(new OrigClOrdID("B3"), new ClOrdID("C3"), new Side(Side.BUY),
            new TransactTime(LocalDateTime.now()));
        cancel.set(new Symbol("ACME"));
        t1.send(cancel);
        assertEquals(ExecType.CANCELED, t1.reportOf("C3", ExecType.CANCELED).getChar(ExecType.FIELD));
        assertFalse(t1.events.contains("logout"), "never logged out: " + t1.events);
        assertTrue(gateway2.printed("taken over at journal sequence"), gateway2.output());
        final Client t3 = client(t3Store, "T3", "t3", port2);
        t3.awaitLogon();
        ClusterFixFailoverTest.await(() -> gateway2.output().lines().anyMatch(l -> l.contains("session T3 (") && l.endsWith("expecting 2 in")),
            30, () -> "T3's Logon counted as received at its takeover: " + gateway2.output());
        t3.close();

        // gateway 1 comes back: it reads the claim and no longer serves the session
        final ExchangeProcess gateway1Again = cluster.startGateway(1, 120);
        assertTrue(gateway1Again.printed("taken over by gateway 2"), gateway1Again.output());
        t1.send(order("B4", Side.BUY, "98.00"));
        assertEquals(ExecType.NEW, t1.report("B4").getChar(ExecType.FIELD), "the session carries on at gateway 2");

        // Operations on a node's admin API: the sessions as the journal knows them, and actions the serving gateway carries out
        final int t1Session = t1SessionId();
        final String listed = admin("GET", "sessions").body();
        assertTrue(listed.contains("\"compId\":\"T1\"") && listed.contains("\"gatewayId\":2,\"online\":true"), listed);
        assertEquals(409, admin("POST", "sessions/" + t1Session + "/reset-sequence").statusCode(), "not while logged on");
        final HttpResponse<String> disconnected = admin("POST", "sessions/" + t1Session + "/disconnect");
        // 504 is the documented answer when the journaled disconnect is not yet carried out after the node's
        // admin timeout (10 s; on a loaded machine the gateway can take longer): the disconnect still follows
        if (disconnected.statusCode() == 504)
        {
            assertTrue(disconnected.body().contains("the disconnect is journaled"), disconnected.body());
        }
        else
        {
            assertEquals(200, disconnected.statusCode(), disconnected.body());
            assertTrue(disconnected.body().contains("\"online\":false"), disconnected.body());
        }
        ClusterFixFailoverTest.await(() -> t1.events.stream().anyMatch(e -> e.contains("disconnected by operations")), 30,
            () -> "the client told why: " + t1.events);
        t1.close();
        ClusterFixFailoverTest.await(() -> sessionOffline(t1Session), 30, () -> "T1 logged off in the journal");
        final HttpResponse<String> reset = admin("POST", "sessions/" + t1Session + "/reset-sequence");
        assertEquals(200, reset.statusCode(), reset.body());
        assertTrue(reset.body().contains("\"nextInSeq\":1"), reset.body());
        ClusterFixFailoverTest.await(() -> gateway2.printed("sequence numbers reset by operations"), 30, gateway2::output);

        // T1 moves back to gateway 1 with a reset (141=Y): no resend comes, so nothing is held for one, and its reports
        // go out at once, not PossResend (they were held 3 s and all marked PossResend: an outside probe)
        final Client t1Reset = client(root.resolve("t1-reset-store"), "T1", "t1", LocalCluster.gatewayPort(gateway1Again), true);
        t1Reset.awaitLogon();
        t1Reset.send(order("B5", Side.BUY, "97.00"));
        final Message ack = t1Reset.report("B5");
        assertEquals(ExecType.NEW, ack.getChar(ExecType.FIELD));
        t2.send(order("S5", Side.SELL, "97.00"));
        t1Reset.reportOf("B5", ExecType.TRADE);
        assertEquals(List.of(), t1Reset.possResends, "after a resetting logon every report is sent live");
    }

    private int t1SessionId() throws Exception
    {
        // a follower's list can be a moment behind (or refused while the box is loaded): wait for T1 in it
        final String[] last = {""};
        ClusterFixFailoverTest.await(() ->
        {
            try
            {
                last[0] = admin("GET", "sessions").body();
            }
            catch (final Exception e)
            {
                last[0] = e.toString();
            }
            return last[0].contains("\"compId\":\"T1\"");
        }, 30, () -> "T1 in the session list: " + last[0]);
        final String body = last[0];
        final int at = body.indexOf("\"compId\":\"T1\"");
        final int id = body.lastIndexOf("\"sessionId\":", at);
        return Integer.parseInt(body.substring(id + "\"sessionId\":".length(), body.indexOf(',', id)));
    }

    private boolean sessionOffline(final int sessionId)
    {
        try
        {
            final String body = admin("GET", "sessions").body();
            final int at = body.indexOf("\"sessionId\":" + sessionId + ",");
            return at >= 0 && body.indexOf("\"online\":false", at) == body.indexOf("\"online\":", at);
        }
        catch (final Exception e)
        {
            return false;
        }
    }

    private HttpResponse<String> admin(final String method, final String path) throws Exception
    {
        final int node = cluster.leader() >= 0 ? (cluster.leader() + 1) % 3 : 0; // a follower
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.queryPort(node) + "/api/v1/admin/" + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("ops:" + OPS_PASSWORD).getBytes(StandardCharsets.UTF_8)))
            .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private Client client(final Path store, final String compId, final String user, final int port) throws ConfigError
    {
        return client(store, compId, user, port, false);
    }

    private Client client(final Path store, final String compId, final String user, final int port, final boolean resetOnLogon)
        throws ConfigError
    {
        final Client client = new Client(store, compId, user, port, resetOnLogon);
        clients.add(client);
        return client;
    }

    private static NewOrderSingle order(final String clOrdId, final char side, final String price)
    {
        final NewOrderSingle order = new NewOrderSingle(new ClOrdID(clOrdId), new Side(side), new TransactTime(LocalDateTime.now()),
            new OrdType(OrdType.LIMIT));
        order.set(new Symbol("ACME"));
        order.set(new OrderQty(10));
        order.setString(quickfix.field.Price.FIELD, price);
        order.set(new TimeInForce(TimeInForce.DAY));
        return order;
    }

    /** QuickFIX/J 3.0.1, unmodified: one initiator session with a file store, with or without a reset on logon. */
    private static final class Client implements Application, AutoCloseable
    {
        final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
        final List<Message> seen = new ArrayList<>();
        final List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        /** Application messages received marked PossResend. */
        final List<String> possResends = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final String user;
        private final SessionID sessionId;
        private final SocketInitiator initiator;

        Client(final Path store, final String compId, final String user, final int port, final boolean resetOnLogon) throws ConfigError
        {
            this.user = user;
            sessionId = new SessionID("FIX.4.4", compId, "BOURSE");
            final SessionSettings settings = new SessionSettings();
            settings.setString(sessionId, "ConnectionType", "initiator");
            settings.setString(sessionId, "StartTime", "00:00:00");
            settings.setString(sessionId, "EndTime", "00:00:00");
            settings.setLong(sessionId, "HeartBtInt", 30);
            settings.setLong(sessionId, "ReconnectInterval", 1);
            settings.setString(sessionId, "SocketConnectHost", "127.0.0.1");
            settings.setLong(sessionId, "SocketConnectPort", port);
            settings.setString(sessionId, "UseDataDictionary", "Y");
            settings.setString(sessionId, "DataDictionary", "FIX44.xml");
            settings.setString(sessionId, "ResetOnLogon", resetOnLogon ? "Y" : "N");
            settings.setString(sessionId, "FileStorePath", store.toString());
            initiator = new SocketInitiator(this, new FileStoreFactory(settings), settings, new ScreenLogFactory(false, false, false),
                new DefaultMessageFactory());
            initiator.start();
        }

        Session session()
        {
            return Session.lookupSession(sessionId);
        }

        void awaitLogon() throws InterruptedException
        {
            ClusterFixFailoverTest.await(() -> events.contains("logon"), 60, () -> user + " logged on: " + events);
        }

        void send(final Message message)
        {
            assertTrue(session().send(message), "QuickFIX/J refused to send");
        }

        /** The first execution report for this ClOrdID. */
        Message report(final String clOrdId) throws Exception
        {
            return await(clOrdId, (char)0);
        }

        /** The first execution report for this ClOrdID with this ExecType. */
        Message reportOf(final String clOrdId, final char execType) throws Exception
        {
            return await(clOrdId, execType);
        }

        private Message await(final String clOrdId, final char execType) throws Exception
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true)
            {
                for (final Message m : seen)
                {
                    if (m.isSetField(ClOrdID.FIELD) && m.getString(ClOrdID.FIELD).equals(clOrdId) && m.isSetField(ExecType.FIELD)
                        && (execType == 0 || m.getChar(ExecType.FIELD) == execType))
                    {
                        return m;
                    }
                }
                final Message next = received.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (next == null)
                {
                    fail(user + ": no report for " + clOrdId + (execType == 0 ? "" : " exec type " + execType) + " within 60 s; got "
                        + seen + "; events " + events);
                }
                seen.add(next);
            }
        }

        @Override
        public void onCreate(final SessionID id)
        {
        }

        @Override
        public void onLogon(final SessionID id)
        {
            events.add("logon");
        }

        @Override
        public void onLogout(final SessionID id)
        {
            events.add("logout");
        }

        @Override
        public void toAdmin(final Message message, final SessionID id)
        {
            try
            {
                if (MsgType.LOGON.equals(message.getHeader().getString(MsgType.FIELD)))
                {
                    message.setString(Username.FIELD, user);
                    message.setString(Password.FIELD, PASSWORD);
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
                final String type = message.getHeader().getString(MsgType.FIELD);
                if (!MsgType.HEARTBEAT.equals(type) && !MsgType.LOGON.equals(type))
                {
                    events.add("admin " + type + (message.isSetField(Text.FIELD) ? " " + message.getString(Text.FIELD) : ""));
                }
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
            try
            {
                if (message.getHeader().isSetField(PossResend.FIELD) && message.getHeader().getBoolean(PossResend.FIELD))
                {
                    possResends.add(message.toString());
                }
            }
            catch (final FieldNotFound e)
            {
                throw new IllegalStateException(e);
            }
            received.add(message);
        }

        @Override
        public void close()
        {
            initiator.stop(true);
        }
    }
}
