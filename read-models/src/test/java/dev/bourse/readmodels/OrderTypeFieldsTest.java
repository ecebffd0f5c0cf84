package dev.bourse.readmodels;

import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.Prices;
import dev.bourse.protocol.auth.CredentialStore;
import dev.bourse.protocol.sbe.OrdType;
import dev.bourse.protocol.sbe.Side;
import dev.bourse.protocol.sbe.StpMode;
import dev.bourse.protocol.sbe.TimeInForce;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static dev.bourse.readmodels.ApiClient.basic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An order answers with what its type adds: a stop's stop price (as a replace moved it), an
 * iceberg's peak, a GTD order's expire time; the same from the hot projections (open orders) and
 * from the history store (one order, the account's orders).
 */
class OrderTypeFieldsTest
{
    private static final String ALICE = basic("alice", "alice-secret");
    private static final long MID = 100 * Prices.SCALE;
    private static final long TICK = Prices.SCALE / 100;
    private static final long EXPIRE = Long.MAX_VALUE / 2;

    private final CommandWriter writer = new CommandWriter();

    @Test
    void stopPriceIcebergPeakAndExpireTimeAreInTheHotAndTheHistoryAnswers() throws Exception
    {
        final Workload workload = new Workload(5);
        final long stop = order(workload, "stop", OrdType.STOP_LIMIT, TimeInForce.GTC, MID - 5 * TICK, 10, MID - 4 * TICK, 0, 0);
        final long iceberg = order(workload, "iceberg", OrdType.LIMIT, TimeInForce.GTC, MID - 50 * TICK, 1_000, 0, 100, 0);
        final long gtd = order(workload, "gtd", OrdType.LIMIT, TimeInForce.GTD, MID - 51 * TICK, 10, 0, 0, EXPIRE);
        final long plain = order(workload, "plain", OrdType.LIMIT, TimeInForce.GTC, MID - 52 * TICK, 10, 0, 0, 0);
        final long stopMarket = order(workload, "stopmkt", OrdType.STOP, TimeInForce.GTC, 0, 10, MID - 7 * TICK, 0, 0);
        // the held stop's trigger moves down a tick
        workload.submit(b -> writer.replaceOrder(b, 0, 0, 1, 1, stop, MID - 5 * TICK, 10, "stop2", "stop", MID - 6 * TICK));

        final CredentialStore credentials = new CredentialStore().addPlain("alice", "alice-secret", 1, true);
        try (ReadModelsServer server = ReadModelsServer.start(new ReadModelsContext().journal(JournalSource.of(workload.journal))
            .port(0).bindAddress("127.0.0.1").credentials(credentials)))
        {
            RestartAndRebuildTest.awaitPosition(server, workload.journal.size() - 1);
            final ApiClient api = new ApiClient(server.port());
            final String open = body(api.get("/api/v1/accounts/1/open-orders?limit=1000", ALICE));
            final String all = body(api.get("/api/v1/accounts/1/orders?cursor=0&limit=1000", ALICE));
            for (final String answer : new String[]{open, all, one(api, stop), one(api, iceberg), one(api, gtd), one(api, plain),
                one(api, stopMarket)})
            {
                // no limit price is null, not "0" (which read as a price of zero), in the order and its history
                final String stopMarketJson = order(answer, stopMarket);
                if (stopMarketJson != null)
                {
                    assertTrue(stopMarketJson.contains("\"price\":null") && !stopMarketJson.contains("\"price\":\"0\""), stopMarketJson);
                }
                final String stopJson = order(answer, stop);
                if (stopJson != null)
                {
                    assertTrue(stopJson.contains("\"stopPrice\":\"99.94\""), stopJson);
                    assertFalse(stopJson.contains("displayQty") || stopJson.contains("expireTime"), stopJson);
                }
                final String icebergJson = order(answer, iceberg);
                if (icebergJson != null)
                {
                    assertTrue(icebergJson.contains("\"displayQty\":100"), icebergJson);
                    assertFalse(icebergJson.contains("stopPrice"), icebergJson);
                }
                final String gtdJson = order(answer, gtd);
                if (gtdJson != null)
                {
                    assertTrue(gtdJson.contains("\"expireTime\":" + EXPIRE), gtdJson);
                }
                final String plainJson = order(answer, plain);
                if (plainJson != null)
                {
                    assertFalse(plainJson.contains("stopPrice") || plainJson.contains("displayQty") || plainJson.contains("expireTime"),
                        plainJson);
                }
            }
            for (final long id : new long[]{stop, iceberg, gtd, plain, stopMarket})
            {
                assertTrue(order(open, id) != null && order(all, id) != null, "order " + id + " is live in both answers: " + open);
                assertEquals(order(open, id), order(all, id), "hot and history answers agree on order " + id);
            }
        }
    }

    @Test
    void anElectedStopIsTheOrderItBecameWithItsElectionInItsHistoryAndTheActivityReport() throws Exception
    {
        final Workload workload = new Workload(7);
        final long stop = order(workload, "stoplimit", OrdType.STOP_LIMIT, TimeInForce.GTC, MID + 2 * TICK, 10, MID + 2 * TICK, 0, 0);
        // a trade at the stop price elects it; the ask it met is gone, so the limit order it became rests
        workload.submit(b -> writer.newOrder(b, 0, 0, 1, 2, 1, Side.SELL, OrdType.LIMIT, TimeInForce.DAY, false, StpMode.NONE,
            MID + 2 * TICK, 1, "ask", 0, 0, 0));
        workload.submit(b -> writer.newOrder(b, 0, 0, 1, 3, 1, Side.BUY, OrdType.LIMIT, TimeInForce.DAY, false, StpMode.NONE,
            MID + 2 * TICK, 1, "bid", 0, 0, 0));
        assertEquals(0, workload.state.instrument(1).heldStops(), "elected");

        final CredentialStore credentials = new CredentialStore().addPlain("alice", "alice-secret", 1, true);
        try (ReadModelsServer server = ReadModelsServer.start(new ReadModelsContext().journal(JournalSource.of(workload.journal))
            .port(0).bindAddress("127.0.0.1").credentials(credentials)))
        {
            RestartAndRebuildTest.awaitPosition(server, workload.journal.size() - 1);
            final ApiClient api = new ApiClient(server.port());
            final String hot = order(body(api.get("/api/v1/accounts/1/open-orders?limit=1000", ALICE)), stop);
            final String stored = order(body(api.get("/api/v1/accounts/1/orders?cursor=0&limit=1000", ALICE)), stop);
            assertTrue(hot != null && hot.contains("\"ordType\":\"LIMIT\"") && hot.contains("\"stopPrice\":\"100.02\""), hot);
            assertEquals(hot, stored, "hot and history answers agree");
            final String history = one(api, stop);
            assertTrue(history.contains("{\"type\":\"ELECTED\""), history);
            assertTrue(history.contains("\"ordType\":\"LIMIT\",\"triggerPrice\":\"100.02\""), history);
            final String activity = body(api.get("/api/v1/accounts/1/activity.csv?limit=1000", ALICE));
            assertTrue(activity.lines().anyMatch(l -> l.contains(",ORDER_ELECTED," + stop + ",stoplimit,") && l.contains(",LIMIT,")),
                activity);
        }
    }

    private long order(final Workload workload, final String clOrdId, final OrdType type, final TimeInForce tif, final long price,
        final long quantity, final long stopPrice, final long displayQty, final long expireTime)
    {
        workload.submit(b -> writer.newOrder(b, 0, 0, 1, 1, 1, Side.BUY, type, tif, false, StpMode.NONE, price, quantity, clOrdId,
            stopPrice, displayQty, expireTime));
        return workload.state.lastOrderId();
    }

    private static String one(final ApiClient api, final long orderId) throws Exception
    {
        return body(api.get("/api/v1/accounts/1/orders/" + orderId, ALICE));
    }

    private static String body(final HttpResponse<String> response)
    {
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    /** The order's object in an answer, without its history and timestamps; null if it is not there. */
    private static String order(final String answer, final long orderId)
    {
        final int at = answer.indexOf("{\"orderId\":" + orderId + ",");
        if (at < 0)
        {
            return null;
        }
        final int end = answer.indexOf("\"createdTimestamp\"", at);
        return answer.substring(at, end);
    }
}
