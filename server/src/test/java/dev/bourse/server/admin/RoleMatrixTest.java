package dev.bourse.server.admin;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every role against every door: each class of query endpoint, the audit log, the admin API, the
 * WebSocket private channels and FIX order entry. Then the secrets: no password or token in any
 * log line or answer, and the lockout, shared with FIX, covers the admin API.
 */
class RoleMatrixTest
{
    private static final String TRADER = "alice";
    private static final String ALICE_PASSWORD = "alice-demo";

    @TempDir
    Path temp;

    private OpsExchange exchange;

    @BeforeEach
    void start() throws Exception
    {
        exchange = new OpsExchange(temp.resolve("data"));
    }

    @AfterEach
    void stop()
    {
        exchange.close();
    }

    private static final Map<String, String> PASSWORDS = new LinkedHashMap<>();

    static
    {
        PASSWORDS.put(TRADER, ALICE_PASSWORD);
        PASSWORDS.put("ops", OpsExchange.OPS_PASSWORD);
        PASSWORDS.put("feed", OpsExchange.FEED_PASSWORD);
        PASSWORDS.put("audit", OpsExchange.AUDIT_PASSWORD);
    }

    /** Expected status per user (alice trader, ops operations, feed market-data, audit compliance), then anonymous. */
    private record Door(String method, String path, int alice, int ops, int feed, int audit, int anonymous)
    {
    }

    @Test
    void everyRoleAgainstEveryHttpEndpointClass() throws Exception
    {
        final List<Door> doors = List.of(
            new Door("GET", "/api/v1/instruments", 200, 200, 200, 200, 200),
            new Door("GET", "/api/v1/instruments/AAPL/depth", 200, 200, 200, 200, 200),
            new Door("GET", "/api/v1/accounts/1001/balances", 200, 403, 403, 200, 401),
            new Door("GET", "/api/v1/accounts/1002/balances", 403, 403, 403, 200, 401),
            new Door("GET", "/api/v1/accounts/1002/orders", 403, 403, 403, 200, 401),
            new Door("GET", "/api/v1/accounts/1002/activity.csv", 403, 403, 403, 200, 401),
            new Door("GET", "/api/v1/audit", 403, 403, 403, 200, 401),
            new Door("POST", "/api/v1/auth/token", 200, 200, 200, 200, 401),
            new Door("GET", "/api/v1/admin/sessions", 403, 200, 403, 403, 401),
            new Door("POST", "/api/v1/admin/instruments/AAPL/reference-price?price=190.00", 403, 200, 403, 403, 401),
            new Door("POST", "/api/v1/admin/instruments/AAPL/amend?maxQty=100000", 403, 200, 403, 403, 401),
            new Door("POST", "/api/v1/admin/end-of-day", 403, 200, 403, 403, 401));
        // history answers (orders, activity) come from the history sink: wait until it holds the bootstrap's accounts
        final long bootstrapped = exchange.server.journal().lastSequence();
        final OpsExchange.Answer caughtUp = exchange.get("/api/v1/accounts/1002/orders?waitForSequence=" + bootstrapped + "&timeoutMs=20000",
            "audit", OpsExchange.AUDIT_PASSWORD);
        assertEquals(200, caughtUp.status(), caughtUp.body());
        final StringBuilder wrong = new StringBuilder();
        for (final Door door : doors)
        {
            check(door, TRADER, door.alice(), wrong);
            check(door, "ops", door.ops(), wrong);
            check(door, "feed", door.feed(), wrong);
            check(door, "audit", door.audit(), wrong);
            check(door, null, door.anonymous(), wrong);
        }
        assertEquals("", wrong.toString(), "answers that do not match the role matrix");
        final OpsExchange.Answer token = exchange.post("/api/v1/auth/token", null, "audit", OpsExchange.AUDIT_PASSWORD);
        assertTrue(token.body().contains("\"role\":\"compliance\""), token.body());
        final OpsExchange.Answer forbidden = exchange.get("/api/v1/accounts/1001/balances", "feed", OpsExchange.FEED_PASSWORD);
        assertTrue(forbidden.body().contains("the market-data role reads no account data"), forbidden.body());
        // compliance reads every account: a malformed id is its mistake (400), not a refusal
        final OpsExchange.Answer badId = exchange.get("/api/v1/accounts/abc/balances", "audit", OpsExchange.AUDIT_PASSWORD);
        assertEquals(400, badId.status(), badId.body());
    }

    private void check(final Door door, final String user, final int expected, final StringBuilder wrong) throws Exception
    {
        final String password = user == null ? null : PASSWORDS.get(user);
        final OpsExchange.Answer answer = "GET".equals(door.method()) ? exchange.get(door.path(), user, password)
            : exchange.post(door.path(), null, user, password);
        if (answer.status() != expected)
        {
            wrong.append(door.method()).append(' ').append(door.path()).append(" as ").append(user).append(": expected ")
                .append(expected).append(", got ").append(answer.status()).append(' ').append(answer.body()).append('\n');
        }
    }

    @Test
    void onlyTradersLogOnOverFixTheOtherRolesAreToldWhy() throws Exception
    {
        try (FixClient alice = new FixClient(exchange.server.gatewayPort(), "ALICE", TRADER, ALICE_PASSWORD))
        {
            alice.loggedOn();
        }
        for (final String user : List.of("ops", "feed", "audit"))
        {
            try (FixClient client = new FixClient(exchange.server.gatewayPort(), "C" + user.toUpperCase(), user, PASSWORDS.get(user)))
            {
                final String event = client.nextEvent();
                assertTrue(event.startsWith("admin 5 logon refused: user " + user + " has the role"), event);
                assertTrue(event.endsWith("only traders log on over FIX"), event);
            }
        }
    }

    @Test
    void privateStreamsAreTheTradersOwnAnyAccountForComplianceNoneForTheOthers() throws Exception
    {
        assertEquals("subscribed", firstAnswer(TRADER, "{\"op\":\"subscribe\",\"channel\":\"orders\"}"));
        assertEquals("error", firstAnswer(TRADER, "{\"op\":\"subscribe\",\"channel\":\"orders\",\"account\":\"1002\"}"));
        assertEquals("subscribed", firstAnswer("audit", "{\"op\":\"subscribe\",\"channel\":\"orders\",\"account\":\"1002\"}"));
        assertEquals("error", firstAnswer("audit", "{\"op\":\"subscribe\",\"channel\":\"orders\"}"));
        assertEquals("error", firstAnswer("feed", "{\"op\":\"subscribe\",\"channel\":\"orders\"}"));
        assertEquals("error", firstAnswer("ops", "{\"op\":\"subscribe\",\"channel\":\"fills\"}"));
        assertEquals("subscribed", firstAnswer("feed", "{\"op\":\"subscribe\",\"channel\":\"trades\",\"instrument\":\"AAPL\"}"));
    }

    /** Opens a stream with the user's credentials, sends one request and returns the type of the first answer to it. */
    private String firstAnswer(final String user, final String request) throws Exception
    {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
            .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + PASSWORDS.get(user))
                .getBytes(StandardCharsets.UTF_8)))
            .buildAsync(URI.create("ws://127.0.0.1:" + exchange.server.queryPort() + "/ws"), new WebSocket.Listener()
            {
                private final StringBuilder text = new StringBuilder();

                @Override
                public CompletionStage<?> onText(final WebSocket socket, final CharSequence data, final boolean last)
                {
                    text.append(data);
                    if (last)
                    {
                        messages.add(text.toString());
                        text.setLength(0);
                    }
                    socket.request(1);
                    return null;
                }
            }).get(10, TimeUnit.SECONDS);
        try
        {
            ws.sendText(request, true).get(10, TimeUnit.SECONDS);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline)
            {
                final String message = messages.poll(100, TimeUnit.MILLISECONDS);
                if (message != null && !message.contains("\"type\":\"authenticated\""))
                {
                    return message.replaceAll("(?s)^\\{\"type\":\"([a-z_]+)\".*", "$1");
                }
            }
            return "nothing";
        }
        finally
        {
            ws.abort();
        }
    }

    @Test
    void noSecretInAnyLogOrAnswerAndTheLockoutCoversTheAdminApi() throws Exception
    {
        final String guess = "Guess-Not-It-9";
        final List<String> answers = new java.util.ArrayList<>();
        assertEquals(200, exchange.admin("end-of-day", "").status());
        // five wrong admin logins from this address lock ops out here, over HTTP and FIX alike
        for (int i = 0; i < 5; i++)
        {
            final OpsExchange.Answer wrong = exchange.post("/api/v1/admin/end-of-day", "", "ops", guess);
            assertEquals(401, wrong.status(), wrong.body());
            answers.add(wrong.body());
        }
        final OpsExchange.Answer locked = exchange.admin("end-of-day", "");
        assertEquals(401, locked.status(), "the right password is refused while locked out: " + locked.body());
        answers.add(locked.body());
        try (FixClient fix = new FixClient(exchange.server.gatewayPort(), "OPSX", "ops", OpsExchange.OPS_PASSWORD))
        {
            assertEquals("admin 5 logon refused", fix.nextEvent(), "the FIX door shares the lockout");
        }
        // a trader's token and basic credentials, used and refused
        final OpsExchange.Answer token = exchange.post("/api/v1/auth/token", null, TRADER, ALICE_PASSWORD);
        final String tokenValue = token.body().replaceAll("(?s).*\"token\":\"([^\"]+)\".*", "$1");
        answers.add(exchange.get("/api/v1/accounts/1002/balances", TRADER, ALICE_PASSWORD).body());
        answers.add(exchange.get("/api/v1/accounts/1001/balances", TRADER, guess).body());

        final String everything = String.join("\n", exchange.log) + "\n" + String.join("\n", answers);
        for (final String secret : List.of(guess, ALICE_PASSWORD, OpsExchange.OPS_PASSWORD, OpsExchange.FEED_PASSWORD,
            OpsExchange.AUDIT_PASSWORD, tokenValue, Base64.getEncoder().encodeToString(("ops:" + guess).getBytes(StandardCharsets.UTF_8))))
        {
            assertFalse(everything.contains(secret), "a secret appears in the logs or answers");
        }
        assertTrue(exchange.log.stream().anyMatch(line -> line.startsWith("admin: ops end_of_day")), exchange.log.toString());
    }
}
