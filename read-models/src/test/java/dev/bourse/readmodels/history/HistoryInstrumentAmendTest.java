package dev.bourse.readmodels.history;

import dev.bourse.protocol.CommandWriter;
import dev.bourse.readmodels.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The history store's instrument row follows an InstrumentAmended: the new rules replace the old. */
class HistoryInstrumentAmendTest
{
    @Test
    void anAmendedInstrumentsRowHoldsItsNewRules(@TempDir final Path dir) throws Exception
    {
        final CommandWriter writer = new CommandWriter();
        final Workload workload = new Workload(11).run(500)
            .submit(buffer -> writer.amendInstrument(buffer, 0, 0, 1, 0, 0, 0, 777_777, 123_456_789L, 0, 0));
        try (HistoryStore store = HistoryStore.open(StoreSettings.embedded(dir.resolve("history.db"))))
        {
            SinkRunner.runToEnd(store, workload.journal, 500);
            try (Connection connection = store.readerConnection(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT max_quantity, max_notional FROM instruments WHERE instrument_id = 1"))
            {
                assertTrue(row.next(), "instrument 1 has a row");
                assertEquals(777_777, row.getLong(1));
                assertEquals(123_456_789L, row.getLong(2));
            }
        }
    }
}
