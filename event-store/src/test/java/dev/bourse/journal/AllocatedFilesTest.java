package dev.bourse.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A file to be mapped gets its blocks for real, so that a full disk is an IOException naming it, not a SIGBUS later. */
class AllocatedFilesTest
{
    @TempDir
    Path dir;

    @Test
    void theFileHasItsLengthInRealBlocksWhereSetLengthLeavesAHole() throws Exception
    {
        final Path sparse = dir.resolve("sparse");
        try (RandomAccessFile file = new RandomAccessFile(sparse.toFile(), "rw"))
        {
            file.setLength(1 << 20);
        }
        final long sparseBytes = allocatedBytes(sparse);
        assumeTrue(sparseBytes >= 0 && sparseBytes < 1 << 20, "this filesystem makes sparse files (or stat is missing)");

        final Path allocated = dir.resolve("allocated");
        try (FileChannel channel = FileChannel.open(allocated, StandardOpenOption.CREATE, StandardOpenOption.WRITE))
        {
            AllocatedFiles.allocate(channel, allocated, 1 << 20);
        }
        assertEquals(1 << 20, Files.size(allocated));
        assertTrue(allocatedBytes(allocated) >= 1 << 20, "blocks: " + allocatedBytes(allocated));
    }

    @Test
    void whatIsThereAlreadyIsKept() throws Exception
    {
        final Path file = dir.resolve("f");
        Files.write(file, new byte[] {1, 2, 3});
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            AllocatedFiles.allocate(channel, file, 100_000);
        }
        final byte[] content = Files.readAllBytes(file);
        assertEquals(100_000, content.length);
        assertArrayEquals(new byte[] {1, 2, 3, 0}, java.util.Arrays.copyOf(content, 4));
    }

    @Test
    void aFullDiskIsAnIOExceptionNamingTheFile() throws Exception
    {
        final Path file = dir.resolve("counters.dat");
        try (FileChannel channel = new FullDisk(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)))
        {
            final IOException e = assertThrows(IOException.class, () -> AllocatedFiles.allocate(channel, file, 1 << 20));
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
        }
    }

    /** Blocks the filesystem gave the file, in bytes (stat's %b is in 512-byte units); -1 without stat. */
    private static long allocatedBytes(final Path file)
    {
        try
        {
            final Process stat = new ProcessBuilder("stat", "-c", "%b", file.toString()).redirectErrorStream(true).start();
            final String out = new String(stat.getInputStream().readAllBytes()).trim();
            return stat.waitFor() == 0 ? Long.parseLong(out) * 512 : -1;
        }
        catch (final IOException | NumberFormatException e)
        {
            return -1;
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** A channel on a disk with no room: every write fails as the kernel's ENOSPC does. */
    private static final class FullDisk extends FileChannel
    {
        private final FileChannel file;

        FullDisk(final FileChannel file)
        {
            this.file = file;
        }

        private static IOException full()
        {
            return new IOException("No space left on device");
        }

        @Override
        public int read(final ByteBuffer dst) throws IOException
        {
            return file.read(dst);
        }

        @Override
        public long read(final ByteBuffer[] dsts, final int offset, final int length) throws IOException
        {
            return file.read(dsts, offset, length);
        }

        @Override
        public int write(final ByteBuffer src) throws IOException
        {
            throw full();
        }

        @Override
        public long write(final ByteBuffer[] srcs, final int offset, final int length) throws IOException
        {
            throw full();
        }

        @Override
        public long position() throws IOException
        {
            return file.position();
        }

        @Override
        public FileChannel position(final long newPosition) throws IOException
        {
            file.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException
        {
            return file.size();
        }

        @Override
        public FileChannel truncate(final long size) throws IOException
        {
            file.truncate(size);
            return this;
        }

        @Override
        public void force(final boolean metaData) throws IOException
        {
            file.force(metaData);
        }

        @Override
        public long transferTo(final long position, final long count, final WritableByteChannel target) throws IOException
        {
            return file.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(final ReadableByteChannel src, final long position, final long count) throws IOException
        {
            throw full();
        }

        @Override
        public int read(final ByteBuffer dst, final long position) throws IOException
        {
            return file.read(dst, position);
        }

        @Override
        public int write(final ByteBuffer src, final long position) throws IOException
        {
            throw full();
        }

        @Override
        public MappedByteBuffer map(final MapMode mode, final long position, final long size) throws IOException
        {
            return file.map(mode, position, size);
        }

        @Override
        public FileLock lock(final long position, final long size, final boolean shared) throws IOException
        {
            return file.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(final long position, final long size, final boolean shared) throws IOException
        {
            return file.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException
        {
            file.close();
        }
    }
}
