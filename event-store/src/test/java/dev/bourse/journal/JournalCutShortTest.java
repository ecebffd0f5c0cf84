package dev.bourse.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cycle file cut short (an outside tester's {@code truncate -s 4000000} of the newest one) is
 * refused before Chronicle opens the directory, in one line naming the journal, the file, where its
 * data runs to and {@code journal verify}, and is left as it was: Chronicle had grown it back to
 * its full size with zeros, read those as entries and failed on an "unknown order 0". A journal as
 * a kill or a normal run leaves it, rolled mid-write and sparse, is never refused.
 */
class JournalCutShortTest
{
    @TempDir
    Path dir;

    private static List<Path> cycleFiles(final Path journal) throws Exception
    {
        try (Stream<Path> files = Files.list(journal))
        {
            return files.filter(p -> p.getFileName().toString().endsWith(".cq4")).sorted().toList();
        }
    }

    private static List<String> names(final Path journal) throws Exception
    {
        try (Stream<Path> files = Files.list(journal))
        {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void truncate(final Path file, final long size) throws Exception
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.truncate(size);
        }
    }

    private Path journalOf(final int entries)
    {
        final Path journal = dir.resolve("journal");
        try (ChronicleJournal j = ChronicleJournal.open(new ChronicleJournal.Context().dir(journal)))
        {
            new JournalFixture(17, j).run(entries);
        }
        return journal;
    }

    @Test
    void aCycleFileCutShortIsRefusedInOneLineBeforeChronicleOpensItAndIsLeftAsItWas() throws Exception
    {
        final Path journal = journalOf(5_000);
        final Path file = cycleFiles(journal).get(0);
        assertNull(JournalFiles.damagedHeader(journal), "written and closed normally: sound");
        final long cut = 400_000; // inside the entries (over 1 MB of them), past the file's header and first index
        truncate(file, cut);
        final List<String> before = names(journal);

        for (final boolean readOnly : new boolean[]{false, true})
        {
            final JournalException refused = assertThrows(JournalException.class,
                () -> ChronicleJournal.open(new ChronicleJournal.Context().dir(journal).readOnly(readOnly)).close());
            final String message = refused.getMessage();
            assertTrue(message.startsWith("journal " + journal + ": " + file.getFileName() + " ends before its data does (cut short or"
                + " damaged): it is " + cut + " bytes long, but its header says its last document starts at byte "), message);
            assertTrue(message.contains("restore the file from a copy (./exchange journal verify checks the copy)"), message);
            assertFalse(message.contains("\n"), message);
            assertEquals(cut, Files.size(file), "the refused start left the file as it was (Chronicle had grown it back)");
            assertEquals(before, names(journal), "nothing renamed or added");
        }
    }

    /**
     * A file of random bytes named like a later cycle (an outside tester's) passed every check: a
     * start mapped it, extended it to 320 MiB and would have written into it when its day came.
     */
    @Test
    void aFileThatIsNoCycleFileIsRefusedAndLeftAsItWas() throws Exception
    {
        final Path journal = journalOf(100);
        final String last = cycleFiles(journal).get(cycleFiles(journal).size() - 1).getFileName().toString();
        final Path foreign = journal.resolve("29991231F.cq4");
        assertTrue(foreign.getFileName().toString().compareTo(last) > 0, "named after the journal's cycles");
        final java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 20; i++)
        {
            final byte[] noise = new byte[5_000];
            random.nextBytes(noise);
            noise[3] = (byte)((noise[3] & 0x40) | 0x3F); // complete, and of no header's length (random bytes pass half the time)
            Files.write(foreign, noise);
            final JournalException refused = assertThrows(JournalException.class,
                () -> ChronicleJournal.open(new ChronicleJournal.Context().dir(journal)).close());
            assertTrue(refused.getMessage().contains("29991231F.cq4 is not a journal cycle file: it does not start with Chronicle"
                + " Queue's header"), refused.getMessage());
            assertEquals(5_000, Files.size(foreign), "left as it was");
        }
        // a cycle as Chronicle begins it, its header's word not-complete with no length yet: never refused
        // (a cluster test's reader met one beside a running node)
        final byte[] beginning = new byte[5_000];
        beginning[3] = (byte)0x80;
        Files.write(foreign, beginning);
        assertNull(JournalFiles.damagedHeader(journal));
    }

    @Test
    void aCycleFileCutInsideItsHeaderIsRefusedToo() throws Exception
    {
        final Path journal = journalOf(100);
        final Path file = cycleFiles(journal).get(0);
        truncate(file, 100);
        final JournalException refused = assertThrows(JournalException.class,
            () -> ChronicleJournal.open(new ChronicleJournal.Context().dir(journal)).close());
        assertTrue(refused.getMessage().contains(file.getFileName() + " ends before its data does (cut short or damaged): it is 100"
            + " bytes long, but its header says the header itself runs to byte "), refused.getMessage());
        assertEquals(100, Files.size(file));
    }

    /**
     * What a SIGKILL leaves at any moment is what another process sees of the files at that moment
     * (the page cache holds what was stored through the mapping; the kill takes nothing back): so
     * the check runs again and again beside a writer that never stops, rolling its minutely cycle
     * every few hundred entries, then on the files the writer left without closing, and on the
     * files of a normal close. None is refused, and the journal opens and reads whole after each.
     */
    @Test
    void aJournalAsAKillOrANormalRunLeavesItIsNeverRefused() throws Exception
    {
        final Path journal = dir.resolve("journal");
        final AtomicLong now = new AtomicLong(1_700_000_000_000L);
        final ChronicleJournal.Context context = new ChronicleJournal.Context().dir(journal).rollCycle("minutely").timeProvider(now::get);
        final ChronicleJournal writer = ChronicleJournal.open(context);
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicReference<Throwable> failed = new AtomicReference<>();
        final AtomicLong batches = new AtomicLong();
        final Thread writing = new Thread(() ->
        {
            try
            {
                final JournalFixture fixture = new JournalFixture(5, writer);
                for (int round = 0; round < 60 && !stop.get(); round++)
                {
                    for (int batch = 0; batch < 20; batch++)
                    {
                        fixture.run(25);
                        batches.incrementAndGet();
                    }
                    if (round % 4 == 3)
                    {
                        now.addAndGet(61_000); // the next append rolls to a new cycle file
                    }
                }
            }
            catch (final Throwable e)
            {
                failed.set(e);
            }
        }, "writer");
        writing.start();
        int checks = 0;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (writing.isAlive() && System.nanoTime() < deadline)
        {
            if (Files.isDirectory(journal))
            {
                assertNull(JournalFiles.damagedHeader(journal), "as a kill at this moment would leave it, after " + batches.get()
                    + " batches");
                checks++;
            }
        }
        stop.set(true);
        writing.join(TimeUnit.SECONDS.toMillis(30));
        assertNull(failed.get(), () -> "the writer failed: " + failed.get());
        assertTrue(checks > 10, "checked while writing: " + checks);
        assertTrue(cycleFiles(journal).size() > 3, "rolled: " + cycleFiles(journal));

        // the writer's files as it left them, not closed (a kill now): refused by nothing, opened and read whole
        assertNull(JournalFiles.damagedHeader(journal));
        try (ChronicleJournal reader = ChronicleJournal.openForReading(journal))
        {
            assertTrue(WholeJournalCheck.check(reader).entries() > 0);
        }
        writer.close();
        assertNull(JournalFiles.damagedHeader(journal), "closed normally");
        try (ChronicleJournal again = ChronicleJournal.open(context))
        {
            final WholeJournalCheck.Result whole = WholeJournalCheck.check(again);
            assertEquals(whole.lastSequence(), whole.entries(), "every entry written, read in order");
            assertTrue(whole.entries() >= batches.get(), whole.entries() + " entries");
        }
    }

    /** Cut inside the last document: where its data ends is said, from that document's length word. */
    @Test
    void aCycleFileCutInsideItsLastDocumentSaysWhereItsDataEnds() throws Exception
    {
        final Path journal = journalOf(200);
        final Path file = cycleFiles(journal).get(0);
        final long lastDocument = lastDocument(file);
        truncate(file, lastDocument + 10);
        final JournalException refused = assertThrows(JournalException.class,
            () -> ChronicleJournal.open(new ChronicleJournal.Context().dir(journal)).close());
        assertTrue(refused.getMessage().contains(file.getFileName() + " ends before its data does (cut short or damaged): it is "
            + (lastDocument + 10) + " bytes long, but its header says data was written up to byte "), refused.getMessage());
        assertTrue(refused.getMessage().contains(" (its last document starts at byte " + lastDocument + ")"), refused.getMessage());
        assertEquals(lastDocument + 10, Files.size(file));
    }

    /** A document whose length word is not yet written (a kill while it was written) is not measured: only its word is. */
    @Test
    void aLastDocumentNotYetCompleteIsNoVerdict() throws Exception
    {
        final Path journal = journalOf(200);
        final Path file = cycleFiles(journal).get(0);
        final long writePosition = lastDocument(file);
        final long size = Files.size(file);
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(file.toFile(), "rw"))
        {
            // as Chronicle marks a document it has begun: NOT_COMPLETE, the length not yet known
            raf.seek(writePosition);
            raf.write(new byte[]{0, 0, 0, (byte)0x80});
        }
        assertEquals(size, Files.size(file));
        assertNull(JournalFiles.cutShort(file));
    }

    /** The header's writePosition, as the check reads it, from its message on a copy cut just past the header. */
    private static long lastDocument(final Path file) throws Exception
    {
        final Path copy = file.resolveSibling("copy.bin");
        try (FileChannel in = FileChannel.open(file); FileChannel out = FileChannel.open(copy, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE))
        {
            in.transferTo(0, 4096, out);
        }
        try
        {
            final String said = JournalFiles.cutShort(copy);
            final String lead = "its last document starts at byte ";
            return Long.parseLong(said.substring(said.indexOf(lead) + lead.length()));
        }
        finally
        {
            Files.delete(copy);
        }
    }
}
