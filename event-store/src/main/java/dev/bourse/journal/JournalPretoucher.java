package dev.bourse.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.bytes.MappedBytesStore;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.posix.PosixAPI;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Prepares the journal's pages a little ahead of where the engine appends, on a thread of its
 * own, so the engine's writes land on pages that are already mapped and writable.
 * <p>
 * Why: the journal is a memory-mapped file and new pages of a file are holes. The first write to
 * each one faults: the kernel zero-fills it, ext4 reserves its block, and the page table gets an
 * entry. A profile of {@code bench journal} put a third of the engine thread's time there, and
 * writing 32 MiB to fresh pages of a mapping took 9x as long as to prepared ones on this VM.
 * <p>
 * Two ways, the first that works:
 * <ul>
 * <li><b>populate</b> (Linux 5.14 and later): {@code madvise(MADV_POPULATE_WRITE)} on the engine's
 * own mapping, the range Chronicle has mapped ahead of the append position. The kernel does all
 * of a write fault here, page table entry included, and the engine takes no fault at all. It
 * never writes a byte: on a range that is no longer mapped it fails with ENOMEM, harmlessly, so a
 * stale address (the writer moved to another chunk) cannot corrupt anything.</li>
 * <li><b>read</b>: plain {@code read()} calls on the file, so at least the zero-filling happens
 * here; the engine's fault then only maps the page. Not a mapping of our own: a read past the
 * end of the file returns nothing, where a mapped read would crash the process.</li>
 * </ul>
 * Either way a pretoucher that falls behind or stops costs only what it would have saved.
 */
final class JournalPretoucher implements AutoCloseable
{
    /** {@code MADV_POPULATE_WRITE} from linux/mman.h. */
    static final int MADV_POPULATE_WRITE = 23;
    private static final int EINVAL = 22;
    private static final long PAGE = 4096;
    private static final int STEP_BYTES = 256 * 1024;
    // 5 ms when ahead: even 800 MB/s of appends moves 4 MiB in that time, inside the default 8 MiB
    // ahead. Each wake-up costs: 0.2 ms woke this thread 3,700 times a second beside an order path at
    // 1,600/s, and on a VM a wake-up of an idle vCPU also costs the host (BENCHMARKS.md, 2026-12-02).
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final long aheadBytes;
    private final Consumer<String> log;
    private final Thread thread;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(STEP_BYTES);
    private final PosixAPI posix;

    // the writer's side (engine thread only): the chunk or file of the last append
    private BytesStore<?, ?> chunk;
    private long chunkStart;
    private long chunkBase;
    private long chunkEnd;
    private int appenderCycle = Integer.MIN_VALUE;
    private File appenderFile;

    // read mode: the file and the offset appended up to
    private volatile File file;
    private volatile long position;

    // populate mode: the address appended up to and the end of the chunk mapped around it, as a
    // pair under a sequence lock (odd while the writer changes them) so both come from one chunk
    private volatile long mappingVersion;
    private volatile long address;
    private volatile long mappedEnd;

    private volatile boolean running = true;
    private volatile boolean populating;
    private volatile long touchedBytes;

    JournalPretoucher(final long aheadBytes, final boolean mayPopulate, final Consumer<String> log)
    {
        this.aheadBytes = aheadBytes;
        this.log = log;
        this.posix = mayPopulate ? populateWorks() : null;
        this.populating = posix != null;
        thread = new Thread(this::run, "journal-pretouch");
        thread.setDaemon(true);
        thread.start();
    }

    /** The platform's madvise if it knows MADV_POPULATE_WRITE (tried on a page of our own), else null. */
    private static PosixAPI populateWorks()
    {
        try
        {
            final PosixAPI posix = PosixAPI.posix();
            if (posix.getClass().getName().contains("NoOp"))
            {
                return null;
            }
            final ByteBuffer probe = ByteBuffer.allocateDirect((int)(2 * PAGE));
            final long base = org.agrona.BufferUtil.address(probe);
            final long aligned = (base + PAGE - 1) & -PAGE;
            return posix.madvise(aligned, PAGE, MADV_POPULATE_WRITE) == 0 ? posix : null;
        }
        catch (final Throwable t)
        {
            return null;
        }
    }

    /** Which way it prepares pages: "populate" or "read". */
    String mode()
    {
        return populating ? "populate" : "read";
    }

    /**
     * The writer's side, on the engine thread after each document: it appended up to
     * {@code bytes.writePosition()} (a file offset) of the appender's current file. Populate mode
     * wants that as an address in the mapped chunk, read mode as a file and an offset; each is
     * looked up once per chunk or file, not per document.
     */
    void appended(final ExcerptAppender appender, final Bytes<?> bytes)
    {
        final long fileOffset = bytes.writePosition();
        if (populating)
        {
            final BytesStore<?, ?> store = bytes.bytesStore();
            if (store instanceof MappedBytesStore)
            {
                if (store != chunk)
                {
                    final MappedBytesStore mapped = (MappedBytesStore)store;
                    chunk = store;
                    chunkStart = mapped.start();
                    chunkBase = mapped.addressForWrite(chunkStart);
                    chunkEnd = chunkBase + (mapped.safeLimit() - chunkStart);
                }
                mappedAt(chunkBase + (fileOffset - chunkStart), chunkEnd);
            }
            return;
        }
        final int cycle = appender.cycle();
        if (cycle != appenderCycle)
        {
            appenderCycle = cycle;
            appenderFile = appender.currentFile();
        }
        if (appenderFile != null)
        {
            file = appenderFile;
            position = fileOffset;
        }
    }

    /** Populate mode: the writer appended up to {@code appendAddress}; its mapping goes on to {@code end}. */
    private void mappedAt(final long appendAddress, final long end)
    {
        if (end != mappedEnd)
        {
            final long version = mappingVersion;
            mappingVersion = version + 1;
            mappedEnd = end;
            address = appendAddress;
            mappingVersion = version + 2;
        }
        else
        {
            address = appendAddress;
        }
    }

    /** Bytes prepared ahead so far (for tests and the benchmark). */
    long touchedBytes()
    {
        return touchedBytes;
    }

    private void run()
    {
        if (populating && !populate())
        {
            return;
        }
        read();
    }

    /** @return false when it stopped for good, true to fall back to reading. */
    private boolean populate()
    {
        long chunkEnd = 0;
        long populated = 0;
        while (running)
        {
            final long version = mappingVersion;
            final long at = address;
            final long end = mappedEnd;
            if ((version & 1) != 0 || version != mappingVersion || at == 0)
            {
                LockSupport.parkNanos(IDLE_NANOS);
                continue;
            }
            if (end != chunkEnd)
            {
                chunkEnd = end;
                populated = 0;
            }
            final long from = Math.max(populated, at & -PAGE);
            final long to = Math.min(at + aheadBytes, end) & -PAGE;
            if (from >= to)
            {
                LockSupport.parkNanos(IDLE_NANOS);
                continue;
            }
            final long length = Math.min(STEP_BYTES, to - from);
            if (posix.madvise(from, length, MADV_POPULATE_WRITE) != 0 && posix.lastError() == EINVAL)
            {
                log.accept("journal: madvise(MADV_POPULATE_WRITE) refused (errno EINVAL); the pretouch thread reads ahead instead");
                populating = false;
                return true;
            }
            // any other failure (ENOMEM: the chunk was unmapped meanwhile) just skips the range
            populated = from + length;
            touchedBytes += length;
        }
        return false;
    }

    private void read()
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
                buffer.limit((int)Math.min(STEP_BYTES, to - from));
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
