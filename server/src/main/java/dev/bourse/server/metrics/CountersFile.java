package dev.bourse.server.metrics;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

import dev.bourse.journal.AllocatedFiles;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The exchange's counters in a memory-mapped file, the Aeron way: the server writes them with
 * ordered stores from its own threads, and {@code ./exchange stat} (another process) or the
 * {@code /metrics} endpoint reads them without any coordination. Layout: a 64-byte header (magic,
 * version, metadata and values lengths, owner pid), then Agrona's counter metadata and values.
 */
public final class CountersFile implements AutoCloseable
{
    public static final int MAGIC = 0x42435452; // "BCTR"
    public static final int VERSION = 1;
    private static final int HEADER_LENGTH = 64;

    private final MappedByteBuffer mapped;
    private final CountersManager manager;
    private final CountersReader reader;
    /** While starting: this file's own name, until {@link #publish()} moves it to {@link #publishAs}. */
    private Path startingFile;
    private Path publishAs;

    private CountersFile(final MappedByteBuffer mapped, final CountersManager manager, final CountersReader reader)
    {
        this.mapped = mapped;
        this.manager = manager;
        this.reader = reader;
    }

    /** The file's length for {@code maxCounters} counters (what the start checks data.dir has room for). */
    public static long length(final int maxCounters)
    {
        return HEADER_LENGTH + (long)maxCounters * (CountersReader.METADATA_LENGTH + CountersReader.COUNTER_LENGTH);
    }

    /**
     * Creates (or replaces) the file for a server that will own it, its blocks written before it is
     * mapped: on a full disk this throws an IOException naming the file, where Agrona's mapNewFile
     * zeroed it through the mapping and the process died of SIGBUS (an outside probe).
     */
    public static CountersFile create(final Path file, final int maxCounters) throws IOException
    {
        return create(file, maxCounters, null);
    }

    /**
     * Creates the file of a server that is starting under a name of its own beside {@code file}; it
     * takes {@code file}'s place at {@link #publish()}, once the start went through. A start refused
     * on the way (a journal that does not fit its snapshots, say) leaves the last run's counters for
     * {@code stat} to show, where it replaced them with a refused process's empty ones (an outside
     * tester), and takes its own file away at close.
     */
    public static CountersFile createStarting(final Path file, final int maxCounters) throws IOException
    {
        return create(file.resolveSibling(file.getFileName() + ".starting"), maxCounters, file);
    }

    private static CountersFile create(final Path file, final int maxCounters, final Path publishAs) throws IOException
    {
        final int valuesLength = maxCounters * CountersReader.COUNTER_LENGTH;
        final int metadataLength = maxCounters * CountersReader.METADATA_LENGTH;
        Files.deleteIfExists(file);
        final MappedByteBuffer mapped;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
            StandardOpenOption.WRITE))
        {
            AllocatedFiles.allocate(channel, file, length(maxCounters));
            mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, length(maxCounters));
        }
        final UnsafeBuffer header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
        final UnsafeBuffer metadata = new UnsafeBuffer(mapped, HEADER_LENGTH, metadataLength);
        final UnsafeBuffer values = new UnsafeBuffer(mapped, HEADER_LENGTH + metadataLength, valuesLength);
        header.putInt(4, VERSION);
        header.putInt(8, metadataLength);
        header.putInt(12, valuesLength);
        header.putLong(16, ProcessHandle.current().pid());
        header.putIntVolatile(0, MAGIC);
        final CountersManager manager = new CountersManager(metadata, values);
        final CountersFile created = new CountersFile(mapped, manager, manager);
        created.startingFile = publishAs == null ? null : file;
        created.publishAs = publishAs;
        return created;
    }

    /** A started server's file takes the place of the last run's (a rename: the mapping stays). */
    public void publish() throws IOException
    {
        if (startingFile != null)
        {
            Files.move(startingFile, publishAs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            startingFile = null;
        }
    }

    /** Opens another process's file to read. */
    public static CountersFile openForReading(final Path file)
    {
        if (!Files.isRegularFile(file))
        {
            throw new IllegalArgumentException("no counters file at " + file + " (is the exchange running with this data directory?)");
        }
        final MappedByteBuffer mapped = IoUtil.mapExistingFile(file.toFile(), "counters");
        final UnsafeBuffer header = new UnsafeBuffer(mapped, 0, Math.min(HEADER_LENGTH, mapped.capacity()));
        if (mapped.capacity() < HEADER_LENGTH || header.getIntVolatile(0) != MAGIC || header.getInt(4) != VERSION)
        {
            IoUtil.unmap(mapped);
            throw new IllegalArgumentException(file + " is not a bourse counters file");
        }
        final int metadataLength = header.getInt(8);
        final int valuesLength = header.getInt(12);
        if (HEADER_LENGTH + (long)metadataLength + valuesLength > mapped.capacity())
        {
            IoUtil.unmap(mapped);
            throw new IllegalArgumentException(file + " is truncated");
        }
        final CountersReader reader = new CountersReader(
            new UnsafeBuffer(mapped, HEADER_LENGTH, metadataLength),
            new UnsafeBuffer(mapped, HEADER_LENGTH + metadataLength, valuesLength));
        return new CountersFile(mapped, null, reader);
    }

    /** Null when opened for reading. */
    public CountersManager manager()
    {
        return manager;
    }

    public CountersReader reader()
    {
        return reader;
    }

    public long ownerPid()
    {
        return new UnsafeBuffer(mapped, 0, HEADER_LENGTH).getLong(16);
    }

    @Override
    public void close()
    {
        IoUtil.unmap(mapped);
        if (startingFile != null)
        {
            try
            {
                Files.deleteIfExists(startingFile); // a start that never got through
            }
            catch (final IOException e)
            {
                // left behind: the next start replaces it
            }
        }
    }
}
