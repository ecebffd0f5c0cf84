package dev.bourse.journal;

import dev.bourse.engine.EventSink;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The journal: a Chronicle Queue holding the engine's entries (one per command: an EntryHeader
 * followed by its events). It is the engine's {@link EventSink}, appended to on the engine thread
 * only, and the source every reader tails.
 * <p>
 * Entries are collected while the sequencer delivers a batch and written at its end as one
 * Chronicle document ({@link JournalDocument}): a Chronicle document costs about 0.45 us to write
 * whatever its size, which one per command made half the engine's budget. A document is wholly
 * present or absent after a crash (an unfinished document is never visible to readers), so each
 * command stays atomic, and nothing is acknowledged before its document is written, because every
 * acknowledgement is made by a reader of the journal. An entry too big for one document goes in
 * parts that readers deliver only whole ({@link JournalDocument}). If an append fails the sink reports it and
 * the engine halts: nothing it could not journal is ever acknowledged.
 * <p>
 * Longer than most classes here: it is the one owner of the Chronicle queue (opening and its
 * errors, batching, durability, the disk-space reserve, tailers), and
 * the append path's pieces share the appender's state; the pretoucher, tailers, positions,
 * document layout and roll-cycle naming ({@link JournalRollCycles}) are classes of their own.
 */
public final class ChronicleJournal implements EventSink, AutoCloseable
{
    /** Configuration with defaults; {@link #conclude()} checks it. */
    public static final class Context
    {
        private Path dir;
        private Durability durability = Durability.MAPPED;
        private RollCycle rollCycle = RollCycles.FAST_DAILY;
        /** Set when the cycle was named (the configuration): an existing journal of another cycle is then refused. */
        private String rollCycleName;
        private boolean readOnly;
        private AtomicCounter appendFailures;
        private Consumer<String> log = System.err::println;
        private net.openhft.chronicle.core.time.TimeProvider timeProvider;
        private long minFreeBytes = DEFAULT_MIN_FREE_BYTES;
        private long pretouchBytes = DEFAULT_PRETOUCH_BYTES;
        private boolean pretouchByReading;
        private int partBytes = DEFAULT_PART_BYTES;

        /** Entries longer than this are written in parts of this size (tests make it small). */
        Context partBytes(final int bytes)
        {
            partBytes = bytes;
            return this;
        }

        public Context dir(final Path dir)
        {
            this.dir = dir;
            return this;
        }

        public Path dir()
        {
            return dir;
        }

        public Context durability(final Durability durability)
        {
            this.durability = durability;
            return this;
        }

        public Durability durability()
        {
            return durability;
        }

        /** {@code minutely}, {@code hourly}, {@code daily} (or any Chronicle RollCycles name). */
        public Context rollCycle(final String name)
        {
            this.rollCycle = JournalRollCycles.named(name);
            this.rollCycleName = name;
            return this;
        }

        public Context rollCycle(final RollCycle rollCycle)
        {
            this.rollCycle = rollCycle;
            return this;
        }

        public RollCycle rollCycle()
        {
            return rollCycle;
        }

        /** Open an existing journal to read it (another process, tools): no appends. */
        public Context readOnly(final boolean readOnly)
        {
            this.readOnly = readOnly;
            return this;
        }

        /** Counts failed appends (the server's counters file); optional. */
        public Context appendFailures(final AtomicCounter counter)
        {
            this.appendFailures = counter;
            return this;
        }

        /** Where the one line about a failed append goes. */
        public Context log(final Consumer<String> log)
        {
            this.log = log;
            return this;
        }

        /**
         * The journal refuses to write (and the engine halts) once its disk has less than this
         * free, checked every MiB written: a memory-mapped write to a full disk does not fail
         * politely, it kills the process (SIGBUS). At least 4 MiB.
         */
        public Context minFreeBytes(final long bytes)
        {
            this.minFreeBytes = bytes;
            return this;
        }

        public long minFreeBytes()
        {
            return minFreeBytes;
        }

        /** The clock that picks the roll cycle (tests roll files without waiting); default the system's. */
        public Context timeProvider(final net.openhft.chronicle.core.time.TimeProvider timeProvider)
        {
            this.timeProvider = timeProvider;
            return this;
        }

        /**
         * How far ahead of the appends a thread of its own prepares the journal's pages, so the
         * engine's writes do not fault ({@link JournalPretoucher}); 0 turns it off.
         */
        public Context pretouchBytes(final long bytes)
        {
            this.pretouchBytes = bytes;
            return this;
        }

        public long pretouchBytes()
        {
            return pretouchBytes;
        }

        /**
         * Prepares pages ahead by reading the file even where the kernel could populate the
         * mapping itself (for comparison: the benchmark and tests); default false.
         */
        public Context pretouchByReading(final boolean byReading)
        {
            this.pretouchByReading = byReading;
            return this;
        }

        public Context conclude()
        {
            if (pretouchBytes < 0)
            {
                throw new JournalException("journal pretouch bytes must be 0 or more: " + pretouchBytes);
            }
            if (dir == null)
            {
                throw new JournalException("journal directory not set");
            }
            if (minFreeBytes < MIN_FREE_FLOOR)
            {
                throw new JournalException("journal minimum free space must be at least 4 MiB: " + minFreeBytes);
            }
            if (partBytes < 64 || partBytes > MAX_DOCUMENT_BYTES - JournalDocument.PART_HEADER_LENGTH)
            {
                throw new JournalException("journal part size out of range: " + partBytes);
            }
            return this;
        }
    }

    static
    {
        ChronicleDiskMonitor.disableUnlessConfigured(); // before any queue opens: the journal keeps its own reserve
    }

    public static final long DEFAULT_MIN_FREE_BYTES = 64L << 20;
    public static final long DEFAULT_PRETOUCH_BYTES = 8L << 20;
    private static final long MIN_FREE_FLOOR = 4L << 20;
    private static final long CHECK_FREE_EVERY_BYTES = 1L << 20;

    private final Context context;
    private final SingleChronicleQueue queue;
    private final JournalPosition positions;
    private final ExcerptAppender appender;
    /** Index of the last entry appended, for this process's tailers; -1 before the first. */
    private final AtomicLong appendedIndex = new AtomicLong(-1);
    /** Index up to which entries are as durable as the mode requires; readers with effects stop here. */
    private final AtomicLong durableIndex = new AtomicLong(Long.MAX_VALUE);
    private long lastIndex = -1;
    /** Engine sequence of the newest entry (thread-safe read for lag counters). */
    private final AtomicLong lastSequence = new AtomicLong();
    private long entries;
    private long documents;
    private boolean failed;

    /** The batch being collected: {@link JournalDocument} layout, written at the end of the batch. */
    private final UnsafeBuffer batch = new UnsafeBuffer(ByteBuffer.allocateDirect(MAX_BATCH_BYTES));
    private int batchLength = JournalDocument.HEADER_LENGTH;
    private int batchCount;
    private long batchLastSequence;

    /** A batch is written once it holds this many bytes (an entry bigger than this goes alone). */
    static final int MAX_BATCH_BYTES = 256 * 1024;

    /**
     * Chronicle's memory-mapped block: a document may be at most a quarter of it. With Chronicle's
     * default of 64 MiB and no parts, one entry held at most 16 MiB, about 100,000 fills or cancels
     * at 166 bytes each: a sweep, an auction or a day's end of that many orders failed its append
     * and halted the exchange, and after a restart the same command halted it again. Parts of 16 MiB
     * would fit the default; the larger block stays so that journals written before parts (with
     * documents up to 64 MiB) still open. A cycle file's size as listed grows with the block (it is
     * sparse: the disk holds what is written).
     */
    static final long BLOCK_BYTES = 256L << 20;

    /** The largest document the block takes (a quarter of it, less Chronicle's header and ours). */
    static final int MAX_DOCUMENT_BYTES = (int)(BLOCK_BYTES / 4) - 4096;

    /** An entry bigger than this is written in parts of this size ({@link JournalDocument}). */
    static final int DEFAULT_PART_BYTES = 16 << 20;

    /**
     * The largest entry the journal stores: about 1.6 million fills or cancels. Every reader holds
     * a whole entry in its heap while it delivers it (the engine's buffer, the reports, market data
     * and read models tailers), so the bound is set by the heap, not by the journal's format.
     */
    public static final int MAX_ENTRY_BYTES = 256 << 20;

    private final JournalPretoucher pretoucher;

    private ChronicleJournal(final Context context, final SingleChronicleQueue queue, final ExcerptAppender appender)
    {
        this.context = context;
        this.queue = queue;
        this.positions = new JournalPosition(queue.rollCycle());
        this.appender = appender;
        this.pretoucher = appender != null && context.pretouchBytes > 0
            ? new JournalPretoucher(context.pretouchBytes, !context.pretouchByReading, context.log) : null;
        if (context.durability == Durability.SYNC)
        {
            durableIndex.set(queue.lastIndex());
        }
        lastSequence.set(readLastSequence(queue));
    }

    private static long readLastSequence(final SingleChronicleQueue queue)
    {
        try (ChronicleTailer tailer = pastLastEntries(queue))
        {
            return tailer == null ? 0 : tailer.lastSequence();
        }
    }

    /** A tailer that has read the journal's last whole entries (see {@link #lastEntriesDocument}); null if there are none. */
    private static ChronicleTailer pastLastEntries(final SingleChronicleQueue queue)
    {
        final long last = lastEntriesDocument(queue);
        if (last < 0)
        {
            return null;
        }
        final ChronicleTailer tailer = new ChronicleTailer(queue, new JournalPosition(queue.rollCycle()).of(last, 0), false, null);
        tailer.poll((position, buffer, offset, length) -> { }, JournalPosition.MAX_ENTRIES_PER_DOCUMENT);
        return tailer;
    }

    /**
     * Opens (creating if needed) a journal. Fails with one clear {@link JournalException} if the
     * directory cannot be created or written, or is not a journal.
     */
    public static ChronicleJournal open(final Context context)
    {
        context.conclude();
        final Path dir = context.dir;
        // Chronicle would wait for such a file's header for ever (a start that hangs, deaf to SIGTERM: a crash probe), and
        // would grow a file cut short back with zeros, read them as entries and fail on them far from the cause (an outside
        // probe): both are told from the files before Chronicle opens the directory, which then renames and grows nothing
        final JournalFiles.Damage damaged = Files.isDirectory(dir) ? JournalFiles.damage(dir) : null;
        if (damaged != null && damaged.entriesPastEnd())
        {
            // a cycle cut short held entries past its end, acknowledged ones among them: moving it aside would lose them
            throw new JournalException("journal " + dir + ": " + damaged.what() + "; the journal is the system of record: restore the"
                + " file from a copy (./exchange journal verify checks the copy); the files are left as they were");
        }
        if (damaged != null && damaged.advised())
        {
            throw new JournalException("journal " + dir + ": " + damaged.what() + " (the files are left as they were)");
        }
        if (damaged != null)
        {
            throw new JournalException("journal " + dir + ": " + damaged.what() + "; restore the file from a copy, or move it and "
                + "the files after it aside to start from the entries before it (./exchange journal verify says what is left)");
        }
        if (context.readOnly)
        {
            if (!Files.isDirectory(dir))
            {
                throw new JournalException("no journal at " + dir);
            }
        }
        else
        {
            try
            {
                Files.createDirectories(dir);
            }
            catch (final IOException e)
            {
                throw new JournalException("cannot create journal directory " + dir + ": " + e, e);
            }
            if (!Files.isWritable(dir))
            {
                throw new JournalException("journal directory " + dir + " is not writable");
            }
            final long free = usableSpace(dir);
            if (free >= 0 && free < context.minFreeBytes)
            {
                throw new JournalException("journal directory " + dir + " has only " + (free >> 20) + " MiB free, below the "
                    + (context.minFreeBytes >> 20) + " MiB the journal keeps in reserve");
            }
        }
        // told from the cycle files' names before Chronicle opens the directory: opening it with another cycle logs two
        // WARN lines of Chronicle's ("Overriding roll cycle ...") ahead of the refusal below, which read as if it went on
        final String writtenByName = context.rollCycleName == null ? null : JournalRollCycles.ofFileNames(dir);
        if (writtenByName != null && !writtenByName.equals(JournalRollCycles.nameOf(context.rollCycle)))
        {
            throw JournalRollCycles.refused(context.rollCycleName, dir, writtenByName);
        }
        final SingleChronicleQueue queue;
        try
        {
            final SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.binary(dir)
                .blockSize(BLOCK_BYTES)
                .rollCycle(context.rollCycle)
                .readOnly(context.readOnly);
            if (context.timeProvider != null)
            {
                builder.timeProvider(context.timeProvider);
            }
            queue = builder.build();
        }
        catch (final RuntimeException e)
        {
            throw new JournalException("cannot open journal " + dir + ": " + e.getMessage(), e);
        }
        // the queue's own roll cycle: an existing journal keeps the one it was written with (its metadata), whatever was asked;
        // asked by name (the configuration), a different one is said rather than left to Chronicle's own warning in the log
        if (context.rollCycleName != null && queue.rollCycle().lengthInMillis() != context.rollCycle.lengthInMillis())
        {
            final String written = JournalRollCycles.nameOf(queue.rollCycle());
            queue.close();
            throw JournalRollCycles.refused(context.rollCycleName, dir, written);
        }
        if (!new JournalPosition(queue.rollCycle()).fitsFrom(queue.cycle()))
        {
            queue.close();
            throw new JournalException("roll cycle " + queue.rollCycle() + " gives indexes too large for journal positions;"
                + " use minutely, hourly or daily");
        }
        ExcerptAppender appender = null;
        if (!context.readOnly)
        {
            try
            {
                appender = queue.createAppender();
                // One writer by design (the engine thread), but it is created here, on the
                // opening thread, so a bad directory fails at start rather than on the first order.
                appender.singleThreadedCheckDisabled(true);
            }
            catch (final RuntimeException e)
            {
                queue.close();
                throw new JournalException("cannot append to journal " + dir + ": " + e.getMessage(), e);
            }
        }
        return new ChronicleJournal(context, queue, appender);
    }

    /**
     * Whether {@code dir} holds a journal: a directory with Chronicle Queue files in it (its cycles,
     * .cq4, or its metadata, .cq4t, which a journal has before its first entry).
     * An exchange's data directory, say, does not; the readers refuse it rather than read nothing.
     *
     * @throws IOException if the directory cannot be listed
     */
    public static boolean holdsJournal(final Path dir) throws IOException
    {
        if (!java.nio.file.Files.isDirectory(dir))
        {
            return false;
        }
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir))
        {
            return files.map(p -> p.getFileName().toString()).anyMatch(name -> name.endsWith(".cq4") || name.endsWith(".cq4t"));
        }
    }

    public static ChronicleJournal openForReading(final Path dir)
    {
        return open(new Context().dir(dir).readOnly(true));
    }

    /**
     * Adds the entry to the batch being collected; it is written to the queue when the sequencer's
     * batch ends ({@link #onEndOfBatch}), when the batch is full, or on {@link #flush}. Returns
     * false once an append has failed.
     */
    @Override
    public boolean onEntry(final DirectBuffer buffer, final int offset, final int length)
    {
        if (failed || appender == null)
        {
            return false;
        }
        if (length > MAX_ENTRY_BYTES)
        {
            // said as what it is: a command whose entry cannot be stored (the engine halts, as for any failed append)
            fail(new IOException("an entry of " + length + " bytes is larger than the journal's limit of " + MAX_ENTRY_BYTES));
            return false;
        }
        final int frame = JournalDocument.FRAME_HEADER_LENGTH + length;
        if (batchCount > 0 && (batchLength + frame > MAX_BATCH_BYTES || batchCount == JournalPosition.MAX_ENTRIES_PER_DOCUMENT))
        {
            if (!flush())
            {
                return false;
            }
        }
        final long sequence = length >= 16 ? buffer.getLong(offset + 8, JournalDocument.ORDER) : batchLastSequence;
        if (length > context.partBytes)
        {
            // Bigger than one document should be (a sweep or a day's end of hundreds of thousands of orders): in parts.
            return flush() && writeParts(buffer, offset, length, sequence);
        }
        if (JournalDocument.HEADER_LENGTH + frame > MAX_BATCH_BYTES)
        {
            // Too big to copy (a mass cancel of a huge book): a document of its own, straight from the engine's buffer.
            batchLastSequence = sequence;
            return writeDocument(buffer, offset, length);
        }
        batch.putInt(batchLength, length, JournalDocument.ORDER);
        batch.putBytes(batchLength + JournalDocument.FRAME_HEADER_LENGTH, buffer, offset, length);
        batchLength += frame;
        batchCount++;
        batchLastSequence = sequence;
        return true;
    }

    /** Writes the entries collected so far as one document. False (and the journal failed) if it could not. */
    public boolean flush()
    {
        if (batchCount == 0)
        {
            return !failed;
        }
        if (failed)
        {
            return false;
        }
        batch.putInt(0, JournalDocument.MAGIC, JournalDocument.ORDER);
        batch.putInt(4, batchCount, JournalDocument.ORDER);
        if (!append(batch, 0, batchLength, null, 0, 0, batchCount))
        {
            return false; // the batch stays, for drainUnstored
        }
        batchCount = 0;
        batchLength = JournalDocument.HEADER_LENGTH;
        return true;
    }

    @Override
    public void drainUnstored(final EntryConsumer consumer)
    {
        if (!failed)
        {
            return;
        }
        int offset = JournalDocument.HEADER_LENGTH;
        for (int i = 0; i < batchCount; i++)
        {
            final int length = batch.getInt(offset, JournalDocument.ORDER);
            consumer.accept(batch, offset + JournalDocument.FRAME_HEADER_LENGTH, length);
            offset += JournalDocument.FRAME_HEADER_LENGTH + length;
        }
        batchCount = 0;
        batchLength = JournalDocument.HEADER_LENGTH;
    }

    private boolean writeDocument(final DirectBuffer entry, final int offset, final int length)
    {
        header.putInt(0, JournalDocument.MAGIC, JournalDocument.ORDER);
        header.putInt(4, 1, JournalDocument.ORDER);
        header.putInt(8, length, JournalDocument.ORDER);
        return append(header, 0, JournalDocument.HEADER_LENGTH + JournalDocument.FRAME_HEADER_LENGTH, entry, offset, length, 1);
    }

    private final UnsafeBuffer header = new UnsafeBuffer(ByteBuffer.allocateDirect(16));
    private final UnsafeBuffer partHeader = new UnsafeBuffer(ByteBuffer.allocateDirect(JournalDocument.PART_HEADER_LENGTH));

    /**
     * Writes one entry as consecutive part documents ({@link JournalDocument}). The entry counts as
     * appended, and its sequence as the journal's last, only with its last part: a crash in between
     * leaves parts that readers skip.
     */
    private boolean writeParts(final DirectBuffer entry, final int offset, final int length, final long sequence)
    {
        final long sequenceBefore = batchLastSequence;
        long firstIndex = 0;
        int partOffset = 0;
        while (partOffset < length)
        {
            final int partLength = Math.min(context.partBytes, length - partOffset);
            final boolean last = partOffset + partLength == length;
            JournalDocument.putPartHeader(partHeader, partOffset, partLength, length, firstIndex);
            batchLastSequence = last ? sequence : sequenceBefore;
            if (!append(partHeader, 0, JournalDocument.PART_HEADER_LENGTH, entry, offset + partOffset, partLength, last ? 1 : 0))
            {
                return false;
            }
            if (partOffset == 0)
            {
                firstIndex = lastIndex;
            }
            partOffset += partLength;
        }
        return true;
    }

    private static long usableSpace(final Path dir)
    {
        try
        {
            return Files.getFileStore(dir).getUsableSpace();
        }
        catch (final IOException e)
        {
            return -1;
        }
    }

    private long bytesSinceSpaceCheck = CHECK_FREE_EVERY_BYTES;
    private java.nio.file.FileStore fileStore;

    /** Free space where the journal is (its FileStore found once: looking it up allocates). */
    private long usableSpace()
    {
        try
        {
            if (fileStore == null)
            {
                fileStore = Files.getFileStore(context.dir);
            }
            return fileStore.getUsableSpace();
        }
        catch (final IOException e)
        {
            return -1;
        }
    }

    private boolean append(
        final DirectBuffer first, final int firstOffset, final int firstLength,
        final DirectBuffer second, final int secondOffset, final int secondLength, final int count)
    {
        bytesSinceSpaceCheck += firstLength + secondLength;
        if (bytesSinceSpaceCheck >= CHECK_FREE_EVERY_BYTES)
        {
            bytesSinceSpaceCheck = 0;
            final long free = usableSpace();
            if (free >= 0 && free < context.minFreeBytes)
            {
                fail(new IOException("disk nearly full: " + (free >> 20) + " MiB free, the journal keeps "
                    + (context.minFreeBytes >> 20) + " MiB in reserve"));
                return false;
            }
        }
        try
        {
            try (DocumentContext document = appender.writingDocument())
            {
                try
                {
                    final Bytes<?> bytes = document.wire().bytes();
                    write(bytes, first, firstOffset, firstLength);
                    if (second != null)
                    {
                        write(bytes, second, secondOffset, secondLength);
                    }
                    if (pretoucher != null)
                    {
                        pretoucher.appended(appender, bytes);
                    }
                }
                catch (final Throwable t)
                {
                    document.rollbackOnClose();
                    throw t;
                }
            }
            lastIndex = appender.lastIndexAppended();
            entries += count;
            documents++;
            lastSequence.setRelease(batchLastSequence);
            appendedIndex.setRelease(lastIndex);
            return true;
        }
        catch (final Throwable t)
        {
            fail(t);
            return false;
        }
    }

    /** Bytes the pretouch thread has prepared ahead of the appends so far (0 without one). */
    long pretouchedBytes()
    {
        return pretoucher == null ? 0 : pretoucher.touchedBytes();
    }

    /** How the pages ahead are prepared: "populate", "read" or "off". */
    public String pretouchMode()
    {
        return pretoucher == null ? "off" : pretoucher.mode();
    }

    private static void write(final Bytes<?> bytes, final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] array = buffer.byteArray();
        if (array != null)
        {
            bytes.write(array, (int)(buffer.addressOffset() - ARRAY_BASE_OFFSET) + offset, length);
        }
        else
        {
            bytes.unsafeWrite(buffer.addressOffset() + offset, length);
        }
    }

    @Override
    public void onEndOfBatch()
    {
        if (!flush())
        {
            throw new JournalException("journal append to " + context.dir + " failed");
        }
        if (context.durability == Durability.SYNC && !failed && lastIndex >= 0 && durableIndex.getPlain() != lastIndex)
        {
            try
            {
                appender.sync();
                durableIndex.setRelease(lastIndex);
            }
            catch (final Throwable t)
            {
                fail(t);
                throw t;
            }
        }
    }

    private void fail(final Throwable t)
    {
        if (!failed)
        {
            failed = true;
            context.log.accept("journal: append to " + context.dir + " failed, the engine stops taking commands: " + t);
        }
        if (context.appendFailures != null)
        {
            context.appendFailures.incrementRelease();
        }
    }

    /** True once an append failed; the journal takes nothing more. */
    public boolean hasFailed()
    {
        return failed;
    }

    /** Entries appended (written to the queue) by this process. */
    public long entriesAppended()
    {
        return entries;
    }

    /** Chronicle documents written by this process (one per batch of entries). */
    public long documentsAppended()
    {
        return documents;
    }

    public Context context()
    {
        return context;
    }

    /**
     * The index of the document where the journal's last whole entries start: the last document,
     * unless it is a part ({@link JournalDocument}). Then the first part of the entry whose last
     * part it is, or, for parts a crash left unfinished, the same question asked of the document
     * before them. -1 if there is none.
     */
    static long lastEntriesDocument(final SingleChronicleQueue queue)
    {
        if (queue.lastIndex() < 0)
        {
            return -1;
        }
        final UnsafeBuffer partHeader = new UnsafeBuffer(new byte[JournalDocument.PART_HEADER_LENGTH]);
        try (net.openhft.chronicle.queue.ExcerptTailer backwards = queue.createTailer())
        {
            backwards.direction(net.openhft.chronicle.queue.TailerDirection.BACKWARD).toEnd();
            while (true)
            {
                try (DocumentContext document = backwards.readingDocument())
                {
                    if (!document.isPresent())
                    {
                        return -1;
                    }
                    if (document.isMetaData())
                    {
                        continue;
                    }
                    final Bytes<?> bytes = document.wire().bytes();
                    final int length = (int)Math.min(bytes.readRemaining(), JournalDocument.PART_HEADER_LENGTH);
                    bytes.read(partHeader.byteArray(), 0, length);
                    if (!JournalDocument.isPart(partHeader, 0, length))
                    {
                        return document.index();
                    }
                    if (JournalDocument.isLastPart(partHeader))
                    {
                        return JournalDocument.partFirstIndex(partHeader, document.index());
                    }
                    // an unfinished entry's part: the whole entries are before it
                }
            }
        }
    }

    /** Position of the last entry in the journal (any process), or -1 if empty. */
    public long lastPosition()
    {
        try (ChronicleTailer tailer = pastLastEntries(queue))
        {
            return tailer == null ? -1 : tailer.position();
        }
    }

    /** Engine sequence of the newest entry written (0 if empty); safe from any thread. */
    public long lastSequence()
    {
        return lastSequence.getAcquire();
    }

    /**
     * Engine sequence of the newest entry in the files now, read from them again: for a reader of a
     * journal another process writes, whose {@link #lastSequence()} stays what it was at open.
     */
    public long currentLastSequence()
    {
        return readLastSequence(queue);
    }

    /** Engine sequence of the first entry still here: 1, unless retention removed earlier cycles; 0 if empty. */
    public long firstSequence()
    {
        final dev.bourse.protocol.JournalEntryReader reader = new dev.bourse.protocol.JournalEntryReader();
        final long[] first = {0};
        try (ChronicleTailer tailer = tailerFromStart())
        {
            tailer.poll((position, buffer, offset, length) ->
            {
                if (reader.validate(buffer, offset, length) == dev.bourse.protocol.JournalEntryReader.OK)
                {
                    reader.readHeader(buffer, offset, length);
                    first[0] = reader.header().sequence();
                }
            }, 1);
        }
        return first[0];
    }

    /** Position of the first entry, or -1 if empty. */
    public long firstPosition()
    {
        final long first = queue.firstIndex();
        if (first == Long.MAX_VALUE || queue.lastIndex() < 0)
        {
            return -1;
        }
        try (ChronicleTailer tailer = tailerFromStart())
        {
            return tailer.poll((position, buffer, offset, length) -> { }, 1) == 1 ? tailer.position() : -1;
        }
    }

    /**
     * A tailer that delivers every entry after {@code position} ({@link JournalTailer#START} for
     * all). With {@code forExternalEffects} in SYNC mode it stops at the durable watermark.
     */
    public ChronicleTailer tailerAfter(final long position, final boolean forExternalEffects)
    {
        return new ChronicleTailer(queue, position, durableWatermarkFor(forExternalEffects));
    }

    /** A tailer whose first entry is the one at {@code position} (recovery checks it against a snapshot). */
    public ChronicleTailer tailerAt(final long position)
    {
        return tailerAt(position, false);
    }

    /** A tailer whose first entry is the one at {@code position}; {@link JournalTailer#START}: the first there is. */
    public ChronicleTailer tailerAt(final long position, final boolean forExternalEffects)
    {
        if (position == JournalTailer.START)
        {
            return tailerAfter(JournalTailer.START, forExternalEffects);
        }
        return new ChronicleTailer(queue, position, false, durableWatermarkFor(forExternalEffects));
    }

    /** What a reader waits for: the durable watermark if it makes external effects and the journal syncs, else nothing. */
    private AtomicLong durableWatermarkFor(final boolean forExternalEffects)
    {
        return forExternalEffects && context.durability == Durability.SYNC ? durableIndex : null;
    }

    public ChronicleTailer tailerFromStart()
    {
        return tailerAfter(JournalTailer.START, false);
    }

    /** A tailer that delivers only entries appended from now on. */
    public ChronicleTailer tailerAtEnd(final boolean forExternalEffects)
    {
        return tailerAfter(lastPosition(), forExternalEffects);
    }

    /** True if, in SYNC mode, the entry at {@code position} is synced (always true in MAPPED mode). */
    public boolean isDurable(final long position)
    {
        return positions.documentIndex(position) <= durableIndex.getAcquire();
    }

    SingleChronicleQueue queue()
    {
        return queue;
    }

    @Override
    public void close()
    {
        if (appender != null)
        {
            try
            {
                flush();
                if (context.durability == Durability.SYNC && !failed && lastIndex >= 0)
                {
                    appender.sync();
                }
                appender.close();
            }
            catch (final Throwable ignore)
            {
                // Closing after a failure: the failure was already reported.
            }
        }
        if (pretoucher != null)
        {
            pretoucher.close();
        }
        queue.close();
    }

    private static final long ARRAY_BASE_OFFSET = org.agrona.BufferUtil.ARRAY_BASE_OFFSET;
}
