package dev.bourse.gateway;

import dev.bourse.protocol.tls.TlsSettings;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import quickfix.field.ExecType;
import quickfix.field.OrdStatus;
import quickfix.field.Side;
import quickfix.fix44.ExecutionReport;

import javax.net.ssl.SSLSocket;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * FIX over TLS on the gateway's TLS port: a stock FIX engine (QuickFIX/J with SocketUseSSL) logs
 * on, orders and is filled over TLS 1.3 and 1.2 with the plain port turned off; and handshakes
 * that fail (plain FIX, a TLS 1.1 ClientHello, garbage) are counted, logged once and close only
 * their own connection while an honest session keeps trading.
 */
class TlsGatewayTest
{
    private final List<String> log = new CopyOnWriteArrayList<>();
    private TestExchange exchange;
    private final QuickFixInteropTest.Client alice = new QuickFixInteropTest.Client("ALICE", "alice", TestExchange.PASSWORD);
    private final QuickFixInteropTest.Client bob = new QuickFixInteropTest.Client("BOB", "bob", TestExchange.PASSWORD);

    @AfterEach
    void tearDown() throws Exception
    {
        alice.stop();
        bob.stop();
        if (exchange != null)
        {
            exchange.close();
        }
    }

    private void startExchange(final boolean plain) throws Exception
    {
        exchange = new TestExchange(ctx -> ctx.tls(TestTls.settings()).tlsPort(0).plainEnabled(plain).idleStrategy("select")
            .cancelOnDisconnect(false).errorLog(log::add));
    }

    private void startOverTls(final QuickFixInteropTest.Client client, final String protocol) throws Exception
    {
        client.extraSettings.put("SocketUseSSL", "Y");
        client.extraSettings.put("SocketTrustStore", TestTls.keystore().toString());
        client.extraSettings.put("SocketTrustStorePassword", new String(TestTls.PASSWORD));
        client.extraSettings.put("TrustStoreType", "PKCS12");
        client.extraSettings.put("EnabledProtocols", protocol);
        client.start(exchange.gateway.tlsPort());
        TestExchange.await(() -> client.loggedOn, client.compId + " logon over " + protocol);
    }

    @Test
    void quickFixJLogsOnOrdersAndIsFilledOverTlsWithThePlainPortOff() throws Exception
    {
        startExchange(false);
        assertEquals(-1, exchange.gateway.port(), "the plain port is off");
        startOverTls(alice, "TLSv1.3");
        startOverTls(bob, "TLSv1.2");

        alice.send(QuickFixInteropTest.limit("a1", Side.BUY, 100, 100.25));
        ExecutionReport er = alice.report();
        assertEquals(ExecType.NEW, er.getExecType().getValue());

        bob.send(QuickFixInteropTest.limit("b1", Side.SELL, 40, 100));
        assertEquals(ExecType.NEW, bob.report().getExecType().getValue());
        er = bob.report();
        assertEquals(ExecType.TRADE, er.getExecType().getValue());
        assertEquals(OrdStatus.FILLED, er.getOrdStatus().getValue());
        assertEquals(100.25, er.getLastPx().getValue());
        er = alice.report();
        assertEquals(ExecType.TRADE, er.getExecType().getValue());
        assertEquals(OrdStatus.PARTIALLY_FILLED, er.getOrdStatus().getValue());
        assertEquals(40, er.getLastQty().getValue());
        assertEquals(0, exchange.gateway.sessions().refused(Refusal.TLS_HANDSHAKE));
    }

    /**
     * An outside tester: refused client certificates shared the "handshake_failed" line with every
     * other TLS failure, so within one interval a firm's refused certificate went unnamed, counted in
     * "more like it" on a later line about another client's old protocol. They have their own reason.
     */
    @Test
    void aRefusedClientCertificateIsLoggedAndCountedUnderItsOwnReason() throws Exception
    {
        final TlsSettings needCertificates = new TlsSettings(TestTls.keystore(), TestTls.PASSWORD, "PKCS12", null,
            TlsSettings.ClientAuth.NEED, TestTls.keystore(), TestTls.PASSWORD);
        exchange = new TestExchange(ctx -> ctx.tls(needCertificates).tlsPort(0).plainEnabled(true).idleStrategy("select")
            .cancelOnDisconnect(false).errorLog(log::add));
        final int tlsPort = exchange.gateway.tlsPort();
        try (java.net.Socket noCertificate = TestTls.connect(tlsPort, "TLSv1.2"))
        {
            noCertificate.getInputStream().read(); // TLS 1.2: refused in the handshake itself
        }
        catch (final java.io.IOException refused)
        {
            // the gateway's alert
        }
        assertClosedByGateway(tlsPort, tls11ClientHello());
        TestExchange.await(() -> exchange.gateway.sessions().refused(Refusal.TLS_CLIENT_CERTIFICATE) == 1
            && exchange.gateway.sessions().refused(Refusal.TLS_HANDSHAKE) == 1, "one of each counted: " + log);
        assertEquals(1, log.stream().filter(line -> line.startsWith("gateway: TLS client_certificate 127.0.0.1: TLS client certificate "
            + "refused (Empty client certificate chain)")).count(), String.valueOf(log));
        assertEquals(1, log.stream().filter(line -> line.contains("TLS handshake_failed")).count(), "its own line too: " + log);
    }

    @Test
    void failedHandshakesAreCountedLoggedOnceAndHarmNobodyElse() throws Exception
    {
        startExchange(true);
        final int tlsPort = exchange.gateway.tlsPort();
        try (FixClient honest = new FixClient(exchange.port(), "HONEST");
             FixClient secure = new FixClient(TestTls.connect(tlsPort, "TLSv1.3"), "SECURE"))
        {
            honest.logonOk("alice");
            secure.logonOk("bob");

            // plain FIX on the TLS port, a TLS 1.1 ClientHello, and garbage
            assertClosedByGateway(tlsPort, FixClient.frame("35=A|49=X|56=BOURSE|34=1|52=" + FixClient.now() + "|98=0|108=30|"));
            assertClosedByGateway(tlsPort, tls11ClientHello());
            assertClosedByGateway(tlsPort, "\u0016\u0003\u0003garbage that is no TLS record at all".getBytes(StandardCharsets.ISO_8859_1));
            TestExchange.await(() -> exchange.gateway.sessions().refused(Refusal.TLS_HANDSHAKE) == 3, "three failed handshakes counted, not "
                + exchange.gateway.sessions().refused(Refusal.TLS_HANDSHAKE) + ": " + log);
            assertEquals(1, log.stream().filter(line -> line.contains("TLS handshake_failed")).count(),
                "one log line per interval, the others counted: " + log);

            // both honest sessions trade on, over plain TCP and over TLS
            honest.send("D", "11=h1|55=ACME|54=1|38=10|40=2|44=100|59=1|");
            assertEquals("0", honest.expect("8").get(150));
            secure.send("D", "11=s1|55=ACME|54=2|38=10|40=2|44=100|59=1|");
            assertEquals("0", secure.expect("8").get(150));
            assertEquals("F", secure.expect("8").get(150));
            assertEquals("F", honest.expect("8").get(150));
        }
    }

    @Test
    void aHandshakeWaitingForItsKeyExchangeStallsNobody() throws Exception
    {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger tasks = new AtomicInteger();
        final ExecutorService held = Executors.newSingleThreadExecutor();
        try
        {
            // every handshake task waits until the test releases it: a key exchange that takes for ever
            exchange = new TestExchange(ctx -> ctx.tls(TestTls.settings()).tlsPort(0).idleStrategy("select").cancelOnDisconnect(false)
                .errorLog(log::add).tlsHandshakeExecutor(task -> held.execute(() ->
                {
                    tasks.incrementAndGet();
                    try
                    {
                        release.await();
                    }
                    catch (final InterruptedException e)
                    {
                        Thread.currentThread().interrupt();
                    }
                    task.run();
                })));
            final CompletableFuture<SSLSocket> pending = CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    return TestTls.connect(exchange.gateway.tlsPort(), "TLSv1.3");
                }
                catch (final Exception e)
                {
                    throw new IllegalStateException(e);
                }
            });
            TestExchange.await(() -> tasks.get() == 1, "the TLS handshake waiting for its task");
            try (FixClient honest = new FixClient(exchange.port(), "HONEST"))
            {
                honest.logonOk("alice");
                honest.send("D", "11=h1|55=ACME|54=1|38=10|40=2|44=100|59=1|");
                assertEquals("0", honest.expect("8").get(150), "the order path answers while the handshake waits");
                assertFalse(pending.isDone(), "the TLS client is still waiting for the handshake");

                release.countDown();
                try (FixClient secure = new FixClient(pending.get(10, TimeUnit.SECONDS), "SECURE"))
                {
                    secure.logonOk("bob");
                    secure.send("D", "11=s1|55=ACME|54=2|38=10|40=2|44=100|59=1|");
                    assertEquals("0", secure.expect("8").get(150));
                    assertEquals("F", secure.expect("8").get(150));
                    assertEquals("F", honest.expect("8").get(150));
                }
            }
        }
        finally
        {
            release.countDown();
            held.shutdownNow();
        }
    }

    @Test
    void aHandshakeThatFindsTheHandshakeQueueFullIsRefusedAsBusy() throws Exception
    {
        exchange = new TestExchange(ctx -> ctx.tls(TestTls.settings()).tlsPort(0).idleStrategy("select").errorLog(log::add)
            .tlsHandshakeExecutor(task ->
            {
                throw new RejectedExecutionException("full");
            }));
        final SSLSocket socket = (SSLSocket)TestTls.clientContext().getSocketFactory().createSocket("127.0.0.1", exchange.gateway.tlsPort());
        try (socket)
        {
            socket.setSoTimeout(10_000);
            assertThrows(java.io.IOException.class, socket::startHandshake, "the gateway closes the connection");
        }
        TestExchange.await(() -> exchange.gateway.sessions().refused(Refusal.TLS_BUSY) == 1, "counted as busy");
        assertTrue(log.stream().anyMatch(line -> line.contains("TLS busy")), String.valueOf(log));
    }

    /**
     * A client that does not trust the certificate ends the handshake with an alert: the log says
     * the client refused it and names the alert, not "plain text or garbage" (a probe's Python
     * client, whose TLS 1.3 alert comes in the clear, was logged as garbage).
     */
    @Test
    void aClientThatRefusesTheCertificateIsLoggedAsRefusingNotAsGarbage() throws Exception
    {
        exchange = new TestExchange(ctx -> ctx.tls(TestTls.settings()).tlsPort(0).idleStrategy("select").abuseLogIntervalMs(0)
            .errorLog(log::add));
        // the JDK's authorities only: the test's self-signed certificate is not among them
        final javax.net.ssl.TrustManagerFactory authorities =
            javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        authorities.init((java.security.KeyStore)null);
        final javax.net.ssl.SSLContext distrustful = javax.net.ssl.SSLContext.getInstance("TLS");
        distrustful.init(null, authorities.getTrustManagers(), null);
        for (final String protocol : List.of("TLSv1.3", "TLSv1.2"))
        {
            try (SSLSocket socket = (SSLSocket)distrustful.getSocketFactory().createSocket("127.0.0.1", exchange.gateway.tlsPort()))
            {
                socket.setEnabledProtocols(new String[] {protocol});
                socket.setSoTimeout(10_000);
                assertThrows(javax.net.ssl.SSLException.class, socket::startHandshake, "the client refuses the certificate");
            }
        }
        // an alert sent in the clear as the first record, as OpenSSL's clients send one where TLS 1.3 wants it encrypted
        assertClosedByGateway(exchange.gateway.tlsPort(), new byte[] {21, 3, 3, 0, 2, 2, 48});
        TestExchange.await(() -> exchange.gateway.sessions().refused(Refusal.TLS_HANDSHAKE) == 3, "three refusals counted: " + log);
        final List<String> lines = log.stream().filter(line -> line.contains("TLS handshake_failed")).toList();
        assertEquals(3, lines.size(), String.valueOf(log));
        for (final String line : lines)
        {
            assertTrue(line.contains("the client refused it, sending the TLS alert "), line);
        }
        assertTrue(lines.get(2).contains("alert unknown_ca"), lines.get(2));
    }

    /**
     * A TLS 1.2 client that renegotiates is cut off: each renegotiation is a full key exchange on the
     * shared handshake thread, and an outside probe ran 50 on one connection. TLS 1.3 has none.
     */
    @Test
    void aClientThatRenegotiatesIsCutOff() throws Exception
    {
        exchange = new TestExchange(ctx -> ctx.tls(TestTls.settings()).tlsPort(0).idleStrategy("select").abuseLogIntervalMs(0)
            .errorLog(log::add));
        try (SSLSocket socket = TestTls.connect(exchange.gateway.tlsPort(), "TLSv1.2"))
        {
            socket.setSoTimeout(10_000);
            boolean cut;
            try
            {
                socket.startHandshake(); // after the first handshake: a renegotiation
                cut = socket.getInputStream().read() < 0;
            }
            catch (final java.io.IOException e)
            {
                cut = true; // the gateway's alert, or the closed socket, ends the renegotiation
            }
            assertTrue(cut, "the connection is closed");
        }
        TestExchange.await(() -> exchange.gateway.sessions().refused(Refusal.TLS_RENEGOTIATION) == 1, "counted: " + log);
        assertTrue(log.stream().anyMatch(line -> line.contains("TLS renegotiation")), String.valueOf(log));
    }

    @Test
    void aTlsClientThatNeverHandshakesIsTimedOutLikeAnyOther() throws Exception
    {
        exchange = new TestExchange(ctx -> ctx.tls(TestTls.settings()).tlsPort(0).idleStrategy("select").firstBytesTimeoutMs(200)
            .errorLog(log::add));
        try (Socket idle = new Socket())
        {
            idle.connect(new InetSocketAddress("127.0.0.1", exchange.gateway.tlsPort()));
            idle.setSoTimeout(10_000);
            final InputStream in = idle.getInputStream();
            while (in.read() >= 0)
            {
                // perhaps an alert, then the end of the stream: closed by the first-bytes deadline
            }
        }
        assertEquals(1, exchange.gateway.sessions().refused(Refusal.FIRST_BYTES_TIMEOUT));
    }

    /** Sends the bytes to the TLS port and expects the gateway to close the connection (after an alert, perhaps). */
    /**
     * A record that does not decrypt from a logged-on session ends that session only, and is logged
     * as TLS failing after the handshake with the session's CompID (an outside tester's operator
     * read "TLS handshake failed" and an address for a firm that had been trading for an hour).
     */
    @Test
    void aBadRecordAfterLogonIsLoggedAsTheSessionsTlsFailureNotAsAHandshakes() throws Exception
    {
        exchange = new TestExchange(ctx -> ctx.tls(TestTls.settings()).tlsPort(0).idleStrategy("select").abuseLogIntervalMs(0)
            .errorLog(log::add));
        final Socket tcp = new Socket();
        tcp.connect(new InetSocketAddress("127.0.0.1", exchange.gateway.tlsPort()));
        final SSLSocket tls = (SSLSocket)TestTls.clientContext().getSocketFactory().createSocket(tcp, "127.0.0.1", tcp.getPort(), true);
        tls.setEnabledProtocols(new String[] {"TLSv1.3"});
        tls.startHandshake();
        try (FixClient bob = new FixClient(tls, "BOB"))
        {
            bob.logonOk("bob");
            final byte[] record = new byte[5 + 32];
            record[0] = 0x17; // application data, TLS 1.2 on the wire, 32 bytes that do not decrypt
            record[1] = 0x03;
            record[2] = 0x03;
            record[4] = 32;
            java.util.Arrays.fill(record, 5, record.length, (byte)0x55);
            tcp.getOutputStream().write(record);
            TestExchange.await(() -> exchange.gateway.sessions().refused(Refusal.TLS_AFTER_HANDSHAKE) == 1, "counted: " + log);
        }
        assertEquals(0, exchange.gateway.sessions().refused(Refusal.TLS_HANDSHAKE));
        assertTrue(log.stream().anyMatch(line -> line.startsWith("gateway: TLS failed_after_handshake 127.0.0.1 BOB: TLS failed after the handshake (")),
            String.valueOf(log));
    }

    /**
     * SECURITY.md's slow readers over TLS too: a client cut off for not reading that reads again gets
     * its backlog and last the Logout saying why, then close_notify. An outside tester's TLS client
     * got only what its kernel held, then the close: the linger was the plain port's alone.
     */
    @Test
    void aSlowReaderCutOffOverTlsThatReadsAgainGetsItsBacklogAndTheLogoutSayingWhy() throws Exception
    {
        exchange = new TestExchange(ctx ->
        {
            ctx.tls(TestTls.settings()).tlsPort(0).idleStrategy("select").errorLog(log::add)
                .maxMessageSize(1024).outboundBufferLimit(16 * 1024).rateLimitPerSecond(10_000_000).rateLimitBurst(10_000_000);
            ctx.credentials().addPlain("lagging", TestExchange.PASSWORD, 1003, true);
        });
        try (FixClient slow = new FixClient(TestTls.connect(exchange.gateway.tlsPort(), "TLSv1.3", 4096), "LAGGING"))
        {
            slow.logonOk("lagging");
            AbuseTest.askWithoutReadingUntilCutOff(exchange, slow);
            AbuseTest.assertBacklogThenTheLogoutSayingWhy(slow);
        }
    }

    private static void assertClosedByGateway(final int port, final byte[] bytes) throws Exception
    {
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            socket.setSoTimeout(10_000);
            final OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            final InputStream in = socket.getInputStream();
            final byte[] buffer = new byte[1024];
            try
            {
                while (in.read(buffer) >= 0)
                {
                    // an alert record, then the end of the stream
                }
            }
            catch (final SocketTimeoutException e)
            {
                fail("the gateway did not close the connection");
            }
            catch (final java.io.IOException e)
            {
                // reset by the gateway: closed too
            }
        }
    }

    /** A ClientHello that offers TLS 1.1 only (no supported_versions extension), as an old client sends. */
    static byte[] tls11ClientHello()
    {
        final byte[] body = new byte[2 + 32 + 1 + 4 + 2];
        int i = 0;
        body[i++] = 3;
        body[i++] = 2; // client_version TLS 1.1
        for (int r = 0; r < 32; r++)
        {
            body[i++] = (byte)r;
        }
        body[i++] = 0; // session id
        body[i++] = 0;
        body[i++] = 2;
        body[i++] = 0;
        body[i++] = 0x2f; // TLS_RSA_WITH_AES_128_CBC_SHA
        body[i++] = 1;
        body[i] = 0; // no compression
        final byte[] record = new byte[5 + 4 + body.length];
        record[0] = 0x16;
        record[1] = 3;
        record[2] = 1;
        record[3] = 0;
        record[4] = (byte)(4 + body.length);
        record[5] = 1; // ClientHello
        record[6] = 0;
        record[7] = 0;
        record[8] = (byte)body.length;
        System.arraycopy(body, 0, record, 9, body.length);
        return record;
    }
}
