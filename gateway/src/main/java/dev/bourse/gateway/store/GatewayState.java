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
    private static final int SIZE = 4096;

    private final MappedByteBuffer map;
    private final UnsafeBuffer buffer;

    public GatewayState(final Path directory)
    {
        refuseIfDamaged(directory);
        try
        {
            Files.createDirectories(directory);
            try (FileChannel channel = FileChannel.open(
                directory.resolve("gateway.state"), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE))
            {
                AllocatedFiles.allocate(channel, directory.resolve("gateway.state"), SIZE); // a full disk: an exception, not a SIGBUS
                map = channel.map(FileChannel.MapMode.READ_WRITE, 0, SIZE);
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
        refuseIfDamaged(directory);
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

    /**
     * Refuses ({@link DamagedStoreException}) a {@code gateway.state} that is missing, empty, short,
     * without its magic number or with a field no gateway writes, when a session store that was
     * used is beside it: without the position it would send every execution report in the journal
     * again, under new MsgSeqNums. No crash leaves that: the file is made whole (created, given its
     * 4 KiB, then its fields and the magic number last) when the gateway starts for the first time,
     * before any Logon can make a session store, and afterwards it never shrinks and each field is
     * one aligned int or long written whole. So a crash of the first start leaves it damaged with no
     * session store beside it, which is a first start again: it is made afresh, as before.
     */
    static void refuseIfDamaged(final Path directory)
    {
        final Path file = directory.resolve("gateway.state");
        final String problem;
        try
        {
            problem = problem(file);
            if (problem == null)
            {
                return;
            }
            final Path store = usedSessionStore(directory);
            if (store != null)
            {
                throw new DamagedStoreException("the FIX gateway's state " + file + " " + problem + ", but session stores are beside it ("
                    + store + " and any others in " + directory + "): it records how far the journal's execution reports were sent, and"
                    + " without it every report in the journal would be sent again as new. Restore it from a backup, with the session"
                    + " stores of the same copy (OPERATIONS.md \"Backups\"), or move " + directory + " (gateway.session-dir) away"
                    + " whole to start every FIX session afresh at MsgSeqNum 1, and tell the firms (their earlier messages cannot be"
                    + " resent); the exchange does not start");
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** What is wrong with the gateway.state {@code file}, or null if nothing is. */
    private static String problem(final Path file) throws IOException
    {
        if (!Files.exists(file))
        {
            return "is missing";
        }
        final byte[] bytes = Files.readAllBytes(file);
        if (bytes.length == 0)
        {
            return "is empty";
        }
        if (bytes.length < SIZE)
        {
            return "is " + bytes.length + " bytes, shorter than the " + SIZE + " of its format: it was cut short";
        }
        final UnsafeBuffer read = new UnsafeBuffer(bytes);
        if (read.getInt(0) != MAGIC)
        {
            return String.format("does not begin with the gateway state's magic number (0x%08x where 0x%08x belongs)", read.getInt(0), MAGIC);
        }
        if (read.getInt(NEXT_SESSION_ID) < 1)
        {
            return "holds next session id " + read.getInt(NEXT_SESSION_ID) + ", which no gateway writes";
        }
        if (read.getInt(HAS_POSITION) != 0 && read.getInt(HAS_POSITION) != 1)
        {
            return "holds " + read.getInt(HAS_POSITION) + " where a flag of 0 or 1 belongs";
        }
        return null;
    }

    /** A session store in {@code directory} that was used ({@link SessionStoreCheck#wasUsed}), or null. */
    private static Path usedSessionStore(final Path directory) throws IOException
    {
        if (!Files.isDirectory(directory))
        {
            return null;
        }
        try (java.util.stream.Stream<Path> dirs = Files.list(directory))
        {
            for (final Path dir : (Iterable<Path>)dirs.sorted()::iterator)
            {
                // a name beginning with '.' is no CompID: a released store being deleted
                if (Files.isDirectory(dir) && !dir.getFileName().toString().startsWith(".") && SessionStoreCheck.wasUsed(dir))
                {
                    return dir;
                }
            }
        }
        return null;
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
