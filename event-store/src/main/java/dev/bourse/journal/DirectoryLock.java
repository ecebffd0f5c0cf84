package dev.bourse.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One writer per directory: an exclusive lock on {@code exchange.lock} in it, held while the
 * process runs and released by the operating system however the process ends (a SIGKILL too).
 * Without it a second exchange started on the same data directory recovered, ran beside the first
 * and wrote into the same journal: two entries with one sequence number, and the second's dropped at
 * the next full replay. Here, beside the journal, so that every module that writes a directory (the
 * exchange's, a read-models process's checkpoints) takes the same lock.
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
     * Takes the lock of {@code dir} (an existing directory) for an exchange, named {@code key} in the
     * message if another process holds it. Each directory the exchange writes is locked itself,
     * under data.dir or not: a journal.dir inside one exchange's data.dir, given to a second exchange
     * with a data.dir of its own, was locked by neither, and the second recovered it and wrote into it
     * beside the first, two entries with one sequence number (an outside probe).
     */
    public static DirectoryLock acquire(final Path dir, final String key) throws IOException
    {
        return acquire(dir, key, "another exchange process");
    }

    /** As {@link #acquire(Path, String)}, saying who may hold it ({@code holder}) in the message. */
    public static DirectoryLock acquire(final Path dir, final String key, final String holder) throws IOException
    {
        final Path file = dir.resolve(FILE_NAME);
        return acquireFile(file, key, key + " " + dir + " is in use by " + holder + " (" + file
            + " is locked): stop that one first, or give this one its own " + key);
    }

    /**
     * The same lock on one file of its own ({@code file}, created if missing) rather than a
     * directory's: a file written by one process that may sit in a directory nobody locks (an
     * embedded history store).
     *
     * @throws IllegalStateException with {@code refusal} as its message while another process, or
     *                               another holder in this one, holds it
     */
    public static DirectoryLock acquireFile(final Path file, final String key, final String refusal) throws IOException
    {
        final FileChannel channel;
        try
        {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        }
        catch (final IOException e)
        {
            throw cannotWrite(key, file, e);
        }
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
            throw new IllegalStateException(refusal);
        }
        try
        {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
        }
        catch (final IOException e)
        {
            channel.close(); // releases the lock with it
            throw cannotWrite(key, file, e);
        }
        return new DirectoryLock(channel, lock);
    }

    /**
     * The key and the file with the reason: on a full disk the kernel's "No space left on device"
     * was all a refused start said (an outside probe). No cause, as the start's one line would
     * print the cause's message alone.
     */
    private static IOException cannotWrite(final String key, final Path file, final IOException e)
    {
        final String reason = e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null ? fs.getReason() : e.getMessage();
        return new IOException(key + ": cannot write " + file + " (" + reason + ")");
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
