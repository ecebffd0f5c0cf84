package dev.bourse.readmodels.history;

import dev.bourse.readmodels.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Migration V3 on a store written by the previous schema (daily rows by UTC calendar day): every
 * stored day becomes a trading day named by its date, the daily candles leave the candles table,
 * and the sink's checkpoint goes on with the latest day. On SQLite and PostgreSQL.
 */
class TradingDayMigrationTest
{
    private static final long NOV_20 = 19_681;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "postgresql"})
    void calendarDaysBecomeTradingDaysAndTheSinkGoesOnWithTheLatest(final String kind) throws SQLException
    {
        final String url;
        final StoreSettings settings;
        if (kind.equals("embedded"))
        {
            final Path file = dir.resolve("history.db");
            url = "jdbc:sqlite:" + file;
            settings = StoreSettings.embedded(file);
        }
        else
        {
            url = TestPostgres.newDatabase();
            settings = StoreSettings.postgresql(url, TestPostgres.user(), TestPostgres.password());
        }
        final String user = kind.equals("embedded") ? null : TestPostgres.user();
        final String password = kind.equals("embedded") ? null : TestPostgres.password();
        Flyway.configure().dataSource(url, user, password).locations("classpath:db/history").table("history_schema_version")
            .target("2").load().migrate();
        try (Connection connection = DriverManager.getConnection(url, user, password); Statement s = connection.createStatement())
        {
            for (final long day : new long[]{NOV_20, NOV_20 + 1})
            {
                s.execute("INSERT INTO daily_summary VALUES (1, " + day + ", 100, 120, 90, 110, 5, 550, 2, 3, 1, 0, 0)");
                s.execute("INSERT INTO candles VALUES (1, 86400, " + day * 86_400_000_000_000L + ", 100, 120, 90, 110, 5, 550, 2)");
            }
            s.execute("INSERT INTO candles VALUES (1, 60, " + NOV_20 * 86_400_000_000_000L + ", 100, 120, 90, 110, 5, 550, 2)");
            s.execute("UPDATE sink_checkpoint SET position = 40, sequence = 40, entry_timestamp = " +
                ((NOV_20 + 1) * 86_400_000_000_000L + 5) + " WHERE id = 1");
        }

        try (HistoryStore store = HistoryStore.open(settings); Connection connection = store.readerConnection();
            Statement s = connection.createStatement())
        {
            assertEquals(NOV_20 + ":" + NOV_20 + "," + (NOV_20 + 1) + ":" + (NOV_20 + 1),
                rows(s, "SELECT trading_day, trade_date FROM trading_days ORDER BY trading_day"));
            assertEquals("1:" + NOV_20 + ":2,1:" + (NOV_20 + 1) + ":2",
                rows(s, "SELECT d.instrument_id, t.trade_date, d.trade_count FROM daily_summary d " +
                    "JOIN trading_days t ON t.trading_day = d.trading_day ORDER BY t.trade_date"));
            assertEquals("60", rows(s, "SELECT interval_seconds FROM candles"), "the daily candles are daily_summary rows now");
            assertEquals((NOV_20 + 1) + ":" + (NOV_20 + 1), rows(s, "SELECT trading_day, trade_date FROM sink_checkpoint"));
        }
    }

    private static String rows(final Statement statement, final String sql) throws SQLException
    {
        final StringBuilder out = new StringBuilder();
        try (ResultSet rs = statement.executeQuery(sql))
        {
            final int columns = rs.getMetaData().getColumnCount();
            while (rs.next())
            {
                out.append(out.length() == 0 ? "" : ",");
                for (int i = 1; i <= columns; i++)
                {
                    out.append(i == 1 ? "" : ":").append(rs.getLong(i));
                }
            }
        }
        return out.toString();
    }
}
