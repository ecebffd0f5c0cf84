package dev.bourse.readmodels;

import dev.bourse.journal.ChronicleJournal;
import dev.bourse.journal.DirectoryLock;
import dev.bourse.journal.DirectoryLocks;
import dev.bourse.journal.JournalException;
import dev.bourse.protocol.auth.Credential;
import dev.bourse.protocol.auth.CredentialStore;
import dev.bourse.protocol.auth.PasswordHash;
import dev.bourse.readmodels.history.StoreSettings;
import dev.bourse.readmodels.http.HttpLimits;
import org.agrona.concurrent.ShutdownSignalBarrier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code read-models --journal DIR [--port P]}: the read side as its own process on the same
 * journal files as the engine, so the query side scales apart from the write side.
 */
@Command(name = "read-models", synopsisHeading = "Usage: exchange ", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class,
    description = "Project the journal into read models, write its history to a database, and serve the HTTP/JSON "
        + "query API, the WebSocket streams and the dashboard.")
public final class ReadModelsMain implements Callable<Integer>
{
    @Option(names = "--journal", required = true, paramLabel = "DIR", description = "Journal directory (read only).")
    Path journal;

    @Option(names = "--port", paramLabel = "P", description = "HTTP port (default: ${DEFAULT-VALUE}).")
    int port = ReadModelsContext.DEFAULT_PORT;

    @Option(names = "--bind", paramLabel = "ADDRESS", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String bind = "0.0.0.0";

    @Option(names = "--checkpoints", paramLabel = "DIR",
        description = "Checkpoint directory: resume from it after a restart (default: none, rebuild from the start).")
    Path checkpoints;

    @Option(names = "--users", paramLabel = "FILE",
        description = "Credentials: one 'username accountId pbkdf2-hash' per line for a trader, or 'username compliance|operations "
            + "pbkdf2-hash' for a user without an account; # comments (default: none).")
    Path users;

    @Option(names = "--http-threads", paramLabel = "N", description = "HTTP threads (default: ${DEFAULT-VALUE}).")
    int httpThreads = 4;

    @Option(names = "--budget-per-address", paramLabel = "UNITS",
        description = "Units of work a second one client address may use: a request is one, each 16 KiB of its answer one more; " +
            "requests past it wait up to 1 s, then are answered 429. 0: no budget (default: ${DEFAULT-VALUE}).")
    int budgetPerAddress = HttpLimits.DEFAULT_BUDGET_PER_ADDRESS;

    @Option(names = "--budget-burst", paramLabel = "UNITS",
        description = "Units an address that has been quiet may spend at once (default: ${DEFAULT-VALUE}).")
    int budgetBurst = HttpLimits.DEFAULT_BUDGET_BURST;

    @Option(names = "--store", paramLabel = "KIND",
        description = "History store: embedded (SQLite file) or postgresql (default: ${DEFAULT-VALUE}).")
    String store = "embedded";

    @Option(names = "--history-file", paramLabel = "FILE",
        description = "Embedded store's file (default: history.db in the checkpoint directory, else a temporary one).")
    Path historyFile;

    @Option(names = "--jdbc-url", paramLabel = "URL", description = "PostgreSQL: jdbc:postgresql://host:port/database.")
    String jdbcUrl;

    @Option(names = "--jdbc-user", paramLabel = "USER", description = "PostgreSQL user.")
    String jdbcUser;

    @Option(names = "--jdbc-password-env", paramLabel = "VAR",
        description = "Name of the environment variable holding the PostgreSQL password (default: ${DEFAULT-VALUE}).")
    String jdbcPasswordEnv = "BOURSE_JDBC_PASSWORD";

    @Option(names = "--sink-idle-class-max-lag", paramLabel = "ENTRIES",
        description = "While the history sink is at most this many journal entries behind, it runs in Linux's idle scheduling " +
            "class, so the exchange beside it on the same machine never waits for its inserts; further behind it competes " +
            "again until within a quarter of it. 0: never (default: ${DEFAULT-VALUE}).")
    long sinkIdleClassMaxLag = ReadModelsContext.SHIPPED_SINK_IDLE_CLASS_MAX_LAG;

    @Option(names = "--sink-max-turn-us", paramLabel = "MICROS",
        description = "While the history sink is in the idle scheduling class it works in turns of at most this long with a " +
            "short sleep between them, so threads the scheduler wakes onto its core never wait behind its inserts. " +
            "0: no turns (default: ${DEFAULT-VALUE}).")
    long sinkMaxTurnMicros = TimeUnit.NANOSECONDS.toMicros(ReadModelsContext.SHIPPED_SINK_MAX_TURN_NANOS);

    @Option(names = "--time-zone", paramLabel = "ZONE",
        description = "The exchange's time zone (its schedule.time-zone): trading days are named by their dates in it (default: ${DEFAULT-VALUE}).")
    String timeZone = "UTC";

    @Option(names = "--token-lifetime", paramLabel = "SECONDS",
        description = "How long a bearer token from POST auth/token is good for, in seconds (default: ${DEFAULT-VALUE}).")
    long tokenLifetimeSeconds = 3_600;

    @Option(names = "--tls-keystore", paramLabel = "FILE",
        description = "Serve HTTPS and WSS with this PKCS12 key store (certificate and key), as the exchange's query.tls.keystore " +
            "(default: none, plain HTTP only).")
    Path tlsKeystore;

    @Option(names = "--tls-keystore-password-file", paramLabel = "FILE",
        description = "File holding the key store's password (one line; default: the environment variable " +
            "BOURSE_TLS_KEYSTORE_PASSWORD). Never on the command line.")
    Path tlsKeystorePasswordFile;

    @Option(names = "--tls-port", paramLabel = "P", description = "HTTPS port, with --tls-keystore (default: ${DEFAULT-VALUE}).")
    int tlsPort = 8443;

    @Option(names = "--tls-client-auth", paramLabel = "MODE", description = "With --tls-keystore: none, want or need a client "
        + "certificate, checked against --tls-truststore, as the exchange's query.tls.client-auth (default: ${DEFAULT-VALUE}).")
    String tlsClientAuth = "none";

    @Option(names = "--tls-truststore", paramLabel = "FILE", description = "Trust store (PKCS12) of the CAs whose client "
        + "certificates --tls-client-auth accepts (default: the JDK's public CAs).")
    Path tlsTruststore;

    @Option(names = "--tls-truststore-password-file", paramLabel = "FILE", description = "File holding the trust store's password "
        + "(one line; default: the key store's password).")
    Path tlsTruststorePasswordFile;

    @Option(names = "--no-plain", description = "With --tls-keystore: serve HTTPS only, no plain HTTP port (passwords and " +
        "tokens then never cross the network in clear).")
    boolean noPlain;

    private final PrintWriter err;

    ReadModelsMain(final PrintWriter err)
    {
        this.err = err;
    }

    public static void main(final String[] args)
    {
        final int status = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true), true);
        // After a shutdown signal the JVM is already exiting, and System.exit would block for good.
        if (status != 0)
        {
            System.exit(status);
        }
    }

    /** Runs the command; with {@code block} false (tests) it starts and stops at once. */
    static int run(final String[] args, final PrintWriter out, final PrintWriter err, final boolean block)
    {
        final ReadModelsMain main = new ReadModelsMain(err);
        main.block = block;
        final CommandLine commandLine = new CommandLine(main).setOut(out).setErr(err);
        dev.bourse.journal.tool.OneLineUsageErrors.install(commandLine, "./exchange ");
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) ->
        {
            // Startup errors are one line, never a stack trace.
            // a refusal of the read models' own (an IllegalStateException) is a sentence, not a class name and a message
            err.println(e instanceof IllegalArgumentException || e instanceof IOException ? e.getMessage()
                : e instanceof IllegalStateException && e.getMessage() != null
                    ? (e.getMessage().startsWith("read models: ") ? e.getMessage() : "read models: " + e.getMessage())
                    : "read models: " + e);
            return 2; // as a refused ./exchange start, and the journal tools' bad input
        });
        return commandLine.execute(args);
    }

    private boolean block = true;

    @Override
    public Integer call() throws Exception
    {
        if (!Files.isDirectory(journal))
        {
            throw new IllegalArgumentException("read models: journal directory " + journal
                + (Files.exists(journal) ? " is a file, not a journal directory" : " does not exist"));
        }
        if (!ChronicleJournal.holdsJournal(journal))
        {
            // an exchange's data directory, say: served as an empty exchange, it would look like a working one
            throw new IllegalArgumentException("read models: " + journal + " is not a journal (no Chronicle Queue files in it)"
                + (ChronicleJournal.holdsJournal(journal.resolve("journal")) ? "; did you mean " + journal.resolve("journal") + "?" : ""));
        }
        final java.time.ZoneId zone;
        try
        {
            zone = java.time.ZoneId.of(timeZone);
        }
        catch (final java.time.DateTimeException e)
        {
            throw new IllegalArgumentException("read models: --time-zone " + timeZone + " is not a time zone (e.g. UTC, Europe/Paris)");
        }
        if (tokenLifetimeSeconds < 1)
        {
            throw new IllegalArgumentException("read models: --token-lifetime " + tokenLifetimeSeconds + ": must be at least 1 second");
        }
        if (httpThreads < 1 || httpThreads > 256)
        {
            // the range of query.threads, the same threads in the exchange's own process
            throw new IllegalArgumentException("read models: --http-threads " + httpThreads + ": must be 1 to 256");
        }
        try
        {
            HttpLimits.DEFAULTS.withThreads(httpThreads).withBudget(budgetPerAddress, budgetBurst).validate();
        }
        catch (final IllegalArgumentException e)
        {
            throw new IllegalArgumentException("read models: " + e.getMessage()); // it said "http: ..." alone (an outside tester)
        }
        final dev.bourse.protocol.tls.TlsSettings tls = tlsSettings();
        // before anything is made: refused at the bind, a new --history-file had been created (and filled, with
        // --tls-port equal to --port), and the --checkpoints directory (outside testers)
        if (tls != null && !noPlain && port != 0 && port == tlsPort)
        {
            throw new IllegalArgumentException("read models: --tls-port " + tlsPort + " is the same as --port; give each its own, "
                + "or --no-plain for HTTPS alone");
        }
        try
        {
            if (!noPlain)
            {
                dev.bourse.protocol.net.ListenPorts.tryPort("--port", bind, port);
            }
            if (tls != null)
            {
                dev.bourse.protocol.net.ListenPorts.tryPort("--tls-port", bind, tlsPort);
            }
        }
        catch (final java.net.BindException e)
        {
            throw new IllegalArgumentException("read models: " + e.getMessage());
        }
        final CredentialStore credentials = users == null ? new CredentialStore() : loadUsers(users);
        final StoreSettings.Kind kind;
        try
        {
            kind = StoreSettings.Kind.parse(store);
        }
        catch (final IllegalArgumentException e)
        {
            throw new IllegalArgumentException("read models: --store: " + e.getMessage()); // every error of the command says whose
        }
        if (kind == StoreSettings.Kind.POSTGRESQL && jdbcUrl == null)
        {
            throw new IllegalArgumentException("read models: --store postgresql needs --jdbc-url");
        }
        final StoreSettings storeSettings = kind == StoreSettings.Kind.POSTGRESQL
            ? StoreSettings.postgresql(jdbcUrl, jdbcUser, System.getenv(jdbcPasswordEnv))
            : historyFile != null ? StoreSettings.embedded(historyFile) : null;
        if (checkpoints != null)
        {
            try
            {
                Files.createDirectories(checkpoints);
            }
            catch (final IOException e)
            {
                throw new IllegalArgumentException("read models: cannot create checkpoint directory " + checkpoints);
            }
            if (!Files.isWritable(checkpoints))
            {
                throw new IllegalArgumentException("read models: checkpoint directory " + checkpoints + " is not writable");
            }
        }
        dev.bourse.journal.EarlyShutdownHooks.register(); // before the barrier: see there
        // Closed last (after the server and the journal): on SIGTERM the barrier's shutdown hook
        // waits for that close, so the final checkpoint is written before the JVM ends.
        try (ShutdownSignalBarrier barrier = block ? new ShutdownSignalBarrier() : null;
            DirectoryLocks locks = lockWrittenDirectories();
            ChronicleJournal chronicle = openJournal(journal))
        {
            final ReadModelsContext ctx = new ReadModelsContext().journal(JournalSource.of(chronicle)).credentials(credentials)
                .port(port).bindAddress(bind).checkpointDirectory(checkpoints).store(storeSettings)
                .httpLimits(HttpLimits.DEFAULTS.withThreads(httpThreads).withBudget(budgetPerAddress, budgetBurst))
                .timeZone(zone).log(line -> err.println(line)).tls(tls).tlsPort(tlsPort).plainEnabled(!noPlain)
                .tokenTtlSeconds(tokenLifetimeSeconds)
                .sinkIdleClassMaxLag(sinkIdleClassMaxLag).sinkMaxTurnNanos(TimeUnit.MICROSECONDS.toNanos(sinkMaxTurnMicros));
            try (ReadModelsServer server = ReadModelsServer.start(ctx))
            {
                err.println("read models: serving on " + (noPlain ? "" : "port " + server.port()) + (noPlain || tls == null ? "" : " and ")
                    + (tls == null ? "" : "HTTPS port " + tlsPort) + " from journal " + journal);
                err.flush();
                if (barrier != null)
                {
                    barrier.await();
                    err.println("read models: stopping");
                }
            }
        }
        return 0;
    }

    /** HTTPS's settings from the options, checked now (the key store read with its password): null without --tls-keystore. */
    private dev.bourse.protocol.tls.TlsSettings tlsSettings() throws IOException
    {
        if (tlsKeystore == null)
        {
            final String needsKeystore = noPlain ? "--no-plain" : tlsKeystorePasswordFile != null ? "--tls-keystore-password-file"
                : tlsTruststore != null ? "--tls-truststore" : tlsTruststorePasswordFile != null ? "--tls-truststore-password-file"
                : !"none".equalsIgnoreCase(tlsClientAuth) ? "--tls-client-auth" : null;
            if (needsKeystore != null)
            {
                throw new IllegalArgumentException("read models: " + needsKeystore + " needs --tls-keystore");
            }
            return null;
        }
        final dev.bourse.protocol.tls.TlsSettings.ClientAuth clientAuth;
        try
        {
            clientAuth = dev.bourse.protocol.tls.TlsSettings.ClientAuth.of(tlsClientAuth);
        }
        catch (final IllegalArgumentException e)
        {
            throw new IllegalArgumentException("read models: --tls-client-auth '" + tlsClientAuth + "' is not none, want or need");
        }
        final char[] password;
        if (tlsKeystorePasswordFile != null)
        {
            password = firstLine(tlsKeystorePasswordFile, "--tls-keystore-password-file");
        }
        else
        {
            final String fromEnvironment = System.getenv("BOURSE_TLS_KEYSTORE_PASSWORD");
            if (fromEnvironment == null || fromEnvironment.isEmpty())
            {
                throw new IllegalArgumentException("read models: --tls-keystore needs its password: --tls-keystore-password-file FILE "
                    + "or the environment variable BOURSE_TLS_KEYSTORE_PASSWORD");
            }
            password = fromEnvironment.toCharArray();
        }
        final dev.bourse.protocol.tls.TlsSettings settings = new dev.bourse.protocol.tls.TlsSettings(tlsKeystore, password, null, null,
            clientAuth, tlsTruststore, tlsTruststorePasswordFile == null ? null : firstLine(tlsTruststorePasswordFile,
            "--tls-truststore-password-file"));
        try
        {
            settings.sslContext(); // a missing file, a wrong password, a store without a key: said now, in one line
        }
        catch (final dev.bourse.protocol.tls.TlsSettings.InvalidSettings e)
        {
            final boolean trust = e.field() == dev.bourse.protocol.tls.TlsSettings.Field.TRUSTSTORE
                || e.field() == dev.bourse.protocol.tls.TlsSettings.Field.TRUSTSTORE_PASSWORD;
            throw new IllegalArgumentException("read models: " + (!trust ? "--tls-keystore" : tlsTruststorePasswordFile != null
                && e.field() == dev.bourse.protocol.tls.TlsSettings.Field.TRUSTSTORE_PASSWORD ? "--tls-truststore-password-file"
                : "--tls-truststore") + ": " + e.getMessage());
        }
        catch (final IllegalArgumentException e)
        {
            throw new IllegalArgumentException("read models: --tls-keystore: " + e.getMessage());
        }
        for (final String gap : settings.clientCertificateGaps(!noPlain, "--tls-client-auth", "--tls-truststore", "the plain port (--port)",
            "give --no-plain"))
        {
            err.println("read models: warning: " + gap);
        }
        return settings;
    }

    private static char[] firstLine(final Path file, final String option) throws IOException
    {
        if (!Files.isRegularFile(file))
        {
            throw new IllegalArgumentException("read models: " + option + " " + file + " is not a file");
        }
        return Files.readString(file, java.nio.charset.StandardCharsets.UTF_8).lines().findFirst().orElse("").toCharArray();
    }

    /**
     * The directories this process writes, each locked as the exchange locks its own: the checkpoint
     * directory, and the embedded history file's where that is one an exchange or another read-models
     * process locks (no lock file is left in a directory nobody locks): two writers of one checkpoint directory (an exchange's query side
     * and this process, or two of these) both appended to one history file, one of them failing on
     * every batch for ever, and the last to stop replaced the other's checkpoint.
     */
    private DirectoryLocks lockWrittenDirectories() throws IOException
    {
        final DirectoryLocks locks = new DirectoryLocks("another process (an exchange's query side or a read-models process)");
        try
        {
            if (checkpoints != null)
            {
                locks.lock(checkpoints, "--checkpoints");
            }
            if (historyFile != null && historyFile.toAbsolutePath().getParent() != null)
            {
                final Path parent = historyFile.toAbsolutePath().getParent();
                if (Files.exists(parent.resolve(DirectoryLock.FILE_NAME))) // a directory some exchange or read-models process writes
                {
                    locks.lock(parent, "--history-file's directory");
                }
            }
            return locks;
        }
        catch (final IllegalStateException e)
        {
            locks.close();
            throw new IllegalArgumentException("read models: " + e.getMessage());
        }
    }

    /** The engine's journal, read-only: this process never appends. */
    static ChronicleJournal openJournal(final Path dir)
    {
        try
        {
            return ChronicleJournal.open(new ChronicleJournal.Context().dir(dir).readOnly(true));
        }
        catch (final JournalException e)
        {
            throw new IllegalArgumentException("read models: " + e.getMessage());
        }
    }

    /** Reads 'username accountId hash' lines (a trader) and 'username compliance|operations hash' lines. */
    static CredentialStore loadUsers(final Path file)
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file);
        }
        catch (final IOException e)
        {
            throw new IllegalArgumentException("read models: cannot read users file " + file);
        }
        final CredentialStore store = new CredentialStore();
        int lineNumber = 0;
        for (final String raw : lines)
        {
            lineNumber++;
            final String line = raw.trim();
            if (line.isEmpty() || line.startsWith("#"))
            {
                continue;
            }
            final String[] parts = line.split("\\s+");
            long accountId = -1;
            // the second column: a trader's account, or the role of a user who has none (compliance, operations)
            final dev.bourse.protocol.auth.Role role = parts.length == 3 ? dev.bourse.protocol.auth.Role.fromConfigName(parts[1]) : null;
            if (parts.length == 3 && role == null)
            {
                try
                {
                    accountId = Long.parseLong(parts[1]);
                }
                catch (final NumberFormatException e)
                {
                    accountId = -1;
                }
            }
            if ((role == null && accountId <= 0) || role == dev.bourse.protocol.auth.Role.TRADER || parts.length != 3
                || !PasswordHash.isWellFormed(parts[2]))
            {
                throw new IllegalArgumentException("read models: " + file + " line " + lineNumber +
                    ": expected 'username accountId pbkdf2-sha256$...' (a trader) or 'username compliance|operations "
                    + "pbkdf2-sha256$...'");
            }
            try
            {
                store.add(role == null ? new Credential(parts[0], parts[2], accountId) : new Credential(parts[0], parts[2], 0, role));
            }
            catch (final IllegalArgumentException e)
            {
                throw new IllegalArgumentException("read models: " + file + " line " + lineNumber + ": " + e.getMessage());
            }
        }
        return store;
    }
}
