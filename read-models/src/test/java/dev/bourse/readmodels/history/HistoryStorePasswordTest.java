package dev.bourse.readmodels.history;

import dev.bourse.readmodels.TestPostgres;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A PostgreSQL server that asks for a password when none was given: the start says so and where the
 * password comes from (pgjdbc's own words ended "no password was provided by plugin null").
 */
class HistoryStorePasswordTest
{
    @Test
    void aServerAskingForAPasswordNoneWasGivenForIsNamedWithWhereThePasswordComesFrom() throws Exception
    {
        final String url = TestPostgres.newDatabase().replaceAll("\\?.*", ""); // its own user=postgres would win
        final String role = "bourse_pw_" + ProcessHandle.current().pid();
        try (Connection admin = DriverManager.getConnection(url, TestPostgres.user(), TestPostgres.password());
            Statement s = admin.createStatement())
        {
            s.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'secret'");
            final Path hba;
            try (ResultSet rs = s.executeQuery("SHOW hba_file"))
            {
                rs.next();
                hba = Path.of(rs.getString(1));
            }
            final String before = Files.readString(hba);
            // only this role is asked for a password (the first matching line wins); the other tests' logins stay as they are
            Files.writeString(hba, "host all " + role + " 127.0.0.1/32 password\nhost all " + role + " ::1/128 password\n" + before);
            try
            {
                s.execute("SELECT pg_reload_conf()");
                awaitPasswordAsked(url, role);
                final StoreSettings settings = StoreSettings.postgresql(url, role, null);
                final String expected = "query store: cannot connect to PostgreSQL " + url + ": the server asks for a password and none "
                    + "was given (a read-models process reads it from the environment variable BOURSE_JDBC_PASSWORD, or the one "
                    + "--jdbc-password-env names; an exchange from query.jdbc-password)";
                assertEquals(expected, assertThrows(IllegalArgumentException.class, () -> HistoryStore.open(settings)).getMessage());
                assertEquals(expected, assertThrows(IllegalArgumentException.class, () -> HistoryStore.checkReachable(settings))
                    .getMessage());
                assertTrue(assertThrows(IllegalArgumentException.class, () -> HistoryStore.storedCheckpointSequence(settings))
                    .getMessage().equals(expected));
            }
            finally
            {
                Files.writeString(hba, before);
                s.execute("SELECT pg_reload_conf()");
                s.execute("DROP ROLE " + role);
            }
        }
    }

    /** The reload is asynchronous: waits until a login without a password is asked for one. */
    private static void awaitPasswordAsked(final String url, final String role)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true)
        {
            try (Connection ignored = DriverManager.getConnection(url + "?user=" + role))
            {
                // trusted still
            }
            catch (final SQLException e)
            {
                if (String.valueOf(e.getMessage()).contains("password"))
                {
                    return;
                }
                throw new AssertionError(e);
            }
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("the server never asked for a password");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}
