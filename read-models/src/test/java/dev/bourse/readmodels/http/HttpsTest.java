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
