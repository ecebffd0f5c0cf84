package dev.bourse.server.admin;

import dev.bourse.protocol.JournalEntryReader;
import dev.bourse.protocol.JournalEventListener;
import dev.bourse.server.ExchangeServer;
import dev.bourse.server.ExampleConfig;
import dev.bourse.server.config.ExchangeConfig;
import io.aeron.CommonContext;
import org.agrona.IoUtil;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The example exchange (config/exchange.properties) on free ports in a temp directory, with one
 * user of every other role: {@code ops} (operations), {@code feed} (market-data) and {@code audit}
 * (compliance), and HTTP helpers. Every log line is kept, to check what the logs may not say.
 */
final class OpsExchange implements AutoCloseable
{
    static final String OPS_PASSWORD = "ops-Secret-1";
    static final String FEED_PASSWORD = "feed-Secret-2";
    static final String AUDIT_PASSWORD = "audit-Secret-3";

    final List<String> log = new CopyOnWriteArrayList<>();
    final ExchangeServer server;
    private final Path dataDir;
    private final String aeronDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    OpsExchange(final Path dataDir) throws Exception
    {
        this(dataDir, Map.of());
    }

    /** With more settings (a schedule, say) over the example configuration and the ones above. */
    OpsExchange(final Path dataDir, final Map<String, String> settings) throws Exception
    {
        this(dataDir, CommonContext.getAeronDirectoryName() + "-ops-" + UUID.randomUUID(), settings);
    }

    private OpsExchange(final Path dataDir, final String aeronDir, final Map<String, String> settings) throws Exception
    {
        this.dataDir = dataDir;
        this.aeronDir = aeronDir;
        this.settings = settings;
        server = ExchangeServer.start(config(dataDir, aeronDir, settings), log::add);
    }

    private final Map<String, String> settings;

    /** The same exchange started again on its data directory. */
    OpsExchange restart() throws Exception
    {
        server.close();
        return new OpsExchange(dataDir, aeronDir, settings);
    }

    private static ExchangeConfig config(final Path dataDir, final String aeronDir, final Map<String, String> settings) throws Exception
    {
        final Map<String, String> overrides = ExampleConfig.isolated(dataDir, aeronDir);
        // GTD orders expire only at an operator's end of day here, so tests can tell who expired them
        overrides.put("schedule.gtd-expiry-interval", "0s");
        overrides.put("users", "alice, bob, carol, dave, ops, auditor, feed, audit");
        overrides.put("user.ops.role", "operations");
        overrides.put("user.ops.password", OPS_PASSWORD);
        overrides.put("user.feed.role", "market-data");
        overrides.put("user.feed.password", FEED_PASSWORD);
        overrides.put("user.audit.role", "compliance");
        overrides.put("user.audit.password", AUDIT_PASSWORD);
        overrides.putAll(settings);
        return ExampleConfig.read(overrides);
    }

    record Answer(int status, String body)
    {
    }

    /** The {@code "phase":...} part of an instrument's public answer (or what came instead), for awaits and their messages. */
    String phase(final String symbol)
    {
        try
        {
            final String body = get("/api/v1/instruments/" + symbol, null, null).body();
            final int at = body.indexOf("\"phase\":");
            return at < 0 ? body : body.substring(at, Math.min(body.length(), at + 30));
        }
        catch (final Exception e)
        {
            return "";
        }
    }

    Answer get(final String path, final String user, final String password) throws Exception
    {
        return send(request(path, user, password).GET().build());
    }

    Answer post(final String path, final String form, final String user, final String password) throws Exception
    {
        return send(request(path, user, password).header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form == null ? "" : form)).build());
    }

    /** An admin action by the operations user. */
    Answer admin(final String path, final String form) throws Exception
    {
        return post("/api/v1/admin/" + path, form, "ops", OPS_PASSWORD);
    }

    private HttpRequest.Builder request(final String path, final String user, final String password)
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.queryPort() + path))
            .timeout(Duration.ofSeconds(15));
        if (user != null)
        {
            request.header("Authorization", "Basic " +
                Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return request;
    }

    private Answer send(final HttpRequest request) throws Exception
    {
        final HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }

    /** Every event of the journal, from its start, to the listener. */
    void readJournal(final JournalEventListener listener)
    {
        final JournalEntryReader reader = new JournalEntryReader();
        try (dev.bourse.journal.ChronicleTailer tailer = server.journal().tailerFromStart())
        {
            tailer.poll((position, buffer, offset, length) -> reader.read(buffer, offset, length, listener), Integer.MAX_VALUE);
        }
    }

    static void awaitTrue(final BooleanSupplier condition, final String what) throws InterruptedException
    {
        final long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    @Override
    public void close()
    {
        server.close();
        IoUtil.delete(Path.of(aeronDir).toFile(), true);
    }
}
