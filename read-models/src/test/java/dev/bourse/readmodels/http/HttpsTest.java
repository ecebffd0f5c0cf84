package dev.bourse.readmodels.http;

import dev.bourse.protocol.auth.CredentialStore;
import dev.bourse.protocol.tls.SelfSignedKeystore;
import dev.bourse.protocol.tls.TlsSettings;
import dev.bourse.readmodels.JournalSource;
import dev.bourse.readmodels.ReadModelsContext;
import dev.bourse.readmodels.ReadModelsServer;
import dev.bourse.readmodels.Workload;
import org.agrona.IoUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The query side over HTTPS and WSS with plain HTTP turned off: the JDK's HttpClient reads an
 * account's balances over TLS, and its WebSocket subscribes to a stream over wss.
 */
class HttpsTest
{
    private static final char[] PASSWORD = "https-test-password".toCharArray();
    private Path dir;
    private ReadModelsServer server;

    @AfterEach
    void stop()
    {
        if (server != null)
        {
            server.close();
        }
        if (dir != null)
        {
            IoUtil.delete(dir.toFile(), true);
        }
    }

    /**
     * An outside tester: the HTTPS port's failed handshakes were neither logged nor counted, so a
     * firm whose client certificate had expired was refused with nothing to tell the operator. They
     * are counted on /metrics and logged once per interval per reason, the client certificate's apart.
     */
    @Test
    void failedHandshakesAreCountedAndLoggedWithARefusedClientCertificateApart() throws Exception
    {
        dir = Files.createTempDirectory("bourse-https-test");
        final Path keystore = SelfSignedKeystore.create(dir.resolve("query.p12"), PASSWORD);
        final Workload workload = new Workload(17).run(50);
        final java.util.List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
        server = ReadModelsServer.start(new ReadModelsContext().journal(JournalSource.of(workload.journal)).port(0)
            .bindAddress("127.0.0.1").log(log::add)
            .tls(new TlsSettings(keystore, PASSWORD, null, null, TlsSettings.ClientAuth.NEED, keystore, PASSWORD)).tlsPort(0));
        final int tlsPort = server.tlsPort();

        // one handshake with no client certificate (the JDK's HttpClient may try twice)
        try (javax.net.ssl.SSLSocket noCertificate = (javax.net.ssl.SSLSocket)trusting(keystore).getSocketFactory()
            .createSocket("127.0.0.1", tlsPort))
        {
            noCertificate.setSoTimeout(10_000);
            noCertificate.startHandshake();
            noCertificate.getOutputStream().write("GET /api/v1/status HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            noCertificate.getOutputStream().flush();
            assertEquals(-1, noCertificate.getInputStream().read(), "no answer without a certificate");
        }
        catch (final java.io.IOException refused)
        {
            // the server's alert
        }
        try (java.net.Socket plain = new java.net.Socket("127.0.0.1", tlsPort))
        {
            plain.getOutputStream().write("GET /api/v1/status HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            plain.setSoTimeout(10_000);
            while (plain.getInputStream().read() >= 0)
            {
                // until the server closes it
            }
        }
        catch (final java.io.IOException closed)
        {
            // reset: closed too
        }
        final HttpClient plainClient = HttpClient.newHttpClient();
        final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // a hang guard, not a timing
        String metrics = "";
        while (System.nanoTime() < until)
        {
            metrics = plainClient.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
            if (metrics.contains("bourse_query_tls_handshake_failures_total{reason=\"client_certificate\"} 1\n")
                && metrics.contains("bourse_query_tls_handshake_failures_total{reason=\"handshake_failed\"} 1\n"))
            {
                break;
            }
            Thread.sleep(10);
        }
        assertTrue(metrics.contains("bourse_query_tls_handshake_failures_total{reason=\"client_certificate\"} 1\n"), metrics);
        assertTrue(metrics.contains("bourse_query_tls_handshake_failures_total{reason=\"handshake_failed\"} 1\n"), metrics);
        assertEquals(1, log.stream().filter(line -> line.startsWith("query: TLS client_certificate 127.0.0.1: ")
            && line.contains("client certificate")).count(), String.valueOf(log));
        assertEquals(1, log.stream().filter(line -> line.startsWith("query: TLS handshake_failed 127.0.0.1: ")).count(), String.valueOf(log));
    }

    @Test
    void apiAndStreamsAnswerOverHttpsAndWssWithPlainHttpOff() throws Exception
    {
        dir = Files.createTempDirectory("bourse-https-test");
        final Path keystore = SelfSignedKeystore.create(dir.resolve("query.p12"), PASSWORD);
        final Workload workload = new Workload(17).run(500);
        server = ReadModelsServer.start(new ReadModelsContext().journal(JournalSource.of(workload.journal)).port(0)
            .bindAddress("127.0.0.1").credentials(new CredentialStore().addPlain("alice", "alice-secret", 1, true))
            .tls(TlsSettings.of(keystore, PASSWORD)).tlsPort(0).plainEnabled(false));
        assertFalse(server.plainEnabled());
        final int port = server.tlsPort();
        assertEquals(port, server.port(), "with plain HTTP off the only port is the HTTPS one");

        final HttpClient client = HttpClient.newBuilder().sslContext(trusting(keystore)).connectTimeout(Duration.ofSeconds(10)).build();
        final HttpResponse<String> balances = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port +
                "/api/v1/accounts/1/balances")).header("Authorization", "Basic " +
                Base64.getEncoder().encodeToString("alice:alice-secret".getBytes())).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, balances.statusCode(), balances.body());
        assertTrue(balances.body().contains("\"accountId\":1") || balances.body().contains("balances"), balances.body());

        final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final WebSocket ws = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
            .buildAsync(URI.create("wss://127.0.0.1:" + port + "/ws"), new WebSocket.Listener()
            {
                private final StringBuilder text = new StringBuilder();

                @Override
                public CompletionStage<?> onText(final WebSocket webSocket, final CharSequence data, final boolean last)
                {
                    text.append(data);
                    if (last)
                    {
                        messages.add(text.toString());
                        text.setLength(0);
                    }
                    webSocket.request(1);
                    return null;
                }
            }).get(10, TimeUnit.SECONDS);
        ws.sendText("{\"op\":\"subscribe\",\"channel\":\"depth\",\"instrument\":\"I1\"}", true).get(10, TimeUnit.SECONDS);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        boolean subscribed = false;
        while (!subscribed && System.nanoTime() < deadline)
        {
            final String message = messages.poll(100, TimeUnit.MILLISECONDS);
            subscribed = message != null && message.contains("\"type\":\"subscribed\"");
        }
        assertTrue(subscribed, "subscribed over wss");
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
    }

    private static SSLContext trusting(final Path keystore) throws Exception
    {
        final KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore))
        {
            trusted.load(in, PASSWORD);
        }
        final TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
