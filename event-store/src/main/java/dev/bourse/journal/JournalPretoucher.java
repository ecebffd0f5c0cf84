package dev.bourse.journal;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Reads the journal's current file a little ahead of where the engine appends, on a thread of its
 * own, so the engine's writes land on pages already in the page cache.
 * <p>
 * Why: the journal is a memory-mapped file and new pages of a file are holes. The first touch of
 * each one faults, and the kernel zero-fills it (whole large folios at a time) before the write
 * goes in: a profile of {@code bench journal} put about a third of the engine thread's time in
 * that zeroing. Read here first, the page is zeroed on this thread and the engine's fault only
 * maps it. Plain {@code read()} calls, not a mapping of our own: a read past the end of the file
 * returns nothing, where a mapped read would crash the process. It only reads: it never changes
 * the journal, and a pretoucher that falls behind or stops costs only what it would have saved.
 */
final class JournalPretoucher implements AutoCloseable
{
    private static final int READ_BYTES = 256 * 1024;
    private static final long IDLE_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private final long aheadBytes;
    private final Consumer<String> log;
    private final Thread thread;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(READ_BYTES);
    private volatile File file;
    private volatile long position;
    private volatile boolean running = true;
    private volatile long touchedBytes;

    JournalPretoucher(final long aheadBytes, final Consumer<String> log)
    {
        this.aheadBytes = aheadBytes;
        this.log = log;
        thread = new Thread(this::run, "journal-pretouch");
        thread.setDaemon(true);
        thread.start();
    }

    /** The writer's position: it appended up to {@code offset} of {@code current} (the same File object until the cycle rolls). */
    void appended(final File current, final long offset)
    {
        file = current;
        position = offset;
    }

    /** Bytes read ahead so far (for tests and the benchmark). */
    long touchedBytes()
    {
        return touchedBytes;
    }

    private void run()
    {
        File open = null;
        FileChannel channel = null;
        long touched = 0;
        try
        {
            while (running)
            {
                final File current = file;
                if (current == null)
                {
                    LockSupport.parkNanos(IDLE_NANOS);
                    continue;
                }
                if (current != open)
                {
                    closeQuietly(channel);
                    channel = FileChannel.open(current.toPath(), StandardOpenOption.READ);
                    open = current;
                    touched = 0;
                }
                final long from = Math.max(touched, position);
                final long to = position + aheadBytes;
                if (from >= to)
                {
                    LockSupport.parkNanos(IDLE_NANOS);
                    continue;
                }
                buffer.clear();
                buffer.limit((int)Math.min(READ_BYTES, to - from));
                final int read = channel.read(buffer, from);
                if (read <= 0)
                {
                    touched = from; // the end of the file: Chronicle grows it when it maps the next block
                    LockSupport.parkNanos(IDLE_NANOS);
                    continue;
                }
                touched = from + read;
                touchedBytes += read;
            }
        }
        catch (final IOException | RuntimeException e)
        {
            log.accept("journal: the pretouch thread stopped (" + e + "); appends go on without it");
        }
        finally
        {
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(final FileChannel channel)
    {
        if (channel != null)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignore)
            {
                // read-only
            }
        }
    }

    @Override
    public void close()
    {
        running = false;
        LockSupport.unpark(thread);
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }
}
