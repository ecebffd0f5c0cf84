package dev.bourse.journal;

import dev.bourse.engine.RecordingSink;
import dev.bourse.engine.EventSink;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChronicleJournalTest
{
    @TempDir
    Path dir;

    /** Writes each entry to both sinks, so the journal can be compared with what the engine emitted. */
    private static EventSink tee(final EventSink first, final EventSink second)
    {
        return new EventSink()
        {
            @Override
            public boolean onEntry(final DirectBuffer buffer, final int offset, final int length)
            {
                return first.onEntry(buffer, offset, length) && second.onEntry(buffer, offset, length);
            }

            @Override
            public void onEndOfBatch()
            {
                first.onEndOfBatch();
                second.onEndOfBatch();
            }
        };
    }

    /** The gateway's reports tailer reads a session's reports again (a resetting Logon's): rewind within what it remembers. */
    @Test
    void aTailerThatRemembersItsLastEntriesGoesBackToJustAfterOneOfThem()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir)))
        {
            new JournalFixture(4, journal).run(5_000);
            final ChronicleTailer tailer = journal.tailerAfter(JournalTailer.START, false).rememberForRewind(1024);
            final JournalFixture.Collector first = new JournalFixture.Collector().drain(tailer);
            assertEquals(5_000, first.entries.size());
            assertEquals(5_000, tailer.lastSequence());
            assertTrue(tailer.rewind(4_500));
            assertEquals(4_500, tailer.lastSequence());
            final JournalFixture.Collector again = new JournalFixture.Collector().drain(tailer);
            assertEquals(500, again.entries.size());
            for (int i = 0; i < 500; i++)
            {
                assertArrayEquals(first.entries.get(4_500 + i), again.entries.get(i), "entry " + (4_500 + i));
            }
            assertEquals(first.positions.get(4_500), again.positions.get(0));
            assertTrue(tailer.rewind(4_999), "again, after going back once");
            assertEquals(1, new JournalFixture.Collector().drain(tailer).entries.size());
            assertFalse(tailer.rewind(1_000), "past what it remembers");
            assertFalse(journal.tailerAfter(JournalTailer.START, false).rewind(1), "a tailer that remembers nothing");
        }
    }

    /**
     * A reader's lastSequence stays the journal's end at open; currentLastSequence reads the files
     * again. journal verify compared snapshots a running exchange took during its replay with the
     * end at open, and called a healthy journal one with entries missing (an outside tester).
     */
    @Test
    void aReaderSeesTheJournalsCurrentEndWhenItAsks()
    {
        try (ChronicleJournal writer = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir)))
        {
            final JournalFixture fixture = new JournalFixture(5, writer);
            fixture.run(100);
            try (ChronicleJournal reader = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir).readOnly(true)))
            {
                assertEquals(writer.lastSequence(), reader.lastSequence());
                final long atOpen = reader.lastSequence();
                fixture.run(50);
                assertEquals(atOpen, reader.lastSequence(), "as it was at open");
                assertTrue(writer.lastSequence() > atOpen);
                assertEquals(writer.lastSequence(), reader.currentLastSequence());
            }
        }
    }

    @Test
    void tailersReadBackExactlyTheEntriesTheEngineWrote()
    {
        final RecordingSink emitted = new RecordingSink();
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir)))
        {
            new JournalFixture(3, tee(journal, emitted)).run(20_000);
            assertEquals(20_000, journal.entriesAppended());

            final JournalFixture.Collector all = new JournalFixture.Collector().drain(journal.tailerFromStart());
            assertEquals(emitted.entries().size(), all.entries.size());
            for (int i = 0; i < all.entries.size(); i++)
            {
                assertArrayEquals(emitted.entries().get(i), all.entries.get(i), "entry " + i);
            }
            assertEquals(journal.lastPosition(), all.positions.get(all.positions.size() - 1));

            // From a position: everything after it, nothing before.
            final long middle = all.positions.get(9_999);
            final ChronicleTailer after = journal.tailerAfter(middle, false);
            final JournalFixture.Collector tail = new JournalFixture.Collector().drain(after);
            assertEquals(10_000, tail.entries.size());
            assertArrayEquals(emitted.entries().get(10_000), tail.entries.get(0));
            assertEquals(20_000, after.lastSequence());

            // From the end: nothing until something new is appended.
            final ChronicleTailer atEnd = journal.tailerAtEnd(false);
            assertEquals(0, atEnd.poll(new JournalFixture.Collector(), 10));
        }
    }

    @Test
    void thePretouchThreadPreparesPagesAheadOfTheAppendsAndTheEntriesAreUntouched()
    {
        final ChronicleJournal.Context context = new ChronicleJournal.Context().dir(dir).pretouchBytes(1 << 20);
        final String mode = appendsWithAPretoucherAreUntouched(context);
        if (kernelPopulates())
        {
            assertEquals("populate", mode, "Linux 5.14 and later populate the mapping");
        }
        try (ChronicleJournal off = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir.resolve("off")).pretouchBytes(0)))
        {
            new JournalFixture(6, off).run(100);
            assertEquals(0, off.pretouchedBytes(), "0 turns it off");
            assertEquals("off", off.pretouchMode());
        }
    }

    @Test
    void thePretouchThreadCanReadAheadInstead()
    {
        assertEquals("read", appendsWithAPretoucherAreUntouched(
            new ChronicleJournal.Context().dir(dir).pretouchBytes(1 << 20).pretouchByReading(true)));
    }

    /** Appends until the pretoucher has prepared something, then checks every entry reads back as written. */
    private static String appendsWithAPretoucherAreUntouched(final ChronicleJournal.Context context)
    {
        final RecordingSink emitted = new RecordingSink();
        try (ChronicleJournal journal = ChronicleJournal.open(context))
        {
            final JournalFixture fixture = new JournalFixture(5, tee(journal, emitted));
            final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (journal.pretouchedBytes() == 0)
            {
                assertTrue(System.nanoTime() < deadline, "the pretouch thread prepared nothing ahead of the appends");
                fixture.run(100);
                Thread.onSpinWait();
            }
            fixture.run(5_000);
            final JournalFixture.Collector all = new JournalFixture.Collector().drain(journal.tailerFromStart());
            assertEquals(emitted.entries().size(), all.entries.size());
            for (int i = 0; i < all.entries.size(); i++)
            {
                assertArrayEquals(emitted.entries().get(i), all.entries.get(i), "entry " + i);
            }
            return journal.pretouchMode();
        }
    }

    /** Linux 5.14 brought MADV_POPULATE_WRITE. */
    private static boolean kernelPopulates()
    {
        if (!System.getProperty("os.name", "").startsWith("Linux"))
        {
            return false;
        }
        final java.util.regex.Matcher version = java.util.regex.Pattern.compile("^(\\d+)\\.(\\d+)")
            .matcher(System.getProperty("os.version", ""));
        return version.find()
            && (Integer.parseInt(version.group(1)) > 5 || Integer.parseInt(version.group(1)) == 5 && Integer.parseInt(version.group(2)) >= 14);
    }

    @Test
    void anotherProcessCanOpenTheJournalReadOnly()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir)))
        {
            new JournalFixture(4, journal).run(1_000);
        }
        try (ChronicleJournal reader = ChronicleJournal.openForReading(dir))
        {
            assertEquals(1_000, new JournalFixture.Collector().drain(reader.tailerFromStart()).entries.size());
            assertFalse(reader.onEntry(new UnsafeBuffer(new byte[64]), 0, 64), "a read-only journal takes no appends");
        }
    }

    @Test
    void syncModeReleasesEntriesToEffectReadersOnlyPastTheDurableWatermark()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(
            new ChronicleJournal.Context().dir(dir).durability(Durability.SYNC)))
        {
            final ChronicleTailer effects = journal.tailerAfter(JournalTailer.START, true);
            final ChronicleTailer internal = journal.tailerAfter(JournalTailer.START, false);
            final UnsafeBuffer entry = entry(1);
            assertTrue(journal.onEntry(entry, 0, entry.capacity()));
            assertTrue(journal.onEntry(entry(2), 0, entry.capacity()));
            assertEquals(0, internal.poll(new JournalFixture.Collector(), 10), "collected for the batch, not written yet");
            assertTrue(journal.flush()); // written, as when a batch fills, but not synced

            assertEquals(0, effects.poll(new JournalFixture.Collector(), 10), "not yet synced: not released");
            assertEquals(2, internal.poll(new JournalFixture.Collector(), 10), "a reader without effects sees it at once");

            journal.onEndOfBatch(); // the group's fsync
            assertTrue(journal.isDurable(journal.lastPosition()));
            assertEquals(2, effects.poll(new JournalFixture.Collector(), 10));
        }
    }

    @Test
    void mappedModeHasNoWatermark()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir)))
        {
            final ChronicleTailer effects = journal.tailerAfter(JournalTailer.START, true);
            assertTrue(journal.onEntry(entry(1), 0, 64));
            journal.onEndOfBatch();
            assertEquals(1, effects.poll(new JournalFixture.Collector(), 10));
        }
    }

    @Test
    void aFileWhereTheDirectoryShouldBeIsOneClearError() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        final JournalException e = assertThrows(JournalException.class,
            () -> ChronicleJournal.open(new ChronicleJournal.Context().dir(file.resolve("journal"))));
        assertTrue(e.getMessage().startsWith("cannot create journal directory"), e.getMessage());
    }

    /** A crash probe's start on such a file hung, its ports never open and SIGTERM ignored: Chronicle waits for the header. */
    @Test
    void aCycleFileWithAZeroedHeaderIsOneClearErrorNotAStartThatHangs() throws Exception
    {
        final Path journalDir = dir.resolve("journal");
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(journalDir)))
        {
            assertTrue(journal.onEntry(entry(1), 0, 64));
            journal.onEndOfBatch();
        }
        final Path file;
        try (java.util.stream.Stream<Path> files = Files.list(journalDir))
        {
            file = files.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE))
        {
            channel.write(java.nio.ByteBuffer.allocate(64), 0);
        }
        final JournalException e = assertThrows(JournalException.class,
            () -> ChronicleJournal.open(new ChronicleJournal.Context().dir(journalDir)));
        assertTrue(e.getMessage().contains(file.getFileName() + " cannot be read from its start: its header is damaged (zeroed)"),
            e.getMessage());
    }

    /**
     * A crash probe emptied a middle cycle file: read in order the journal ended there, yet a start
     * from a snapshot taken after it went on as if nothing were missing, and a refused start had
     * already let Chronicle rename the file. The start is now refused before Chronicle opens anything.
     */
    /** An operations probe's hourly journal.roll-cycle on a daily journal: it kept daily, said only in Chronicle's own warning. */
    @Test
    void aNamedRollCycleOtherThanTheJournalsIsRefusedNamingBoth() throws Exception
    {
        final Path journalDir = dir.resolve("daily");
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(journalDir).rollCycle("daily")))
        {
            journal.onEntry(new org.agrona.concurrent.UnsafeBuffer(new byte[64]), 0, 64);
            journal.onEndOfBatch();
        }
        final JournalException e = assertThrows(JournalException.class,
            () -> ChronicleJournal.open(new ChronicleJournal.Context().dir(journalDir).rollCycle("hourly")));
        assertTrue(e.getMessage().startsWith("journal.roll-cycle is hourly, but the journal in " + journalDir
            + " was written with daily files"), e.getMessage());
        ChronicleJournal.open(new ChronicleJournal.Context().dir(journalDir).rollCycle("daily")).close();
        // told from the files' names before Chronicle opens the directory (which would log its own "Overriding roll cycle")
        assertEquals("daily", JournalRollCycles.ofFileNames(journalDir));
        final Path hourlyDir = dir.resolve("hourly");
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(hourlyDir).rollCycle("hourly")))
        {
            journal.onEntry(new org.agrona.concurrent.UnsafeBuffer(new byte[64]), 0, 64);
            journal.onEndOfBatch();
        }
        assertEquals("hourly", JournalRollCycles.ofFileNames(hourlyDir));
        assertEquals(null, JournalRollCycles.ofFileNames(dir.resolve("none")));
    }

    @Test
    void anEmptiedCycleFileBeforeOneWithEntriesIsOneClearErrorAndTheFilesAreLeftAsTheyWere() throws Exception
    {
        final Path journalDir = dir.resolve("journal");
        final java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(1_700_000_000_000L);
        final ChronicleJournal.Context context = new ChronicleJournal.Context().dir(journalDir).rollCycle("minutely")
            .timeProvider(now::get);
        try (ChronicleJournal journal = ChronicleJournal.open(context))
        {
            for (int cycle = 0; cycle < 3; cycle++)
            {
                for (int i = 1; i <= 5; i++)
                {
                    assertTrue(journal.onEntry(entry(cycle * 5L + i), 0, 64));
                    journal.onEndOfBatch();
                }
                now.addAndGet(61_000);
            }
        }
        final java.util.List<Path> cycles;
        try (java.util.stream.Stream<Path> files = Files.list(journalDir))
        {
            cycles = files.filter(p -> p.toString().endsWith(".cq4")).sorted().toList();
        }
        assertEquals(3, cycles.size());

        // The newest cycle emptied (as a crash while it was created could leave it): nothing is missing.
        final Path newest = cycles.get(2);
        final byte[] newestBytes = Files.readAllBytes(newest);
        truncate(newest);
        assertEquals(null, JournalFiles.damagedHeader(journalDir));
        Files.write(newest, newestBytes);

        final Path middle = cycles.get(1);
        truncate(middle);
        final JournalException e = assertThrows(JournalException.class,
            () -> ChronicleJournal.open(new ChronicleJournal.Context().dir(journalDir).rollCycle("minutely").timeProvider(now::get)));
        assertTrue(e.getMessage().contains(middle.getFileName() + " is empty, though a later cycle file ("
            + newest.getFileName() + ") holds entries"), e.getMessage());
        try (java.util.stream.Stream<Path> files = Files.list(journalDir))
        {
            assertEquals(cycles, files.filter(p -> p.toString().contains(".cq4") && !p.toString().endsWith(".cq4t")).sorted().toList(),
                "no file renamed or added");
        }
        assertEquals(0, Files.size(middle));
    }

    private static void truncate(final Path file) throws java.io.IOException
    {
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE))
        {
            channel.truncate(0);
        }
    }

    @Test
    void unknownRollCycleNamesTheChoices()
    {
        final JournalException e = assertThrows(JournalException.class, () -> new ChronicleJournal.Context().rollCycle("yearly"));
        assertTrue(e.getMessage().contains("minutely, hourly, daily"), e.getMessage());
    }

    @Test
    void aBatchIsOneDocumentAndEveryEntryKeepsItsOwnPosition()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir)))
        {
            for (int batch = 0; batch < 3; batch++)
            {
                for (int i = 1; i <= 5; i++)
                {
                    assertTrue(journal.onEntry(entry(batch * 5L + i), 0, 64));
                }
                journal.onEndOfBatch();
            }
            assertEquals(3, journal.documentsAppended());
            assertEquals(15, journal.entriesAppended());
            assertEquals(15, journal.lastSequence());

            final JournalFixture.Collector all = new JournalFixture.Collector().drain(journal.tailerFromStart());
            assertEquals(15, all.entries.size());
            for (int i = 0; i < 15; i++)
            {
                assertEquals(i + 1, new UnsafeBuffer(all.entries.get(i)).getLong(8), "entries in order");
                if (i > 0)
                {
                    assertTrue(all.positions.get(i) > all.positions.get(i - 1), "positions increase");
                }
            }
            assertEquals(journal.lastPosition(), (long)all.positions.get(14));
            assertEquals(journal.firstPosition(), (long)all.positions.get(0));

            // Resume after any entry, inside a document or at its end, and at any entry.
            for (int i = 0; i < 15; i++)
            {
                final JournalFixture.Collector after = new JournalFixture.Collector().drain(journal.tailerAfter(all.positions.get(i), false));
                assertEquals(14 - i, after.entries.size(), "after entry " + i);
                final JournalFixture.Collector at = new JournalFixture.Collector().drain(journal.tailerAt(all.positions.get(i)));
                assertEquals(15 - i, at.entries.size(), "from entry " + i);
                assertEquals(all.positions.get(i), at.positions.get(0));
            }
        }
    }

    @Test
    void aTailerResumesInsideADocumentAcrossPolls()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir)))
        {
            for (int i = 1; i <= 7; i++)
            {
                journal.onEntry(entry(i), 0, 64);
            }
            journal.onEndOfBatch();
            final ChronicleTailer tailer = journal.tailerFromStart();
            final JournalFixture.Collector collector = new JournalFixture.Collector();
            assertEquals(3, tailer.poll(collector, 3));
            assertEquals(3, tailer.lastSequence());
            assertEquals(3, tailer.poll(collector, 3));
            assertEquals(1, tailer.poll(collector, 3));
            assertEquals(0, tailer.poll(collector, 3));
            assertEquals(7, tailer.lastSequence());
            assertEquals(journal.lastPosition(), tailer.position());
        }
    }

    @Test
    void fullBatchesAndEntriesTooBigForABatchAreWrittenWithoutWaitingForTheEnd()
    {
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir)))
        {
            for (int i = 1; i <= JournalPosition.MAX_ENTRIES_PER_DOCUMENT + 1; i++)
            {
                journal.onEntry(entry(i), 0, 64);
            }
            assertEquals(1, journal.documentsAppended(), "the first full batch went out");
            final UnsafeBuffer big = new UnsafeBuffer(new byte[ChronicleJournal.MAX_BATCH_BYTES + 1000]);
            big.putLong(8, JournalPosition.MAX_ENTRIES_PER_DOCUMENT + 2);
            big.putByte(big.capacity() - 1, (byte)42);
            journal.onEntry(big, 0, big.capacity());
            assertEquals(3, journal.documentsAppended(), "the pending batch, then the big entry alone");
            journal.onEndOfBatch();
            assertEquals(3, journal.documentsAppended(), "nothing left to write");

            final JournalFixture.Collector all = new JournalFixture.Collector().drain(journal.tailerFromStart());
            assertEquals(JournalPosition.MAX_ENTRIES_PER_DOCUMENT + 2, all.entries.size());
            final byte[] last = all.entries.get(all.entries.size() - 1);
            assertEquals(big.capacity(), last.length);
            assertEquals(42, last[last.length - 1]);
            assertEquals(JournalPosition.MAX_ENTRIES_PER_DOCUMENT + 2, journal.lastSequence());
        }
    }

    @Test
    void anEntryOfTensOfMegabytesIsStoredInPartsAndOneOverTheLimitIsRefusedSayingSo()
    {
        // Chronicle's default block stored at most 16 MiB in one document: a sweep of ~100,000 resting lots failed its
        // append and halted the exchange, again after every restart
        final java.util.List<String> log = new java.util.ArrayList<>();
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir).log(log::add)))
        {
            final UnsafeBuffer big = new UnsafeBuffer(new byte[40 << 20]);
            big.putLong(8, 1);
            big.putByte(big.capacity() - 1, (byte)42);
            assertTrue(journal.onEntry(big, 0, big.capacity()));
            assertEquals(3, journal.documentsAppended(), "16 + 16 + 8 MiB");
            journal.onEndOfBatch();
            final JournalFixture.Collector all = new JournalFixture.Collector().drain(journal.tailerFromStart());
            assertEquals(1, all.entries.size());
            assertEquals(big.capacity(), all.entries.get(0).length);
            assertEquals(42, all.entries.get(0)[big.capacity() - 1]);
            assertEquals(1, journal.lastSequence());

            // the length alone decides: nothing of the buffer is read
            final UnsafeBuffer tooBig = new UnsafeBuffer(new byte[64]);
            assertFalse(journal.onEntry(tooBig, 0, ChronicleJournal.MAX_ENTRY_BYTES + 1));
            assertTrue(journal.hasFailed());
            assertTrue(log.get(0).contains("larger than the journal's limit of " + ChronicleJournal.MAX_ENTRY_BYTES), log.toString());
        }
    }

    @Test
    void documentsWrittenBeforeBatchingAreReadAsOneEntryEach()
    {
        // The format of journals written before batching: each document is one entry's bytes.
        try (net.openhft.chronicle.queue.impl.single.SingleChronicleQueue queue =
                 net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder.binary(dir)
                     .rollCycle(net.openhft.chronicle.queue.RollCycles.FAST_DAILY).build();
             net.openhft.chronicle.queue.ExcerptAppender appender = queue.createAppender())
        {
            for (int i = 1; i <= 3; i++)
            {
                final byte[] bytes = new byte[64];
                new UnsafeBuffer(bytes).putShort(0, (short)25); // an EntryHeader's block length first
                new UnsafeBuffer(bytes).putLong(8, i);
                try (net.openhft.chronicle.wire.DocumentContext document = appender.writingDocument())
                {
                    document.wire().bytes().write(bytes);
                }
            }
        }
        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(dir)))
        {
            assertEquals(3, journal.lastSequence());
            journal.onEntry(entry(4), 0, 64);
            journal.onEndOfBatch();
            final JournalFixture.Collector all = new JournalFixture.Collector().drain(journal.tailerFromStart());
            assertEquals(4, all.entries.size());
            for (int i = 0; i < 4; i++)
            {
                assertEquals(i + 1, new UnsafeBuffer(all.entries.get(i)).getLong(8));
            }
            assertEquals(1, new JournalFixture.Collector().drain(journal.tailerAfter(all.positions.get(2), false)).entries.size());
        }
    }

    /** A minimal entry: 64 bytes with a sequence at the header's sequence offset. */
    private static UnsafeBuffer entry(final long sequence)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        buffer.putLong(8, sequence);
        return buffer;
    }
}
