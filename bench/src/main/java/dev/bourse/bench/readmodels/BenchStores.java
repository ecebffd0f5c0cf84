package dev.bourse.bench.readmodels;

import dev.bourse.readmodels.history.StoreSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Fresh, empty history stores for the benchmark runs: a SQLite file in a temporary directory, a
 * new database on an embedded PostgreSQL server the bench starts (its binaries come inside a Maven
 * artifact), or the tables of a scratch PostgreSQL database given by URL, dropped before each run.
 */
final class BenchStores implements AutoCloseable
{
    private static final String[] TABLES = {"history_schema_version", "sink_checkpoint", "instruments", "accounts", "orders",
        "order_events", "order_closes", "trades", "activity", "candles", "daily_summary", "trading_days", "sink_parallel"};

    private final Map<String, String> serverSettings;
    private final String kind;
    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final Path directory;
    private EmbeddedPostgres postgres;
    private int databases;

    /**
     * @param serverSettings postgresql.conf settings of the embedded PostgreSQL server (ignored with a
     *                       {@code jdbcUrl}: that server's settings are its owner's)
     */
    BenchStores(final String kind, final String jdbcUrl, final String user, final String password, final Path parent,
        final Map<String, String> serverSettings)
        throws IOException
    {
        StoreSettings.Kind.parse(kind);
        this.serverSettings = serverSettings;
        this.kind = kind;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        final Path base = parent == null ? Path.of(System.getProperty("java.io.tmpdir")) : parent;
        Files.createDirectories(base);
        directory = Files.createTempDirectory(base, "bench-history-");
    }

    String kind()
    {
        return kind;
    }

    /** What the store is, for the output. */
    String describe()
    {
        return kind.equals("embedded") ? "SQLite file in " + directory
            : jdbcUrl != null ? "PostgreSQL at " + jdbcUrl
            : "embedded PostgreSQL (the bench started it" + (serverSettings.isEmpty() ? "" : ", " + serverSettings) + ")";
    }

    /** A new, empty store. */
    StoreSettings fresh() throws IOException, SQLException
    {
        final int n = ++databases;
        if (kind.equals("embedded"))
        {
            return StoreSettings.embedded(directory.resolve("history-" + n + ".db"));
        }
        if (jdbcUrl != null)
        {
            try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
                Statement statement = connection.createStatement())
            {
                for (final String table : TABLES)
                {
                    statement.execute("DROP TABLE IF EXISTS " + table + " CASCADE");
                }
            }
            return StoreSettings.postgresql(jdbcUrl, user, password);
        }
        if (postgres == null)
        {
            final EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setDataDirectory(directory.resolve("postgres"))
                .setCleanDataDirectory(true);
            serverSettings.forEach(builder::setServerConfig);
            postgres = builder.start();
        }
        final String name = "bench_" + n;
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
            Statement statement = connection.createStatement())
        {
            statement.execute("CREATE DATABASE " + name);
        }
        return StoreSettings.postgresql(postgres.getJdbcUrl("postgres", name), "postgres", "postgres");
    }

    @Override
    public void close() throws IOException
    {
        if (postgres != null)
        {
            postgres.close();
        }
        try (Stream<Path> files = Files.walk(directory))
        {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
    }
}
