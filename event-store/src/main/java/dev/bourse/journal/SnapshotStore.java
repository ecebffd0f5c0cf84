package dev.bourse.journal;

import dev.bourse.engine.BufferStateIO;
import dev.bourse.engine.EngineConfig;
import dev.bourse.engine.EngineSnapshot;
import dev.bourse.engine.EngineState;
import dev.bourse.engine.StateOutput;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Engine snapshots on disk, one file each: a fixed header (magic, format, engine sequence, the
 * journal index the snapshot includes, body length, CRC32C of the body) and the engine's canonical
 * snapshot bytes ({@link EngineSnapshot}).
 * <p>
 * A snapshot is written to a temporary file, forced to disk, then renamed into place, so a crash
 * mid-write leaves no file that looks complete; a file that is damaged later fails its checksum
 * and recovery falls back to an older snapshot or to a full replay.
 */
public final class SnapshotStore
{
    static final int MAGIC = 0x42534E50; // "BSNP"
    static final int FORMAT = 1;
    static final int HEADER_LENGTH = 48;
    private static final String PREFIX = "snapshot-";
    private static final String SUFFIX = ".snap";

    private final Path dir;
    private final int keep;
    /** Reused by every {@link #write} (one at a time): a snapshot allocates no large arrays or buffers. */
    private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    /** Snapshot files found whole with a matching checksum, with the size and time they had then. */
    private final Map<Path, long[]> knownIntact = new HashMap<>();

    /**
     * @param dir  where snapshot files live (created if missing).
     * @param keep how many of the newest intact snapshots to keep (at least 1; older ones are
     *             deleted after each new one is in place). Keeping two or more leaves a fallback.
     */
    public SnapshotStore(final Path dir, final int keep)
    {
        if (keep < 1)
        {
            throw new JournalException("snapshots to keep must be at least 1, was " + keep);
        }
        this.dir = dir;
        this.keep = keep;
        try
        {
            Files.createDirectories(dir);
        }
        catch (final IOException e)
        {
            throw new JournalException("cannot create snapshot directory " + dir + ": " + e, e);
        }
        if (!Files.isWritable(dir))
        {
            throw new JournalException("snapshot directory " + dir + " is not writable");
        }
    }

    public Path dir()
    {
        return dir;
    }

    /** What a snapshot file says about itself (from its header; {@link #load} checks the body). */
    public record Info(Path file, long sequence, long journalPosition, long bodyLength)
    {
    }

    /** A loaded, verified snapshot. */
    public record Loaded(Info info, EngineState state)
    {
    }

    /**
     * Writes a snapshot of {@code state}, which includes every journal entry up to and including
     * {@code journalPosition}, then deletes all but the newest {@code keep}.
     */
    public synchronized Info write(final EngineState state, final long journalPosition) throws IOException
    {
        final long sequence = state.lastSequence();
        final Path target = dir.resolve(fileName(sequence));
        final Path temp = dir.resolve(fileName(sequence) + ".tmp");
        final long bodyLength;
        try (FileChannel channel = FileChannel.open(temp,
            StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))
        {
            final ChannelStateOutput out = new ChannelStateOutput(channel, HEADER_LENGTH, writeBuffer);
            EngineSnapshot.write(state, out);
            out.flush();
            bodyLength = out.bodyLength();
            final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            header.putInt(MAGIC).putInt(FORMAT).putLong(sequence).putLong(journalPosition)
                .putLong(bodyLength).putLong(out.checksum()).putLong(0L);
            header.flip();
            channel.write(header, 0);
            channel.force(true);
        }
        catch (final IOException | RuntimeException e)
        {
            // a full disk: the part written goes, or each failed attempt kept what the operator is freeing (an outside tester)
            try
            {
                Files.deleteIfExists(temp);
            }
            catch (final IOException suppressed)
            {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        try
        {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final AtomicMoveNotSupportedException e)
        {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory();
        rememberIntact(target);
        deleteAllButNewest(keep);
        return new Info(target, sequence, journalPosition, bodyLength);
    }

    /** Snapshot files whose header is readable, newest (highest sequence) first. */
    public List<Info> list()
    {
        return list(dir);
    }

    /**
     * The snapshots in {@code dir}, newest first, read without creating or changing anything there
     * (journal verify reads a data directory it must not touch).
     */
    public static List<Info> list(final Path dir)
    {
        final List<Info> infos = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX))
        {
            for (final Path file : files)
            {
                final Info info = readHeader(file);
                if (info != null)
                {
                    infos.add(info);
                }
            }
        }
        catch (final IOException e)
        {
            throw new JournalException("cannot list snapshots in " + dir + ": " + e, e);
        }
        infos.sort(Comparator.comparingLong(Info::sequence).reversed());
        return infos;
    }

    /**
     * Snapshot files in {@code dir} whose header cannot be read (cut short, zeroed, another format):
     * {@link #list} leaves them out, and recovery names them rather than pass over them in silence.
     */
    public static List<Path> unreadable(final Path dir)
    {
        final List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> snapshots = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX))
        {
            for (final Path file : snapshots)
            {
                if (readHeader(file) == null)
                {
                    files.add(file);
                }
            }
        }
        catch (final IOException e)
        {
            throw new JournalException("cannot list snapshots in " + dir + ": " + e, e);
        }
        files.sort(Comparator.comparing(Path::getFileName).reversed());
        return files;
    }

    /**
     * Reads and verifies one snapshot: header, length, checksum and the engine's own end marker.
     *
     * @throws JournalException naming the file and what is wrong with it.
     */
    public static Loaded load(final Info info, final EngineConfig config)
    {
        final Path file = info.file();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final long size = channel.size();
            if (size != HEADER_LENGTH + info.bodyLength())
            {
                throw new JournalException("snapshot " + file + " is " + size + " bytes, its header says "
                    + (HEADER_LENGTH + info.bodyLength()) + " (partial write?)");
            }
            if (info.bodyLength() > Integer.MAX_VALUE)
            {
                throw new JournalException("snapshot " + file + " is larger than 2 GiB");
            }
            final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            try
            {
                final long storedChecksum = mapped.order(ByteOrder.LITTLE_ENDIAN).getLong(32);
                final CRC32C crc = new CRC32C();
                crc.update(mapped.slice(HEADER_LENGTH, (int)info.bodyLength()));
                if (crc.getValue() != storedChecksum)
                {
                    throw new JournalException("snapshot " + file + " fails its checksum (corrupt)");
                }
                final UnsafeBuffer body = new UnsafeBuffer(mapped, HEADER_LENGTH, (int)info.bodyLength());
                final EngineState state;
                try
                {
                    state = EngineSnapshot.read(new BufferStateIO.Input(body, 0, body.capacity()), config);
                }
                catch (final RuntimeException e)
                {
                    throw new JournalException("snapshot " + file + " does not decode: " + e.getMessage(), e);
                }
                if (state.lastSequence() != info.sequence())
                {
                    throw new JournalException("snapshot " + file + " holds sequence " + state.lastSequence()
                        + " but its header says " + info.sequence());
                }
                return new Loaded(info, state);
            }
            finally
            {
                IoUtil.unmap(mapped);
            }
        }
        catch (final IOException e)
        {
            throw new JournalException("cannot read snapshot " + file + ": " + e, e);
        }
    }

    /** The header of a snapshot file, or null if it is too short or not a snapshot of this format. */
    static Info readHeader(final Path file)
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            while (header.hasRemaining())
            {
                if (channel.read(header) < 0)
                {
                    return null;
                }
            }
            header.flip();
            if (header.getInt() != MAGIC || header.getInt() != FORMAT)
            {
                return null;
            }
            final long sequence = header.getLong();
            final long journalPosition = header.getLong();
            final long bodyLength = header.getLong();
            return bodyLength < 0 ? null : new Info(file, sequence, journalPosition, bodyLength);
        }
        catch (final IOException e)
        {
            return null;
        }
    }

    /**
     * Keeps the newest {@code count} intact snapshots and deletes the ones older than those. A
     * damaged one (cut short, failing its checksum) does not count: with it counted, a keep of 2
     * and a damaged newest but one left a single usable snapshot, though the operator asked for a
     * fallback. Damaged files newer than the oldest kept one stay (recovery names and skips them)
     * until they fall behind it.
     */
    private void deleteAllButNewest(final int count) throws IOException
    {
        final List<Info> infos = list();
        int intact = 0;
        for (final Info info : infos)
        {
            if (intact >= count)
            {
                Files.deleteIfExists(info.file());
                knownIntact.remove(info.file());
            }
            else if (isIntact(info))
            {
                intact++;
            }
        }
        // Temporary files left by a crash mid-write are never valid: remove them.
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX + ".tmp"))
        {
            for (final Path temp : temps)
            {
                Files.deleteIfExists(temp);
            }
        }
    }

    /**
     * Whether a snapshot's body is whole and matches its checksum. Each file is read once per
     * process (a snapshot this store wrote is known intact), so keeping snapshots costs no reading
     * of every kept file at every write; a file changed since (other size or time) is read again.
     */
    private boolean isIntact(final Info info)
    {
        final Path file = info.file();
        final long[] stamp = stamp(file);
        if (stamp == null)
        {
            return false;
        }
        if (java.util.Arrays.equals(stamp, knownIntact.get(file)))
        {
            return true;
        }
        final boolean intact = stamp[0] == HEADER_LENGTH + info.bodyLength() && checksumMatches(file, info.bodyLength());
        if (intact)
        {
            knownIntact.put(file, stamp);
        }
        return intact;
    }

    private void rememberIntact(final Path file)
    {
        final long[] stamp = stamp(file);
        if (stamp == null)
        {
            knownIntact.remove(file); // read again at the next count
        }
        else
        {
            knownIntact.put(file, stamp);
        }
    }

    /** A file's size and modification time (milliseconds), which a change to it moves; null if unreadable. */
    private static long[] stamp(final Path file)
    {
        try
        {
            return new long[] {Files.size(file), Files.getLastModifiedTime(file).toMillis()};
        }
        catch (final IOException e)
        {
            return null;
        }
    }

    private static boolean checksumMatches(final Path file, final long bodyLength)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            buffer.limit(Long.BYTES);
            if (channel.read(buffer, 32) < Long.BYTES) // the header's checksum field
            {
                return false;
            }
            final long stored = buffer.getLong(0);
            final CRC32C crc = new CRC32C();
            long position = HEADER_LENGTH;
            final long end = HEADER_LENGTH + bodyLength;
            while (position < end)
            {
                buffer.clear().limit((int)Math.min(buffer.capacity(), end - position));
                final int read = channel.read(buffer, position);
                if (read < 0)
                {
                    return false;
                }
                buffer.flip();
                crc.update(buffer);
                position += read;
            }
            return crc.getValue() == stored;
        }
        catch (final IOException e)
        {
            return false;
        }
    }

    private void forceDirectory()
    {
        // Makes the rename durable on Linux; not supported everywhere, and not fatal where it is not.
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ))
        {
            channel.force(true);
        }
        catch (final IOException | UnsupportedOperationException ignore)
        {
            // best effort
        }
    }

    static String fileName(final long sequence)
    {
        return String.format("%s%020d%s", PREFIX, sequence, SUFFIX);
    }

    /** Streams snapshot bytes to a file through one reusable direct buffer, checksumming as it goes. */
    private static final class ChannelStateOutput implements StateOutput
    {
        private final FileChannel channel;
        private final ByteBuffer buffer;
        private final CRC32C crc = new CRC32C();
        private long filePosition;
        private long bodyLength;

        ChannelStateOutput(final FileChannel channel, final long start, final ByteBuffer buffer)
        {
            this.channel = channel;
            this.filePosition = start;
            this.buffer = buffer.clear();
        }

        @Override
        public void putLong(final long value)
        {
            ensure(Long.BYTES);
            buffer.putLong(value);
        }

        @Override
        public void putInt(final int value)
        {
            ensure(Integer.BYTES);
            buffer.putInt(value);
        }

        @Override
        public void putByte(final byte value)
        {
            ensure(1);
            buffer.put(value);
        }

        private void ensure(final int bytes)
        {
            if (buffer.remaining() < bytes)
            {
                flush();
            }
        }

        void flush()
        {
            buffer.flip();
            bodyLength += buffer.remaining();
            crc.update(buffer.duplicate());
            try
            {
                while (buffer.hasRemaining())
                {
                    filePosition += channel.write(buffer, filePosition);
                }
            }
            catch (final IOException e)
            {
                throw new JournalException("cannot write snapshot: " + e, e);
            }
            buffer.clear();
        }

        long bodyLength()
        {
            return bodyLength;
        }

        long checksum()
        {
            return crc.getValue();
        }
    }
}
