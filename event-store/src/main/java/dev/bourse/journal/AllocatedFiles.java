package dev.bourse.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Gives a file that is about to be memory-mapped real disk blocks, by writing zeros through its
 * channel past its current end. A mapping over a sparse file (what {@code map} or
 * {@code setLength} makes) takes its blocks only when a page is first written, and on a full disk
 * that write does not fail: the process dies of SIGBUS (an outside probe's exchange died so at
 * start, mapping its counters). Written here, a full disk is an {@link IOException} naming the
 * file, at a moment that can say so. Only for small files or the first part of one: it costs a
 * write of every byte.
 */
public final class AllocatedFiles
{
    private static final int CHUNK = 64 * 1024;

    private AllocatedFiles()
    {
    }

    /**
     * Extends the file of {@code channel} to {@code length} bytes with zeros actually written; what
     * is already there is left as it is.
     *
     * @throws IOException naming {@code file} when the disk has no room (or any other write failure)
     */
    public static void allocate(final FileChannel channel, final Path file, final long length) throws IOException
    {
        long position = channel.size();
        if (position >= length)
        {
            return;
        }
        final ByteBuffer zeros = ByteBuffer.allocate(CHUNK);
        try
        {
            while (position < length)
            {
                zeros.clear().limit((int)Math.min(CHUNK, length - position));
                while (zeros.hasRemaining())
                {
                    position += channel.write(zeros, position);
                }
            }
            // a mapping writes the pages back itself; the blocks are what must exist, not their durability
        }
        catch (final IOException e)
        {
            // no cause: a start's one line (UserErrors) would print the cause's bare "No space left on device"
            throw new IOException("cannot allocate " + (length + (1 << 20) - 1 >> 20) + " MiB for " + file + " (" + e.getMessage() + ")");
        }
    }
}
