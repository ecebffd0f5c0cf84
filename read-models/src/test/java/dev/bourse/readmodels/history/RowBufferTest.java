package dev.bourse.readmodels.history;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.*;

/** A buffer bigger than one JDBC batch goes to the database whole, each row once, in order. */
class RowBufferTest
{
    @Test
    void rowsBeyondOneJdbcBatchAreAllWrittenOnce() throws Exception
    {
        final int columns = 4;
        final int rows = RowBuffer.MAX_BATCH_PARAMETERS / columns * 2 + 3; // two full batches and a part
        final RowBuffer buffer = new RowBuffer("t", null, "id", "qty:i4", "side:i2", "name:text");
        for (int i = 0; i < rows; i++)
        {
            buffer.row().l(i).l(i * 10L).l(i % 2).s(i % 3 == 0 ? null : "n" + i).end();
        }
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite::memory:"))
        {
            try (Statement ddl = connection.createStatement())
            {
                ddl.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, qty INTEGER, side SMALLINT, name TEXT)");
            }
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(buffer.sql))
            {
                buffer.executeBatch(insert);
            }
            connection.commit();
            try (Statement query = connection.createStatement();
                ResultSet r = query.executeQuery("SELECT COUNT(*), SUM(id), SUM(qty), SUM(side), COUNT(name), MAX(id) FROM t"))
            {
                assertTrue(r.next());
                final long n = rows;
                assertEquals(n, r.getLong(1));
                assertEquals(n * (n - 1) / 2, r.getLong(2));
                assertEquals(10 * n * (n - 1) / 2, r.getLong(3));
                assertEquals(n / 2, r.getLong(4));
                assertEquals(n - (n + 2) / 3, r.getLong(5), "text and null both bound");
                assertEquals(n - 1, r.getLong(6));
            }
        }
    }
}
