package dev.bourse.readmodels;

import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.Prices;
import dev.bourse.protocol.auth.CredentialStore;
import dev.bourse.protocol.sbe.OrdType;
import dev.bourse.protocol.sbe.Side;
import dev.bourse.protocol.sbe.StpMode;
import dev.bourse.protocol.sbe.TimeInForce;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Arrays;

import static dev.bourse.readmodels.ApiClient.basic;
import static org.junit.jupiter.api.Assertions.*;

/**
 * An account's own activity report must not tell it which OrderIDs are other accounts' live
 * orders. The engine rejects a cancel or replace of another account's order as NOT_YOUR_ORDER
 * (the journal keeps that, for compliance); the gateway answers it as an unknown order, and so
 * must the report: an outside probe walked OrderIDs through cancels and read the difference in
 * {@code activity.csv}.
 */
class ActivityReportPrivacyTest
{
    private static final String ALICE = basic("alice", "alice-secret");
    private static final long MID = 100 * Prices.SCALE;

    private final CommandWriter writer = new CommandWriter();
    private ReadModelsServer server;

    @AfterEach
    void stop()
    {
        if (server != null)
        {
            server.close();
        }
    }

    @Test
    void anotherAccountsLiveOrderIsReportedAsAnUnknownOrder() throws Exception
    {
        final Workload workload = new Workload(11);
        workload.submit(b -> writer.newOrder(b, 0, 0, 2, 2, 1, Side.BUY, OrdType.LIMIT, TimeInForce.GTC, false, StpMode.NONE,
            MID, 10, "bob-live"));
        final long bobsOrder = workload.state.lastOrderId();
        assertNotNull(workload.state.order(bobsOrder), "bob's order rests");
        final long noOrder = bobsOrder + 1_000;

        workload.submit(b -> writer.cancelOrder(b, 0, 0, 1, 1, bobsOrder, "probe-bob", ""));
        workload.submit(b -> writer.cancelOrder(b, 0, 0, 1, 1, noOrder, "probe-none", ""));
        workload.submit(b -> writer.replaceOrder(b, 0, 0, 1, 1, bobsOrder, MID, 5, "probe-bob-r", ""));
        workload.submit(b -> writer.replaceOrder(b, 0, 0, 1, 1, noOrder, MID, 5, "probe-none-r", ""));

        final CredentialStore credentials = new CredentialStore().addPlain("alice", "alice-secret", 1, true);
        server = TestPostgres.querySide(workload, credentials, "embedded");
        RestartAndRebuildTest.awaitPosition(server, workload.journal.size() - 1);
        final HttpResponse<String> response = new ApiClient(server.port()).get("/api/v1/accounts/1/activity.csv?limit=100000", ALICE);
        assertEquals(200, response.statusCode(), response.body());
        final String csv = response.body();

        assertFalse(csv.contains("NOT_YOUR_ORDER"), csv);
        assertEquals(reason(csv, "probe-none"), reason(csv, "probe-bob"), csv);
        assertEquals(reason(csv, "probe-none-r"), reason(csv, "probe-bob-r"), csv);
        assertEquals("CANCEL_ORDER UNKNOWN_ORDER", reason(csv, "probe-bob"));
        assertEquals("REPLACE_ORDER UNKNOWN_ORDER", reason(csv, "probe-bob-r"));
    }

    /** The reason column of the CANCEL_REJECTED row of the request {@code clOrdId}. */
    private static String reason(final String csv, final String clOrdId)
    {
        return Arrays.stream(csv.split("\n"))
            .filter(line -> line.contains(",CANCEL_REJECTED,") && line.contains("," + clOrdId + ","))
            .map(line -> Arrays.stream(line.split(",", -1)).filter(cell -> cell.endsWith("_ORDER") && cell.contains(" ")).findFirst()
                .orElseThrow(() -> new AssertionError("no reason in " + line)))
            .findFirst().orElseThrow(() -> new AssertionError("no CANCEL_REJECTED row for " + clOrdId + " in\n" + csv));
    }
}
