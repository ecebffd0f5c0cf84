package dev.bourse.readmodels;

import dev.bourse.journal.JournalTailer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A checkpoint plus the rest of the journal, a rebuild from the start, and re-applied entries
 * all give the same state, byte for byte (the checkpoint encoding is canonical).
 */
class RestartAndRebuildTest
{
    @TempDir
    Path dir;

    @Test
    void resumingFromACheckpointEqualsRebuildingFromTheStart() throws IOException
    {
        final Workload workload = new Workload(7).run(20_000);
        final ReadModels rebuilt = workload.project();

        final ReadModels first = new ReadModels();
        applyUpTo(workload, first, workload.journal.size() / 3);
        final CheckpointStore store = new CheckpointStore(dir);
        store.save(first);

        final ReadModels resumed = store.load(noWarnings());
        assertArrayEquals(bytes(first), bytes(resumed), "a checkpoint reads back as it was written");
        applyAll(workload.journal.tailerAfter(resumed.position()), resumed);

        assertEquals(rebuilt.position(), resumed.position());
        assertArrayEquals(bytes(rebuilt), bytes(resumed));
    }

    @Test
    void applyingEntriesTwiceChangesNothing()
    {
        final Workload workload = new Workload(8).run(10_000);
        final ReadModels once = workload.project();
        final ReadModels twice = workload.project();
        applyAll(workload.journal.tailerAfter(ReadModels.START), twice);
        applyAll(workload.journal.tailerAfter(workload.journal.size() / 2), twice);

        assertTrue(twice.duplicatesSkipped() >= workload.journal.size());
        assertArrayEquals(bytes(once), bytes(twice));
    }

    @Test
    void aCorruptCheckpointFallsBackToThePreviousOneThenToARebuild() throws IOException
    {
        final Workload workload = new Workload(9).run(5_000);
        final CheckpointStore store = new CheckpointStore(dir);
        final ReadModels models = new ReadModels();
        applyUpTo(workload, models, 1_000);
        store.save(models);
        final long older = models.position();
        assertEquals(ReadModels.START, store.neededFrom(), "with one checkpoint, a corrupt one means a rebuild: retention keeps all");
        applyAll(workload.journal.tailer(), models);
        store.save(models);
        assertEquals(older, store.neededFrom(), "a restart may fall back to the older checkpoint: retention keeps what it needs");

        // a restart knows the same from the files (it held everything until it wrote one of its own)
        final CheckpointStore restarted = new CheckpointStore(dir);
        assertEquals(models.position(), restarted.load(noWarnings()).position());
        assertEquals(older, restarted.neededFrom(), "the older checkpoint's position, read at start");

        final Path newest = dir.resolve(CheckpointStore.NAME);
        final byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(newest, bytes);
        final List<String> warnings = new ArrayList<>();
        assertEquals(older, store.load(warnings::add).position());
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("unusable"), warnings.get(0));
        // the unusable one is set aside, not made ".prev" by the next save: the good one is the newest now
        assertTrue(Files.exists(dir.resolve(CheckpointStore.NAME + ".unusable")));
        assertFalse(Files.exists(dir.resolve(CheckpointStore.NAME + ".prev")));
        assertEquals(ReadModels.START, store.neededFrom(), "one usable checkpoint left: retention keeps all");

        Files.write(dir.resolve(CheckpointStore.NAME), new byte[]{1, 2, 3});
        assertEquals(ReadModels.START, store.load(warnings::add).position());
        assertEquals(3, warnings.size());
    }

    @Test
    void theServerCheckpointsOnCloseAndResumesFromThere() throws IOException
    {
        final Workload workload = new Workload(10).run(3_000);
        final ReadModelsContext ctx = new ReadModelsContext().journal(JournalSource.of(workload.journal)).port(0)
            .checkpointDirectory(dir);
        try (ReadModelsServer server = ReadModelsServer.start(ctx))
        {
            awaitPosition(server, workload.journal.size() - 1);
        }
        assertTrue(Files.exists(dir.resolve(CheckpointStore.NAME)));

        workload.run(1_000);
        try (ReadModelsServer server = ReadModelsServer.start(new ReadModelsContext().journal(JournalSource.of(workload.journal))
            .port(0).checkpointDirectory(dir)))
        {
            awaitPosition(server, workload.journal.size() - 1);
            assertEquals(0, server.counters().duplicatesSkipped(), "resumed after the checkpoint, not from the start");
            assertEquals(0, server.history().writeFailures(), "the history sink resumed after its own checkpoint");
            assertTrue(server.history().entriesWritten() < workload.journal.size() / 2, "only the new entries were written");
        }
        final ReadModels resumed = new CheckpointStore(dir).load(noWarnings());
        assertArrayEquals(bytes(workload.project()), bytes(resumed));
    }

    /**
     * Read models kept over a journal that was wiped (a cluster node rebuilt from its peers, as an
     * outside probe did) stop at start naming their checkpoint and the cure, not only "journal ...
     * has no entry at position ...".
     */
    @Test
    void anotherJournalsCheckpointStopsTheStartNamingTheDirectory() throws IOException
    {
        // another venue's directory was taken as this one's: the read models skipped the journal's first entries and the
        // history store retried an insert that could never succeed (an outside probe)
        final Workload other = new Workload(11).run(2_000);
        try (ReadModelsServer server = ReadModelsServer.start(new ReadModelsContext().journal(JournalSource.of(other.journal))
            .port(0).checkpointDirectory(dir)))
        {
            awaitPosition(server, other.journal.size() - 1);
        }
        final Workload ours = new Workload(12).run(3_000); // sequences counted from 1 as the other's: only the entry tells
        final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> ReadModelsServer.start(
            new ReadModelsContext().journal(JournalSource.of(ours.journal)).port(0).checkpointDirectory(dir)).close());
        assertTrue(refused.getMessage().startsWith("read models: their checkpoint in " + dir + " was not written from this journal"),
            refused.getMessage());
        // its own journal, longer now, still starts from it
        final Workload same = new Workload(11).run(2_000);
        try (ReadModelsServer server = ReadModelsServer.start(new ReadModelsContext().journal(JournalSource.of(same.journal))
            .port(0).checkpointDirectory(dir)))
        {
            awaitPosition(server, same.journal.size() - 1);
        }
    }

    /**
     * A journal retention trimmed cannot rebuild read models that lost their checkpoint or history
     * store: rebuilt from it anyway, the query API served blank instruments and balances short by
     * every deposit, with a lag of 0 (an outside probe).
     */
    @Test
    void readModelsWithoutACheckpointAreNotRebuiltFromAJournalRetentionTrimmed() throws Exception
    {
        final Workload workload = new Workload(13).run(500);
        final JournalSource inMemory = JournalSource.of(workload.journal);
        final JournalSource trimmed = new JournalSource()
        {
            @Override
            public dev.bourse.journal.JournalTailer tailerAfter(final long position)
            {
                return inMemory.tailerAfter(position);
            }

            @Override
            public long headPosition()
            {
                return inMemory.headPosition();
            }

            @Override
            public long firstSequence()
            {
                return 12; // the cycle with sequences 1 to 11 is gone
            }
        };
        final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> ReadModelsServer.start(
            new ReadModelsContext().journal(trimmed).port(0).checkpointDirectory(dir)).close());
        assertTrue(refused.getMessage().startsWith("the read models' checkpoint in " + dir + " is empty, but the journal starts at" +
            " sequence 12 (retention removed the cycles before it)"), refused.getMessage());

        // with its checkpoint and history store, a trimmed journal is no obstacle
        try (ReadModelsServer server = ReadModelsServer.start(new ReadModelsContext().journal(inMemory).port(0).checkpointDirectory(dir)))
        {
            awaitPosition(server, workload.journal.size() - 1);
        }
        final IllegalStateException historyLost = assertThrows(IllegalStateException.class, () -> ReadModelsServer.start(
            new ReadModelsContext().journal(trimmed).port(0).checkpointDirectory(dir)
                .store(dev.bourse.readmodels.history.StoreSettings.embedded(dir.resolve("new-history.db")))).close());
        assertTrue(historyLost.getMessage().startsWith("the history store (embedded SQLite " + dir.resolve("new-history.db") +
            ") is empty, but the journal starts at sequence 12"), historyLost.getMessage());
        assertFalse(historyLost.getMessage().contains("query.enabled"), "a separate query side has no such key: " + historyLost.getMessage());

        // The same refusals from the files alone, opening and creating nothing: the exchange makes them before
        // anything of its own writes (a refused start had journaled a GTD expiry and rotated its snapshots first).
        final dev.bourse.readmodels.history.StoreSettings kept = dev.bourse.readmodels.history.StoreSettings.embedded(dir.resolve("history.db"));
        ReadModelsServer.refuseIfJournalTrimmed(dir, kept, trimmed, ", or else");
        final java.nio.file.Path emptyDir = java.nio.file.Files.createDirectories(dir.resolve("moved-aside"));
        final IllegalStateException noCheckpoint = assertThrows(IllegalStateException.class,
            () -> ReadModelsServer.refuseIfJournalTrimmed(emptyDir, kept, trimmed, ", or else"));
        assertTrue(noCheckpoint.getMessage().startsWith("the read models' checkpoint in " + emptyDir + " is empty, but the journal starts at"
            + " sequence 12") && noCheckpoint.getMessage().endsWith(", or else"), noCheckpoint.getMessage());
        final java.nio.file.Path newStore = dir.resolve("another-history.db");
        final IllegalStateException noHistory = assertThrows(IllegalStateException.class, () -> ReadModelsServer.refuseIfJournalTrimmed(dir,
            dev.bourse.readmodels.history.StoreSettings.embedded(newStore), trimmed, ""));
        assertTrue(noHistory.getMessage().startsWith("the history store (embedded SQLite " + newStore + ") is empty"), noHistory.getMessage());
        assertFalse(java.nio.file.Files.exists(newStore), "the check created the store");
        // a separate query side started without a checkpoint directory says so, not "in null"
        final IllegalStateException none = assertThrows(IllegalStateException.class, () -> ReadModelsServer.start(
            new ReadModelsContext().journal(trimmed).port(0)).close());
        assertTrue(none.getMessage().startsWith("the read models' checkpoint (no checkpoint directory was given) is empty"), none.getMessage());
    }

    @Test
    void anotherJournalsHistoryStoreIsNotWrittenTo() throws Exception
    {
        // a history database another exchange wrote (query.store = postgresql keeps it apart from the checkpoint directory)
        final dev.bourse.readmodels.history.StoreSettings store =
            dev.bourse.readmodels.history.StoreSettings.embedded(dir.resolve("shared-history.db"));
        final Workload other = new Workload(11).run(2_000);
        try (ReadModelsServer server = ReadModelsServer.start(new ReadModelsContext().journal(JournalSource.of(other.journal))
            .port(0).store(store)))
        {
            awaitPosition(server, other.journal.size() - 1);
            final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            while (server.history().entriesWritten() < other.journal.size() && System.nanoTime() < deadline)
            {
                Thread.sleep(10);
            }
        }
        final long[] before = dev.bourse.readmodels.history.HistoryStore.storedCheckpoint(store);
        final Workload ours = new Workload(12).run(3_000);
        // refused at start (it was only logged by the sink, and the server served the other's history: an outside tester)
        final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> ReadModelsServer.start(
            new ReadModelsContext().journal(JournalSource.of(ours.journal)).port(0).store(store)).close());
        assertTrue(refused.getMessage().startsWith("read models: the history store (" + store.describe() + ") was not written from "
            + "this journal"), refused.getMessage());
        assertTrue(refused.getMessage().contains("or delete " + dir.resolve("shared-history.db") + " to rebuild the history"),
            refused.getMessage());
        assertArrayEquals(before, dev.bourse.readmodels.history.HistoryStore.storedCheckpoint(store), "nothing written into it");
    }

    @Test
    void aCheckpointPastTheJournalsEndStopsTheStartNamingTheCure() throws IOException
    {
        final Workload workload = new Workload(11).run(2_000);
        try (ReadModelsServer server = ReadModelsServer.start(new ReadModelsContext().journal(JournalSource.of(workload.journal))
            .port(0).checkpointDirectory(dir)))
        {
            awaitPosition(server, workload.journal.size() - 1);
        }
        final JournalSource chronicleLike = wipedJournal();
        final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> ReadModelsServer.start(
            new ReadModelsContext().journal(chronicleLike).port(0).checkpointDirectory(dir)).close());
        assertTrue(refused.getMessage().startsWith("read models: their checkpoint in " + dir + " is past what the journal holds"),
            refused.getMessage());
        assertTrue(refused.getMessage().contains("delete the read models' directory"), refused.getMessage());
    }

    /**
     * An outside tester's two exchanges of one day: the other journal's entry at the store's position
     * had a lower sequence, which was taken for a duplicate the sink had skipped, and the store went on
     * from there with this journal's entries. The checkpoint's own sequence further on gives it away.
     */
    @Test
    void anotherJournalsHistoryStoreIsRefusedWhereItsEntryHasALowerSequence() throws Exception
    {
        final dev.bourse.readmodels.history.StoreSettings store =
            dev.bourse.readmodels.history.StoreSettings.embedded(dir.resolve("their-history.db"));
        final Workload other = new Workload(11).run(2_000);
        writeHistory(other, store);
        // ours, with its first 50 entries journaled twice: at every position its sequence is 50 below the other's
        final Workload ours = new Workload(12).run(3_000);
        final dev.bourse.journal.InMemoryJournal shifted = new dev.bourse.journal.InMemoryJournal();
        final int[] copied = {0};
        try (JournalTailer tailer = ours.journal.tailer())
        {
            tailer.poll((position, buffer, offset, length) ->
            {
                shifted.onEntry(buffer, offset, length);
                if (copied[0]++ < 50)
                {
                    shifted.onEntry(buffer, offset, length);
                }
            }, Integer.MAX_VALUE);
        }
        final long[] before = dev.bourse.readmodels.history.HistoryStore.storedCheckpoint(store);
        final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> ReadModelsServer.start(
            new ReadModelsContext().journal(JournalSource.of(shifted)).port(0).store(store)).close());
        assertTrue(refused.getMessage().startsWith("read models: the history store (" + store.describe() + ") was not written from "
            + "this journal (taken at journal sequence " + before[1] + "; the journal's entry at its position is another: sequence "),
            refused.getMessage());
        assertArrayEquals(before, dev.bourse.readmodels.history.HistoryStore.storedCheckpoint(store), "nothing written into it");
        // and this journal's own store, with those duplicates in it, is not taken for another's
        final dev.bourse.readmodels.history.StoreSettings own =
            dev.bourse.readmodels.history.StoreSettings.embedded(dir.resolve("own-history.db"));
        try (ReadModelsServer server = ReadModelsServer.start(new ReadModelsContext().journal(JournalSource.of(shifted)).port(0).store(own)))
        {
            awaitPosition(server, shifted.size() - 1);
        }
        ReadModelsServer.start(new ReadModelsContext().journal(JournalSource.of(shifted)).port(0).store(own)).close();
    }

    /**
     * An outside tester's wiped cluster node with its database kept: the node's journal was being
     * rebuilt from the cluster's log as the query side started, and the store, ahead of it for a
     * while, was refused or not by how far the rebuild had got. Where the journal catches up, the
     * sink waits for it to reach the store's checkpoint, then resumes.
     */
    @Test
    void whereTheJournalIsCatchingUpTheSinkWaitsForItsCheckpoint() throws Exception
    {
        final dev.bourse.readmodels.history.StoreSettings store =
            dev.bourse.readmodels.history.StoreSettings.embedded(dir.resolve("kept-history.db"));
        final Workload workload = new Workload(11).run(2_000);
        writeHistory(workload, store);
        final long stored = dev.bourse.readmodels.history.HistoryStore.storedCheckpointSequence(store);
        final java.util.concurrent.atomic.AtomicLong rebuiltTo = new java.util.concurrent.atomic.AtomicLong(stored / 2);
        final JournalSource whole = JournalSource.of(workload.journal);
        final JournalSource rebuilding = new JournalSource()
        {
            @Override
            public JournalTailer tailerAfter(final long position)
            {
                return whole.tailerAfter(position);
            }

            @Override
            public JournalTailer tailerAt(final long position)
            {
                return whole.tailerAt(position);
            }

            @Override
            public long headPosition()
            {
                return whole.headPosition();
            }

            @Override
            public long lastSequence()
            {
                return rebuiltTo.get();
            }
        };
        final List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ReadModelsServer server = ReadModelsServer.start(new ReadModelsContext().journal(rebuilding).port(0).store(store)
            .journalCatchingUp(true).log(log::add)))
        {
            final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60); // a hang guard
            while (log.stream().noneMatch(line -> line.startsWith("history sink: waiting for the journal")))
            {
                assertTrue(System.nanoTime() < deadline, String.valueOf(log));
                Thread.sleep(10);
            }
            assertFalse(server.history().started() || server.history().failed(), String.valueOf(log));
            rebuiltTo.set(stored);
            while (!server.history().started())
            {
                assertTrue(System.nanoTime() < deadline, String.valueOf(log));
                Thread.sleep(10);
            }
            assertFalse(server.history().failed(), String.valueOf(log));
            assertEquals(stored, server.history().sequence(), "resumed at its checkpoint");
        }
        // a journal that is whole is not waited for: the store ahead of it is refused at once
        rebuiltTo.set(stored / 2);
        final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> ReadModelsServer.start(
            new ReadModelsContext().journal(rebuilding).port(0).store(store)).close());
        assertTrue(refused.getMessage().contains("is at sequence " + stored + ", but the journal ends at sequence " + stored / 2),
            refused.getMessage());
    }

    /**
     * A history sink that cannot start (here: its checkpoint is past a journal that cannot say so
     * before) writes nothing, and the status says "failed": it said "running" with lag -1 (an outside tester).
     */
    @Test
    void aHistorySinkThatCannotStartIsShownFailed() throws Exception
    {
        final dev.bourse.readmodels.history.StoreSettings store =
            dev.bourse.readmodels.history.StoreSettings.embedded(dir.resolve("history.db"));
        final Workload workload = new Workload(11).run(2_000);
        writeHistory(workload, store);
        final JournalSource cannotTell = wipedJournal();
        final List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ReadModelsServer server = ReadModelsServer.start(new ReadModelsContext().journal(cannotTell).port(0).bindAddress("127.0.0.1")
            .store(store).log(log::add)))
        {
            final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60); // a hang guard
            while (!server.history().failed())
            {
                assertTrue(System.nanoTime() < deadline, "the sink neither ran nor failed: " + log);
                Thread.sleep(10);
            }
            final String status = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + server.port() + "/api/v1/status")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(status.contains("\"history\":{\"state\":\"failed\","), status);
            assertTrue(log.stream().anyMatch(line -> line.startsWith("read models: the history store's checkpoint")), log.toString());
            assertTrue(log.stream().noneMatch(line -> line.startsWith("read models: read models:")), "said once: " + log);
        }
    }

    /**
     * An empty journal as a Chronicle one answers a position past its end (a thrown JournalException),
     * that cannot tell its last sequence nor read at a position.
     */
    private static JournalSource wipedJournal()
    {
        final dev.bourse.journal.InMemoryJournal wiped = new dev.bourse.journal.InMemoryJournal();
        return new JournalSource()
        {
            @Override
            public JournalTailer tailerAfter(final long position)
            {
                if (position >= wiped.size())
                {
                    throw new dev.bourse.journal.JournalException("journal wiped has no entry at position " + position);
                }
                return wiped.tailerAfter(position);
            }

            @Override
            public long headPosition()
            {
                return wiped.size() - 1L;
            }
        };
    }

    /** The history of {@code workload}'s journal written to {@code store}, to the journal's end. */
    private static void writeHistory(final Workload workload, final dev.bourse.readmodels.history.StoreSettings store) throws IOException
    {
        try (ReadModelsServer server = ReadModelsServer.start(new ReadModelsContext().journal(JournalSource.of(workload.journal))
            .port(0).store(store)))
        {
            awaitPosition(server, workload.journal.size() - 1);
        }
    }

    /** Waits until both the hot projections and the history store have reached the position. */
    static void awaitPosition(final ReadModelsServer server, final long position)
    {
        final long deadline = System.nanoTime() + 60_000_000_000L;
        while (server.counters().position() < position || server.history().position() < position)
        {
            assertTrue(System.nanoTime() < deadline, "projection (at " + server.counters().position() + ") or history (at " +
                server.history().position() + ") did not reach " + position);
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    private static java.util.function.Consumer<String> noWarnings()
    {
        return warning -> org.junit.jupiter.api.Assertions.fail(warning);
    }

    private static void applyUpTo(final Workload workload, final ReadModels models, final long entries)
    {
        try (JournalTailer tailer = workload.journal.tailer())
        {
            while (models.entriesApplied() + models.duplicatesSkipped() < entries && tailer.poll(models, 1) > 0)
            {
            }
        }
    }

    private static void applyAll(final JournalTailer tailer, final ReadModels models)
    {
        try (tailer)
        {
            while (tailer.poll(models, 1_000) > 0)
            {
            }
        }
    }

    static byte[] bytes(final ReadModels models)
    {
        try
        {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            models.writeTo(new DataOutputStream(out));
            return out.toByteArray();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }
}
