package dev.bourse.server.cli;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.bourse.protocol.tls.SelfSignedKeystore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.*;

/** The command line's help labels and the admin CLI's one-line errors (an outside probe's findings). */
class AdminCliTest
{
    private static final char[] PASSWORD = "admin-cli-test".toCharArray();

    @TempDir
    Path dir;

    /** picocli labels an unlabelled method parameter {@code <arg0>}: every option has a label of its own. */
    @Test
    void everyOptionOfEveryCommandHasALabel()
    {
        check(Main.commandLine());
    }

    private static void check(final CommandLine command)
    {
        for (final CommandLine.Model.OptionSpec option : command.getCommandSpec().options())
        {
            assertFalse(option.paramLabel().matches("<arg\\d+>"), command.getCommandSpec().qualifiedName() + " " + option.longestName());
        }
        command.getSubcommands().values().forEach(AdminCliTest::check);
    }

    @Test
    void aSetWithoutEqualsSaysWhatToGive()
    {
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = Main.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        assertEquals(2, commandLine.execute("start", "--set", "novalue"));
        assertTrue(err.toString().startsWith("start: --set novalue: give KEY=VALUE, e.g. --set data.dir=data/node1"), err.toString());
        assertFalse(err.toString().contains("option option"), err.toString());
    }

    /** An operations probe: an unknown option or a missing argument printed 11 to 15 lines of usage, not "admin: ...". */
    @Test
    void aBadOptionOrArgumentIsOneLineNamingItAndTheHelp()
    {
        final String[][] mistakes = {
            {"admin", "account", "deposit", "2001", "10", "--bogus"},
            {"admin", "instrument", "halt"},
            {"admin", "instrument", "frob"},
            // a refusal of the command's own: it said "Unknown option: '--url' (see ./audit --help)" (an outside tester)
            {"admin", "--url", "http://localhost:1", "audit", "--cursor", "0-0", "--before", "5-0"},
        };
        for (final String[] args : mistakes)
        {
            final StringWriter err = new StringWriter();
            final CommandLine commandLine = Main.commandLine();
            commandLine.setErr(new PrintWriter(err, true));
            assertEquals(2, commandLine.execute(args), String.join(" ", args));
            final String said = err.toString();
            assertTrue(said.startsWith("admin: ") && said.endsWith("--help)" + System.lineSeparator()), said);
            assertEquals(1, said.lines().count(), said);
            assertFalse(said.contains("Unknown option") && args[args.length - 1].equals("5-0"), said);
            assertFalse(said.contains("./audit"), said);
        }
    }

    /** An outside tester: a word that is no admin command was "Unmatched arguments from index 4: 'frob', 'X'". */
    @Test
    void anUnknownCommandIsNamedWithTheOnesThereAre()
    {
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = Main.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        assertEquals(2, commandLine.execute("admin", "--url", "http://localhost:1", "instrument", "frob", "X"));
        final String said = err.toString().strip();
        assertTrue(said.startsWith("admin: unknown command 'frob' (one of: "), said);
        assertTrue(said.contains("halt") && said.endsWith("(see ./exchange admin instrument --help)"), said);

        final StringWriter clusterErr = new StringWriter();
        final CommandLine cluster = Main.commandLine();
        cluster.setErr(new PrintWriter(clusterErr, true));
        assertEquals(2, cluster.execute("cluster", "frob"));
        assertTrue(clusterErr.toString().startsWith("cluster: unknown command 'frob' (one of: status, snapshot)"), "no help command: "
            + clusterErr);
    }

    /** An outside tester: {@code ./exchange cluster} with no subcommand printed the usage and exited 0, where admin and journal exit 2. */
    @Test
    void aGroupWithoutItsSubcommandIsAUsageError()
    {
        for (final String group : new String[] {"cluster", "admin"})
        {
            final StringWriter err = new StringWriter();
            final CommandLine commandLine = Main.commandLine();
            commandLine.setErr(new PrintWriter(err, true));
            assertEquals(2, commandLine.execute(group), group);
            final String said = err.toString().strip();
            assertTrue(said.startsWith(group + ": ") && said.contains("subcommand") && said.endsWith("--help)"), said);
            assertEquals(1, said.lines().count(), said);
        }
    }

    /** An empty BOURSE_PASSWORD was sent, a failed login counting toward the lockout (an outside probe): it is no password. */
    @Test
    void anEmptyPasswordVariableIsRefusedBeforeAnythingIsSent()
    {
        assertNull(AdminCli.Connection.passwordFromEnvironment(null), "unset: the prompt or the error next");
        assertEquals("ops-demo", AdminCli.Connection.passwordFromEnvironment("ops-demo"));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> AdminCli.Connection.passwordFromEnvironment(""));
        assertTrue(e.getMessage().startsWith("BOURSE_PASSWORD is set but empty"), e.getMessage());
    }

    @Test
    void theAuditLogIsReadAsTheComplianceUserUnlessToldOtherwise()
    {
        final AdminCli.Connection api = new AdminCli.Connection();
        final String env = System.getenv("BOURSE_USER");
        assertEquals(env != null && !env.isBlank() ? env : "auditor", api.user("auditor"));
        api.user = "carol";
        assertEquals("carol", api.user("auditor"), "--user wins");
    }

    @Test
    void errorsOfEverySubcommandStartWithAdmin() throws Exception
    {
        final Path password = Files.writeString(dir.resolve("pw"), "x\n");
        assertEquals("admin: --url notaurl: give http://HOST:PORT or https://HOST:PORT\n",
            admin(2, "--url", "notaurl", "--password-file", password.toString(), "session", "list"));
        // thrown, not printed by the call: Main's handler names the command under exchange, not the leaf ("list: ...")
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = Main.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        assertEquals(2, commandLine.execute("admin", "--password-file", dir.resolve("missing").toString(), "session", "list"));
        assertTrue(err.toString().startsWith("admin: "), err.toString());
    }

    /**
     * Over HTTPS: a certificate for other names says which names it has (with --ca-cert given, advising
     * --ca-cert sent the operator the wrong way), and an http:// URL on the HTTPS port says to use https://.
     */
    @Test
    void httpsMistakesAreNamed() throws Exception
    {
        final Path keystore = SelfSignedKeystore.create(dir.resolve("server.p12"), PASSWORD);
        final KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore))
        {
            keys.load(in, PASSWORD);
        }
        final Path pem = Files.writeString(dir.resolve("bourse.crt"), "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getCertificate("bourse").getEncoded())
            + "\n-----END CERTIFICATE-----\n");
        final Path password = Files.writeString(dir.resolve("pw"), "ops-demo\n");
        final KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD);
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, null);
        final HttpsServer server = HttpsServer.create(new InetSocketAddress(0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/", exchange ->
        {
            final byte[] body = "[]".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try
        {
            final int port = server.getAddress().getPort();
            assertEquals("", admin(0, "--url", "https://127.0.0.1:" + port, "--ca-cert", pem.toString(), "--password-file",
                password.toString(), "session", "list"), "trusted and named: answered");

            final String otherName = admin(2, "--url", "https://127.0.0.2:" + port, "--ca-cert", pem.toString(), "--password-file",
                password.toString(), "session", "list");
            assertTrue(otherName.startsWith("admin: https://127.0.0.2:" + port + ": the server's certificate does not name 127.0.0.2"
                + " (it names localhost, 127.0.0.1)"), otherName);
            assertFalse(otherName.contains("give --ca-cert"), otherName);

            final String untrusted = admin(2, "--url", "https://127.0.0.1:" + port, "--password-file", password.toString(), "session", "list");
            assertTrue(untrusted.contains("not trusted") && untrusted.contains("give --ca-cert"), untrusted);

            final String plain = admin(2, "--url", "http://127.0.0.1:" + port, "--password-file", password.toString(), "session", "list");
            assertTrue(plain.startsWith("admin: http://127.0.0.1:" + port + ": the server closed the connection without an HTTP answer (or answered with something else);"
                + " if that port is HTTPS, use https://127.0.0.1:" + port), plain);
        }
        finally
        {
            server.stop(0);
        }
    }

    /**
     * A server that needs client certificates (query.tls.client-auth = need) could not be reached at all, and the
     * message said "if that port is plain HTTP, use http://" (an outside probe): --client-cert shows one, and
     * without it the message says the server asks for one.
     */
    @Test
    void aServerThatNeedsAClientCertificateIsReachedWithClientCert() throws Exception
    {
        final Path serverStore = SelfSignedKeystore.create(dir.resolve("server.p12"), PASSWORD);
        final Path clientStore = SelfSignedKeystore.create(dir.resolve("client.p12"), PASSWORD);
        final KeyStore serverKeys = load(serverStore);
        final Path pem = Files.writeString(dir.resolve("bourse.crt"), "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(
                serverKeys.getCertificate("bourse").getEncoded()) + "\n-----END CERTIFICATE-----\n");
        final Path password = Files.writeString(dir.resolve("pw"), "ops-demo\n");
        final Path clientPassword = Files.writeString(dir.resolve("client.pw"), new String(PASSWORD) + "\n");
        final KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(serverKeys, PASSWORD);
        final javax.net.ssl.TrustManagerFactory clients = javax.net.ssl.TrustManagerFactory.getInstance(
            javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        clients.init(load(clientStore));
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), clients.getTrustManagers(), null);
        for (final String protocol : new String[] {"TLSv1.2", "TLSv1.3"})
        {
            // Jetty, as the query side's HTTPS: the JDK's own HttpsServer closes without the alert a real server sends
            final org.eclipse.jetty.server.Server jetty = new org.eclipse.jetty.server.Server();
            final org.eclipse.jetty.util.ssl.SslContextFactory.Server ssl = new org.eclipse.jetty.util.ssl.SslContextFactory.Server();
            ssl.setSslContext(context);
            ssl.setIncludeProtocols(protocol);
            ssl.setNeedClientAuth(true);
            final org.eclipse.jetty.server.ServerConnector connector = new org.eclipse.jetty.server.ServerConnector(jetty,
                new org.eclipse.jetty.server.SslConnectionFactory(ssl, "http/1.1"), new org.eclipse.jetty.server.HttpConnectionFactory());
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            jetty.addConnector(connector);
            jetty.setHandler(new org.eclipse.jetty.server.Handler.Abstract()
            {
                @Override
                public boolean handle(final org.eclipse.jetty.server.Request request, final org.eclipse.jetty.server.Response response,
                    final org.eclipse.jetty.util.Callback callback)
                {
                    response.setStatus(200);
                    response.write(true, java.nio.ByteBuffer.wrap("[]".getBytes(StandardCharsets.UTF_8)), callback);
                    return true;
                }
            });
            jetty.start();
            try
            {
                final String url = "https://127.0.0.1:" + connector.getLocalPort();
                final String without = admin(2, "--url", url, "--ca-cert", pem.toString(), "--password-file", password.toString(),
                    "session", "list");
                assertTrue(without.startsWith("admin: " + url + ": the server asks for a client certificate (query.tls.client-auth = "
                    + "need) and refused the handshake without one ("), protocol + ": " + without);
                assertTrue(without.contains("give --client-cert"), without);
                assertFalse(without.contains("http://"), without);

                assertEquals("", admin(0, "--url", url, "--ca-cert", pem.toString(), "--password-file", password.toString(),
                    "--client-cert", clientStore.toString(), "--client-cert-password-file", clientPassword.toString(), "session", "list"),
                    protocol);
                final String wrong = admin(2, "--url", url, "--ca-cert", pem.toString(), "--password-file", password.toString(),
                    "--client-cert", clientStore.toString(), "--client-cert-password-file", password.toString(), "session", "list");
                assertEquals("admin: --client-cert " + clientStore + ": wrong password (from --client-cert-password-file " + password + ")\n",
                    wrong);
                // from the environment, the message names the environment (it named the file option: an outside probe)
                final IllegalArgumentException fromEnvironment = assertThrows(IllegalArgumentException.class, () -> new AdminTls(pem,
                    clientStore, "not-it"::toCharArray, "$BOURSE_CLIENT_CERT_PASSWORD").context());
                assertEquals("--client-cert " + clientStore + ": wrong password (from $BOURSE_CLIENT_CERT_PASSWORD)",
                    fromEnvironment.getMessage());
                // a PEM certificate given as it is: said so, with how to make the PKCS12 file (an outside tester)
                final IllegalArgumentException givenPem = assertThrows(IllegalArgumentException.class, () -> new AdminTls(pem,
                    pem, "any"::toCharArray, "--client-cert-password-file x").context());
                assertEquals("--client-cert " + pem + ": is a PEM file; give a PKCS12 file with the client's key and certificate "
                    + "(openssl pkcs12 -export -inkey client.key -in client.crt -out client.p12)", givenPem.getMessage());
            }
            finally
            {
                jetty.stop();
            }
        }
    }

    private static KeyStore load(final Path file) throws Exception
    {
        final KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file))
        {
            store.load(in, PASSWORD);
        }
        return store;
    }

    /** Runs {@code exchange admin args...} expecting {@code code}; what it printed on stderr. */
    private static String admin(final int code, final String... args)
    {
        final PrintStream before = System.err;
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try
        {
            final String[] line = new String[args.length + 1];
            line[0] = "admin";
            System.arraycopy(args, 0, line, 1, args.length);
            assertEquals(code, Main.commandLine().execute(line), err.toString(StandardCharsets.UTF_8));
        }
        finally
        {
            System.setErr(before);
        }
        return err.toString(StandardCharsets.UTF_8);
    }
}
