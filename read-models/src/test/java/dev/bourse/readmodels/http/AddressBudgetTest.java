package dev.bourse.readmodels.http;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The budget of work per address over real sockets, with the budget's clock held still so each
 * wait is exact: a quiet address spends its burst at once; past it a request waits, holding no
 * thread, and is served; one that would wait longer than a second is answered 429 with a
 * Retry-After; answers' bytes are charged; another address is never held back; and nothing is kept
 * for an address once its budget is full again.
 */
class AddressBudgetTest
{
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
    private final AtomicInteger served = new AtomicInteger();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private Server server;
    private AddressBudget budget;

    @AfterEach
    void stop() throws Exception
    {
        if (server != null)
        {
            server.stop();
        }
    }

    @Test
    void pastItsBurstAnAddressWaitsThenIsRefusedWithRetryAfter() throws Exception
    {
        start(1, 1); // a unit a second, a burst of one
        assertTrue(get("127.0.0.3", "/small").startsWith("HTTP/1.1 200"), "a quiet address's first request is served at once");
        assertEquals(0, budget.delayed());

        try (Socket waits = connect("127.0.0.3"); Socket refused = connect("127.0.0.3"))
        {
            TestSockets.sendGet(waits, "/small");
            awaitDelayed(1);
            TestSockets.sendGet(refused, "/small"); // would wait 2 s: more than the longest wait
            assertTrue(get("127.0.0.4", "/small").startsWith("HTTP/1.1 200"), "another address is served while this one waits");
            assertEquals(1, budget.delayed(), "the other address did not wait");

            assertTrue(TestSockets.readAll(waits).startsWith("HTTP/1.1 200"), "the waiting request is served once the budget has room");
            final String answer = TestSockets.readAll(refused);
            assertTrue(answer.startsWith("HTTP/1.1 429"), answer);
            assertTrue(answer.contains("Retry-After: 2"), answer);
            assertTrue(answer.contains("retry after 2 s"), answer);
        }
        assertEquals(1, budget.refused());
        assertEquals(3, served.get(), "the refused request never reached the handler");
        assertTrue(log.stream().anyMatch(line -> line.contains("127.0.0.3 has spent its budget (query.http.budget-per-address)")), log.toString());
    }

    @Test
    void anAnswersBytesAreChargedToItsAddress() throws Exception
    {
        start(1, 10); // a unit a second, ten at once
        // one unit for the request and four for its 64 KiB: five of the ten
        assertTrue(get("127.0.0.5", "/big").startsWith("HTTP/1.1 200"));
        assertTrue(get("127.0.0.5", "/big").startsWith("HTTP/1.1 200"), "ten spent: still within the burst");
        assertEquals(0, budget.delayed());
        assertTrue(get("127.0.0.5", "/small").startsWith("HTTP/1.1 200"), "the eleventh unit waits a second, then is served");
        assertEquals(1, budget.delayed());

        clock.addAndGet(60 * SECOND);
        assertTrue(get("127.0.0.5", "/big").startsWith("HTTP/1.1 200"), "refilled after a quiet minute");
        assertEquals(1, budget.delayed());
    }

    @Test
    void nothingIsKeptForAnAddressWhoseBudgetIsFullAgain() throws Exception
    {
        start(10, 100);
        for (int i = 0; i < 5; i++)
        {
            get("127.0.0." + (10 + i), "/small");
        }
        assertTrue(get("127.0.0.15", "/missing").startsWith("HTTP/1.1 404"), "a request no handler takes is not held in hand");
        assertEquals(6, budget.trackedAddresses());
        budget.sweep();
        assertEquals(6, budget.trackedAddresses(), "each address has spent a unit that has not come back yet");
        clock.addAndGet(SECOND);
        // a request is in hand until its completion has run, a moment after the client has its answer
        final long deadline = System.nanoTime() + 30 * SECOND;
        do
        {
            budget.sweep();
        }
        while (budget.trackedAddresses() > 0 && System.nanoTime() < deadline && sleep());
        assertEquals(0, budget.trackedAddresses());
    }

    @Test
    void noBudgetPassesEveryRequestThrough() throws Exception
    {
        start(0, 1);
        for (int i = 0; i < 20; i++)
        {
            assertTrue(get("127.0.0.6", "/big").startsWith("HTTP/1.1 200"));
        }
        assertEquals(0, budget.trackedAddresses());
        assertEquals(0, budget.delayed());
    }

    @Test
    void theQueryServerAnswersAnAddressPastItsBudgetWithJson429() throws Exception
    {
        try (WebServer web = new WebServer("127.0.0.1", 0, new HttpLimits(2, 64, 30_000, 10_000, 10_000, 8_192, 1_024)
            .withBudget(1, 1), "budget-test").log(log::add).handler(new Handler.Abstract()
            {
                @Override
                public boolean handle(final Request request, final Response response, final Callback callback)
                {
                    response.setStatus(200);
                    callback.succeeded();
                    return true;
                }
            }).start())
        {
            final int port = web.port();
            try (Socket first = TestSockets.connectFrom("127.0.0.7", port, 30_000))
            {
                TestSockets.sendGet(first, "/");
                assertTrue(TestSockets.readAll(first).startsWith("HTTP/1.1 200"));
            }
            // a unit a second: of the next three, the first to come waits about a second, and the last
            // would wait about three, past the longest wait (unless sending them took this machine two seconds)
            final List<String> answers = new ArrayList<>();
            try (Socket a = TestSockets.connectFrom("127.0.0.7", port, 30_000);
                Socket b = TestSockets.connectFrom("127.0.0.7", port, 30_000);
                Socket c = TestSockets.connectFrom("127.0.0.7", port, 30_000))
            {
                for (final Socket socket : List.of(a, b, c))
                {
                    TestSockets.sendGet(socket, "/");
                }
                for (final Socket socket : List.of(a, b, c))
                {
                    answers.add(TestSockets.readAll(socket));
                }
            }
            final String refused = answers.stream().filter(answer -> answer.startsWith("HTTP/1.1 429")).findFirst().orElse(null);
            assertTrue(refused != null, answers.toString());
            assertTrue(refused.contains("Retry-After: "), refused);
            assertTrue(refused.contains("\"error\":\"too_many_requests\""), refused);
            assertTrue(answers.stream().anyMatch(answer -> answer.startsWith("HTTP/1.1 200")), answers.toString());
            assertTrue(web.budgetDelayed() >= 1, "the first of them waited");
            assertEquals(3, web.budgetDelayed() + web.budgetRefused(), "each either waited or was refused");
        }
    }

    @Test
    void theBudgetIsChecked()
    {
        assertEquals(HttpLimits.DEFAULT_BUDGET_PER_ADDRESS, HttpLimits.DEFAULTS.budgetPerAddress());
        assertEquals(HttpLimits.DEFAULT_BUDGET_BURST, HttpLimits.DEFAULTS.budgetBurst());
        final IllegalArgumentException rate = assertThrows(IllegalArgumentException.class,
            () -> HttpLimits.DEFAULTS.withBudget(-1, 10).validate());
        assertTrue(rate.getMessage().contains("budget per address must be 0..1000000000 units a second, not -1"), rate.getMessage());
        final IllegalArgumentException burst = assertThrows(IllegalArgumentException.class,
            () -> HttpLimits.DEFAULTS.withBudget(100, 0).validate());
        assertTrue(burst.getMessage().contains("budget burst must be 1..1000000 units, not 0"), burst.getMessage());
    }

    private void start(final int unitsPerSecond, final int burst) throws Exception
    {
        server = new Server();
        final ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        final Handler app = new Handler.Abstract()
        {
            @Override
            public boolean handle(final Request request, final Response response, final Callback callback)
            {
                if ("/missing".equals(request.getHttpURI().getPath()))
                {
                    return false; // not taken: Jetty answers 404 with its own callback
                }
                served.incrementAndGet();
                // /small has no body, so it costs exactly its one unit
                final ByteBuffer body = "/big".equals(request.getHttpURI().getPath()) ? ByteBuffer.allocate(64 * 1024)
                    : ByteBuffer.allocate(0);
                response.setStatus(200);
                response.getHeaders().put("Content-Length", body.remaining());
                response.write(true, body, callback);
                return true;
            }
        };
        budget = new AddressBudget(app, unitsPerSecond, burst, server.getScheduler(), server.getThreadPool(), clock::get, log::add);
        server.setHandler(budget);
        server.start();
    }

    private static boolean sleep() throws InterruptedException
    {
        Thread.sleep(1);
        return true;
    }

    private void awaitDelayed(final long count) throws InterruptedException
    {
        final long deadline = System.nanoTime() + 30 * SECOND;
        while (budget.delayed() < count && System.nanoTime() < deadline)
        {
            Thread.sleep(1);
        }
        assertEquals(count, budget.delayed());
    }

    private String get(final String from, final String path) throws IOException
    {
        try (Socket socket = connect(from))
        {
            TestSockets.sendGet(socket, path);
            return TestSockets.readAll(socket);
        }
    }

    private Socket connect(final String from) throws IOException
    {
        return TestSockets.connectFrom(from, ((ServerConnector)server.getConnectors()[0]).getLocalPort(), 30_000);
    }
}
