package dev.bourse.readmodels;

import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.Prices;
import dev.bourse.protocol.auth.CredentialStore;
import dev.bourse.protocol.sbe.OrdType;
import dev.bourse.protocol.sbe.Side;
import dev.bourse.protocol.sbe.StpMode;
import dev.bourse.protocol.sbe.TimeInForce;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.bourse.readmodels.ApiClient.basic;
import static org.junit.jupiter.api.Assertions.*;

/**
 * An order looked up by OrderID (one SQL statement: the checkpoint, the account, the order and its
 * events) answers exactly what the lookup by ClOrdID (a statement for each) answers, on both stores:
 * an order filled twice and then canceled, one resting untouched, and a taker's. Another account's
 * order and a missing one are both "order not found".
 */
class OrderByIdAnswersTest
{
    private static final String ALICE = basic("alice", "alice-secret");
    private static final String BOB = basic("bob", "bob-secret");
    private static final long MID = 100 * Prices.SCALE;
    private static final Pattern ORDER_ID = Pattern.compile("\"orderId\":(\\d+)");

    private final CommandWriter writer = new CommandWriter();
    private Workload workload;
    private ReadModelsServer server;
    private ApiClient api;

    @AfterEach
    void stop()
    {
        if (server != null)
        {
            server.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "postgresql"})
    void byOrderIdAnswersAsByClOrdIdDoes(final String store) throws Exception
    {
        workload = new Workload(11);
        final CredentialStore credentials = new CredentialStore()
            .addPlain("alice", "alice-secret", 1, true)
            .addPlain("bob", "bob-secret", 2, true);
        server = TestPostgres.querySide(workload, credentials, store);
        api = new ApiClient(server.port());

        order(1, Side.BUY, MID, 30, "alice-bid");      // rests, then two fills, then its rest is canceled
        order(2, Side.SELL, MID, 10, "bob-1");
        order(2, Side.SELL, MID, 5, "bob-2");
        order(1, Side.BUY, MID - Prices.SCALE, 7, "alice-quiet"); // rests untouched
        final String bid = get("/api/v1/accounts/1/orders?clOrdId=alice-bid&waitFor=" + (workload.journal.size() - 1) +
            "&timeoutMs=20000", ALICE);
        final long bidId = orderId(bid);
        workload.submit(b -> writer.cancelOrder(b, 0, 0, 1, 1, bidId, "alice-cancel", ""));
        final long last = workload.journal.size() - 1;

        final String canceled = get("/api/v1/accounts/1/orders?clOrdId=alice-bid&waitFor=" + last + "&timeoutMs=20000", ALICE);
        assertEquals(canceled, get("/api/v1/accounts/1/orders/" + bidId, ALICE), "filled twice, then canceled");
        assertTrue(canceled.contains("\"cumQty\":15"), canceled);
        final String quiet = get("/api/v1/accounts/1/orders?clOrdId=alice-quiet", ALICE);
        assertEquals(quiet, get("/api/v1/accounts/1/orders/" + orderId(quiet), ALICE), "accepted, nothing since");
        final String bobs = get("/api/v1/accounts/2/orders?clOrdId=bob-1", BOB);
        assertEquals(bobs, get("/api/v1/accounts/2/orders/" + orderId(bobs), BOB), "a taker's order");

        final HttpResponse<String> othersOrder = api.get("/api/v1/accounts/2/orders/" + bidId, BOB);
        assertEquals(404, othersOrder.statusCode(), othersOrder.body());
        assertTrue(othersOrder.body().contains("order not found"), othersOrder.body());
        final HttpResponse<String> missing = api.get("/api/v1/accounts/1/orders/987654321", ALICE);
        assertEquals(404, missing.statusCode(), missing.body());
        assertTrue(missing.body().contains("order not found"), missing.body());
    }

    private void order(final long account, final Side side, final long price, final long quantity, final String clOrdId)
    {
        workload.submit(b -> writer.newOrder(b, 0, 0, 1, account, 1, side, OrdType.LIMIT, TimeInForce.GTC, false, StpMode.NONE, price,
            quantity, clOrdId));
    }

    private static long orderId(final String answer)
    {
        final Matcher m = ORDER_ID.matcher(answer);
        assertTrue(m.find(), answer);
        return Long.parseLong(m.group(1));
    }

    private String get(final String path, final String authorization)
    {
        final HttpResponse<String> response = api.get(path, authorization);
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return response.body();
    }
}
