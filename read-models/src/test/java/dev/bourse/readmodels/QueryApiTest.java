package dev.bourse.readmodels;

import dev.bourse.protocol.Prices;
import dev.bourse.protocol.auth.CredentialStore;
import dev.bourse.readmodels.reference.AccountView;
import dev.bourse.readmodels.reference.ActivityLine;
import dev.bourse.readmodels.reference.MarketView;
import dev.bourse.readmodels.reference.OrderChange;
import dev.bourse.readmodels.reference.OrderRecord;
import dev.bourse.readmodels.reference.ReferenceModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.bourse.readmodels.ApiClient.basic;
import static dev.bourse.readmodels.ApiClient.longField;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The query API over HTTP, hot answers and history answers, against the reference models (all
 * history in memory): credentials and account scoping, answers and positions, offset and keyset
 * paging, read-your-writes waits on both sides, and specific 4xx errors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryApiTest
{
    private static final String ALICE = basic("alice", "alice-secret");
    private static final String BOB = basic("bob", "bob-secret");
    private static final Pattern TRADE_ID = Pattern.compile("\"tradeId\":(\\d+)");

    private Workload workload;
    private ReadModelsServer server;
    private ApiClient api;
    private ReferenceModels reference;

    @BeforeAll
    void start() throws Exception
    {
        workload = new Workload(3).run(5_000);
        final CredentialStore credentials = new CredentialStore()
            .addPlain("alice", "alice-secret", 1, true)
            .addPlain("bob", "bob-secret", 2, true);
        server = ReadModelsServer.start(new ReadModelsContext().journal(JournalSource.of(workload.journal)).port(0)
            .credentials(credentials).bindAddress("127.0.0.1").sinkBatchEntries(300)
            // this test tries wrong credentials on purpose, many times from one address: the lockout
            // (tested on its own in CredentialGuardTest and the server's RoleMatrixTest) stays out of the way
            .credentialGuard(new dev.bourse.protocol.auth.CredentialGuard(credentials,
                new dev.bourse.protocol.auth.CredentialGuard.Policy().failuresBeforeLockout(1_000_000).userThrottleFailures(1_000_000))));
        api = new ApiClient(server.port());
    }

    /** Waits until the server has caught up with the journal and recomputes the expected models. */
    @BeforeEach
    void settle()
    {
        RestartAndRebuildTest.awaitPosition(server, workload.journal.size() - 1);
        reference = workload.reference();
    }

    @AfterAll
    void stop()
    {
        server.close();
    }

    /** The history sink's state is named: while it read a large store back at start, sequence 0 and lag -1 looked like an empty one. */
    @Test
    void statusNamesTheHistorySinksState() throws Exception
    {
        final long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30); // a hang guard, not a timing
        String body = api.get("/api/v1/status", null).body();
        while (!body.contains("\"history\":{\"state\":\"running\",") && System.nanoTime() < until)
        {
            assertTrue(body.contains("\"history\":{\"state\":\"starting\","), body);
            Thread.sleep(10);
            body = api.get("/api/v1/status", null).body();
        }
        assertTrue(body.contains("\"history\":{\"state\":\"running\","), body);
    }

    private List<String> accountEndpoints(final long account)
    {
        final AccountView view = reference.findAccount(account);
        final OrderRecord someOrder = reference.order(view.executions().get(0).orderId());
        return List.of(
            "/api/v1/accounts/" + account + "/balances",
            "/api/v1/accounts/" + account + "/open-orders?limit=5",
            "/api/v1/accounts/" + account + "/executions?offset=0&limit=3",
            "/api/v1/accounts/" + account + "/orders/" + someOrder.orderId(),
            "/api/v1/accounts/" + account + "/orders?clOrdId=" + someOrder.clOrdId(),
            "/api/v1/accounts/" + account + "/orders?limit=5",
            "/api/v1/accounts/" + account + "/activity.csv?limit=10");
    }

    @Test
    void aTokenIsIssuedForAPasswordOnlyAndAUserHoldsAtMostSixteen()
    {
        final String first = ApiClient.stringField(api.send("POST", "/api/v1/auth/token", ALICE).body(), "token");
        // a token cannot renew itself (an outside probe chained them past a lockout)
        assertEquals(401, api.send("POST", "/api/v1/auth/token", "Bearer " + first).statusCode());
        // with no credentials at all it says what to send (it said "not for a token": an abuse probe)
        final HttpResponse<String> none = api.send("POST", "/api/v1/auth/token", null);
        assertEquals(401, none.statusCode());
        assertTrue(none.body().contains("send the user's password (basic auth) to get a token"), none.body());
        // a parameter it does not take was told "allowed: " and nothing (an outside probe)
        final HttpResponse<String> parameter = api.send("POST", "/api/v1/auth/token?x=1", ALICE);
        assertEquals(400, parameter.statusCode());
        assertTrue(parameter.body().contains("unknown parameter 'x'; this endpoint takes none"), parameter.body());
        assertEquals(200, api.get("/api/v1/accounts/1/balances", "Bearer " + first).statusCode());
        // each token was kept for its whole hour, without bound: now a user's seventeenth retires its first
        for (int i = 0; i < ApiAuth.MAX_TOKENS_PER_USER; i++)
        {
            assertEquals(200, api.send("POST", "/api/v1/auth/token", ALICE).statusCode());
        }
        assertEquals(401, api.get("/api/v1/accounts/1/balances", "Bearer " + first).statusCode(), "the oldest token is retired");
    }

    @Test
    void everyAccountEndpointRefusesMissingOrWrongCredentialsAndOtherAccounts()
    {
        final String token = ApiClient.stringField(api.send("POST", "/api/v1/auth/token", ALICE).body(), "token");
        for (final String endpoint : accountEndpoints(1))
        {
            assertEquals(401, api.get(endpoint, null).statusCode(), endpoint);
            assertEquals(401, api.get(endpoint, basic("alice", "wrong")).statusCode(), endpoint);
            assertEquals(401, api.get(endpoint, basic("mallory", "alice-secret")).statusCode(), endpoint);
            assertEquals(401, api.get(endpoint, "Bearer not-a-token").statusCode(), endpoint);
            assertEquals(401, api.get(endpoint, "Basic %%%").statusCode(), endpoint);
            final HttpResponse<String> other = api.get(endpoint, BOB);
            assertEquals(403, other.statusCode(), endpoint);
            assertFalse(other.body().contains("clOrdId") || other.body().contains("cash"), other.body());

            final HttpResponse<String> own = api.get(endpoint, ALICE);
            assertEquals(200, own.statusCode(), endpoint + ": " + own.body());
            assertEquals(Long.toString(workload.journal.size() - 1), own.headers().firstValue("X-Journal-Position").orElseThrow());
            if (!endpoint.contains(".csv"))
            {
                assertEquals(workload.journal.size() - 1, longField(own.body(), "position"), endpoint);
            }
            assertEquals(200, api.get(endpoint, "Bearer " + token).statusCode(), endpoint);
        }
        // Someone else's account id that does not exist answers exactly as one that does.
        assertEquals(api.get("/api/v1/accounts/2/balances", ALICE).body(), api.get("/api/v1/accounts/999999/balances", ALICE).body());
    }

    @Test
    void digitsOfAnotherScriptAreNoNumber() throws Exception
    {
        // fullwidth 1 named account 1 and instrument 1, Arabic-Indic 5 was a limit of 5 (an outside probe)
        assertEquals(200, api.get("/api/v1/accounts/1/balances", ALICE).statusCode());
        assertNotEquals(200, api.get("/api/v1/accounts/%EF%BC%91/balances", ALICE).statusCode());
        assertEquals(200, api.get("/api/v1/instruments/1", null).statusCode());
        assertEquals(404, api.get("/api/v1/instruments/%EF%BC%91", null).statusCode());
        assertEquals(400, api.get("/api/v1/instruments/1/trades?limit=%D9%A5", null).statusCode());
        final String refused = api.get("/api/v1/accounts/1/orders/%EF%BC%91", ALICE).body();
        assertTrue(refused.contains("orderId must be a positive integer, not '\\\\uFF11'"), "the character refused is named: " + refused);

        // "+1" was account 1 and "+5" a limit, while "+1" named no instrument (another outside probe)
        assertNotEquals(200, api.get("/api/v1/accounts/+1/balances", ALICE).statusCode());
        assertEquals(400, api.get("/api/v1/instruments/1/trades?limit=%2B5", null).statusCode());
        assertEquals(400, api.get("/api/v1/instruments/1/trades?limit=+5", null).statusCode());
        assertEquals(200, api.get("/api/v1/instruments/1/trades?limit=5", null).statusCode());
    }

    @Test
    void anotherAccountsOrderIsNotFoundLikeAMissingOne()
    {
        final long bobsOrder = reference.findAccount(2).executions().get(0).orderId();
        final String bobsClOrdId = reference.order(bobsOrder).clOrdId();
        final HttpResponse<String> viaOrderId = api.get("/api/v1/accounts/1/orders/" + bobsOrder, ALICE);
        final HttpResponse<String> missing = api.get("/api/v1/accounts/1/orders/999999999", ALICE);
        assertEquals(404, viaOrderId.statusCode());
        assertEquals(missing.body(), viaOrderId.body());
        assertEquals(404, api.get("/api/v1/accounts/1/orders?clOrdId=" + bobsClOrdId, ALICE).statusCode());
    }

    @Test
    void accountAnswersMatchTheReference()
    {
        final AccountView alice = reference.findAccount(1);
        final String balances = api.get("/api/v1/accounts/1/balances", ALICE).body();
        assertTrue(balances.contains("\"balance\":\"" + Prices.toString(alice.cash()) + "\""), balances);

        final String executions = api.get("/api/v1/accounts/1/executions?offset=0&limit=2", ALICE).body();
        assertEquals(alice.executions().size(), longField(executions, "total"));
        assertEquals(2, longField(executions, "nextOffset"));
        assertTrue(executions.contains("\"tradeId\":" + alice.executions().get(0).tradeId()));

        // A filled or canceled order is no longer in the hot projections: its state comes from the history store.
        for (final OrderChange fill : alice.executions().subList(0, 20))
        {
            final OrderRecord order = reference.order(fill.orderId());
            final String byId = api.get("/api/v1/accounts/1/orders/" + order.orderId(), ALICE).body();
            assertTrue(byId.contains("\"history\":[{\"type\":\"ACCEPTED\""), byId);
            assertTrue(byId.contains("\"type\":\"FILL\""), byId);
            assertTrue(byId.contains("\"status\":\"" + QueryApi.status(order.status()) + "\""), byId);
            assertTrue(byId.contains("\"leavesQty\":" + order.leavesQty() + ",\"cumQty\":" + order.cumQty()), byId);
            assertTrue(byId.contains("\"clOrdId\":\"" + order.clOrdId() + "\""), byId);
            assertEquals(order.history().size(), byId.split("\"type\":").length - 1, byId);
            assertEquals(byId, api.get("/api/v1/accounts/1/orders?clOrdId=" + order.clOrdId(), ALICE).body());
        }

        final String csv = api.get("/api/v1/accounts/1/activity.csv?offset=0&limit=100000", ALICE).body();
        final String[] lines = csv.split("\n");
        assertTrue(lines[0].startsWith("sequence,timestamp,time_utc,kind"));
        assertEquals(alice.activity().size() + 1, lines.length);
        assertTrue(lines[1].contains("ACCOUNT_CREATED"), lines[1]);
        for (int i = 0; i < alice.activity().size(); i++)
        {
            final ActivityLine expected = alice.activity().get(i);
            assertTrue(lines[i + 1].startsWith(expected.sequence() + "," + expected.timestamp() + ","), lines[i + 1]);
            assertTrue(lines[i + 1].contains(dev.bourse.readmodels.history.ActivityKind.name(expected.kind())), lines[i + 1]);
        }

        final String open = api.get("/api/v1/accounts/1/open-orders?limit=1000", ALICE).body();
        assertEquals(reference.findAccount(1).openOrders().size(), longField(open, "total"));
    }

    @Test
    void keysetPagesWalkTheWholeListForwardAndBackward()
    {
        final AccountView alice = reference.findAccount(1);
        final List<Long> expected = alice.executions().stream().map(OrderChange::tradeId).toList();

        final List<Long> forward = new ArrayList<>();
        String path = "/api/v1/accounts/1/executions?limit=7&cursor=0-0";
        while (path != null)
        {
            final String body = api.get(path, ALICE).body();
            forward.addAll(tradeIds(body));
            final String next = cursor(body, "nextCursor");
            path = next == null ? null : "/api/v1/accounts/1/executions?limit=7&cursor=" + next;
        }
        assertEquals(expected, forward);

        // Backward from the newest page (no cursor: the last page, with its cursors).
        final List<Long> backward = new ArrayList<>();
        String body = api.get("/api/v1/accounts/1/executions?limit=7", ALICE).body();
        while (true)
        {
            backward.addAll(0, tradeIds(body));
            final String previous = cursor(body, "prevCursor");
            if (previous == null)
            {
                break;
            }
            body = api.get("/api/v1/accounts/1/executions?limit=7&before=" + previous, ALICE).body();
        }
        assertEquals(expected, backward);
        // a page before a cursor past the newest row is the newest page: null at that end too
        final String newest = api.get("/api/v1/accounts/1/executions?limit=1000&before=999999999-0", ALICE).body();
        assertEquals(null, cursor(newest, "nextCursor"), newest.substring(Math.max(0, newest.length() - 200)));
        assertEquals(java.util.Optional.empty(), api.get("/api/v1/accounts/1/activity.csv?limit=100000&before=999999999-0", ALICE)
            .headers().firstValue("X-Next-Cursor"), "the activity report's newest page has no next page either");
        final String middle = api.get("/api/v1/accounts/1/executions?limit=2&before=" + cursor(
            api.get("/api/v1/accounts/1/executions?limit=3&cursor=0-0", ALICE).body(), "nextCursor"), ALICE).body();
        assertTrue(cursor(middle, "nextCursor") != null, "rows after a page in the middle: " + middle);

        // The activity report pages by cursor too, in the X-Next-Cursor header.
        final List<String> lines = new ArrayList<>();
        String url = "/api/v1/accounts/1/activity.csv?limit=50&cursor=0-0";
        while (url != null)
        {
            final HttpResponse<String> page = api.get(url, ALICE);
            final String[] rows = page.body().split("\n");
            lines.addAll(List.of(rows).subList(1, rows.length));
            url = page.headers().firstValue("X-Next-Cursor").map(c -> "/api/v1/accounts/1/activity.csv?limit=50&cursor=" + c)
                .orElse(null);
        }
        final String[] all = api.get("/api/v1/accounts/1/activity.csv?offset=0&limit=100000", ALICE).body().split("\n");
        assertEquals(List.of(all).subList(1, all.length), lines);
        // and backward from the newest page, in the X-Prev-Cursor header
        final List<String> linesBackward = new ArrayList<>();
        url = "/api/v1/accounts/1/activity.csv?limit=50";
        while (url != null)
        {
            final HttpResponse<String> page = api.get(url, ALICE);
            final String[] rows = page.body().split("\n");
            linesBackward.addAll(0, List.of(rows).subList(1, rows.length));
            url = page.headers().firstValue("X-Prev-Cursor").map(c -> "/api/v1/accounts/1/activity.csv?limit=50&before=" + c)
                .orElse(null);
        }
        assertEquals(List.of(all).subList(1, all.length), linesBackward);
        assertTrue(all.length > 101, "more than two pages: " + all.length);

        // Trades of an instrument: a forward walk equals the reference's prints.
        final List<Long> trades = new ArrayList<>();
        String tradesPath = "/api/v1/instruments/1/trades?limit=100&cursor=0";
        while (tradesPath != null)
        {
            final String page = api.get(tradesPath, null).body();
            trades.addAll(tradeIds(page));
            final String next = cursor(page, "nextCursor");
            tradesPath = next == null ? null : "/api/v1/instruments/1/trades?limit=100&cursor=" + next;
        }
        assertEquals(reference.findMarket(1).trades().stream().map(t -> t.tradeId()).toList(), trades);

        // the start is "0" or "0-0" on every list, and its first page has nothing before it
        final String fromStartOtherForm = api.get("/api/v1/instruments/1/trades?limit=3&cursor=0-0", null).body();
        assertEquals(trades.subList(0, 3), tradeIds(fromStartOtherForm));
        assertEquals(null, cursor(fromStartOtherForm, "prevCursor"), fromStartOtherForm);
        final String executionsFromZero = api.get("/api/v1/accounts/1/executions?limit=7&cursor=0", ALICE).body();
        assertEquals(expected.subList(0, 7), tradeIds(executionsFromZero));
        assertEquals(null, cursor(executionsFromZero, "prevCursor"), executionsFromZero);
    }

    private static List<Long> tradeIds(final String body)
    {
        final List<Long> ids = new ArrayList<>();
        final Matcher m = TRADE_ID.matcher(body);
        while (m.find())
        {
            ids.add(Long.parseLong(m.group(1)));
        }
        return ids;
    }

    private static String cursor(final String body, final String name)
    {
        final Matcher m = Pattern.compile("\"" + name + "\":(null|\"([^\"]*)\")").matcher(body);
        assertTrue(m.find(), "no " + name + " in " + body);
        return m.group(2);
    }

    @Test
    void marketEndpointsArePublic()
    {
        for (final String endpoint : List.of(
            "/api/v1/status",
            "/api/v1/instruments",
            "/api/v1/instruments/1",
            "/api/v1/instruments/I1",
            "/api/v1/instruments/1/trades?limit=5",
            "/api/v1/instruments/I2/candles?interval=1s&limit=5",
            "/api/v1/instruments/1/candles?interval=1m&from=0",
            "/api/v1/instruments/1/candles?interval=1h",
            "/api/v1/instruments/1/depth?levels=3",
            "/api/v1/instruments/1/bbo",
            "/api/v1/instruments/1/stats"))
        {
            final HttpResponse<String> response = api.get(endpoint, null);
            assertEquals(200, response.statusCode(), endpoint + ": " + response.body());
            assertEquals(workload.journal.size() - 1, longField(response.body(), "position"), endpoint);
        }
        final MarketView market = reference.findMarket(1);
        final String stats = api.get("/api/v1/instruments/1/stats", null).body();
        assertTrue(stats.contains("\"vwap\":\"" + Prices.toString(market.daily().last().vwap()) + "\""), stats);
        assertTrue(stats.contains("\"count\":" + market.daily().last().count()), stats);
        final String date = java.time.LocalDate.ofEpochDay(market.daily().last().start() / 86_400_000_000_000L).toString();
        final String pastStats = api.get("/api/v1/instruments/1/stats?date=" + date, null).body();
        assertEquals(stats.substring(stats.indexOf("\"data\"")), pastStats.substring(pastStats.indexOf("\"data\"")),
            "today's statistics from the hot projections and from the history store agree");
        final String summary = api.get("/api/v1/daily-summary?date=" + date, null).body();
        assertTrue(summary.contains("\"ordersAccepted\":"), summary);
        final String bbo = api.get("/api/v1/instruments/1/bbo", null).body();
        assertTrue(bbo.contains("\"bid\":{\"price\":\"" + Prices.toString(market.bids().bestPrice()) + "\""), bbo);
        final String candles = api.get("/api/v1/instruments/1/candles?interval=1h&limit=1000", null).body();
        assertEquals(market.candles("1h").candles().size(), candles.split("\"startNanos\"").length - 1, candles);
        assertEquals(404, api.get("/api/v1/instruments/NOPE/depth", null).statusCode());
        assertEquals(404, api.get("/api/v1/instruments/NOPE/trades", null).statusCode());
    }

    @Test
    void badParametersGetSpecific4xxErrors()
    {
        final HttpResponse<String> limit = api.get("/api/v1/instruments/1/trades?limit=0", null);
        assertEquals(400, limit.statusCode());
        assertTrue(limit.body().contains("limit must be between 1 and 1000"), limit.body());
        assertTrue(api.get("/api/v1/instruments/1/trades?limt=5", null).body().contains("unknown parameter 'limt'"));
        assertEquals(400, api.get("/api/v1/instruments/1/candles?interval=2m", null).statusCode());
        assertEquals(400, api.get("/api/v1/instruments/1/stats?date=yesterday", null).statusCode());
        assertEquals(400, api.get("/api/v1/accounts/1/orders/abc", ALICE).statusCode());
        assertEquals(400, api.get("/api/v1/accounts/1/executions?cursor=12", ALICE).statusCode());
        assertEquals(400, api.get("/api/v1/accounts/1/executions?cursor=1-2&offset=3", ALICE).statusCode());
        assertEquals(400, api.get("/api/v1/instruments/1/trades?cursor=x", null).statusCode());
        final HttpResponse<String> negative = api.get("/api/v1/accounts/1/executions?cursor=-5", ALICE);
        assertTrue(negative.statusCode() == 400 && negative.body().contains("'-5'"), "the value sent is named: " + negative.body());
        assertEquals(400, api.get("/api/v1/instruments/1/stats?date=-999999999-01-01", null).statusCode());
        assertEquals(400, api.get("/api/v1/instruments/1/stats?date=+2026-01-01", null).statusCode());
        assertTrue(api.get("/api/v1/instruments/1/stats?date=2026-1-01", null).body().contains("date must be YYYY-MM-DD"));
        // the right shape but no day of the calendar: told so, not told to use the shape it has (an outside tester)
        for (final String noDay : List.of("/api/v1/instruments/1/stats?date=2026-02-30", "/api/v1/daily-summary?date=2026-13-01"))
        {
            final HttpResponse<String> response = api.get(noDay, null);
            final String date = noDay.substring(noDay.indexOf('=') + 1);
            assertEquals(400, response.statusCode(), noDay);
            assertTrue(response.body().contains("\"bad_parameter\"") && response.body().contains("date " + date + " is no calendar date"),
                noDay + ": " + response.body());
        }
        assertEquals(400, api.get("/api/v1/daily-summary", null).statusCode());
        assertEquals(400, api.get("/api/v1/status?timeoutMs=10", null).statusCode());
        final HttpResponse<String> both = api.get("/api/v1/status?waitFor=1&waitForSequence=2", null);
        assertEquals(400, both.statusCode(), "two waits: which one would apply?");
        assertTrue(both.body().contains("one of waitFor and waitForSequence"), both.body());
        assertEquals(200, api.get("/api/v1/status?waitFor=1&timeoutMs=99999999", null).statusCode(), "capped at maxWaitMs, not refused");
        assertEquals(405, api.send("DELETE", "/api/v1/status", null).statusCode());
        assertEquals(404, api.get("/api/v1/nothing", null).statusCode());
        assertEquals(404, api.get("/elsewhere", null).statusCode());
        for (final String trailing : List.of("/api/v1/status/", "/api/v1/instruments/1/", "/api/v1/accounts/1/"))
        {
            assertEquals(404, api.get(trailing, null).statusCode(), trailing + ": an empty segment names nothing, on every path");
        }
    }

    @Test
    void aRequestCanWaitForAPositionToReadItsOwnWrite() throws Exception
    {
        final long next = workload.journal.size();
        final HttpResponse<String> tooSoon = api.get("/api/v1/status?waitFor=" + (next + 1_000) + "&timeoutMs=50", null);
        assertEquals(504, tooSoon.statusCode());
        assertTrue(tooSoon.body().contains("position_not_reached"), tooSoon.body());
        final HttpResponse<String> historyTooSoon = api.get("/api/v1/accounts/1/executions?waitFor=" + (next + 1_000) +
            "&timeoutMs=50", ALICE);
        assertEquals(504, historyTooSoon.statusCode(), historyTooSoon.body());

        final CompletableFuture<HttpResponse<String>> hot = CompletableFuture.supplyAsync(
            () -> api.get("/api/v1/accounts/1/balances?waitFor=" + next + "&timeoutMs=20000", ALICE));
        final CompletableFuture<HttpResponse<String>> history = CompletableFuture.supplyAsync(
            () -> api.get("/api/v1/accounts/1/executions?limit=1&waitFor=" + next + "&timeoutMs=20000", ALICE));
        workload.run(50);
        for (final CompletableFuture<HttpResponse<String>> waiting : List.of(hot, history))
        {
            final HttpResponse<String> answer = waiting.get();
            assertEquals(200, answer.statusCode(), answer.body());
            assertTrue(longField(answer.body(), "position") >= next);
        }
    }

    @Test
    void metricsShowTheExchangesCountersThenTheQuerySidesOwn()
    {
        final String own = api.get("/metrics", null).body();
        assertTrue(own.contains("bourse_query_projection_position "), own);
        assertTrue(own.contains("bourse_query_history_lag_entries "), own);
        server.metricsSource(() -> "bourse_journal_sequence 7\n");
        final HttpResponse<String> metrics = api.get("/metrics", null);
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().startsWith("bourse_journal_sequence 7\n# HELP bourse_query_projection_position"), metrics.body());
        assertTrue(metrics.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain; version=0.0.4"));
    }

    @Test
    void metricsAreGetAndHeadOnly()
    {
        final HttpResponse<String> head = api.send("HEAD", "/metrics", null);
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        for (final String method : List.of("POST", "PUT", "DELETE", "PATCH"))
        {
            final HttpResponse<String> refused = api.send(method, "/metrics", null);
            assertEquals(405, refused.statusCode(), method + ": " + refused.body());
            assertTrue(refused.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"), method);
            assertTrue(refused.body().startsWith("{\"error\":\"method_not_allowed\",\"message\":"), method + ": " + refused.body());
            assertFalse(refused.body().contains("bourse_query"), "no counters in a refusal: " + refused.body());
        }
        // the same shape as the API's refusal of a wrong method
        assertTrue(api.send("POST", "/api/v1/status", null).body().startsWith("{\"error\":\"method_not_allowed\","));
    }
}
