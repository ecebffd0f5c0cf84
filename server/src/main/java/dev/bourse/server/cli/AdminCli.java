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

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        // a usage error like a group's without its subcommand (exit 2, OPERATIONS.md); it printed the usage and exited 0
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    // Given anywhere on the line (inherited by every subcommand), set here.
    @Option(names = "--url", paramLabel = "URL", defaultValue = "http://localhost:8080", scope = ScopeType.INHERIT,
        description = "The exchange's query/admin API, http:// or https:// (default: ${DEFAULT-VALUE}).")
    void url(final String value)
    {
        api.url = value;
    }

    // No default here: 'audit' reads the compliance log and has a default user of its own.
    @Option(names = "--user", paramLabel = "USER", scope = ScopeType.INHERIT,
        description = "The user (default: $BOURSE_USER, else ops; for audit, $BOURSE_USER, else auditor).")
    void user(final String value)
    {
        api.user = value;
    }

    @Option(names = "--password-file", paramLabel = "FILE", scope = ScopeType.INHERIT,
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

    @Option(names = "--client-cert", scope = ScopeType.INHERIT, paramLabel = "FILE",
        description = "For an https --url whose server needs client certificates (query.tls.client-auth = need): a PKCS12 file "
            + "with the client's key and certificate; its password from --client-cert-password-file, else $BOURSE_CLIENT_CERT_PASSWORD.")
    void clientCert(final Path value)
    {
        api.clientCert = value;
    }

    @Option(names = "--client-cert-password-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
        description = "A file whose first line is the password of --client-cert.")
    void clientCertPasswordFile(final Path value)
    {
        api.clientCertPasswordFile = value;
    }

    /** Where the API is and who calls it. */
    static final class Connection
    {
        String url;
        String user;
        Path passwordFile;
        Path caCert;
        Path clientCert;
        Path clientCertPasswordFile;

        /** The user: --user, else $BOURSE_USER, else {@code fallback}. */
        String user(final String fallback)
        {
            final String env = System.getenv("BOURSE_USER");
            return user != null ? user : env != null && !env.isBlank() ? env : fallback;
        }

        int call(final String method, final String path, final Map<String, String> form) throws Exception
        {
            return call(method, path, form, "ops");
        }

        /** One request as {@code defaultUser} unless another is given; the answer on stdout, a refusal on stderr. */
        int call(final String method, final String path, final Map<String, String> form, final String defaultUser) throws Exception
        {
            final PrintStream out = System.out;
            final PrintStream err = System.err;
            final URI base = base(url);
            if (base == null)
            {
                err.println("admin: --url " + url + ": give http://HOST:PORT or https://HOST:PORT");
                return 2;
            }
            final String who = user(defaultUser);
            final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (who + ":" + password(who)).getBytes(StandardCharsets.UTF_8)));
            if ("POST".equals(method))
            {
                request.header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(encode(form)));
            }
            else
            {
                request.GET();
            }
            final AdminTls tls = new AdminTls(caCert, clientCert, clientCert == null ? null : this::clientCertPassword,
                clientCertPasswordFile != null ? "--client-cert-password-file " + clientCertPasswordFile : "$BOURSE_CLIENT_CERT_PASSWORD");
            final HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
            if ("https".equalsIgnoreCase(base.getScheme()))
            {
                client.sslContext(tls.context());
            }
            final HttpResponse<String> response;
            try
            {
                response = client.build().send(request.build(), HttpResponse.BodyHandlers.ofString());
            }
            catch (final ConnectException e)
            {
                err.println("admin: cannot connect to " + url + " (is the exchange running with query.enabled? see --url)");
                return 2;
            }
            catch (final javax.net.ssl.SSLException e)
            {
                err.println("admin: " + url + ": " + tls.explain(base, e));
                return 2;
            }
            catch (final java.net.http.HttpTimeoutException e)
            {
                err.println("admin: " + url + ": no answer within the time allowed (" + e.getMessage() + ")");
                return 2;
            }
            catch (final java.io.IOException e)
            {
                if ("https".equalsIgnoreCase(base.getScheme()) && e.getCause() instanceof javax.net.ssl.SSLException tlsFailure)
                {
                    // TLS 1.3: the server's verdict on a client certificate comes after the client's handshake is done
                    err.println("admin: " + url + ": " + tls.explain(base, tlsFailure));
                    return 2;
                }
                // An HTTPS port answers plain HTTP with a TLS alert or by closing: the client sees no status line.
                err.println("admin: " + url + ": " + ("http".equalsIgnoreCase(base.getScheme())
                    ? "the server closed the connection without an HTTP answer (or answered with something else); if that port is "
                        + "HTTPS, use https://" + base.getRawAuthority() + " (" + e.getMessage() + ")"
                    : "the connection failed (" + e.getMessage() + ")"));
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

        /** The --url as a URI if it is an http or https URL with a host, else null. */
        static URI base(final String url)
        {
            try
            {
                final URI uri = new URI(url);
                return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) && uri.getHost() != null
                    ? uri : null;
            }
            catch (final java.net.URISyntaxException e)
            {
                return null;
            }
        }

        private String password(final String who) throws Exception
        {
            if (passwordFile != null)
            {
                final java.util.List<String> lines = Files.readAllLines(passwordFile);
                if (lines.isEmpty() || lines.get(0).isBlank())
                {
                    throw new IllegalArgumentException("--password-file " + passwordFile + ": its first line is empty");
                }
                return lines.get(0).trim();
            }
            final String env = passwordFromEnvironment(System.getenv("BOURSE_PASSWORD"));
            if (env != null)
            {
                return env;
            }
            final java.io.Console console = System.console();
            if (console == null)
            {
                throw new IllegalArgumentException("no password: give --password-file or set BOURSE_PASSWORD");
            }
            return new String(console.readPassword("password for %s: ", who));
        }

        /** The password of --client-cert: --client-cert-password-file, else $BOURSE_CLIENT_CERT_PASSWORD (never the command line). */
        private char[] clientCertPassword()
        {
            if (clientCertPasswordFile != null)
            {
                final java.util.List<String> lines;
                try
                {
                    lines = Files.readAllLines(clientCertPasswordFile);
                }
                catch (final java.io.IOException e)
                {
                    throw new IllegalArgumentException("--client-cert-password-file " + clientCertPasswordFile + ": cannot be read ("
                        + e.getClass().getSimpleName() + ")");
                }
                if (lines.isEmpty() || lines.get(0).isEmpty())
                {
                    throw new IllegalArgumentException("--client-cert-password-file " + clientCertPasswordFile + ": its first line is empty");
                }
                return lines.get(0).toCharArray();
            }
            final String env = System.getenv("BOURSE_CLIENT_CERT_PASSWORD");
            if (env == null || env.isEmpty())
            {
                throw new IllegalArgumentException("--client-cert " + clientCert + ": no password for it: give --client-cert-password-file "
                    + "or set BOURSE_CLIENT_CERT_PASSWORD");
            }
            return env.toCharArray();
        }

        /**
         * BOURSE_PASSWORD's value: null when unset; refused when set but empty (a script whose secret
         * failed to load: sent, it was a failed login counting toward the user's lockout, an outside probe).
         */
        static String passwordFromEnvironment(final String value)
        {
            if (value != null && value.isEmpty())
            {
                throw new IllegalArgumentException("BOURSE_PASSWORD is set but empty: set it to the password, or give --password-file");
            }
            return value;
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
            @Option(names = "--id", paramLabel = "ID", required = true, description = "Its id (1 .. engine.max-instruments - 1).") final String id,
            @Option(names = "--symbol", paramLabel = "SYMBOL", required = true, description = "Its symbol (1-16 characters).") final String symbol,
            @Option(names = "--tick", paramLabel = "TICK", required = true, description = "Tick size, e.g. 0.01.") final String tick,
            @Option(names = "--reference-price", paramLabel = "PRICE", required = true, description = "Reference price (on a tick).") final String reference,
            @Option(names = "--lot", paramLabel = "LOT", description = "Lot size (default 1).") final String lot,
            @Option(names = "--min-qty", paramLabel = "QTY", description = "Smallest order (default: the lot).") final String minQty,
            @Option(names = "--max-qty", paramLabel = "QTY", description = "Largest order (default 1000000).") final String maxQty,
            @Option(names = "--max-notional", paramLabel = "AMOUNT", description = "Largest order value (default 100000000).") final String maxNotional,
            @Option(names = "--band-bps", paramLabel = "BPS", description = "Price band half-width in basis points (default 1000).") final String band,
            @Option(names = "--status", paramLabel = "STATUS", description = "open, halted or closed (default open).") final String status) throws Exception
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
                "To reopen a halted instrument through an auction: phase X reopening-call, then phase X continuous.",
                "A halted opening or closing call's at-the-open or at-the-close orders trade only in that call's own auction:",
                "lift the halt back into the call (phase X opening-call or closing-call, or 'instrument resume X'; see",
                "OPERATIONS.md, \"Phases\"); reopening-call expires them."})
        int phase(
            @Parameters(index = "0", paramLabel = "INSTRUMENT", description = "Symbol or id.") final String instrument,
            @Parameters(index = "1", paramLabel = "PHASE",
                description = "continuous, opening-call, closing-call, reopening-call, post-close, halted or closed.") final String phase,
            @Option(names = "--expected", paramLabel = "PHASE", description = "Refuse unless the instrument is in this phase now.") final String expected)
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
            @Option(names = "--tick", paramLabel = "TICK", description = "Tick size, e.g. 0.05 (the reference price must be on it).") final String tick,
            @Option(names = "--lot", paramLabel = "LOT", description = "Lot size.") final String lot,
            @Option(names = "--min-qty", paramLabel = "QTY", description = "Smallest order.") final String minQty,
            @Option(names = "--max-qty", paramLabel = "QTY", description = "Largest order.") final String maxQty,
            @Option(names = "--max-notional", paramLabel = "AMOUNT", description = "Largest order value.") final String maxNotional,
            @Option(names = "--reference-price", paramLabel = "PRICE", description = "Reference price (the band follows it).") final String reference,
            @Option(names = "--band-bps", paramLabel = "BPS", description = "Price band half-width in basis points (1 .. 100000).") final String band)
            throws Exception
        {
            return admin.api.call("POST", "/api/v1/admin/instruments/" + segment(instrument) + "/amend", form("tick", tick, "lot", lot,
                "minQty", minQty, "maxQty", maxQty, "maxNotional", maxNotional, "referencePrice", reference, "bandBps", band));
        }

        @Command(name = "guards", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class, description = "Sets the volatility guards (bands of a volatility call).")
        int guards(
            @Parameters(paramLabel = "INSTRUMENT", description = "Symbol or id.") final String instrument,
            @Option(names = "--dynamic-band-bps", paramLabel = "BPS", required = true, description = "Around the last trade; 0: off.") final String dynamic,
            @Option(names = "--static-band-bps", paramLabel = "BPS", required = true, description = "Around the last auction price; 0: off.") final String fixed,
            @Option(names = "--interruption-ms", paramLabel = "MS", required = true, description = "How long a volatility call lasts.") final String ms)
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
            @Option(names = "--stp", paramLabel = "MODE", description = "Self-trade prevention: none, cancel-resting, cancel-aggressor (default), cancel-both.")
            final String stp) throws Exception
        {
            return admin.api.call("POST", "/api/v1/admin/accounts", form("id", id, "stp", stp));
        }

        @Command(name = "deposit", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class, description = "Deposits cash (or, with --instrument, a position).")
        int deposit(
            @Parameters(index = "0", paramLabel = "ACCOUNT") final String id,
            @Parameters(index = "1", paramLabel = "AMOUNT", description = "Cash (decimal) or a quantity.") final String amount,
            @Option(names = "--instrument", paramLabel = "INSTRUMENT", description = "Symbol or id: a position instead of cash.") final String instrument)
            throws Exception
        {
            return admin.api.call("POST", "/api/v1/admin/accounts/" + segment(id) + "/deposit", form("amount", amount, "instrument", instrument));
        }

        @Command(name = "withdraw", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class, description = "Withdraws cash (or, with --instrument, a position).")
        int withdraw(
            @Parameters(index = "0", paramLabel = "ACCOUNT") final String id,
            @Parameters(index = "1", paramLabel = "AMOUNT", description = "Cash (decimal) or a quantity.") final String amount,
            @Option(names = "--instrument", paramLabel = "INSTRUMENT", description = "Symbol or id: a position instead of cash.") final String instrument)
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

        @Option(names = "--instrument", paramLabel = "INSTRUMENT", description = "Only this instrument's DAY orders (the ClOrdID day does not turn over).")
        String instrument;

        @Option(names = "--force", description = "End the exchange's day even if nothing has happened since the last day end "
            + "(without it that is refused, DAY_ALREADY_ENDED: a retry or a second run does not end an empty day).")
        boolean force;

        @Override
        public Integer call() throws Exception
        {
            return admin.api.call("POST", "/api/v1/admin/end-of-day", form("instrument", instrument, "force", force ? "true" : null));
        }
    }

    @Command(name = "audit", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class,
        description = "Prints the audit log (compliance role: as auditor unless --user or $BOURSE_USER): logons, refusals, lockouts and "
            + "operators' actions.")
    static final class Audit implements Callable<Integer>
    {
        @ParentCommand
        AdminCli admin;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "Records per page (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--cursor", paramLabel = "CURSOR", description = "The page after this cursor (nextCursor of the last answer; 0-0 for the oldest "
            + "page). Without --cursor or --before: the newest page.")
        String cursor;

        @Option(names = "--before", paramLabel = "CURSOR", description = "The page before this cursor (prevCursor of the last answer): older records.")
        String before;

        @Override
        public Integer call() throws Exception
        {
            if (cursor != null && before != null)
            {
                // the command's own CommandLine: a new one knew neither the inherited options nor the name ("Unknown option: '--url'", "./audit")
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give --cursor or --before, not both");
            }
            // the audit log is for the compliance role: the example configuration's compliance user
            return admin.api.call("GET", "/api/v1/audit?limit=" + limit + (cursor != null ? "&cursor=" + segment(cursor)
                : before != null ? "&before=" + segment(before) : ""), form(), "auditor");
        }
    }
}
