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
import org.agrona.concurrent.status.AtomicCounter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The journal: a Chronicle Queue holding one document per engine command (the engine's entry
 * bytes as they are: an EntryHeader followed by its events). It is the engine's {@link EventSink},
 * appended to on the engine thread only, and the source every reader tails.
 * <p>
 * An entry is one Chronicle document, so after a crash it is wholly present or absent (an
 * unfinished document is never visible to readers). If an append fails the sink reports it and
 * the engine halts: nothing it could not journal is ever acknowledged.
 */
public final class ChronicleJournal implements EventSink, AutoCloseable
{
    /** Configuration with defaults; {@link #conclude()} checks it. */
    public static final class Context
    {
        private Path dir;
        private Durability durability = Durability.MAPPED;
        private RollCycle rollCycle = RollCycles.FAST_DAILY;
        private boolean readOnly;
        private AtomicCounter appendFailures;
        private Consumer<String> log = System.err::println;
        private net.openhft.chronicle.core.time.TimeProvider timeProvider;

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
            this.rollCycle = rollCycleNamed(name);
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

        /** The clock that picks the roll cycle (tests roll files without waiting); default the system's. */
        public Context timeProvider(final net.openhft.chronicle.core.time.TimeProvider timeProvider)
        {
            this.timeProvider = timeProvider;
            return this;
        }

        public Context conclude()
        {
            if (dir == null)
            {
                throw new JournalException("journal directory not set");
            }
            return this;
        }
    }

    static RollCycle rollCycleNamed(final String name)
    {
        switch (name.toLowerCase(Locale.ROOT))
        {
            case "minutely":
                return net.openhft.chronicle.queue.rollcycles.LegacyRollCycles.MINUTELY;
            case "hourly":
                return RollCycles.FAST_HOURLY;
            case "daily":
                return RollCycles.FAST_DAILY;
            default:
                try
                {
                    return RollCycles.valueOf(name.toUpperCase(Locale.ROOT));
                }
                catch (final IllegalArgumentException e)
                {
                    throw new JournalException("unknown roll cycle '" + name + "' (minutely, hourly, daily)");
                }
        }
    }

    private final Context context;
    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;
    /** Index of the last entry appended, for this process's tailers; -1 before the first. */
    private final AtomicLong appendedIndex = new AtomicLong(-1);
    /** Index up to which entries are as durable as the mode requires; readers with effects stop here. */
    private final AtomicLong durableIndex = new AtomicLong(Long.MAX_VALUE);
    private long lastIndex = -1;
    private long entries;
    private boolean failed;

    private ChronicleJournal(final Context context, final SingleChronicleQueue queue, final ExcerptAppender appender)
    {
        this.context = context;
        this.queue = queue;
        this.appender = appender;
        if (context.durability == Durability.SYNC)
        {
            durableIndex.set(queue.lastIndex());
        }
    }

    /**
     * Opens (creating if needed) a journal. Fails with one clear {@link JournalException} if the
     * directory cannot be created or written, or is not a journal.
     */
    public static ChronicleJournal open(final Context context)
    {
        context.conclude();
        final Path dir = context.dir;
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
        }
        final SingleChronicleQueue queue;
        try
        {
            final SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.binary(dir)
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

    public static ChronicleJournal openForReading(final Path dir)
    {
        return open(new Context().dir(dir).readOnly(true));
    }

    @Override
    public boolean onEntry(final DirectBuffer buffer, final int offset, final int length)
    {
        if (failed || appender == null)
        {
            return false;
        }
        try
        {
            try (DocumentContext document = appender.writingDocument())
            {
                try
                {
                    final Bytes<?> bytes = document.wire().bytes();
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
                catch (final Throwable t)
                {
                    document.rollbackOnClose();
                    throw t;
                }
            }
            lastIndex = appender.lastIndexAppended();
            entries++;
            appendedIndex.setRelease(lastIndex);
            return true;
        }
        catch (final Throwable t)
        {
            fail(t);
            return false;
        }
    }

    @Override
    public void onEndOfBatch()
    {
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

    /** Entries appended by this process. */
    public long entriesAppended()
    {
        return entries;
    }

    public Context context()
    {
        return context;
    }

    /** Index of the last entry in the journal (any process), or -1 if empty. */
    public long lastIndex()
    {
        final long index = queue.lastIndex();
        return index < 0 ? -1 : index;
    }

    /** Index of the first entry, or -1 if empty. */
    public long firstIndex()
    {
        final long first = queue.firstIndex();
        return first == Long.MAX_VALUE || lastIndex() < 0 ? -1 : first;
    }

    /**
     * A tailer that delivers every entry after {@code position} ({@link JournalTailer#START} for
     * all). With {@code forExternalEffects} in SYNC mode it stops at the durable watermark.
     */
    public ChronicleTailer tailerAfter(final long position, final boolean forExternalEffects)
    {
        return new ChronicleTailer(queue, position,
            forExternalEffects && context.durability == Durability.SYNC ? durableIndex : null);
    }

    /** A tailer whose first entry is the one at {@code index} (recovery checks it against a snapshot). */
    public ChronicleTailer tailerAt(final long index)
    {
        return new ChronicleTailer(queue, index, false, null);
    }

    public ChronicleTailer tailerFromStart()
    {
        return tailerAfter(JournalTailer.START, false);
    }

    /** A tailer that delivers only entries appended from now on. */
    public ChronicleTailer tailerAtEnd(final boolean forExternalEffects)
    {
        return tailerAfter(lastIndex(), forExternalEffects);
    }

    /** The durable watermark (SYNC) or Long.MAX_VALUE (MAPPED). */
    public long durableIndex()
    {
        return durableIndex.getAcquire();
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
        queue.close();
    }

    private static final long ARRAY_BASE_OFFSET = org.agrona.BufferUtil.ARRAY_BASE_OFFSET;
}
