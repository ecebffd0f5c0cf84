package dev.bourse.readmodels.stream;

import java.nio.charset.StandardCharsets;

import dev.bourse.protocol.auth.CredentialStore;
import dev.bourse.readmodels.ApiClientAccess;
import dev.bourse.readmodels.JournalSource;
import dev.bourse.readmodels.ReadModelsContext;
import dev.bourse.readmodels.ReadModelsServer;
import dev.bourse.readmodels.Workload;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.bourse.readmodels.stream.WsClient.field;
import static dev.bourse.readmodels.stream.WsClient.number;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The live streams end to end, over real WebSocket connections to a query server following a
 * journal that keeps growing: a client rebuilds the book from a depth snapshot and its updates and
 * ends with exactly the server's book; sequence numbers have no gaps; private channels carry only
 * the authenticated account's orders and fills; a client that stops reading is skipped to fresh
 * snapshots (or closed) without holding anyone back; session and subscription limits hold.
 */
class StreamsTest
{
    private static final Pattern LEVEL = Pattern.compile("\\{\"price\":\"([^\"]+)\",\"quantity\":(\\d+),\"orders\":(\\d+)}");
    private static final String ALICE = basic("alice", "alice-secret");
    private static final String BOB = basic("bob", "bob-secret");

    private Workload workload;
    private ReadModelsServer server;
    private WebSocketClient client;

    private static String basic(final String user, final String password)
    {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes());
    }

    private void start(final StreamLimits limits) throws Exception
    {
        start(limits, dev.bourse.readmodels.http.HttpLimits.DEFAULTS);
    }

    private void start(final StreamLimits limits, final dev.bourse.readmodels.http.HttpLimits httpLimits) throws Exception
    {
        workload = new Workload(17).run(2_000);
        final CredentialStore credentials = new CredentialStore()
            .addPlain("alice", "alice-secret", 1, true)
            .addPlain("bob", "bob-secret", 2, true)
            .addPlain("ops", "ops-secret", dev.bourse.protocol.auth.Role.OPERATIONS, 0, true)
            .addPlain("audit", "audit-secret", dev.bourse.protocol.auth.Role.COMPLIANCE, 0, true);
        server = ReadModelsServer.start(new ReadModelsContext().journal(JournalSource.of(workload.journal)).port(0)
            .bindAddress("127.0.0.1").credentials(credentials).streamLimits(limits).httpLimits(httpLimits));
        client = new WebSocketClient();
        client.start();
    }

    @BeforeEach
    void clear()
    {
        server = null;
        client = null;
    }

    @AfterEach
    void stop() throws Exception
    {
        if (client != null)
        {
            client.stop();
        }
        if (server != null)
        {
            server.close();
        }
    }

    @Test
    void aClientRebuildsTheBookFromASnapshotAndGaplessUpdates() throws Exception
    {
        start(StreamLimits.DEFAULTS);
        try (WsClient ws = WsClient.connect(client, server.port(), null))
        {
            for (final String channel : List.of("depth", "trades", "bbo", "candles", "status"))
            {
                ws.send("{\"op\":\"subscribe\",\"channel\":\"" + channel + "\",\"instrument\":\"I1\"}");
                ws.await(m -> m.contains("\"type\":\"subscribed\"") && m.contains("\"channel\":\"" + channel + "\""), channel);
                ws.await(m -> m.contains("\"type\":\"snapshot\"") && m.contains("\"channel\":\"" + channel + "\""),
                    channel + " snapshot");
            }
            workload.run(4_000);
            final long last = workload.journal.size() - 1;
            // The rebuilt book converges on the server's (every update of the depth channel applied in order).
            final String expected = depthOverHttp(last);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            String rebuilt = null;
            while (System.nanoTime() < deadline)
            {
                ws.await(m -> true, "a message");
                rebuilt = rebuild(ws.received(), "depth");
                if (expected.equals(rebuilt))
                {
                    break;
                }
            }
            assertEquals(expected, rebuilt);
            assertGapless(ws.received());
            final long trades = ws.received().stream().filter(m -> m.contains("\"channel\":\"trades\"") &&
                m.contains("\"type\":\"update\"")).count();
            assertTrue(trades > 0, "trade updates arrived");
            assertTrue(ws.received().stream().anyMatch(m -> m.contains("\"channel\":\"candles\"") && m.contains("\"interval\":\"1d\"")));
        }
    }

    /** An abuse probe: Jetty upgraded keys that are not 16 bytes of base64, and answered a wrong version 404. */
    @Test
    void aHandshakeRfc6455RefusesIsRefused() throws Exception
    {
        start(StreamLimits.DEFAULTS);
        final String good = java.util.Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        assertTrue(handshake("Sec-WebSocket-Key: " + good + "\r\nSec-WebSocket-Version: 13").startsWith("HTTP/1.1 101"));
        assertTrue(handshake("Sec-WebSocket-Key: short\r\nSec-WebSocket-Version: 13").startsWith("HTTP/1.1 400"));
        assertTrue(handshake("Sec-WebSocket-Key: !!!!!!!!!!!!!!!!!!!!!!!!\r\nSec-WebSocket-Version: 13").startsWith("HTTP/1.1 400"));
        final String wrongVersion = handshake("Sec-WebSocket-Key: " + good + "\r\nSec-WebSocket-Version: 8");
        assertTrue(wrongVersion.startsWith("HTTP/1.1 426"), wrongVersion);
        assertTrue(wrongVersion.toLowerCase(java.util.Locale.ROOT).contains("sec-websocket-version: 13"), wrongVersion);
        assertTrue(handshake("Sec-WebSocket-Key: " + good).startsWith("HTTP/1.1 426"));
    }

    /**
     * An outside tester's page on another site could open the stream with the Basic credentials a
     * browser cached for the exchange and read a trader's orders: credentials on an upgrade are taken
     * only from the exchange's own origin, or from clients that are not browsers (no Origin).
     */
    @Test
    void credentialsOnAnUpgradeFromAPageOfAnotherOriginAreRefused() throws Exception
    {
        start(StreamLimits.DEFAULTS);
        final String upgrade = "Sec-WebSocket-Key: " + java.util.Base64.getEncoder().encodeToString(
            "0123456789abcdef".getBytes(StandardCharsets.US_ASCII)) + "\r\nSec-WebSocket-Version: 13";
        final String fromElsewhere = handshake(upgrade + "\r\nAuthorization: " + ALICE + "\r\nOrigin: http://evil.example");
        assertTrue(fromElsewhere.startsWith("HTTP/1.1 403"), fromElsewhere);
        assertTrue(handshake(upgrade + "\r\nAuthorization: " + ALICE + "\r\nOrigin: http://localhost").startsWith("HTTP/1.1 101"),
            "the exchange's own pages");
        assertTrue(handshake(upgrade + "\r\nAuthorization: " + ALICE).startsWith("HTTP/1.1 101"), "a client that is not a browser");
        assertTrue(handshake(upgrade + "\r\nOrigin: http://evil.example").startsWith("HTTP/1.1 101"), "public channels from anywhere");

        assertFalse(HandshakeCheck.isCrossOrigin("https://bourse.example", "bourse.example:443"));
        assertFalse(HandshakeCheck.isCrossOrigin("http://BOURSE.example:8080/", "bourse.example:8080"));
        assertTrue(HandshakeCheck.isCrossOrigin("http://bourse.example:8081", "bourse.example:8080"));
        assertTrue(HandshakeCheck.isCrossOrigin("https://bourse.example.evil", "bourse.example"));
        assertTrue(HandshakeCheck.isCrossOrigin("null", "bourse.example"), "a sandboxed page or a file");
    }

    /**
     * An outside tester's account with 4,400 live orders never got its orders snapshot: more than the
     * ring's largest message (an eighth of it), refused on every try, silently. It gets the first
     * that fit, said incomplete with the total, and the updates after it.
     */
    @Test
    void anOrdersSnapshotLargerThanAMessageComesIncompleteAndSaysSo() throws Exception
    {
        start(new StreamLimits(8, 64, 1_024, 10_000, 1 << 16, 4_096)); // 64 KiB: messages of 8 KiB at most
        final dev.bourse.protocol.CommandWriter writer = new dev.bourse.protocol.CommandWriter();
        for (int i = 0; i < 200; i++) // far more of alice's orders than 8 KiB hold
        {
            final String clOrdId = "rest" + i;
            workload.submit(b -> writer.newOrder(b, 0, 0, 1, 1, 1, dev.bourse.protocol.sbe.Side.BUY, dev.bourse.protocol.sbe.OrdType.LIMIT,
                dev.bourse.protocol.sbe.TimeInForce.GTC, false, dev.bourse.protocol.sbe.StpMode.NONE,
                95 * dev.bourse.protocol.Prices.SCALE, 1, clOrdId, 0, 0, 0));
        }
        final long last = workload.journal.size() - 1;
        final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (server.counters().position() < last)
        {
            assertTrue(System.nanoTime() < deadline, "the projections at the orders");
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        try (WsClient alice = WsClient.connect(client, server.port(), ALICE))
        {
            alice.await(m -> m.contains("\"type\":\"authenticated\""), "authenticated");
            alice.send("{\"op\":\"subscribe\",\"channel\":\"orders\"}");
            final String snapshot = alice.await(m -> m.contains("\"type\":\"snapshot\"") && m.contains("\"channel\":\"orders\""),
                "the orders snapshot");
            final long total = number(snapshot, "total");
            final Matcher orderIds = Pattern.compile("\"orderId\":(\\d+)").matcher(snapshot);
            int included = 0;
            while (orderIds.find())
            {
                included++;
            }
            assertTrue(snapshot.length() < 8 << 10, "fits one message: " + snapshot.length());
            assertTrue(included > 0 && included < total, included + " of " + total);
            assertTrue(snapshot.contains("\"complete\":false"), snapshot);
            workload.run(2_000);
            alice.await(m -> m.contains("\"channel\":\"orders\"") && m.contains("\"type\":\"update\""), "updates after it");
        }
    }

    /** The response head to an upgrade request with these headers. */
    private String handshake(final String headers) throws Exception
    {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port()))
        {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + headers + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            final java.io.InputStream in = socket.getInputStream();
            final StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n"))
            {
                final int c = in.read();
                if (c < 0)
                {
                    break;
                }
                head.append((char)c);
            }
            return head.toString();
        }
    }

    @Test
    void theStatusChannelCarriesPhasesAuctionIndicationsAndTheAuctionsResult() throws Exception
    {
        start(StreamLimits.DEFAULTS);
        final dev.bourse.protocol.CommandWriter writer = new dev.bourse.protocol.CommandWriter();
        try (WsClient ws = WsClient.connect(client, server.port(), null))
        {
            ws.send("{\"op\":\"subscribe\",\"channel\":\"status\",\"instrument\":\"I1\"}");
            final String snapshot = ws.await(m -> m.contains("\"type\":\"snapshot\""), "status snapshot");
            assertTrue(snapshot.contains("\"phase\":\"CONTINUOUS\",\"auction\":null"), snapshot);

            workload.submit(b -> writer.setTradingPhase(b, 0, 0, 1, dev.bourse.protocol.sbe.TradingPhase.OPENING_CALL, null, 0));
            ws.await(m -> m.contains("\"type\":\"update\"") && m.contains("\"phase\":\"OPENING_CALL\""), "the call");
            final long mid = 100 * dev.bourse.protocol.Prices.SCALE;
            for (final dev.bourse.protocol.sbe.Side side : dev.bourse.protocol.sbe.Side.values())
            {
                if (side != dev.bourse.protocol.sbe.Side.NULL_VAL)
                {
                    workload.submit(b -> writer.newOrder(b, 0, 0, 1, side.value(), 1, side, dev.bourse.protocol.sbe.OrdType.LIMIT,
                        dev.bourse.protocol.sbe.TimeInForce.GTC, false, dev.bourse.protocol.sbe.StpMode.NONE, mid, 7,
                        "auction-" + side, 0, 0, 0));
                }
            }
            ws.await(m -> m.contains("\"type\":\"update\"") && m.contains("\"matchedQty\":") && !m.contains("\"matchedQty\":0"),
                "an indication that the book crosses");
            workload.submit(b -> writer.setTradingPhase(b, 0, 0, 1, dev.bourse.protocol.sbe.TradingPhase.CONTINUOUS, null, 0));
            final String result = ws.await(m -> m.contains("\"type\":\"update\"") && m.contains("\"lastAuction\":{"), "the auction");
            assertTrue(result.contains("\"call\":\"OPENING_CALL\""), result);
            // one update for the entry, in its end state: sent per event, the first said "still in the call, nothing
            // matches, auction done", a state the instrument never had (a streams probe)
            assertTrue(result.contains("\"phase\":\"CONTINUOUS\",\"auction\":null"), result);
            assertGapless(ws.received());
        }
    }

    @Test
    void orderUpdatesCarryWhatTheOrdersTypeAdds() throws Exception
    {
        start(StreamLimits.DEFAULTS);
        final dev.bourse.protocol.CommandWriter writer = new dev.bourse.protocol.CommandWriter();
        final long low = 50 * dev.bourse.protocol.Prices.SCALE;
        try (WsClient alice = WsClient.connect(client, server.port(), ALICE))
        {
            alice.await(m -> m.contains("\"type\":\"authenticated\"") && m.matches(".*\"accountId\":[0-9]+[,}].*"),
                "authenticated, with the account id a number");
            alice.send("{\"op\":\"subscribe\",\"channel\":\"orders\"}");
            alice.await(m -> m.contains("\"type\":\"snapshot\"") && m.contains("\"channel\":\"orders\""), "orders snapshot");
            workload.submit(b -> writer.newOrder(b, 0, 0, 1, 1, 1, dev.bourse.protocol.sbe.Side.BUY,
                dev.bourse.protocol.sbe.OrdType.LIMIT, dev.bourse.protocol.sbe.TimeInForce.GTD, false,
                dev.bourse.protocol.sbe.StpMode.NONE, low, 500, "peak", 0, 50, Long.MAX_VALUE / 2));
            final String update = alice.await(m -> m.contains("\"type\":\"update\"") && m.contains("\"clOrdId\":\"peak\""),
                "the iceberg's update");
            assertTrue(update.contains("\"displayQty\":50") && update.contains("\"expireTime\":" + Long.MAX_VALUE / 2), update);
            assertFalse(update.contains("stopPrice"), update);
            // the order's state as in open-orders and the snapshot: its account and STP mode too
            assertTrue(update.contains("\"orderId\":") && update.matches(".*\"orderId\":[0-9]+,\"accountId\":1,.*"), update);
            assertTrue(update.contains("\"postOnly\":false,\"stpMode\":\"NONE\""), update);
        }
    }

    @Test
    void privateChannelsCarryOnlyTheAuthenticatedAccountsOrdersAndFills() throws Exception
    {
        start(StreamLimits.DEFAULTS);
        try (WsClient anonymous = WsClient.connect(client, server.port(), null);
            WsClient alice = WsClient.connect(client, server.port(), ALICE);
            WsClient bob = WsClient.connect(client, server.port(), null))
        {
            anonymous.send("{\"op\":\"subscribe\",\"channel\":\"orders\"}");
            assertEquals("unauthorized", field(anonymous.await(m -> m.contains("\"type\":\"error\""), "an error"), "code"));

            alice.await(m -> m.contains("\"type\":\"authenticated\""), "authenticated");
            bob.send("{\"op\":\"auth\",\"username\":\"bob\",\"password\":\"bob-secret\"}");
            bob.await(m -> m.contains("\"type\":\"authenticated\""), "authenticated");
            for (final WsClient ws : List.of(alice, bob))
            {
                ws.send("{\"op\":\"subscribe\",\"channel\":\"orders\"}");
                ws.send("{\"op\":\"subscribe\",\"channel\":\"fills\"}");
                ws.await(m -> m.contains("\"type\":\"snapshot\"") && m.contains("\"channel\":\"orders\""), "orders snapshot");
                ws.await(m -> m.contains("\"type\":\"snapshot\"") && m.contains("\"channel\":\"fills\""), "fills snapshot");
            }
            bob.send("{\"op\":\"subscribe\",\"channel\":\"orders\",\"account\":\"1\"}");
            bob.await(m -> m.contains("\"code\":\"bad_request\""), "no way to name another account");
            // nor by a field the streams do not read: refused, not ignored (a probe's accountId got its own fills silently)
            bob.send("{\"op\":\"subscribe\",\"channel\":\"fills\",\"accountId\":\"1\"}");
            bob.await(m -> m.contains("\"code\":\"bad_request\"") && m.contains("unknown field 'accountId'"), "an unknown field refused");
            // an account on a public channel is refused too, rather than taken for a filter that is not applied (a probe)
            bob.send("{\"op\":\"subscribe\",\"channel\":\"trades\",\"instrument\":\"I1\",\"account\":\"2\"}");
            bob.await(m -> m.contains("\"code\":\"bad_request\"") && m.contains("is public: give an instrument, no account"),
                "an account on a public channel refused");
            workload.run(4_000);
            alice.await(m -> m.contains("\"channel\":\"fills\"") && m.contains("\"type\":\"update\""), "a fill of alice's");
            bob.await(m -> m.contains("\"channel\":\"fills\"") && m.contains("\"type\":\"update\""), "a fill of bob's");
            final Map<Long, Long> owners = orderOwners();
            for (final long account : new long[]{1, 2})
            {
                final List<String> messages = (account == 1 ? alice : bob).received();
                int checked = 0;
                for (final String m : messages)
                {
                    if (m.contains("\"channel\":\"orders\"") || m.contains("\"channel\":\"fills\""))
                    {
                        if (m.contains("\"accountId\":"))
                        {
                            assertEquals(account, number(m, "accountId"), m);
                        }
                        final Matcher orderIds = Pattern.compile("\"orderId\":(\\d+)").matcher(m);
                        while (orderIds.find())
                        {
                            assertEquals(account, owners.get(Long.parseLong(orderIds.group(1))), "an order of another account: " + m);
                            checked++;
                        }
                    }
                }
                assertTrue(checked > 10, "orders and fills of account " + account + ": " + checked);
                assertGapless(messages);
            }
        }
    }

    /**
     * Four addresses of 64 connections held all 256 stream slots, and every honest client got 503
     * "busy" for as long as they kept them (an outside tester). A client from an address holding
     * fewer now takes a slot from the address holding the most.
     */
    @Test
    void aClientFromAnotherAddressTakesASlotFromTheAddressHoldingTheMost() throws Exception
    {
        start(StreamLimits.DEFAULTS.with(4, 64, 1_024));
        final List<RawWsClient> greedy = new ArrayList<>();
        try
        {
            for (int i = 0; i < 4; i++)
            {
                greedy.add(new RawWsClient(server.port(), "127.0.0.2"));
            }
            final IOException refused = assertThrows(IOException.class, () -> new RawWsClient(server.port(), "127.0.0.2").close());
            assertTrue(refused.getMessage().contains("503"), "the greedy address gets no fifth: " + refused.getMessage());
            try (RawWsClient honest = new RawWsClient(server.port(), "127.0.0.3"))
            {
                honest.send("{\"op\":\"subscribe\",\"channel\":\"bbo\",\"instrument\":\"I1\"}");
                assertNotNull(honest.next(), "the honest client is served");
                int closed = 0;
                for (final RawWsClient client : greedy)
                {
                    client.send("{\"op\":\"ping\"}");
                    String message;
                    do
                    {
                        message = client.next();
                    }
                    while (message != null && !message.contains("pong"));
                    if (message == null)
                    {
                        assertEquals(1013, client.closeStatus, "closed to make room: try again later");
                        closed++;
                    }
                }
                assertEquals(1, closed, "one greedy session gave up its slot");
                assertEquals(1, server.streams().evictedSessions());
            }
        }
        finally
        {
            for (final RawWsClient client : greedy)
            {
                client.close();
            }
        }
    }

    @Test
    void aClientThatStopsReadingIsSkippedToFreshSnapshotsAndHoldsNobodyBack() throws Exception
    {
        // Small kernel send buffers, so the slow client's backlog reaches the queue limit after a few hundred messages.
        start(new StreamLimits(8, 64, 256, 120_000, 8 << 20, 4_096), dev.bourse.readmodels.http.HttpLimits.DEFAULTS.withSendBuffer(8_192));
        try (RawWsClient slow = new RawWsClient(server.port()); WsClient fast = WsClient.connect(client, server.port(), null))
        {
            for (int instrument = 1; instrument <= 4; instrument++)
            {
                slow.send("{\"op\":\"subscribe\",\"channel\":\"depth\",\"instrument\":\"" + instrument + "\"}");
                slow.send("{\"op\":\"subscribe\",\"channel\":\"trades\",\"instrument\":\"" + instrument + "\"}");
            }
            fast.send("{\"op\":\"subscribe\",\"channel\":\"depth\",\"instrument\":\"I1\"}");
            fast.await(m -> m.contains("\"type\":\"snapshot\""), "snapshot");
            // The slow client reads nothing while the journal grows, until the socket buffers between
            // it and the server are full and it is the queue-limit messages behind.
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (server.streams().sessionsBehind() == 0 && System.nanoTime() < deadline)
            {
                workload.run(2_000);
            }
            assertTrue(server.streams().sessionsBehind() > 0, "the slow client fell behind and was skipped");
            final long last = workload.journal.size() - 1;
            dev.bourse.readmodels.RestartAndRebuildTestAccess.awaitPosition(server, last);

            // The fast client kept up all along: its book is the server's.
            final String expected = depthOverHttp(last);
            final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            String rebuilt = null;
            while (System.nanoTime() < until && !expected.equals(rebuilt))
            {
                fast.await(m -> true, "a message");
                rebuilt = rebuild(fast.received(), "depth");
            }
            assertEquals(expected, rebuilt);
            assertGapless(fast.received());

            // The slow client reads again: it is told it was skipped, then gets fresh snapshots.
            String message;
            boolean notified = false;
            int snapshotsAfter = 0;
            while (snapshotsAfter < 8 && (message = slow.next()) != null)
            {
                notified |= message.contains("\"code\":\"slow_consumer\"");
                if (notified && message.contains("\"type\":\"snapshot\""))
                {
                    snapshotsAfter++;
                }
            }
            assertTrue(notified, "a slow_consumer notice");
            assertEquals(8, snapshotsAfter, "a fresh snapshot of every channel it subscribed to");
        }
    }

    /**
     * The bytes queued for a client that does not read are bounded, not only their count: with the
     * count alone (1,024 messages) a client asking for depth snapshots held tens of megabytes, and 32
     * ran a 1 GB heap out of memory (an outside probe). Here the count is out of reach: the bytes stop it.
     */
    @Test
    void aClientThatStopsReadingHoldsAtMostAMegabyteQueued() throws Exception
    {
        start(new StreamLimits(8, 64, StreamLimits.MAX_QUEUE_LIMIT, 120_000, 8 << 20, 4_096),
            dev.bourse.readmodels.http.HttpLimits.DEFAULTS.withSendBuffer(8_192));
        final dev.bourse.protocol.CommandWriter writer = new dev.bourse.protocol.CommandWriter();
        for (int level = 0; level < 500; level++) // a deep book: each depth snapshot some 25 KB
        {
            final long price = (60 * 100 + level) * (dev.bourse.protocol.Prices.SCALE / 100);
            workload.submit(b -> writer.newOrder(b, 0, 0, 1, 1, 1, dev.bourse.protocol.sbe.Side.BUY,
                dev.bourse.protocol.sbe.OrdType.LIMIT, dev.bourse.protocol.sbe.TimeInForce.GTC, false,
                dev.bourse.protocol.sbe.StpMode.NONE, price, 1, "deep" + price));
        }
        dev.bourse.readmodels.RestartAndRebuildTestAccess.awaitPosition(server, workload.journal.size() - 1);
        try (RawWsClient slow = new RawWsClient(server.port()))
        {
            slow.send("{\"op\":\"subscribe\",\"channel\":\"depth\",\"instrument\":\"1\"}");
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (server.streams().sessionsBehind() == 0 && System.nanoTime() < deadline)
            {
                slow.send("{\"op\":\"resync\",\"channel\":\"depth\",\"instrument\":\"1\"}"); // never reads a byte
                Thread.sleep(40);
            }
            assertTrue(server.streams().sessionsBehind() > 0, "skipped once about a megabyte behind, not " + StreamLimits.MAX_QUEUE_LIMIT + " messages");
            final long counted = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.streams().queuedBytes() == 0 && System.nanoTime() < counted)
            {
                Thread.sleep(10); // the publisher's housekeeping counts it
            }
            final long queued = server.streams().queuedBytes();
            assertTrue(queued > 0 && queued <= StreamPublisher.MAX_QUEUED_CHARS + 64 * 1024, "queued bytes: " + queued);
        }
    }

    @Test
    void aClientThatStaysBehindIsClosed() throws Exception
    {
        start(new StreamLimits(8, 64, 16, 200, 1 << 20, 4_096), dev.bourse.readmodels.http.HttpLimits.DEFAULTS.withSendBuffer(8_192));
        try (RawWsClient slow = new RawWsClient(server.port()))
        {
            for (int instrument = 1; instrument <= 4; instrument++)
            {
                slow.send("{\"op\":\"subscribe\",\"channel\":\"depth\",\"instrument\":\"" + instrument + "\"}");
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (server.streams().slowDisconnects() == 0 && System.nanoTime() < deadline)
            {
                workload.run(2_000);
            }
            assertEquals(1, server.streams().slowDisconnects());
            final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (server.streams().sessions() != 0 && System.nanoTime() < until)
            {
                Thread.sleep(10);
            }
            assertEquals(0, server.streams().sessions());
        }
    }

    /** A stopping query side tells every session so, subscribed or not (an idle one was told "Connection Idle Timeout"). */
    @Test
    void everySessionIsToldTheQuerySideIsStopping() throws Exception
    {
        start(StreamLimits.DEFAULTS);
        try (WsClient idle = WsClient.connect(client, server.port(), null);
            WsClient subscribed = WsClient.connect(client, server.port(), null))
        {
            subscribed.send("{\"op\":\"subscribe\",\"channel\":\"trades\",\"instrument\":\"I1\"}");
            subscribed.await(m -> m.contains("\"type\":\"subscribed\""), "subscribed");
            idle.send("{\"op\":\"ping\"}");
            idle.await(m -> m.contains("\"type\":\"pong\""), "the idle session is registered");
            server.close();
            server = null;
            for (final WsClient ws : List.of(idle, subscribed))
            {
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (ws.closeStatus == -1 && System.nanoTime() < deadline)
                {
                    Thread.sleep(10); // waits for the close frame, the event itself
                }
                assertEquals(1001, ws.closeStatus, ws.closeReason);
                assertEquals("the query side is stopping", ws.closeReason);
            }
        }
    }

    @Test
    void aClientThatSendsNothingNotEvenPongsIsClosedAndOneThatPongsStays() throws Exception
    {
        // idle close 900 ms: the server pings every 300 ms; the JDK's client answers pings, the raw one never does
        start(new StreamLimits(8, 64, 1_024, 10_000, 1 << 20, 4_096, 900));
        try (RawWsClient silent = new RawWsClient(server.port());
            WsClient answering = WsClient.connect(client, server.port(), null))
        {
            final long started = System.nanoTime();
            String frame;
            while ((frame = silent.next()) != null)
            {
                assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(15), "still open: " + frame);
            }
            answering.send("{\"op\":\"ping\"}");
            answering.await(m -> m.contains("\"type\":\"pong\""), "the answering client is still served");
        }
    }

    @Test
    void aStreamOutlivesTheHttpHeaderDeadline() throws Exception
    {
        // New HTTP connections must send their first request within 300 ms; a stream session is past that.
        start(StreamLimits.DEFAULTS, new dev.bourse.readmodels.http.HttpLimits(4, 64, 30_000, 300, 10_000, 8_192, 1_024));
        try (WsClient ws = WsClient.connect(client, server.port(), null))
        {
            ws.sendBinary("{\"op\":\"ping\"}");
            assertTrue(ws.await(m -> m.contains("\"type\":\"error\""), "an answer to a binary frame").contains("text frames"));
            final long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_500);
            while (System.nanoTime() < until)
            {
                ws.send("{\"op\":\"ping\"}");
                ws.await(m -> m.contains("\"type\":\"pong\""), "pong");
                Thread.sleep(100);
            }
            assertEquals(-1, ws.closeStatus, "still open");
        }
    }

    /** An operator reads no account's private channels, and is told so whatever the request names. */
    @Test
    void anOperatorIsToldItsRoleReadsNoAccountsOrders() throws Exception
    {
        start(StreamLimits.DEFAULTS);
        try (WsClient ops = WsClient.connect(client, server.port(), basic("ops", "ops-secret")))
        {
            for (final String request : List.of("{\"op\":\"subscribe\",\"channel\":\"orders\"}",
                "{\"op\":\"subscribe\",\"channel\":\"orders\",\"account\":\"1\"}"))
            {
                ops.send(request);
                final String error = ops.await(m -> m.contains("\"type\":\"error\""), "an error");
                assertEquals("unauthorized", field(error, "code"), request + ": " + error);
                assertTrue(error.contains("your role reads no account's orders"), error);
            }
        }
    }

    /**
     * Compliance names any account, and hears of one that does not exist, as GET /accounts/{id}
     * answers 404 (an outside probe saw such a subscription accepted and silent for ever).
     */
    @Test
    void complianceIsToldOfAnAccountThatDoesNotExist() throws Exception
    {
        start(StreamLimits.DEFAULTS);
        try (WsClient audit = WsClient.connect(client, server.port(), basic("audit", "audit-secret")))
        {
            audit.send("{\"op\":\"subscribe\",\"channel\":\"fills\",\"account\":\"999\"}");
            final String error = audit.await(m -> m.contains("\"type\":\"error\""), "an error");
            assertEquals("unknown_account", field(error, "code"), error);
            assertTrue(error.contains("no account 999"), error);
            audit.send("{\"op\":\"subscribe\",\"channel\":\"fills\",\"account\":\"2\"}");
            final String subscribed = audit.await(m -> m.contains("\"type\":\"subscribed\""), "subscribed to account 2");
            assertTrue(subscribed.contains("\"accountId\":2"), subscribed);
        }
    }

    /**
     * What the streams cannot read as meant is refused with bad_request, not guessed at (an outside
     * tester): an auth or a ping with a field it does not take (the auth logged in, the ping was
     * answered), an instrument given as a number that is no id (1.5 was looked up as a symbol), a
     * null (taken for a field not given: "none was given"), a boolean (read as the string "true": an
     * unknown op, a wrong password), a number outside JSON's grammar (01 was accepted).
     */
    @Test
    void requestsThatCannotBeReadAsMeantAreRefused() throws Exception
    {
        start(StreamLimits.DEFAULTS);
        try (WsClient audit = WsClient.connect(client, server.port(), null))
        {
            audit.send("{\"op\":\"auth\",\"username\":\"audit\",\"password\":\"audit-secret\",\"foo\":1}");
            assertBadRequest(audit, "unknown field 'foo' (op, token, username, password)");
            audit.send("{\"op\":\"ping\",\"x\":1}");
            assertBadRequest(audit, "unknown field 'x' (op)");
            for (final String notAnId : List.of("1.5", "-1", "1e0"))
            {
                audit.send("{\"op\":\"subscribe\",\"channel\":\"depth\",\"instrument\":" + notAnId + "}");
                assertBadRequest(audit, "instrument must be a symbol string or a numeric id (digits only), not " + notAnId);
            }
            audit.send("{\"op\":\"subscribe\",\"channel\":\"depth\",\"instrument\":01}");
            assertBadRequest(audit, "not a JSON object of strings and numbers: bad number at ");
            audit.send("{\"op\":true}");
            assertBadRequest(audit, "not a JSON object of strings and numbers: field 'op' is true");
            audit.send("{\"op\":\"subscribe\",\"channel\":\"depth\",\"instrument\":true}");
            assertBadRequest(audit, "not a JSON object of strings and numbers: field 'instrument' is true");
            audit.send("{\"op\":\"auth\",\"username\":true,\"password\":\"x\"}");
            assertBadRequest(audit, "not a JSON object of strings and numbers: field 'username' is true");
            audit.send("{\"op\":\"auth\",\"username\":\"audit\",\"password\":\"audit-secret\"}");
            assertTrue(audit.await(m -> true, "an answer").contains("\"type\":\"authenticated\""), "not logged in before");
            audit.send("{\"op\":\"subscribe\",\"channel\":\"fills\",\"account\":null}");
            assertBadRequest(audit, "not a JSON object of strings and numbers: field 'account' is null");
            audit.send("{\"op\":\"subscribe\",\"channel\":\"depth\",\"instrument\":1}");
            final String subscribed = audit.await(m -> true, "an answer");
            assertTrue(subscribed.contains("\"type\":\"subscribed\"") && subscribed.contains("\"instrumentId\":1"),
                "an id given as a number still names its instrument: " + subscribed);
        }
    }

    /** The next message is a bad_request error saying {@code words}. */
    private static void assertBadRequest(final WsClient ws, final String words) throws InterruptedException
    {
        final String answer = ws.await(m -> true, "an answer");
        assertEquals("bad_request", field(answer, "code"), answer);
        assertTrue(answer.contains(words), answer);
    }

    /** A refused upgrade answers in the API's error shape: an outside probe saw "http_401" without WWW-Authenticate. */
    @Test
    void aRefusedUpgradeAnswersLikeTheApi() throws Exception
    {
        start(StreamLimits.DEFAULTS);
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port()))
        {
            socket.setSoTimeout(10_000);
            final String bad = java.util.Base64.getEncoder().encodeToString("alice:wrong".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            socket.getOutputStream().write(("GET " + Streams.PATH + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Authorization: Basic " + bad + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            final StringBuilder read = new StringBuilder();
            final java.io.InputStream in = socket.getInputStream();
            for (int b; !(read.indexOf("\r\n\r\n") > 0 && read.charAt(read.length() - 1) == '}') && (b = in.read()) >= 0; )
            {
                read.append((char)b);
            }
            final String answer = read.toString();
            assertTrue(answer.startsWith("HTTP/1.1 401"), answer);
            assertTrue(answer.contains("WWW-Authenticate: Basic realm=\"bourse\""), answer);
            assertTrue(answer.contains("{\"error\":\"unauthorized\",\"message\":\"wrong credentials\"}"), answer);
        }
        catch (final java.net.SocketTimeoutException e)
        {
            fail("no answer to the refused upgrade");
        }
    }

    @Test
    void sessionAndSubscriptionLimitsHold() throws Exception
    {
        start(new StreamLimits(2, 3, 1_024, 10_000, 1 << 20, 4_096));
        try (WsClient one = WsClient.connect(client, server.port(), null); WsClient two = WsClient.connect(client, server.port(), null))
        {
            final Exception refused = assertThrows(Exception.class, () -> WsClient.connect(client, server.port(), null));
            assertTrue(String.valueOf(refused.getMessage()).contains("503") || String.valueOf(refused.getCause()).contains("503"),
                String.valueOf(refused));
            for (final String channel : List.of("depth", "trades", "bbo", "candles"))
            {
                one.send("{\"op\":\"subscribe\",\"channel\":\"" + channel + "\",\"instrument\":\"1\"}");
            }
            assertEquals("too_many_subscriptions", field(one.await(m -> m.contains("\"type\":\"error\""), "an error"), "code"));
            one.send("{\"op\":\"subscribe\",\"channel\":\"depth\",\"instrument\":\"NOPE\"}");
            assertEquals("unknown_instrument", field(one.await(m -> m.contains("unknown_instrument"), "an error"), "code"));
            // one longer than any symbol or id was told the channel "needs an instrument" (an outside tester)
            one.send("{\"op\":\"subscribe\",\"channel\":\"depth\",\"instrument\":\"" + "A".repeat(40) + "\"}");
            assertTrue(one.await(m -> m.contains("unknown_instrument") && m.contains("AAAAAAAAAA"), "an error naming it").contains("no instrument"));
            one.send("not json");
            assertEquals("bad_request", field(one.await(m -> m.contains("bad_request"), "an error"), "code"));
            one.send("{\"op\":\"resync\",\"channel\":\"depth\",\"instrument\":\"1\"}");
            one.await(m -> m.contains("\"type\":\"snapshot\"") && m.contains("\"channel\":\"depth\""), "a new depth snapshot");
            two.send("{\"op\":\"ping\"}");
            two.await(m -> m.contains("\"type\":\"pong\""), "pong");
        }
        // Closing frees the slots.
        final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (server.streams().sessions() != 0 && System.nanoTime() < until)
        {
            Thread.sleep(10);
        }
        try (WsClient again = WsClient.connect(client, server.port(), null))
        {
            again.send("{\"op\":\"ping\"}");
            again.await(m -> m.contains("\"type\":\"pong\""), "pong");
        }
    }

    @Test
    void aSessionsRequestsAreHeldToItsRateAndAFloodIsClosedWhileOthersAreServed() throws Exception
    {
        start(new StreamLimits(8, 64, 1_024, 10_000, 1 << 20, 4_096, 60_000, 20));
        try (WsClient flood = WsClient.connect(client, server.port(), null); WsClient honest = WsClient.connect(client, server.port(), null))
        {
            // 30 at once: past 20 a second requests are dropped, the first of them answered
            for (int i = 0; i < 30; i++)
            {
                flood.send("{\"op\":\"ping\"}");
            }
            final String limited = flood.await(m -> m.contains("rate_limited"), "a rate_limited error");
            assertTrue(limited.contains("more than 20 requests a second"), limited);
            assertTrue(flood.received().stream().filter(m -> m.contains("\"type\":\"pong\"")).count() < 30, "some were dropped");
            // a burst of 400 (five seconds' worth at four times the rate): closed
            int sent = 30;
            while (flood.closeStatus < 0 && sent < 430)
            {
                flood.send("{\"op\":\"resync\",\"channel\":\"depth\",\"instrument\":\"1\"}");
                sent++;
            }
            final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (flood.closeStatus < 0 && System.nanoTime() < until)
            {
                Thread.sleep(10);
            }
            // 1008 as the server closed it, or 1006 when the close crossed requests still on their way (the count below says why)
            assertTrue(flood.closeStatus == 1008 || flood.closeStatus == 1006, "closed for its flood after " + sent + " requests: " +
                flood.closeStatus);
            final long answered = flood.received().stream().filter(m -> m.contains("\"type\":\"error\"")).count();
            assertTrue(answered < sent, answered + " errors for " + sent + " requests");

            honest.send("{\"op\":\"subscribe\",\"channel\":\"depth\",\"instrument\":\"1\"}");
            honest.await(m -> m.contains("\"type\":\"snapshot\"") && m.contains("\"channel\":\"depth\""), "the honest client's snapshot");
            honest.send("{\"op\":\"ping\"}");
            honest.await(m -> m.contains("\"type\":\"pong\""), "pong");
        }
        final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while ((server.streams().rateLimitDisconnects() != 1 || server.streams().rateLimited() < 1) && System.nanoTime() < until)
        {
            Thread.sleep(10);
        }
        assertEquals(1, server.streams().rateLimitDisconnects());
        assertTrue(server.streams().rateLimited() >= 1);
    }

    // ------------------------------------------------------------------ helpers

    private String depthOverHttp(final long position)
    {
        final String body = ApiClientAccess.get(server.port(), "/api/v1/instruments/1/depth?levels=1000&waitFor=" + position +
            "&timeoutMs=20000");
        return levels(body.substring(body.indexOf("\"bids\"")));
    }

    /** The book as text (bids then asks, best first) from the last snapshot of the channel and the updates after it. */
    private static String rebuild(final List<String> messages, final String channel)
    {
        final TreeMap<Long, String> bids = new TreeMap<>(java.util.Comparator.reverseOrder());
        final TreeMap<Long, String> asks = new TreeMap<>();
        for (final String m : messages)
        {
            if (!m.contains("\"channel\":\"" + channel + "\"") || !m.contains("\"instrumentId\":1,"))
            {
                continue;
            }
            if (m.contains("\"type\":\"snapshot\""))
            {
                bids.clear();
                asks.clear();
                final int split = m.indexOf("\"asks\"");
                put(bids, m.substring(0, split));
                put(asks, m.substring(split));
            }
            else if (m.contains("\"type\":\"update\""))
            {
                final TreeMap<Long, String> side = "BUY".equals(field(m, "side")) ? bids : asks;
                final long price = dev.bourse.protocol.Prices.parse(field(m.substring(m.indexOf("\"data\"")), "price"));
                final long quantity = number(m.substring(m.indexOf("\"data\"")), "quantity");
                if (quantity == 0)
                {
                    side.remove(price);
                }
                else
                {
                    side.put(price, quantity + "x" + number(m.substring(m.indexOf("\"data\"")), "orders"));
                }
            }
        }
        return bids + " | " + asks;
    }

    private static void put(final TreeMap<Long, String> side, final String text)
    {
        final Matcher level = LEVEL.matcher(text);
        while (level.find())
        {
            side.put(dev.bourse.protocol.Prices.parse(level.group(1)), level.group(2) + "x" + level.group(3));
        }
    }

    private static String levels(final String depthJson)
    {
        final TreeMap<Long, String> bids = new TreeMap<>(java.util.Comparator.reverseOrder());
        final TreeMap<Long, String> asks = new TreeMap<>();
        final int split = depthJson.indexOf("\"asks\"");
        put(bids, depthJson.substring(0, split));
        put(asks, depthJson.substring(split));
        return bids + " | " + asks;
    }

    /** Per channel: a snapshot, then updates numbered one after another from the snapshot's number. */
    private static void assertGapless(final List<String> messages)
    {
        final Map<String, Long> next = new HashMap<>();
        int updates = 0;
        for (final String m : messages)
        {
            final String type = field(m, "type");
            if (!"snapshot".equals(type) && !"update".equals(type))
            {
                continue;
            }
            final String channel = field(m, "channel") + "/" + (m.contains("\"accountId\":") ? field(m, "accountId") : field(m, "instrumentId"));
            final long seq = number(m, "seq");
            if ("snapshot".equals(type))
            {
                next.put(channel, seq + 1);
            }
            else
            {
                assertNotNull(next.get(channel), "an update before any snapshot: " + m);
                assertEquals(next.get(channel), seq, "gap in " + channel);
                next.put(channel, seq + 1);
                updates++;
            }
        }
        assertTrue(updates > 0, "some updates");
    }

    private Map<Long, Long> orderOwners()
    {
        final Map<Long, Long> owners = new HashMap<>();
        final var reference = workload.reference();
        for (final long account : new ArrayList<>(reference.accounts().keySet()))
        {
            for (final var line : reference.findAccount(account).activity())
            {
                if (line.orderId() != 0)
                {
                    owners.put(line.orderId(), account);
                }
            }
        }
        return owners;
    }
}
