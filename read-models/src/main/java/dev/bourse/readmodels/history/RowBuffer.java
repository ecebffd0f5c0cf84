package dev.bourse.readmodels.history;

import dev.bourse.journal.ShortTurns;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;

/**
 * Rows for one statement, kept column by column in arrays that are reused batch after batch (no
 * object per row). A row is written in column order: {@code row().l(a).s(b).l(c).end()}.
 * {@link #NULL} in a number column is SQL NULL.
 */
final class RowBuffer
{
    static final long NULL = Long.MIN_VALUE;

    final String sql;
    final String table;
    final String[] columns;
    private final boolean[] text;
    /** Bytes of a number column in PostgreSQL's binary COPY format: 2 (smallint), 4 (integer) or 8 (bigint). */
    private final int[] width;
    private long[][] numbers;
    private String[][] strings;
    private int capacity = 256;
    private int size;
    private int column = -1;

    /**
     * @param table   the table the rows are for (for INSERT and COPY)
     * @param sql     the statement the rows are bound to, one parameter per column in order; null: a plain INSERT
     * @param columns column names; a name ending with {@code :text} is a text column, the others are numbers:
     *                {@code :i2} a SMALLINT, {@code :i4} an INTEGER, none a BIGINT (as in the schema: binary COPY
     *                sends each number in its column's width)
     */
    RowBuffer(final String table, final String sql, final String... columns)
    {
        this.table = table;
        this.columns = new String[columns.length];
        this.text = new boolean[columns.length];
        this.width = new int[columns.length];
        numbers = new long[columns.length][];
        strings = new String[columns.length][];
        for (int i = 0; i < columns.length; i++)
        {
            final int colon = columns[i].indexOf(':');
            final String type = colon < 0 ? "i8" : columns[i].substring(colon + 1);
            text[i] = type.equals("text");
            width[i] = switch (type)
            {
                case "text" -> 0;
                case "i2" -> 2;
                case "i4" -> 4;
                case "i8" -> 8;
                default -> throw new IllegalArgumentException(table + "." + columns[i] + ": unknown column type");
            };
            this.columns[i] = colon < 0 ? columns[i] : columns[i].substring(0, colon);
            if (text[i])
            {
                strings[i] = new String[capacity];
            }
            else
            {
                numbers[i] = new long[capacity];
            }
        }
        this.sql = sql != null ? sql : "INSERT INTO " + table + " (" + String.join(", ", this.columns) + ") VALUES (" +
            String.join(", ", java.util.Collections.nCopies(columns.length, "?")) + ")";
    }

    RowBuffer row()
    {
        if (column != -1)
        {
            throw new IllegalStateException(table + ": previous row not ended");
        }
        if (size == capacity)
        {
            grow();
        }
        column = 0;
        return this;
    }

    RowBuffer l(final long value)
    {
        if (text[column])
        {
            throw new IllegalStateException(table + "." + columns[column] + " is text");
        }
        numbers[column++][size] = value;
        return this;
    }

    RowBuffer s(final String value)
    {
        if (!text[column])
        {
            throw new IllegalStateException(table + "." + columns[column] + " is a number");
        }
        strings[column++][size] = value;
        return this;
    }

    /** Ends the row; returns its index. */
    int end()
    {
        if (column != columns.length)
        {
            throw new IllegalStateException(table + ": row has " + column + " of " + columns.length + " columns");
        }
        column = -1;
        return size++;
    }

    void set(final int row, final int column, final long value)
    {
        numbers[column][row] = value;
    }

    int size()
    {
        return size;
    }

    long number(final int row, final int column)
    {
        return numbers[column][row];
    }

    String string(final int row, final int column)
    {
        return strings[column][row];
    }

    boolean isText(final int column)
    {
        return text[column];
    }

    /** 2, 4 or 8 for a number column; 0 for text. */
    int width(final int column)
    {
        return width[column];
    }

    void clear()
    {
        for (int i = 0; i < columns.length; i++)
        {
            if (text[i])
            {
                Arrays.fill(strings[i], 0, size, null);
            }
        }
        size = 0;
        column = -1;
    }

    /**
     * Parameters bound per JDBC batch at most. SQLite's driver keeps a batch's parameters in one
     * array that doubles as it fills: past about 128k parameters it is a humongous object to G1,
     * and each one above the heap's occupancy threshold starts a concurrent cycle with its pauses
     * in the exchange's JVM. Several smaller batches in the same transaction cost the same.
     */
    static final int MAX_BATCH_PARAMETERS = 32 * 1024;
    /** Rows per JDBC batch while turns are cut: about 5 us each into SQLite, so a turn overruns by tens of us at most. */
    static final int ROWS_PER_TURN_CHECK = 8;

    /** Binds every row to the statement, in JDBC batches of at most {@link #MAX_BATCH_PARAMETERS}, and runs them. */
    void executeBatch(final PreparedStatement statement) throws SQLException
    {
        executeBatch(statement, ShortTurns.NONE);
    }

    /**
     * As {@link #executeBatch(PreparedStatement)}, and while {@code turns} are being cut, in JDBC
     * batches of {@link #ROWS_PER_TURN_CHECK} rows with a look at the turn after each.
     */
    void executeBatch(final PreparedStatement statement, final ShortTurns turns) throws SQLException
    {
        if (size == 0)
        {
            return;
        }
        final boolean cutting = turns.cutting();
        final int rowsPerBatch = cutting ? ROWS_PER_TURN_CHECK : Math.max(1, MAX_BATCH_PARAMETERS / columns.length);
        for (int row = 0; row < size; row++)
        {
            if (row > 0 && row % rowsPerBatch == 0)
            {
                statement.executeBatch();
                if (cutting)
                {
                    turns.between();
                }
            }
            for (int c = 0; c < columns.length; c++)
            {
                if (text[c])
                {
                    statement.setString(c + 1, strings[c][row]);
                }
                else if (numbers[c][row] == NULL)
                {
                    statement.setNull(c + 1, Types.BIGINT);
                }
                else
                {
                    statement.setLong(c + 1, numbers[c][row]);
                }
            }
            statement.addBatch();
        }
        statement.executeBatch();
    }

    private void grow()
    {
        capacity *= 2;
        for (int i = 0; i < columns.length; i++)
        {
            if (text[i])
            {
                strings[i] = Arrays.copyOf(strings[i], capacity);
            }
            else
            {
                numbers[i] = Arrays.copyOf(numbers[i], capacity);
            }
        }
    }
}
