package dev.bourse.readmodels;

import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.Prices;
import dev.bourse.protocol.auth.CredentialStore;
import dev.bourse.protocol.sbe.OrdType;
import dev.bourse.protocol.sbe.Side;
import dev.bourse.protocol.sbe.StpMode;
import dev.bourse.protocol.sbe.TimeInForce;
import dev.bourse.readmodels.history.StoreSettings;
import dev.bourse.readmodels.stream.WsClient;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;

import static dev.bourse.readmodels.ApiClient.basic;
import static dev.bourse.readmodels.ApiClient.longField;
import static dev.bourse.readmodels.stream.WsClient.field;
import static org.junit.jupiter.api.Assertions.*;

/**
 * An order that ends by its time in force (a GTD expiry, an end of day) is EXPIRED, as FIX's
 * OrdStatus C, not CANCELED: in the history store's answers, in the {@code orders} stream and in
 * the hot fold alike; its {@code cancelReason} stays EXPIRED. The change that ended it is an
 * {@code EXPIRED} event in its history and an {@code ORDER_EXPIRED} line in the activity report,
 * also for a store written before those existed. Other cancels stay CANCELED.
 */
class ExpiredOrderStatusTest
{
    private static final String ALICE = basic("alice", "alice-secret");
    private static final long MID = 100 * Prices.SCALE;
    private static final long TICK = Prices.SCALE / 100;
    private static final long T0 = 1_700_000_100_000_000_000L;
    private static final long HOUR = 3_600_000_000_000L;

    private final CommandWriter writer = new CommandWriter();
    private Workload workload;
    private ReadModelsServer server;
    private WebSocketClient client;
    private ApiClient api;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception
    {
        workload = new Workload(5);
        client = new WebSocketClient();
        client.start();
    }

    /** Serves the workload's journal, with the history in {@code store} (null: a temporary one). */
    private void serve(final StoreSettings store) throws java.io.IOException
    {
        final CredentialStore credentials = new CredentialStore()
            .addPlain("alice", "alice-secret", 1, true)
            .addPlain("bob", "bob-secret", 2, true);
        server = ReadModelsServer.start(new ReadModelsContext().journal(JournalSource.of(workload.journal)).port(0)
            .bindAddress("127.0.0.1").credentials(credentials).store(store));
        api = new ApiClient(server.port());
    }

    @AfterEach
    void stop() throws Exception
    {
        client.stop();
        if (server != null)
        {
            server.close();
        }
    }

    /** The orders of the scenario: three that expire, one canceled by the user, one that stays. */
    private record Orders(long day, long partly, long gtd, long user, long gtc)
    {
    }

    /** A DAY order, a partly filled DAY order, a GTD order expire; a DAY order is canceled before; a GTC order stays. */
    private Orders placeAndExpire()
    {
        workload.at(T0);
        final long day = order("day", Side.BUY, MID - TICK, 10, TimeInForce.DAY, 0);
        final long partly = order("partly", Side.BUY, MID, 10, TimeInForce.DAY, 0);
        workload.submit(b -> writer.newOrder(b, 0, 0, 1, 2, 1, Side.SELL, OrdType.LIMIT, TimeInForce.IOC, false,
            StpMode.NONE, MID, 4, "hit"));
        final long gtd = order("gtd", Side.BUY, MID - 3 * TICK, 10, TimeInForce.GTD, T0 + HOUR);
        final long user = order("user", Side.BUY, MID - 4 * TICK, 10, TimeInForce.DAY, 0);
        workload.submit(b -> writer.cancelOrder(b, 0, 0, 1, 1, user, "user-cancel", "user"));
        final long gtc = order("gtc", Side.BUY, MID - 5 * TICK, 10, TimeInForce.GTC, 0);
        workload.at(T0 + 2 * HOUR).submit(b -> writer.expireOrders(b, 0, 0, T0 + 2 * HOUR));
        workload.submit(b -> writer.endOfDay(b, 0, 0, 1));
        return new Orders(day, partly, gtd, user, gtc);
    }

    @Test
    void anOrderThatExpiresIsExpiredNotCanceled() throws Exception
    {
        serve(null);
        try (WsClient ws = WsClient.connect(client, server.port(), ALICE))
        {
            ws.await(m -> m.contains("\"type\":\"authenticated\""), "authenticated");
            ws.send("{\"op\":\"subscribe\",\"channel\":\"orders\"}");
            ws.await(m -> m.contains("\"type\":\"snapshot\"") && m.contains("\"channel\":\"orders\""), "orders snapshot");

            final Orders orders = placeAndExpire();
            final long day = orders.day();
            final long partly = orders.partly();
            final long gtd = orders.gtd();
            final long user = orders.user();
            final long gtc = orders.gtc();
            final long last = workload.journal.size() - 1;

            // the history store's answers: the order by id, by ClOrdID and in the list
            final String expired = order(day, last);
            assertEquals("EXPIRED", field(data(expired), "status"), expired);
            assertEquals("EXPIRED", field(data(expired), "cancelReason"), expired);
            assertTrue(expired.contains("{\"type\":\"EXPIRED\"") && expired.contains("\"reason\":\"EXPIRED\""),
                "the history's last event is an expiry, with its reason: " + expired);
            assertFalse(expired.contains("\"type\":\"CANCELED\""), expired);
            assertEquals(expired, api.get("/api/v1/accounts/1/orders?clOrdId=day", ALICE).body());
            final String partlyFilled = order(partly, last);
            assertEquals("EXPIRED", field(data(partlyFilled), "status"), partlyFilled);
            assertEquals(4, longField(data(partlyFilled), "cumQty"), partlyFilled);
            assertEquals("EXPIRED", field(data(order(gtd, last)), "status"), "a GTD expiry");
            final String canceled = order(user, last);
            assertEquals("CANCELED", field(data(canceled), "status"), canceled);
            assertEquals("USER", field(data(canceled), "cancelReason"), canceled);
            assertTrue(canceled.contains("{\"type\":\"CANCELED\"") && canceled.contains("\"reason\":\"USER\""), canceled);
            assertFalse(canceled.contains("\"type\":\"EXPIRED\""), canceled);
            // the activity report: an ORDER_EXPIRED line for each expiry, ORDER_CANCELED for the user's cancel
            assertActivity(orders);
            assertEquals("NEW", field(data(order(gtc, last)), "status"));
            final String list = api.get("/api/v1/accounts/1/orders?limit=1000", ALICE).body();
            assertEquals(3, list.split("\"status\":\"EXPIRED\",").length - 1, list);
            assertEquals(1, list.split("\"status\":\"CANCELED\",").length - 1, list);
            // expired orders leave the hot state
            final String open = api.get("/api/v1/accounts/1/open-orders?limit=1000", ALICE).body();
            assertEquals(1, longField(open, "total"), open);

            // the orders stream says it as it happens
            for (final String clOrdId : List.of("day", "partly", "gtd"))
            {
                final String update = lastUpdate(ws, clOrdId);
                assertEquals("EXPIRED", field(update.substring(update.indexOf("\"data\"")), "status"), update);
                assertEquals("EXPIRED", field(update, "cancelReason"), update);
            }
            final String userUpdate = lastUpdate(ws, "user");
            assertEquals("CANCELED", field(userUpdate.substring(userUpdate.indexOf("\"data\"")), "status"), userUpdate);
            assertEquals("USER", field(userUpdate, "cancelReason"), userUpdate);
        }
    }

    /**
     * A cancel request's own ClOrdID names the order it canceled, as the engine then treats it (a
     * probe's client followed FIX's ClOrdID chain and got 404 for the id its cancel report carried):
     * the lookup by it finds the order, whose CANCELED event carries it, and the order's own ids
     * still find it. An expiry carries no request and changes nothing.
     */
    @Test
    void theClOrdIdOfTheCancelThatEndedAnOrderFindsIt() throws Exception
    {
        serve(null);
        final Orders orders = placeAndExpire();
        final long last = workload.journal.size() - 1;
        final String canceled = order(orders.user(), last);
        assertTrue(canceled.contains("{\"type\":\"CANCELED\"") && canceled.contains("\"reason\":\"USER\",\"clOrdId\":\"user-cancel\"}"),
            "the cancel event names the request: " + canceled);
        assertEquals("user", field(data(canceled), "clOrdId"), "the order keeps its own ClOrdID: " + canceled);
        assertEquals(canceled, api.get("/api/v1/accounts/1/orders?clOrdId=user-cancel", ALICE).body());
        assertEquals(canceled, api.get("/api/v1/accounts/1/orders?clOrdId=user", ALICE).body());
        final String expired = order(orders.day(), last);
        assertFalse(expired.contains("\"reason\":\"EXPIRED\",\"clOrdId\""), expired);
        assertEquals(expired, api.get("/api/v1/accounts/1/orders?clOrdId=day", ALICE).body());
        assertEquals(404, api.get("/api/v1/accounts/2/orders?clOrdId=user-cancel", basic("bob", "bob-secret")).statusCode(),
            "alice's request id finds nothing in bob's account");
    }

    @Test
    void aStoreWrittenBeforeExpiredEventsExistedAnswersItsExpiriesAsExpired() throws Exception
    {
        final Path file = dir.resolve("history.db");
        serve(StoreSettings.embedded(file));
        final Orders orders = placeAndExpire();
        final long last = workload.journal.size() - 1;
        order(orders.day(), last); // the store has the whole journal
        server.close();
        server = null;
        // as an older version wrote them: type CANCELED with reason EXPIRED
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = connection.createStatement())
        {
            assertEquals(3, s.executeUpdate("UPDATE order_events SET type = 3 WHERE type = 5"), "the three expiries");
        }

        serve(StoreSettings.embedded(file));
        for (final long orderId : new long[]{orders.day(), orders.partly(), orders.gtd()})
        {
            final String expired = order(orderId, last);
            assertEquals("EXPIRED", field(data(expired), "status"), expired);
            assertTrue(expired.contains("{\"type\":\"EXPIRED\"") && !expired.contains("\"type\":\"CANCELED\""), expired);
        }
        assertTrue(order(orders.user(), last).contains("{\"type\":\"CANCELED\""));
        assertActivity(orders);
    }

    /** The activity report has an ORDER_EXPIRED line (detail EXPIRED) per expiry and an ORDER_CANCELED (USER) for the cancel. */
    private void assertActivity(final Orders orders)
    {
        final HttpResponse<String> report = api.get("/api/v1/accounts/1/activity.csv?limit=1000", ALICE);
        assertEquals(200, report.statusCode(), report.body());
        final List<String> lines = Arrays.asList(report.body().split("\n"));
        for (final long orderId : new long[]{orders.day(), orders.partly(), orders.gtd()})
        {
            final List<String> ended = lines.stream()
                .filter(l -> l.contains(",ORDER_CANCELED," + orderId + ",") || l.contains(",ORDER_EXPIRED," + orderId + ",")).toList();
            assertEquals(1, ended.size(), report.body());
            assertTrue(ended.get(0).contains(",ORDER_EXPIRED," + orderId + ","), ended.get(0));
            assertTrue(ended.get(0).contains(",EXPIRED,"), ended.get(0));
        }
        final List<String> canceled = lines.stream().filter(l -> l.contains(",ORDER_CANCELED," + orders.user() + ",")).toList();
        assertEquals(1, canceled.size(), report.body());
        assertTrue(canceled.get(0).contains(",USER,"), canceled.get(0));
        assertEquals(3, lines.stream().filter(l -> l.contains(",ORDER_EXPIRED,")).count(), report.body());
    }

    private long order(final String clOrdId, final Side side, final long price, final long quantity, final TimeInForce tif,
        final long expireTime)
    {
        workload.submit(b -> writer.newOrder(b, 0, 0, 1, 1, 1, side, OrdType.LIMIT, tif, false, StpMode.NONE, price, quantity,
            clOrdId, 0, 0, expireTime));
        final long orderId = workload.state.lastOrderId();
        assertNotNull(workload.state.order(orderId), clOrdId + " was accepted");
        return orderId;
    }

    /** The order from the history store once it has the journal up to {@code position}. */
    private String order(final long orderId, final long position)
    {
        final HttpResponse<String> response = api.get("/api/v1/accounts/1/orders/" + orderId + "?waitFor=" + position +
            "&timeoutMs=20000", ALICE);
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    private static String data(final String answer)
    {
        final String data = answer.substring(answer.indexOf("\"data\""));
        final int history = data.indexOf("\"history\"");
        return history < 0 ? data : data.substring(0, history);
    }

    /** The last orders-stream update of the order that has (or last had) this ClOrdID, waiting for one that closes it. */
    private static String lastUpdate(final WsClient ws, final String clOrdId) throws InterruptedException
    {
        final long deadline = System.nanoTime() + 20_000_000_000L;
        while (true)
        {
            String last = null;
            for (final String m : ws.received())
            {
                if (m.contains("\"type\":\"update\"") && m.contains("\"clOrdId\":\"" + clOrdId + "\""))
                {
                    last = m;
                }
            }
            if (last != null && last.contains("\"leavesQty\":0,"))
            {
                return last;
            }
            assertTrue(System.nanoTime() < deadline, "no closing update of " + clOrdId + ": " + last);
            Thread.sleep(20);
        }
    }
}
