package dev.bourse.server;

import dev.bourse.protocol.tls.SelfSignedKeystore;
import dev.bourse.server.config.ExchangeConfig;
import dev.bourse.server.config.Settings;
import io.aeron.CommonContext;
import org.agrona.IoUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The exchange as {@code ./exchange start} runs it, from the example configuration with TLS on
 * both doors and both plain ports off: a trade over FIX on the TLS port, read back over HTTPS.
 */
class TlsServerTest
{
    private static final String PASSWORD = "server-test-keystore";

    @TempDir
    Path temp;

    @Test
    void aTradeOverFixOnTheTlsPortIsReadBackOverHttpsWithThePlainPortsOff() throws Exception
    {
        final Path keystore = SelfSignedKeystore.create(temp.resolve("bourse.p12"), PASSWORD.toCharArray());
        final Path passwordFile = Files.writeString(temp.resolve("keystore.password"), PASSWORD + "\n");
        final String aeronDir = CommonContext.getAeronDirectoryName() + "-tls-" + UUID.randomUUID();
        final List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
        final StringBuilder text = new StringBuilder(Files.readString(Path.of("..", "config", "exchange.properties")));
        text.append("\ndata.dir = ").append(temp.resolve("data")).append("\nmd.aeron-dir = ").append(aeronDir)
            .append("\ngateway.port = 0\nquery.port = 0\n")
            .append("gateway.plain.enabled = false\ngateway.tls.enabled = true\ngateway.tls.port = 0\n")
            .append("gateway.tls.keystore = ").append(keystore).append("\ngateway.tls.keystore-password-file = ").append(passwordFile)
            .append("\nquery.plain.enabled = false\nquery.tls.enabled = true\nquery.tls.port = 0\n")
            .append("query.tls.keystore = ").append(keystore).append("\nquery.tls.keystore-password = ").append(PASSWORD).append('\n');
        final ExchangeConfig config = ExchangeConfig.read(Settings.parse("test", text.toString().replaceAll("(?m)^((gateway|query)\\.port = (8080|9880)|data\\.dir = data)\\n", "")));
        final SSLContext trust = trusting(keystore);
        try (ExchangeServer server = ExchangeServer.start(config, log::add))
        {
            assertEquals(-1, server.gatewayPort(), "the plain FIX port is off");
            assertTrue(server.gatewayTlsPort() > 0);
            assertEquals(server.queryTlsPort(), server.queryPort(), "the only query port is the HTTPS one");
            assertTrue(log.stream().anyMatch(line -> line.contains("TLS only on")), String.valueOf(log));
            assertTrue(log.stream().anyMatch(line -> line.contains("https://")), String.valueOf(log));
            assertFalse(log.stream().anyMatch(line -> line.contains(PASSWORD)), "no password in the log");

            try (ServerIntegrationTest.MiniFix alice = new ServerIntegrationTest.MiniFix(tlsSocket(trust, server.gatewayTlsPort()), "ALICE");
                ServerIntegrationTest.MiniFix bob = new ServerIntegrationTest.MiniFix(tlsSocket(trust, server.gatewayTlsPort()), "BOB"))
            {
                assertEquals("A", alice.logon("alice", "alice-demo").get(35));
                assertEquals("A", bob.logon("bob", "bob-demo").get(35));
                alice.send("D", "11=S1|55=AAPL|54=2|38=100|40=2|44=190.00|59=1|60=" + ServerIntegrationTest.MiniFix.now() + "|");
                alice.expectExecType("0");
                bob.send("D", "11=B1|55=AAPL|54=1|38=100|40=2|44=190.00|59=1|60=" + ServerIntegrationTest.MiniFix.now() + "|");
                final String orderId = bob.expectExecType("F").get(37);
                alice.expectExecType("F");

                final HttpClient client = HttpClient.newBuilder().sslContext(trust).connectTimeout(Duration.ofSeconds(10)).build();
                final HttpResponse<String> order = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.queryTlsPort() +
                        "/api/v1/accounts/1002/orders/" + orderId + "?timeoutMs=5000&waitForSequence=" + server.journal().lastSequence()))
                        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("bob:bob-demo".getBytes()))
                        .timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
                assertEquals(200, order.statusCode(), order.body());
                assertTrue(order.body().contains("FILLED") || order.body().contains("filled"), order.body());
            }

            // ./exchange admin over HTTPS: the self-signed certificate is trusted only when given with --ca-cert
            final Path opsPassword = Files.writeString(temp.resolve("ops.password"), "ops-demo\n");
            final Path pem = temp.resolve("bourse.crt");
            final KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore))
            {
                store.load(in, PASSWORD.toCharArray());
            }
            Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(
                store.getCertificate(store.aliases().nextElement()).getEncoded()) + "\n-----END CERTIFICATE-----\n");
            final String url = "https://127.0.0.1:" + server.queryTlsPort();
            assertEquals(2, new picocli.CommandLine(new dev.bourse.server.cli.AdminCli()).execute("--url", url,
                "--password-file", opsPassword.toString(), "session", "list"), "an untrusted certificate is refused");
            assertEquals(0, new picocli.CommandLine(new dev.bourse.server.cli.AdminCli()).execute("--url", url,
                "--password-file", opsPassword.toString(), "--ca-cert", pem.toString(), "session", "list"));
        }
        finally
        {
            IoUtil.delete(Path.of(aeronDir).toFile(), true);
        }
    }

    private static SSLSocket tlsSocket(final SSLContext context, final int port) throws Exception
    {
        final SSLSocket socket = (SSLSocket)context.getSocketFactory().createSocket("127.0.0.1", port);
        socket.startHandshake();
        return socket;
    }

    private static SSLContext trusting(final Path keystore) throws Exception
    {
        final KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore))
        {
            trusted.load(in, PASSWORD.toCharArray());
        }
        final TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
