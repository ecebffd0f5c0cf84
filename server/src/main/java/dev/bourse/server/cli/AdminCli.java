package dev.bourse.server.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ./exchange admin ...}: the admin API (docs/OPERATIONS.md) from the command line. Every
 * subcommand is one HTTP call; the answer's JSON is printed; a refusal prints its message on
 * stderr and exits 1. The password never goes on the command line (it would show in the process
 * list): it comes from {@code --password-file}, the environment ({@code BOURSE_PASSWORD}) or a prompt.
 */
@Command(
    name = "admin",
    description = "Operates a running exchange through its admin API (operations role; 'audit' is for compliance).",
    mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class,
    subcommands = {AdminCli.Instrument.class, AdminCli.Account.class, AdminCli.Session.class, AdminCli.EndOfDay.class,
        AdminCli.Audit.class})
public final class AdminCli implements Runnable
{
    final Connection api = new Connection();

    @Override
    public void run()
    {
        new picocli.CommandLine(this).usage(System.out);
    }

    // Given anywhere on the line (inherited by every subcommand), set here.
    @Option(names = "--url", defaultValue = "http://localhost:8080", scope = ScopeType.INHERIT,
        description = "The exchange's query/admin API (default: ${DEFAULT-VALUE}).")
    void url(final String value)
    {
        api.url = value;
    }

    @Option(names = "--user", defaultValue = "${env:BOURSE_USER:-ops}", scope = ScopeType.INHERIT,
        description = "The user (default: $BOURSE_USER, else ops).")
    void user(final String value)
    {
        api.user = value;
    }

    @Option(names = "--password-file", scope = ScopeType.INHERIT,
        description = "A file whose first line is the password (else $BOURSE_PASSWORD, else a prompt).")
    void passwordFile(final Path value)
    {
        api.passwordFile = value;
    }

    @Option(names = "--ca-cert", scope = ScopeType.INHERIT, paramLabel = "FILE",
        description = "For an https --url: trust the certificates in this PEM file (e.g. the bourse.crt docs/TLS.md exports) "
            + "besides the JDK's own authorities.")
    void caCert(final Path value)
    {
        api.caCert = value;
    }

    /** Where the API is and who calls it. */
    static final class Connection
    {
        String url;
        String user;
        Path passwordFile;
        Path caCert;

        private HttpClient client() throws Exception
        {
            final HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
            if (caCert != null)
            {
                builder.sslContext(trusting(caCert));
            }
            return builder.build();
        }

        /** An SSL context that trusts the JDK's authorities and the certificates of {@code pem}. */
        private static javax.net.ssl.SSLContext trusting(final Path pem) throws Exception
        {
            final java.security.KeyStore store = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
            store.load(null, null);
            final javax.net.ssl.TrustManagerFactory defaults =
                javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            defaults.init((java.security.KeyStore)null);
            int n = 0;
            for (final javax.net.ssl.TrustManager manager : defaults.getTrustManagers())
            {
                if (manager instanceof javax.net.ssl.X509TrustManager x509)
                {
                    for (final java.security.cert.X509Certificate authority : x509.getAcceptedIssuers())
                    {
                        store.setCertificateEntry("jdk-" + n++, authority);
                    }
                }
            }
            final java.util.Collection<? extends java.security.cert.Certificate> certificates;
            try (java.io.InputStream in = Files.newInputStream(pem))
            {
                certificates = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in);
            }
            catch (final java.security.cert.CertificateException e)
            {
                throw new IllegalArgumentException("--ca-cert " + pem + ": not a PEM or DER certificate (" + e.getMessage() + ")");
            }
            if (certificates.isEmpty())
            {
                throw new IllegalArgumentException("--ca-cert " + pem + ": no certificate in it");
            }
            for (final java.security.cert.Certificate certificate : certificates)
            {
                store.setCertificateEntry("ca-" + n++, certificate);
            }
            return dev.bourse.protocol.tls.TlsSettings.trusting(store);
        }

        int call(final String method, final String path, final Map<String, String> form) throws Exception
        {
            final PrintStream out = System.out;
            final PrintStream err = System.err;
            final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (user + ":" + password()).getBytes(StandardCharsets.UTF_8)));
            if ("POST".equals(method))
            {
                request.header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(encode(form)));
            }
            else
            {
                request.GET();
            }
            final HttpResponse<String> response;
            try
            {
                response = client().send(request.build(), HttpResponse.BodyHandlers.ofString());
            }
            catch (final ConnectException e)
            {
                err.println("admin: cannot connect to " + url + " (is the exchange running with query.enabled? see --url)");
                return 2;
            }
            catch (final javax.net.ssl.SSLHandshakeException e)
            {
                err.println("admin: " + url + ": the server's certificate is not trusted (" + e.getMessage() + "); for a "
                    + "self-signed one give --ca-cert with its PEM file (docs/TLS.md)");
                return 2;
            }
            if (response.statusCode() / 100 == 2)
            {
                out.println(response.body());
                return 0;
            }
            err.println("admin: " + response.statusCode() + " " + response.body());
            return 1;
        }

        private String password() throws Exception
        {
            if (passwordFile != null)
            {
                return Files.readAllLines(passwordFile).get(0).trim();
            }
            final String env = System.getenv("BOURSE_PASSWORD");
            if (env != null)
            {
                return env;
            }
            final java.io.Console console = System.console();
            if (console == null)
            {
                throw new IllegalArgumentException("no password: give --password-file or set BOURSE_PASSWORD");
            }
            return new String(console.readPassword("password for %s: ", user));
        }

        private static String encode(final Map<String, String> form)
        {
            final StringBuilder body = new StringBuilder();
            form.forEach((k, v) ->
            {
                if (v != null)
                {
                    body.append(body.length() == 0 ? "" : "&").append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
                }
            });
            return body.toString();
        }
    }

    private static Map<String, String> form(final String... pairs)
    {
        final Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2)
        {
            form.put(pairs[i], pairs[i + 1]);
        }
        return form;
    }

    private static String segment(final String text)
    {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Command(name = "instrument", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class,
        description = "Adds an instrument, halts, resumes or closes it, moves it between trading phases, amends its rules, changes its " +
            "reference price or volatility guards.")
    static final class Instrument
    {
        @ParentCommand
        AdminCli admin;

        @Command(name = "add", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class, description = "Adds an instrument.")
        int add(
            @Option(names = "--id", required = true, description = "Its id (1 .. engine.max-instruments - 1).") final String id,
            @Option(names = "--symbol", required = true, description = "Its symbol (1-16 characters).") final String symbol,
            @Option(names = "--tick", required = true, description = "Tick size, e.g. 0.01.") final String tick,
            @Option(names = "--reference-price", required = true, description = "Reference price (on a tick).") final String reference,
            @Option(names = "--lot", description = "Lot size (default 1).") final String lot,
            @Option(names = "--min-qty", description = "Smallest order (default: the lot).") final String minQty,
            @Option(names = "--max-qty", description = "Largest order (default 1000000).") final String maxQty,
            @Option(names = "--max-notional", description = "Largest order value (default 100000000).") final String maxNotional,
            @Option(names = "--band-bps", description = "Price band half-width in basis points (default 1000).") final String band,
            @Option(names = "--status", description = "open, halted or closed (default open).") final String status) throws Exception
        {
            return admin.api.call("POST", "/api/v1/admin/instruments", form("id", id, "symbol", symbol, "tick", tick, "referencePrice", reference,
                "lot", lot, "minQty", minQty, "maxQty", maxQty, "maxNotional", maxNotional, "bandBps", band, "status", status));
        }

        @Command(name = "halt", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class, description = "Halts trading in an instrument.")
        int halt(@Parameters(paramLabel = "INSTRUMENT", description = "Symbol or id.") final String instrument) throws Exception
        {
            return admin.api.call("POST", "/api/v1/admin/instruments/" + segment(instrument) + "/halt", form());
        }

        @Command(name = "resume", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class, description = "Opens an instrument for trading again.")
        int resume(@Parameters(paramLabel = "INSTRUMENT", description = "Symbol or id.") final String instrument) throws Exception
        {
            return admin.api.call("POST", "/api/v1/admin/instruments/" + segment(instrument) + "/resume", form());
        }

        @Command(name = "phase", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class,
            description = {"Moves an instrument to a trading phase, as the scheduler does (ENGINE-RULES.md, \"Trading phases\").",
                "A call collects orders without trading; leaving it for continuous or post-close runs its auction.",
                "To reopen a halted instrument through an auction: phase X reopening-call, then phase X continuous."})
        int phase(
            @Parameters(index = "0", paramLabel = "INSTRUMENT", description = "Symbol or id.") final String instrument,
            @Parameters(index = "1", paramLabel = "PHASE",
                description = "continuous, opening-call, closing-call, reopening-call, post-close, halted or closed.") final String phase,
            @Option(names = "--expected", description = "Refuse unless the instrument is in this phase now.") final String expected)
            throws Exception
        {
            return admin.api.call("POST", "/api/v1/admin/instruments/" + segment(instrument) + "/phase",
                form("phase", phase, "expected", expected));
        }

        @Command(name = "close", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class, description = "Closes an instrument (cancels only).")
        int close(@Parameters(paramLabel = "INSTRUMENT", description = "Symbol or id.") final String instrument) throws Exception
        {
            return admin.api.call("POST", "/api/v1/admin/instruments/" + segment(instrument) + "/close", form());
        }

        @Command(name = "reference-price", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class,
            description = "Sets the reference price (the price band follows it).")
        int referencePrice(
            @Parameters(index = "0", paramLabel = "INSTRUMENT", description = "Symbol or id.") final String instrument,
            @Parameters(index = "1", paramLabel = "PRICE", description = "The new reference price.") final String price) throws Exception
        {
            return admin.api.call("POST", "/api/v1/admin/instruments/" + segment(instrument) + "/reference-price", form("price", price));
        }

        @Command(name = "amend", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class,
            description = {"Changes an instrument's tick, lot, quantity limits, maximum notional, band or reference price.",
                "Give at least one option; the others keep their values. Resting orders keep their price and quantity;",
                "new orders and replaces must meet the new rules."})
        int amend(
            @Parameters(paramLabel = "INSTRUMENT", description = "Symbol or id.") final String instrument,
            @Option(names = "--tick", description = "Tick size, e.g. 0.05 (the reference price must be on it).") final String tick,
            @Option(names = "--lot", description = "Lot size.") final String lot,
            @Option(names = "--min-qty", description = "Smallest order.") final String minQty,
            @Option(names = "--max-qty", description = "Largest order.") final String maxQty,
            @Option(names = "--max-notional", description = "Largest order value.") final String maxNotional,
            @Option(names = "--reference-price", description = "Reference price (the band follows it).") final String reference,
            @Option(names = "--band-bps", description = "Price band half-width in basis points (1 .. 100000).") final String band)
            throws Exception
        {
            return admin.api.call("POST", "/api/v1/admin/instruments/" + segment(instrument) + "/amend", form("tick", tick, "lot", lot,
                "minQty", minQty, "maxQty", maxQty, "maxNotional", maxNotional, "referencePrice", reference, "bandBps", band));
        }

        @Command(name = "guards", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class, description = "Sets the volatility guards (bands of a volatility call).")
        int guards(
            @Parameters(paramLabel = "INSTRUMENT", description = "Symbol or id.") final String instrument,
            @Option(names = "--dynamic-band-bps", required = true, description = "Around the last trade; 0: off.") final String dynamic,
            @Option(names = "--static-band-bps", required = true, description = "Around the last auction price; 0: off.") final String fixed,
            @Option(names = "--interruption-ms", required = true, description = "How long a volatility call lasts.") final String ms)
            throws Exception
        {
            return admin.api.call("POST", "/api/v1/admin/instruments/" + segment(instrument) + "/guards",
                form("dynamicBandBps", dynamic, "staticBandBps", fixed, "interruptionMs", ms));
        }
    }

    @Command(name = "account", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class,
        description = "Creates an account, moves cash or positions, suspends it or pulls its kill switch.")
    static final class Account
    {
        @ParentCommand
        AdminCli admin;

        @Command(name = "create", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class, description = "Creates an account.")
        int create(
            @Parameters(paramLabel = "ACCOUNT", description = "The new account's id.") final String id,
            @Option(names = "--stp", description = "Self-trade prevention: none, cancel-resting, cancel-aggressor (default), cancel-both.")
            final String stp) throws Exception
        {
            return admin.api.call("POST", "/api/v1/admin/accounts", form("id", id, "stp", stp));
        }

        @Command(name = "deposit", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class, description = "Deposits cash (or, with --instrument, a position).")
        int deposit(
            @Parameters(index = "0", paramLabel = "ACCOUNT") final String id,
            @Parameters(index = "1", paramLabel = "AMOUNT", description = "Cash (decimal) or a quantity.") final String amount,
            @Option(names = "--instrument", description = "Symbol or id: a position instead of cash.") final String instrument)
            throws Exception
        {
            return admin.api.call("POST", "/api/v1/admin/accounts/" + segment(id) + "/deposit", form("amount", amount, "instrument", instrument));
        }

        @Command(name = "withdraw", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class, description = "Withdraws cash (or, with --instrument, a position).")
        int withdraw(
            @Parameters(index = "0", paramLabel = "ACCOUNT") final String id,
            @Parameters(index = "1", paramLabel = "AMOUNT", description = "Cash (decimal) or a quantity.") final String amount,
            @Option(names = "--instrument", description = "Symbol or id: a position instead of cash.") final String instrument)
            throws Exception
        {
            return admin.api.call("POST", "/api/v1/admin/accounts/" + segment(id) + "/withdraw", form("amount", amount, "instrument", instrument));
        }

        @Command(name = "suspend", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class, description = "Refuses the account's new orders (its orders stay).")
        int suspend(@Parameters(paramLabel = "ACCOUNT") final String id) throws Exception
        {
            return admin.api.call("POST", "/api/v1/admin/accounts/" + segment(id) + "/suspend", form());
        }

        @Command(name = "kill", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class, description = "Kill switch: cancels every order of the account and blocks it.")
        int kill(@Parameters(paramLabel = "ACCOUNT") final String id) throws Exception
        {
            return admin.api.call("POST", "/api/v1/admin/accounts/" + segment(id) + "/kill", form());
        }

        @Command(name = "resume", aliases = "release", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class,
            description = "Lifts a suspension or a kill switch.")
        int resume(@Parameters(paramLabel = "ACCOUNT") final String id) throws Exception
        {
            return admin.api.call("POST", "/api/v1/admin/accounts/" + segment(id) + "/resume", form());
        }
    }

    @Command(name = "session", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class, description = "Lists, disconnects, resets or kills FIX sessions.")
    static final class Session
    {
        @ParentCommand
        AdminCli admin;

        @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class, description = "Lists the FIX sessions the gateway knows.")
        int list() throws Exception
        {
            return admin.api.call("GET", "/api/v1/admin/sessions", form());
        }

        @Command(name = "disconnect", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class, description = "Logs a session out.")
        int disconnect(@Parameters(paramLabel = "SESSION", description = "The session id (see list).") final String id) throws Exception
        {
            return admin.api.call("POST", "/api/v1/admin/sessions/" + segment(id) + "/disconnect", form());
        }

        @Command(name = "reset-sequence", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class,
            description = "Resets a logged-out session's sequence numbers to 1.")
        int reset(@Parameters(paramLabel = "SESSION") final String id) throws Exception
        {
            return admin.api.call("POST", "/api/v1/admin/sessions/" + segment(id) + "/reset-sequence", form());
        }

        @Command(name = "kill", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class,
            description = "Kill switch: cancels every order the session entered and refuses its new ones.")
        int kill(@Parameters(paramLabel = "SESSION") final String id) throws Exception
        {
            return admin.api.call("POST", "/api/v1/admin/sessions/" + segment(id) + "/kill", form());
        }

        @Command(name = "release", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class, description = "Lifts a session's kill switch.")
        int release(@Parameters(paramLabel = "SESSION") final String id) throws Exception
        {
            return admin.api.call("POST", "/api/v1/admin/sessions/" + segment(id) + "/release", form());
        }
    }

    @Command(name = "end-of-day", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class,
        description = "Ends the trading day now: DAY orders expire, the ClOrdID day turns over, the day's statistics roll.")
    static final class EndOfDay implements Callable<Integer>
    {
        @ParentCommand
        AdminCli admin;

        @Option(names = "--instrument", description = "Only this instrument's DAY orders (the ClOrdID day does not turn over).")
        String instrument;

        @Override
        public Integer call() throws Exception
        {
            return admin.api.call("POST", "/api/v1/admin/end-of-day", form("instrument", instrument));
        }
    }

    @Command(name = "audit", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class,
        description = "Prints the audit log (compliance role): logons, refusals, lockouts and operators' actions.")
    static final class Audit implements Callable<Integer>
    {
        @ParentCommand
        AdminCli admin;

        @Option(names = "--limit", defaultValue = "100", description = "Records per page (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--cursor", description = "The page after this cursor (nextCursor of the last answer; 0-0 for the oldest "
            + "page). Without --cursor or --before: the newest page.")
        String cursor;

        @Option(names = "--before", description = "The page before this cursor (prevCursor of the last answer): older records.")
        String before;

        @Override
        public Integer call() throws Exception
        {
            if (cursor != null && before != null)
            {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "give --cursor or --before, not both");
            }
            return admin.api.call("GET", "/api/v1/audit?limit=" + limit + (cursor != null ? "&cursor=" + segment(cursor)
                : before != null ? "&before=" + segment(before) : ""), form());
        }
    }
}
