package dev.bourse.readmodels;

import dev.bourse.protocol.auth.CredentialStore;
import dev.bourse.readmodels.history.StoreSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.bourse.readmodels.ApiClient.basic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * During a PostgreSQL outage each history query waited the pool's 5 s for a connection, holding an
 * HTTP thread, so a few clients asking history held every thread (an outside tester). Now one query
 * at a time tries the store, and the others are answered 503 at once; the hot queries, which need
 * no store, answer as usual; and when the store is back, so are the history answers.
 */
class HistoryStoreOutageTest
{
    private static final String ALICE = basic("alice", "alice-secret");

    private ReadModelsServer server;
    private TcpRelay relay;

    @AfterEach
    void stop() throws Exception
    {
        if (server != null)
        {
            server.close();
        }
        if (relay != null)
        {
            relay.close();
        }
    }

    @Test
    void historyQueriesDuringAnOutageAreRefusedAtOnceAndHotOnesAnswer() throws Exception
    {
        final Workload workload = new Workload(13).run(2_000);
        final String url = TestPostgres.newDatabase();
        final Matcher port = Pattern.compile("localhost:(\\d+)/").matcher(url);
        assertTrue(port.find(), url);
        relay = new TcpRelay(Integer.parseInt(port.group(1)));
        final String relayed = url.substring(0, port.start(1)) + relay.port() + url.substring(port.end(1));
        server = ReadModelsServer.start(new ReadModelsContext().journal(JournalSource.of(workload.journal)).port(0)
            .bindAddress("127.0.0.1").credentials(new CredentialStore().addPlain("alice", "alice-secret", 1, true))
            .store(StoreSettings.postgresql(relayed, TestPostgres.user(), TestPostgres.password())));
        final ApiClient api = new ApiClient(server.port());
        final String history = "/api/v1/accounts/1/orders?limit=5";
        final HttpResponse<String> before = api.get(history + "&waitFor=" + (workload.journal.size() - 1) + "&timeoutMs=20000", ALICE);
        assertEquals(200, before.statusCode(), before.body());

        relay.cut();
        int refused = 0;
        for (int i = 0; i < 12; i++)
        {
            final HttpResponse<String> during = api.get(history, ALICE);
            if (during.statusCode() == 503)
            {
                assertTrue(during.body().contains("store_unavailable"), during.body());
                refused++;
            }
            final HttpResponse<String> hot = api.get("/api/v1/accounts/1/balances", ALICE);
            assertEquals(200, hot.statusCode(), "a hot query during the outage: " + hot.body());
        }
        assertTrue(refused >= 10, "history answered during the outage: " + (12 - refused) + " of 12");
        final String metrics = api.get("/metrics", null).body();
        final Matcher counted = Pattern.compile("bourse_query_history_queries_refused_total (\\d+)").matcher(metrics);
        assertTrue(counted.find(), metrics);
        assertTrue(Long.parseLong(counted.group(1)) >= 1, "no query was refused without waiting: " + counted.group());

        relay.restore();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        HttpResponse<String> after = api.get(history, ALICE);
        while (after.statusCode() != 200 && System.nanoTime() < deadline)
        {
            Thread.sleep(50);
            after = api.get(history, ALICE);
        }
        assertEquals(200, after.statusCode(), "history once the store is back: " + after.body());
    }
}
