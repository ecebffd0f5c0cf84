package dev.bourse.readmodels.history;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteOpenMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The relational store of the query side's history, embedded (SQLite) or PostgreSQL: the same
 * schema (Flyway migrations in {@code db/history}) and the same SQL for both. Two connection
 * pools: one connection for the history sink, which writes alone, and a pool for history queries.
 * <p>
 * SQLite runs in write-ahead-log mode, so queries read a consistent snapshot while the sink
 * writes, with {@code synchronous=NORMAL}: a power loss may lose the last committed batches, but
 * never half of one, and the sink then replays them from the journal (the checkpoint goes with
 * the rows). The sink's connection checkpoints the log into the database every
 * {@value #WAL_CHECKPOINT_PAGES} pages (80 MB) instead of SQLite's 1,000: its inserts land all over
 * the indexes' pages, and the longer a page stays in the log, the more of its changes one
 * checkpoint writes at once (the sink took 125-133k events/s with 1,000, 132-193k with this).
 */
public final class HistoryStore implements AutoCloseable
{
    /** SQLite's {@code wal_autocheckpoint} for the sink's connection, in pages of 4 KiB. */
    static final int WAL_CHECKPOINT_PAGES = 20_000;

    /**
     * The PostgreSQL advisory lock a history sink holds on its connection for its life ("bourse" in
     * ASCII): a database has one sink. Two sinks of one database (two read-models processes with
     * their own checkpoint directories, one URL) both wrote it, and the first then failed every
     * batch for ever on its primary keys. The lock is per database and goes with the session, so a
     * sink that dies or loses its connection drops it.
     */
    public static final long WRITER_LOCK_KEY = 108_230_851_326_821L;
    /** How long a start waits for the writer lock: a sink killed a moment ago may still have its session. */
    static final long WRITER_LOCK_WAIT_MS = 2_000;

    private final StoreSettings settings;
    private final HikariDataSource writer;
    private final HikariDataSource readers;
    /** PostgreSQL: the connection that took the writer lock at open, until the sink takes it over. */
    private final java.util.concurrent.atomic.AtomicReference<Connection> lockedAtOpen = new java.util.concurrent.atomic.AtomicReference<>();
    /**
     * Embedded: the lock on the file's {@code .lock} beside it, held for the store's life; the
     * embedded store's one writer, as the advisory lock is PostgreSQL's. Two read-models processes
     * given one history file in a directory nobody locks both wrote it.
     */
    private dev.bourse.journal.DirectoryLock embeddedWriterLock;

    /** How long a PostgreSQL sink's write waits for a connection once the store was reached (Hikari's least is 250 ms). */
    static final long SINK_RETRY_CONNECTION_TIMEOUT_MS = 1_000;
    /** How long a history query waits for a connection once the store was reached. */
    static final long QUERY_CONNECTION_TIMEOUT_MS = 1_000;
    /** After a query found no connection, how long others are refused at once before one tries again. */
    static final long QUERY_RETRY_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);

    /**
     * Whether the last query to ask found no connection (the store unreachable), and when one may
     * try again. Each query of an outage waited the pool's 5 s for a connection, holding an HTTP
     * thread: a few clients asking history during a PostgreSQL outage held every thread, and the hot
     * queries, which need no store, waited behind them. Now one query at a time waits (at most
     * {@value #QUERY_CONNECTION_TIMEOUT_MS} ms), once a second, and the others are answered at once.
     */
    private volatile boolean readersDown;
    private volatile long readersRetryAtNanos;
    private final java.util.concurrent.atomic.AtomicBoolean readerProbe = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicLong queriesRefused = new java.util.concurrent.atomic.AtomicLong();

    private HistoryStore(final StoreSettings settings, final HikariDataSource writer, final HikariDataSource readers)
    {
        this.settings = settings;
        this.writer = writer;
        this.readers = readers;
    }

    /**
     * Opens the store and brings its schema up to date.
     *
     * @throws IllegalArgumentException with one clear line when the store cannot be opened.
     */
    public static HistoryStore open(final StoreSettings settings)
    {
        settings.validate();
        HikariDataSource writer = null;
        HikariDataSource readers = null;
        dev.bourse.journal.DirectoryLock fileLock = null;
        try
        {
            if (settings.kind() == StoreSettings.Kind.EMBEDDED)
            {
                final Path file = settings.embeddedFile().toAbsolutePath();
                if (Files.isDirectory(file))
                {
                    // SQLite's own answer names neither the setting nor the problem ("Unable to open the database file")
                    throw new IllegalArgumentException("query store: " + file + " is a directory; the history store is a file "
                        + "(query.history-file, --history-file), e.g. " + file.resolve("history.db"));
                }
                try
                {
                    Files.createDirectories(file.getParent());
                }
                catch (final IOException e)
                {
                    throw new IllegalArgumentException("query store: cannot create directory " + file.getParent() + " (" + e + ")");
                }
                fileLock = embeddedWriterLock(file);
                SqliteNativeLibrary.useCopyIn(file.getParent());
                writer = pool("history-sink", 1, sqlite(file, false));
                migrate("jdbc:sqlite:" + file, null, null);
                readers = pool("history-queries", settings.poolSize(), sqlite(file, true));
                final HistoryStore store = new HistoryStore(settings, writer, readers);
                store.embeddedWriterLock = fileLock;
                return store;
            }
            else
            {
                // Two: the sink's and its parallel writer's (ParallelWriter).
                final HikariConfig sink = postgresql(settings, "history-sink", 2);
                // Multi-row INSERTs from JDBC batches: several times fewer round trips.
                sink.addDataSourceProperty("reWriteBatchedInserts", "true");
                writer = new HikariDataSource(sink);
                migrate(settings.jdbcUrl(), settings.user(), settings.password());
                // connected: from now on a write waits at most a second for a connection. With the 5 s a
                // start is given, a database that went away was retried every 6 s, not every second,
                // and the sink's lag was counted that late
                writer.setConnectionTimeout(SINK_RETRY_CONNECTION_TIMEOUT_MS);
                final HikariConfig queries = postgresql(settings, "history-queries", settings.poolSize());
                // A query reads the sink's checkpoint and its rows from one snapshot.
                queries.setTransactionIsolation("TRANSACTION_REPEATABLE_READ");
                queries.setReadOnly(true);
                readers = new HikariDataSource(queries);
                readers.setConnectionTimeout(QUERY_CONNECTION_TIMEOUT_MS); // reached: see readerConnection()
                final HistoryStore store = new HistoryStore(settings, writer, readers);
                // refused here, before anything starts: the sink's own thread could only log it
                store.lockedAtOpen.set(lockedWriterConnection(writer, settings, WRITER_LOCK_WAIT_MS));
                return store;
            }
        }
        catch (final HikariPool.PoolInitializationException e)
        {
            close(writer, readers, fileLock);
            throw cannotConnect(settings, e);
        }
        catch (final SQLException e)
        {
            close(writer, readers, fileLock);
            throw new IllegalArgumentException("query store: cannot take the history sink's lock in " + settings.describe() + " (" +
                StoreErrors.summary(e) + ")");
        }
        catch (final FlywayException e)
        {
            close(writer, readers, fileLock);
            throw new IllegalArgumentException("query store: schema migration of " + settings.describe() + " failed (" +
                rootMessage(e) + ")");
        }
        catch (final RuntimeException e)
        {
            close(writer, readers, fileLock);
            throw e;
        }
    }

    /** The embedded store's writer lock ({@code history.db.lock} beside {@code history.db}), or the one-line refusal. */
    private static dev.bourse.journal.DirectoryLock embeddedWriterLock(final Path file)
    {
        final Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        try
        {
            return dev.bourse.journal.DirectoryLock.acquireFile(lockFile, "query store", "query store: another history sink (an "
                + "exchange's query side or a read-models process) writes " + file + " (" + lockFile + " is locked), and a history "
                + "store has one writer. Stop it, or give this one a history file of its own (query.history-file, --history-file)");
        }
        catch (final IllegalStateException | IOException e)
        {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    private static void close(final HikariDataSource writer, final HikariDataSource readers, final dev.bourse.journal.DirectoryLock fileLock)
    {
        close(writer, readers);
        closeQuietly(fileLock);
    }

    private static void closeQuietly(final dev.bourse.journal.DirectoryLock fileLock)
    {
        if (fileLock != null)
        {
            try
            {
                fileLock.close();
            }
            catch (final IOException e)
            {
                // the lock goes with the file's channel, which is closed either way
            }
        }
    }

    private static SQLiteDataSource sqlite(final Path file, final boolean forQueries)
    {
        final SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(30_000);
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        // A connection is only ever used by one thread at a time (the sink's own, or one borrowed from the pool),
        // so SQLite's per-connection mutex only costs: a lock and unlock around every call, 5% of the sink's CPU.
        config.setOpenMode(SQLiteOpenMode.NOMUTEX);
        // Page cache in KiB (negative): native memory, not the Java heap.
        config.setCacheSize(forQueries ? -16 * 1024 : -64 * 1024);
        if (!forQueries)
        {
            config.setWalAutocheckpoint(WAL_CHECKPOINT_PAGES); // only the sink writes, so only its connection checkpoints
        }
        final SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file);
        return dataSource;
    }

    private static HikariDataSource pool(final String name, final int size, final DataSource dataSource)
    {
        final HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setDataSource(dataSource);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(Math.min(size, 1));
        config.setAutoCommit(false);
        config.setConnectionTimeout(10_000);
        return new HikariDataSource(config);
    }

    private static HikariConfig postgresql(final StoreSettings settings, final String name, final int size)
    {
        final HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(settings.jdbcUrl());
        config.setDriverClassName("org.postgresql.Driver");
        if (settings.user() != null)
        {
            config.setUsername(settings.user());
        }
        if (settings.password() != null)
        {
            config.setPassword(settings.password());
        }
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(Math.min(size, 1));
        config.setAutoCommit(false);
        config.setConnectionTimeout(5_000);
        return config;
    }

    /** Flyway takes connections of its own (one holds its lock while another migrates). */
    private static void migrate(final String url, final String user, final String password)
    {
        Flyway.configure()
            .dataSource(url, user, password)
            .locations("classpath:db/history")
            .table("history_schema_version")
            .load()
            .migrate();
    }

    /**
     * Fails as {@link #open} would if a PostgreSQL store cannot be reached (one connection, opened
     * and closed) or another sink holds the writer lock of either kind of store. For a start that must refuse
     * before it writes anything: the exchange journals its configuration's bootstrap long before
     * its query side opens the store.
     */
    public static void checkReachable(final StoreSettings settings)
    {
        if (settings.kind() == StoreSettings.Kind.EMBEDDED)
        {
            // no other sink writes the file (taken again, for good, at open): found only at open, an exchange's refusal
            // came after it had journaled its bootstrap (an outside tester). Nothing to hold where no directory is yet.
            final Path file = settings.embeddedFile().toAbsolutePath();
            if (file.getParent() != null && Files.isDirectory(file.getParent()) && !Files.isDirectory(file))
            {
                closeQuietly(embeddedWriterLock(file));
            }
            return;
        }
        try (java.sql.Connection connection = connectOnce(settings))
        {
            // reachable, and the credentials are taken; and no other sink writes it (held until open, which takes it for good)
            if (!tryWriterLock(connection, WRITER_LOCK_WAIT_MS))
            {
                throw new IllegalArgumentException(anotherWriter(settings));
            }
            // and its schema can be made or brought up to date: a user that may not create tables was found
            // only at open, after the exchange had journaled its bootstrap (an outside tester)
            migrate(settings.jdbcUrl(), settings.user(), settings.password());
        }
        catch (final java.sql.SQLException e)
        {
            throw cannotConnect(settings, e);
        }
        catch (final FlywayException e)
        {
            final String reason = rootMessage(e);
            throw new IllegalArgumentException("query store: schema migration of " + settings.describe() + " failed (" + reason + ")"
                + (reason.contains("permission denied") ? ": the user needs to create tables in the database (its owner, or "
                + "GRANT CREATE ON SCHEMA public TO " + settings.user() + ")" : ""));
        }
    }

    /** A writer connection holding the writer lock (waiting up to {@code waitMs} for it), or the refusal. */
    private static Connection lockedWriterConnection(final HikariDataSource writer, final StoreSettings settings, final long waitMs)
        throws SQLException
    {
        final Connection connection = writer.getConnection();
        try
        {
            if (tryWriterLock(connection, waitMs))
            {
                return connection;
            }
        }
        catch (final SQLException | RuntimeException e)
        {
            writer.evictConnection(connection);
            throw e;
        }
        connection.close();
        throw new IllegalArgumentException(anotherWriter(settings));
    }

    /** Takes the writer lock on the connection's session (kept after the transaction ends), trying for up to {@code waitMs}. */
    private static boolean tryWriterLock(final Connection connection, final long waitMs) throws SQLException
    {
        final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(waitMs);
        try (java.sql.PreparedStatement s = connection.prepareStatement("SELECT pg_try_advisory_lock(?)"))
        {
            s.setLong(1, WRITER_LOCK_KEY);
            while (true)
            {
                final boolean taken;
                try (java.sql.ResultSet rs = s.executeQuery())
                {
                    rs.next();
                    taken = rs.getBoolean(1);
                }
                if (!connection.getAutoCommit())
                {
                    connection.rollback(); // a session's advisory lock outlives it
                }
                if (taken || System.nanoTime() - deadline >= 0)
                {
                    return taken;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
    }

    /** Gives the writer lock back (a session ends without it anyway; a pooled one would keep it). */
    private static void releaseWriterLock(final Connection connection) throws SQLException
    {
        connection.rollback();
        try (java.sql.PreparedStatement s = connection.prepareStatement("SELECT pg_advisory_unlock(?)"))
        {
            s.setLong(1, WRITER_LOCK_KEY);
            s.executeQuery().close();
        }
        connection.rollback();
    }

    static String anotherWriter(final StoreSettings settings)
    {
        return "query store: another history sink (an exchange's query side or a read-models process) writes " + settings.describe()
            + ", and a history store has one writer (it holds advisory lock " + WRITER_LOCK_KEY + " there). Stop it, or point this "
            + "one at a database of its own";
    }

    /** The start's one line for a store that cannot be reached, saying so when it wanted a password and none was given. */
    static IllegalArgumentException cannotConnect(final StoreSettings settings, final Throwable e)
    {
        if (missingPassword(settings, e))
        {
            // pgjdbc's words: "The server requested password-based authentication, but no password was provided by plugin null"
            return new IllegalArgumentException("query store: cannot connect to " + settings.describe() + ": the server asks for a "
                + "password and none was given (" + PASSWORD_SOURCES + ")");
        }
        return new IllegalArgumentException("query store: cannot connect to " + settings.describe() + " (" + rootMessage(e) + ")");
    }

    private static boolean missingPassword(final StoreSettings settings, final Throwable e)
    {
        return (settings.password() == null || settings.password().isEmpty()) && rootMessage(e).contains("no password was provided");
    }

    /** Where a PostgreSQL password comes from (CONFIGURATION.md, read-models.md "Running it"). */
    static final String PASSWORD_SOURCES = "a read-models process reads it from the environment variable BOURSE_JDBC_PASSWORD, or the "
        + "one --jdbc-password-env names; an exchange from query.jdbc-password";

    /**
     * The sequence the sink's checkpoint holds, read without opening the store (no pools, no
     * migrations, no file created): 0 for a store that does not exist yet or has no checkpoint.
     * For a start that must refuse a trimmed journal before it writes anything.
     */
    public static long storedCheckpointSequence(final StoreSettings settings)
    {
        final long[] checkpoint = storedCheckpoint(settings);
        return checkpoint == null ? 0 : checkpoint[1];
    }

    /**
     * The store's checkpoint as {position, sequence, entry timestamp}, read without opening it (no
     * pool, no migrations, no file created); null for a store that does not exist yet or has none.
     * A start compares it with its journal before it writes anything (CheckpointMatch).
     */
    public static long[] storedCheckpoint(final StoreSettings settings)
    {
        if (settings.kind() == StoreSettings.Kind.EMBEDDED && !Files.isRegularFile(settings.embeddedFile()))
        {
            return null;
        }
        try (java.sql.Connection connection = connectOnce(settings))
        {
            if (!hasCheckpointTable(connection))
            {
                return null;
            }
            return checkpointOf(connection);
        }
        catch (final java.sql.SQLException e)
        {
            if (missingPassword(settings, e))
            {
                throw cannotConnect(settings, e);
            }
            throw new IllegalArgumentException("query store: cannot read the checkpoint of " + settings.describe() + " (" + rootMessage(e) + ")");
        }
    }

    private static boolean hasCheckpointTable(final java.sql.Connection connection) throws java.sql.SQLException
    {
        // SQLite keeps names as created, PostgreSQL folds them to lower case: both are lower case here
        try (java.sql.ResultSet tables = connection.getMetaData().getTables(null, null, "sink_checkpoint", null))
        {
            return tables.next();
        }
    }

    private static java.sql.Connection connectOnce(final StoreSettings settings) throws java.sql.SQLException
    {
        if (settings.kind() == StoreSettings.Kind.EMBEDDED)
        {
            SqliteNativeLibrary.useCopyIn(settings.embeddedFile().toAbsolutePath().getParent());
            // not read-only: a write-ahead-logged file is read through its -shm index, which a reader may have to create
            return new SQLiteConfig().createConnection("jdbc:sqlite:" + settings.embeddedFile().toAbsolutePath());
        }
        final java.util.Properties properties = new java.util.Properties();
        if (settings.user() != null)
        {
            properties.setProperty("user", settings.user());
        }
        if (settings.password() != null)
        {
            properties.setProperty("password", settings.password());
        }
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("loginTimeout", "10");
        return java.sql.DriverManager.getConnection(settings.jdbcUrl(), properties);
    }

    private static String rootMessage(final Throwable t)
    {
        Throwable cause = t;
        while (cause.getCause() != null && cause.getCause() != cause)
        {
            cause = cause.getCause();
        }
        final String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        return message.replace('\n', ' ').trim();
    }

    public StoreSettings settings()
    {
        return settings;
    }

    public boolean isPostgresql()
    {
        return settings.kind() == StoreSettings.Kind.POSTGRESQL;
    }

    /** A sink's connection (autocommit off); only the sink and its parallel writer write, one connection each. */
    public Connection writerConnection() throws SQLException
    {
        return writer.getConnection();
    }

    /**
     * The journal sequence the history holds every row up to (its sink's checkpoint; 0 for a new
     * store). Read on the writer's connection before the sink starts: a query connection that had
     * read the store before the sink's first commit went on answering from that empty snapshot.
     */
    public long checkpointSequence() throws SQLException
    {
        final long[] checkpoint = checkpoint();
        return checkpoint == null ? 0 : checkpoint[1];
    }

    /** The sink's checkpoint as {position, sequence, entry timestamp}; null if the table has no row. */
    public long[] checkpoint() throws SQLException
    {
        try (Connection connection = writer.getConnection())
        {
            final long[] checkpoint = checkpointOf(connection);
            connection.rollback(); // with its statement closed: SQLite keeps a read open while one is not
            return checkpoint;
        }
    }

    /** The checkpoint row read on {@code connection}: {position, sequence, entry timestamp}, or null if it has none. */
    public static long[] checkpointOf(final Connection connection) throws SQLException
    {
        try (java.sql.PreparedStatement s = connection.prepareStatement(
            "SELECT position, sequence, entry_timestamp FROM sink_checkpoint WHERE id = 1");
            java.sql.ResultSet rs = s.executeQuery())
        {
            return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)} : null;
        }
    }

    /**
     * The history sink's connection (autocommit off). With PostgreSQL it holds the writer lock: the
     * one taken at open, or, for a connection made again (after a failure, or for another sink of
     * this store), taken now.
     *
     * @throws WriterLockHeld when another sink holds the lock: this one must not write
     */
    public Connection sinkConnection() throws SQLException
    {
        if (!isPostgresql())
        {
            return writer.getConnection();
        }
        final Connection held = lockedAtOpen.getAndSet(null);
        if (held != null)
        {
            return held;
        }
        final Connection connection = writer.getConnection();
        final boolean taken;
        try
        {
            taken = tryWriterLock(connection, 0);
        }
        catch (final SQLException | RuntimeException e)
        {
            writer.evictConnection(connection);
            throw e;
        }
        if (!taken)
        {
            connection.close();
            throw new WriterLockHeld("another history sink (an exchange's query side or a read-models process) holds the writer lock of "
                + settings.describe());
        }
        return connection;
    }

    /** Another history sink holds the writer lock of this PostgreSQL store. */
    public static final class WriterLockHeld extends SQLException
    {
        WriterLockHeld(final String message)
        {
            super(message);
        }
    }

    /** Gives the sink's connection back to the pool, without the writer lock. */
    public void releaseSinkConnection(final Connection connection)
    {
        try
        {
            if (isPostgresql())
            {
                releaseWriterLock(connection);
            }
            else
            {
                connection.rollback();
            }
            connection.close();
        }
        catch (final SQLException | RuntimeException e)
        {
            discardWriterConnection(connection); // broken: its session, and the lock with it, end
        }
    }

    /**
     * Closes a writer connection for good instead of giving it back to the pool (its state is not
     * to be trusted). The sink's lets go of the writer lock first: the pool closes it on a thread of
     * its own, and the retry, on a new connection, would find its own old session still holding it.
     */
    public void discardWriterConnection(final Connection connection)
    {
        if (isPostgresql())
        {
            try
            {
                releaseWriterLock(connection);
            }
            catch (final SQLException | RuntimeException e)
            {
                // broken: the server ends its session and the lock with it
            }
        }
        try
        {
            writer.evictConnection(connection);
        }
        catch (final RuntimeException e)
        {
            // already closed or broken: the pool replaces it either way
        }
    }

    /**
     * A connection for a history query (autocommit off: commit or roll back to end its snapshot).
     *
     * @throws SQLException at once while the store was found unreachable less than
     *                      {@link #QUERY_RETRY_NANOS} ago or another query is trying it again
     */
    public Connection readerConnection() throws SQLException
    {
        if (!readersDown)
        {
            return readerConnectionNoting();
        }
        if (System.nanoTime() - readersRetryAtNanos < 0 || !readerProbe.compareAndSet(false, true))
        {
            queriesRefused.incrementAndGet();
            throw new java.sql.SQLTransientConnectionException("the history store was unreachable moments ago");
        }
        try
        {
            return readerConnectionNoting();
        }
        finally
        {
            readerProbe.set(false);
        }
    }

    private Connection readerConnectionNoting() throws SQLException
    {
        try
        {
            final Connection connection = readers.getConnection();
            readersDown = false;
            return connection;
        }
        catch (final java.sql.SQLTransientConnectionException e)
        {
            readersRetryAtNanos = System.nanoTime() + QUERY_RETRY_NANOS;
            readersDown = true;
            throw e;
        }
    }

    /** History queries answered "unavailable" at once, without waiting, while the store was unreachable. */
    public long queriesRefused()
    {
        return queriesRefused.get();
    }

    @Override
    public void close()
    {
        final Connection held = lockedAtOpen.getAndSet(null);
        if (held != null)
        {
            releaseSinkConnection(held); // no sink took it over
        }
        close(readers, writer);
        closeQuietly(embeddedWriterLock); // last: no connection of this store writes any more
        embeddedWriterLock = null;
    }

    private static void close(final HikariDataSource a, final HikariDataSource b)
    {
        if (a != null)
        {
            a.close();
        }
        if (b != null)
        {
            b.close();
        }
    }
}
