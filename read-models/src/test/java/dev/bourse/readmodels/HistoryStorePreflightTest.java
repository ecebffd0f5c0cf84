package dev.bourse.readmodels;

import dev.bourse.journal.ChronicleJournal;
import dev.bourse.readmodels.history.HistoryStore;
import dev.bourse.readmodels.history.StoreSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What an exchange checks of its history store before it writes anything (ExchangeServer runs these
 * before its bootstrap): found later, each refusal came after the configuration's bootstrap was
 * journaled, and one let the exchange serve another exchange's history (an outside tester).
 */
class HistoryStorePreflightTest
{
    /** A PostgreSQL user that may connect but not create tables (PostgreSQL 15's default in public). */
    @Test
    void aUserThatCannotMakeTheSchemaIsRefusedByThePreflight() throws Exception
    {
        final String url = TestPostgres.newDatabase();
        final String role = "reader_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 1_000_000;
        try (Connection admin = DriverManager.getConnection(url, TestPostgres.user(), TestPostgres.password());
            Statement statement = admin.createStatement())
        {
            statement.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'reader-pw'");
            statement.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
        }
        // the test server's URL names its own user (?user=postgres): this one must not
        final StoreSettings readOnly = StoreSettings.postgresql(url.contains("?") ? url.substring(0, url.indexOf('?')) : url, role,
            "reader-pw");
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> HistoryStore.checkReachable(readOnly));
        assertTrue(refused.getMessage().startsWith("query store: schema migration of " + readOnly.describe() + " failed ("),
            refused.getMessage());
        assertTrue(refused.getMessage().contains("permission denied for schema public"), refused.getMessage());
        assertTrue(refused.getMessage().endsWith(": the user needs to create tables in the database (its owner, or GRANT CREATE ON "
            + "SCHEMA public TO " + role + ")"), "the cure: " + refused.getMessage());
        HistoryStore.checkReachable(StoreSettings.postgresql(url, TestPostgres.user(), TestPostgres.password())); // its owner may
    }

    /** A fresh exchange given a history file another exchange wrote: the store is ahead of the (empty) journal. */
    @Test
    void aHistoryStoreAheadOfTheJournalIsRefusedByThePreflight(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("history.db");
        final Workload workload = new Workload(5).run(200);
        try (ReadModelsServer other = ReadModelsServer.start(new ReadModelsContext().journal(JournalSource.of(workload.journal)).port(0)
            .bindAddress("127.0.0.1").store(StoreSettings.embedded(file))))
        {
            RestartAndRebuildTest.awaitPosition(other, workload.journal.size() - 1);
        }
        final long written = HistoryStore.storedCheckpointSequence(StoreSettings.embedded(file));
        assertTrue(written > 0, "the other exchange's history has a checkpoint");
        try (ChronicleJournal fresh = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir.resolve("journal"))))
        {
            final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> ReadModelsServer.refuseIfJournalTrimmed(
                null, StoreSettings.embedded(file), JournalSource.of(fresh, false), ", or run without the query side"));
            assertEquals("read models: the history store (" + StoreSettings.embedded(file).describe() + ") is at sequence " + written
                + ", but the journal is empty: it was written from another exchange's journal, or from this one before it was wiped or "
                + "replaced. Give the query side this exchange's own history file, or delete " + file + " to rebuild the history from "
                + "this journal, or run without the query side", refused.getMessage());
        }
    }
}
