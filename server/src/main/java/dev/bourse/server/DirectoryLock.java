package dev.bourse.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One exchange per directory: an exclusive lock on {@code exchange.lock} in it, held while the
 * exchange runs and released by the operating system however the process ends (a SIGKILL too).
 * Without it a second exchange started on the same data directory recovered, ran beside the first
 * and wrote into the same journal: two entries with one sequence number, and the second's dropped at
 * the next full replay.
 */
public final class DirectoryLock implements AutoCloseable
{
    public static final String FILE_NAME = "exchange.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(final FileChannel channel, final FileLock lock)
    {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * The lock of a directory the exchange writes that is not under {@code dataDir} (whose lock covers
     * what is under it), created if missing; null when it is under it. A journal.dir outside data.dir
     * was not locked: a second exchange given the first's journal started and wrote into it, two
     * entries with one sequence number (an outside probe).
     */
    public static DirectoryLock acquireUnlessWithin(final Path dir, final Path dataDir, final String key) throws IOException
    {
        if (dir.toAbsolutePath().normalize().startsWith(dataDir.toAbsolutePath().normalize()))
        {
            return null;
        }
        WritableDirectory.create(dir, key);
        return acquire(dir, key);
    }

    /**
     * Takes the lock of {@code dir} (an existing directory), named {@code key} in the message if
     * another process holds it.
     */
    public static DirectoryLock acquire(final Path dir, final String key) throws IOException
    {
        final Path file = dir.resolve(FILE_NAME);
        final FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = null;
        try
        {
            lock = channel.tryLock();
        }
        catch (final OverlappingFileLockException e)
        {
            // held by this process already (a second exchange in one JVM): the same answer
        }
        if (lock == null)
        {
            channel.close();
            throw new IllegalStateException(key + " " + dir + " is in use by another exchange process (" + file
                + " is locked): stop that one first, or give this one its own " + key);
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
        return new DirectoryLock(channel, lock);
    }

    @Override
    public void close() throws IOException
    {
        try
        {
            lock.release();
        }
        finally
        {
            channel.close();
        }
    }
}
