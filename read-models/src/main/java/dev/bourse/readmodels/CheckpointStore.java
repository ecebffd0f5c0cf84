package dev.bourse.readmodels;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Checkpoints of the read models (their state with its journal position) in a directory:
 * {@code readmodels.ckpt} and the one before it, {@code readmodels.ckpt.prev}. Written to a
 * temporary file, fsynced and renamed, with a CRC trailer, so a crash mid-write leaves the older
 * checkpoint intact and a corrupt one is detected.
 */
public final class CheckpointStore
{
    private static final int MAGIC = 0x42524D31; // "BRM1"
    /** 3: hot state only (live orders, accounts, depth, recent trades, current candles); history is in the store. */
    /** 4: orders carry what the book shows of them (icebergs). */
    /** 5: the current trading day (number and date) after the entry counts; older ones are rebuilt from the journal. */
    /** 6: each instrument's trading phase, auction indication and last auction. */
    /** 7: orders carry their stop price, iceberg peak and GTD expire time. */
    /** 8: an auction's recent trades have no taker side (before, the buy side); same layout, rebuilt once from the journal. */
    /** 9: same layout; a replaced buy stop's cash hold was wrong in 8, so the models are rebuilt once from the journal. */
    /** 10: a position keeps its cost exactly (its remainder below the quantity follows the average cost). */
    private static final int VERSION = 11;
    public static final String NAME = "readmodels.ckpt";

    private final Path directory;
    private final java.time.ZoneId zone;

    public CheckpointStore(final Path directory)
    {
        this(directory, java.time.ZoneOffset.UTC);
    }

    /** @param zone the time zone naming the trading days of the models it restores (see {@link TradingDay}) */
    public CheckpointStore(final Path directory, final java.time.ZoneId zone)
    {
        this.directory = directory;
        this.zone = zone;
    }

    public Path directory()
    {
        return directory;
    }

    /**
     * The journal sequence of the newest checkpoint in {@code directory} whose checksum holds (its
     * ".prev" too), or -1: read without loading the models. The read models only apply journal
     * entries, so a checkpoint further on than the journal proves the journal lost entries.
     */
    public static long newestSequence(final Path directory)
    {
        long newest = -1;
        for (final String name : new String[] {NAME, NAME + ".prev"})
        {
            newest = Math.max(newest, verifiedSequence(directory.resolve(name)));
        }
        return newest;
    }

    private static long verifiedSequence(final Path file)
    {
        try
        {
            final long size = Files.size(file);
            if (size < 32)
            {
                return -1;
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
            {
                // the layout read() checks: magic, version, position, sequence, the models, then the CRC of all before it
                final CheckpointInput in = new CheckpointInput(channel, size - Long.BYTES);
                if (in.readInt() != MAGIC || in.readInt() != VERSION)
                {
                    return -1;
                }
                in.readLong(); // the position
                final long sequence = in.readLong();
                in.skipToEnd(); // through the checksum, unparsed
                return storedChecksum(channel, size) == in.checksum() ? sequence : -1;
            }
        }
        catch (final IOException e)
        {
            return -1;
        }
    }

    /** The position of the newest checkpoint written or loaded; START before either. */
    private volatile long lastPosition = dev.bourse.journal.JournalTailer.START;
    /** The oldest journal position a restart may read from: that of the checkpoint kept as ".prev". */
    private volatile long neededFrom = dev.bourse.journal.JournalTailer.START;
    /** Reused by every checkpoint: its buffer is a megabyte off the heap. */
    private final CheckpointOutput output = new CheckpointOutput();
    /** The thread making the last checkpoint durable; null before the first. */
    private volatile Thread durableStep;
    private volatile IOException failure;

    /**
     * The oldest journal position the read models may need after a restart (their older kept
     * checkpoint's, which a restart falls back to if the newest is unusable), or START: everything,
     * while only one checkpoint is kept (its loss would mean a rebuild). Known from the files at
     * {@link #load} (a probe found retention off until this process had written one, 1M entries in)
     * and after each {@link #save}. Journal retention keeps what this needs.
     */
    public long neededFrom()
    {
        return neededFrom;
    }

    /**
     * Writes a checkpoint and waits until it is durable and in place (the one before it kept as
     * ".prev"). For a clean stop and for tests; the projection thread uses {@link #begin}.
     */
    public void save(final ReadModels models) throws IOException
    {
        awaitDurable();
        final Writing writing = begin(models);
        if (writing == null)
        {
            throw new IllegalStateException("a checkpoint is still being made durable");
        }
        writing.writeSome(Integer.MAX_VALUE);
        awaitDurable();
    }

    /**
     * Starts a checkpoint of {@code models} into a temporary file, to be written a slice at a time
     * by {@link Writing#writeSome} on the calling thread; the models must not change until it says
     * it is done. The fsync and the renames that put it in place then go on in a thread of their
     * own. Null, and nothing started, while the previous checkpoint is still being made durable.
     * A crash before the renames leaves the older checkpoints as they were.
     */
    public Writing begin(final ReadModels models) throws IOException
    {
        final Thread previous = durableStep;
        if (previous != null && previous.isAlive())
        {
            return null;
        }
        Files.createDirectories(directory);
        final Path tmp = directory.resolve(NAME + ".tmp");
        final FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
        final Writing writing = new Writing(channel, tmp, models.position());
        try
        {
            final CheckpointOutput out = output.reset(channel);
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            writing.state = models.stateWriter(out);
        }
        catch (final IOException | RuntimeException e)
        {
            writing.abandon();
            throw e;
        }
        return writing;
    }

    /**
     * A checkpoint being written (between slices the thread may answer queries: a million-order
     * checkpoint written at once held the projection thread for about half a second).
     */
    public final class Writing
    {
        private final FileChannel channel;
        private final Path tmp;
        private final long position;
        private StateWriter state;

        private Writing(final FileChannel channel, final Path tmp, final long position)
        {
            this.channel = channel;
            this.tmp = tmp;
            this.position = position;
        }

        /**
         * Writes about {@code items} more orders' worth; true once all is written and the
         * fsync and renames have been handed to their thread. On an exception the checkpoint is
         * abandoned (its temporary file deleted).
         */
        public boolean writeSome(final int items) throws IOException
        {
            try
            {
                if (!state.writeSome(items))
                {
                    return false;
                }
                output.flush();
                final ByteBuffer trailer = ByteBuffer.allocate(Long.BYTES).putLong(0, output.checksum());
                while (trailer.hasRemaining())
                {
                    channel.write(trailer);
                }
            }
            catch (final IOException | RuntimeException e)
            {
                abandon();
                throw e;
            }
            final Thread step = new Thread(() -> makeDurable(channel, tmp, position), "read-models-checkpoint");
            step.setDaemon(true);
            durableStep = step;
            step.start();
            return true;
        }

        /** Gives the checkpoint up: its file is closed and deleted, the older ones stay. */
        public void abandon()
        {
            try
            {
                channel.close();
                Files.deleteIfExists(tmp);
            }
            catch (final IOException ignored)
            {
                // the next checkpoint truncates it
            }
        }
    }

    private void makeDurable(final FileChannel channel, final Path tmp, final long position)
    {
        try
        {
            try (channel)
            {
                channel.force(true);
            }
            final Path current = directory.resolve(NAME);
            if (Files.exists(current))
            {
                Files.move(current, directory.resolve(NAME + ".prev"), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(tmp, current, StandardCopyOption.ATOMIC_MOVE);
            neededFrom = lastPosition; // the checkpoint that became ".prev"
            lastPosition = position;
        }
        catch (final IOException | RuntimeException e)
        {
            failure = e instanceof IOException ? (IOException)e : new IOException(e.getMessage(), e);
        }
    }

    /** Waits for the checkpoint last written to be durable and in place; throws what stopped it, once. */
    public void awaitDurable() throws IOException
    {
        final Thread step = durableStep;
        if (step != null)
        {
            boolean interrupted = false;
            while (step.isAlive())
            {
                try
                {
                    step.join();
                }
                catch (final InterruptedException e)
                {
                    interrupted = true;
                }
            }
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
        final IOException failed = takeFailure();
        if (failed != null)
        {
            throw failed;
        }
    }

    /** Why the last checkpoint could not be made durable or put in place, once; null if nothing failed. */
    public IOException takeFailure()
    {
        final IOException failed = failure;
        if (failed != null)
        {
            failure = null;
        }
        return failed;
    }

    /**
     * Loads the newest valid checkpoint.
     *
     * @param warnings receives one line per checkpoint that could not be used.
     * @return models restored from a checkpoint, or fresh ones (rebuild from the start) if none is usable.
     */
    public ReadModels load(final java.util.function.Consumer<String> warnings)
    {
        final Path newest = directory.resolve(NAME);
        final Path older = directory.resolve(NAME + ".prev");
        boolean newestUnusable = false;
        lastPosition = dev.bourse.journal.JournalTailer.START;
        neededFrom = dev.bourse.journal.JournalTailer.START; // one usable checkpoint, or none: a rebuild may need everything
        for (final Path file : new Path[]{newest, older})
        {
            if (!Files.exists(file))
            {
                continue;
            }
            try
            {
                final ReadModels loaded = read(file, zone);
                lastPosition = loaded.position();
                if (file == newest)
                {
                    // a restart may fall back to ".prev" if this one becomes unusable: retention keeps what that needs
                    final long fallback = positionOf(older);
                    neededFrom = fallback >= 0 ? Math.min(fallback, lastPosition) : dev.bourse.journal.JournalTailer.START;
                }
                else if (newestUnusable)
                {
                    // the next save would make the unusable one ".prev": set it aside, this one is the newest now
                    setAside(newest, warnings);
                    Files.move(older, newest, StandardCopyOption.ATOMIC_MOVE);
                }
                return loaded;
            }
            catch (final IOException | RuntimeException e)
            {
                if (file == newest)
                {
                    newestUnusable = true;
                }
                warnings.accept("read models: checkpoint " + file + " is unusable (" + e.getMessage() + "), trying an older one");
            }
        }
        return new ReadModels(zone);
    }

    private static void setAside(final Path unusable, final java.util.function.Consumer<String> warnings) throws IOException
    {
        final Path aside = unusable.resolveSibling(NAME + ".unusable");
        Files.move(unusable, aside, StandardCopyOption.REPLACE_EXISTING);
        warnings.accept("read models: the unusable checkpoint is kept as " + aside + " for inspection");
    }

    /** The journal position a checkpoint file starts from (read from its head), or -1 if it is missing or not one. */
    static long positionOf(final Path file)
    {
        if (!Files.exists(file))
        {
            return -1;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 64)))
        {
            if (in.readInt() != MAGIC || in.readInt() != VERSION)
            {
                return -1;
            }
            return in.readLong();
        }
        catch (final IOException e)
        {
            return -1;
        }
    }

    static ReadModels read(final Path file, final java.time.ZoneId zone) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final long size = channel.size();
            if (size < 2 * Integer.BYTES + Long.BYTES)
            {
                throw new IOException("truncated");
            }
            final CheckpointInput in = new CheckpointInput(channel, size - Long.BYTES);
            if (in.readInt() != MAGIC)
            {
                throw new IOException("not a read-model checkpoint");
            }
            final int version = in.readInt();
            if (version != VERSION)
            {
                throw new IOException("unsupported checkpoint version " + version);
            }
            final ReadModels models = new ReadModels(zone);
            models.readFrom(in);
            if (in.remaining() != 0 || storedChecksum(channel, size) != in.checksum())
            {
                throw new IOException("checksum mismatch");
            }
            return models;
        }
        catch (final EOFException e)
        {
            throw new IOException("truncated");
        }
    }

    /** The CRC trailer: the file's last 8 bytes. */
    private static long storedChecksum(final FileChannel channel, final long size) throws IOException
    {
        final ByteBuffer trailer = ByteBuffer.allocate(Long.BYTES);
        while (trailer.hasRemaining())
        {
            if (channel.read(trailer, size - Long.BYTES + trailer.position()) < 0)
            {
                throw new EOFException();
            }
        }
        return trailer.getLong(0);
    }
}
