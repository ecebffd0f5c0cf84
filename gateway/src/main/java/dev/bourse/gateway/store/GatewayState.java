package dev.bourse.gateway.store;

import dev.bourse.journal.AllocatedFiles;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Gateway-wide persistent counters in {@code gateway.state}: the next engine session id to hand
 * out and the journal position up to which execution reports were produced (so a restarted
 * gateway re-reads the journal for symbols but does not report old events twice).
 */
public final class GatewayState implements AutoCloseable
{
    private static final int MAGIC = 0x46495847;
    private static final int NEXT_SESSION_ID = 4;
    private static final int HAS_POSITION = 8;
    private static final int REPORTED_POSITION = 16;

    private final MappedByteBuffer map;
    private final UnsafeBuffer buffer;

    public GatewayState(final Path directory)
    {
        try
        {
            Files.createDirectories(directory);
            try (FileChannel channel = FileChannel.open(
                directory.resolve("gateway.state"), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE))
            {
                AllocatedFiles.allocate(channel, directory.resolve("gateway.state"), 4096); // a full disk: an exception, not a SIGBUS
                map = channel.map(FileChannel.MapMode.READ_WRITE, 0, 4096);
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot open " + directory.resolve("gateway.state") + ": " + e.getMessage(), e);
        }
        buffer = new UnsafeBuffer(map);
        if (buffer.getInt(0) != MAGIC)
        {
            buffer.putInt(NEXT_SESSION_ID, 1);
            buffer.putInt(HAS_POSITION, 0);
            buffer.putInt(0, MAGIC);
        }
    }

    /**
     * The journal position up to which the gateway whose state is in {@code directory} produced
     * execution reports, read without creating or changing anything; -1 if it has none (no state
     * file, or none produced yet). A witness of the journal, as the read models' checkpoint is.
     */
    public static long reportedPosition(final Path directory)
    {
        final Path file = directory.resolve("gateway.state");
        if (!Files.isRegularFile(file))
        {
            return -1;
        }
        try
        {
            final UnsafeBuffer read = new UnsafeBuffer(Files.readAllBytes(file));
            return read.capacity() >= REPORTED_POSITION + 8 && read.getInt(0) == MAGIC && read.getInt(HAS_POSITION) != 0
                ? read.getLong(REPORTED_POSITION) : -1;
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public int allocateSessionId()
    {
        final int id = buffer.getInt(NEXT_SESSION_ID);
        buffer.putInt(NEXT_SESSION_ID, id + 1);
        return id;
    }

    /** Makes sure ids handed out later are above {@code id} (a store found on disk). */
    public void sessionIdSeen(final int id)
    {
        if (buffer.getInt(NEXT_SESSION_ID) <= id)
        {
            buffer.putInt(NEXT_SESSION_ID, id + 1);
        }
    }

    public boolean hasReportedPosition()
    {
        return buffer.getInt(HAS_POSITION) != 0;
    }

    public long reportedPosition()
    {
        return buffer.getLong(REPORTED_POSITION);
    }

    public void reportedPosition(final long position)
    {
        buffer.putLong(REPORTED_POSITION, position);
        buffer.putInt(HAS_POSITION, 1);
    }

    @Override
    public void close()
    {
        IoUtil.unmap(map);
    }
}
