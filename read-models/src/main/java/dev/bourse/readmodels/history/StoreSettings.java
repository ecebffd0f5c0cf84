package dev.bourse.readmodels.history;

import java.nio.file.Path;

/**
 * Where the history goes: the embedded store (a SQLite file, no set-up) or PostgreSQL (a JDBC URL
 * and credentials, pooled).
 *
 * @param kind         {@link Kind#EMBEDDED} or {@link Kind#POSTGRESQL}
 * @param embeddedFile the SQLite database file (embedded only)
 * @param jdbcUrl      {@code jdbc:postgresql://host:port/db} (PostgreSQL only)
 * @param user         PostgreSQL user (may be null: the URL's or the driver's default)
 * @param password     PostgreSQL password (may be null)
 * @param poolSize     connections for history queries (the sink has one of its own)
 */
public record StoreSettings(Kind kind, Path embeddedFile, String jdbcUrl, String user, String password, int poolSize)
{
    public enum Kind
    {
        EMBEDDED, POSTGRESQL;

        /** The configuration's spelling: embedded, postgresql. */
        public static Kind parse(final String text)
        {
            for (final Kind kind : values())
            {
                if (kind.name().equalsIgnoreCase(text))
                {
                    return kind;
                }
            }
            throw new IllegalArgumentException("query store must be embedded or postgresql, not '" + text + "'");
        }
    }

    public static StoreSettings embedded(final Path file)
    {
        return new StoreSettings(Kind.EMBEDDED, file, null, null, null, 4);
    }

    public static StoreSettings postgresql(final String jdbcUrl, final String user, final String password)
    {
        return new StoreSettings(Kind.POSTGRESQL, null, jdbcUrl, user, password, 4);
    }

    public StoreSettings withPoolSize(final int value)
    {
        return new StoreSettings(kind, embeddedFile, jdbcUrl, user, password, value);
    }

    public StoreSettings validate()
    {
        if (kind == null)
        {
            throw new IllegalArgumentException("query store: no kind");
        }
        if (kind == Kind.EMBEDDED && embeddedFile == null)
        {
            throw new IllegalArgumentException("query store: the embedded store needs a file");
        }
        if (kind == Kind.POSTGRESQL && (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")))
        {
            throw new IllegalArgumentException("query store: postgresql needs a JDBC URL jdbc:postgresql://host:port/database, not '" +
                jdbcUrl + "'");
        }
        if (poolSize < 1 || poolSize > 1_000)
        {
            throw new IllegalArgumentException("query store: pool size must be 1..1000, not " + poolSize);
        }
        return this;
    }

    /** For logs: never the password. */
    public String describe()
    {
        return kind == Kind.EMBEDDED ? "embedded SQLite " + embeddedFile : "PostgreSQL " + jdbcUrl;
    }

    @Override
    public String toString()
    {
        return "StoreSettings[" + describe() + ", pool " + poolSize + "]";
    }
}
