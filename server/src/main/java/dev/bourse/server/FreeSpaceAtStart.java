package dev.bourse.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Refuses a start, before anything is mapped, when a directory that gets memory-mapped files has
 * no room for them. A mapped write to a full disk does not fail politely: an exchange started with
 * 1 MiB free in data.dir died of SIGBUS mapping its counters, with a stack trace and exit 1, before
 * the journal's own reserve check was reached (an outside probe). Each directory is checked for
 * its own need; the journal's reserve is checked again when it opens, once the smaller files
 * (which now take their blocks for real) are written.
 */
final class FreeSpaceAtStart
{
    /** What must fit in {@code dir}, the setting that names it, and what it is for (the refusal says so). */
    record Need(String key, Path dir, long bytes, String what)
    {
    }

    private final List<Need> needs = new ArrayList<>();
    private final ToLongFunction<Path> freeBytes;

    /** @param freeBytes the usable bytes of a directory's filesystem, -1 when unknown (tests give their own) */
    FreeSpaceAtStart(final ToLongFunction<Path> freeBytes)
    {
        this.freeBytes = freeBytes;
    }

    FreeSpaceAtStart()
    {
        this(FreeSpaceAtStart::usableBytes);
    }

    FreeSpaceAtStart need(final String key, final Path dir, final long bytes, final String what)
    {
        needs.add(new Need(key, dir, bytes, what));
        return this;
    }

    /** @throws IOException one line naming the first key whose directory has too little room, its path and both sizes */
    void check() throws IOException
    {
        for (final Need need : needs)
        {
            final long free = freeBytes.applyAsLong(need.dir());
            if (free >= 0 && free < need.bytes())
            {
                throw new IOException(need.key() + ": " + need.dir() + " has only " + (free >> 20) + " MiB free, below the "
                    + mib(need.bytes()) + " MiB the exchange needs there (" + need.what() + "); free some space or point "
                    + need.key() + " elsewhere");
            }
        }
    }

    /** Whole MiB, rounded up: "below the 2 MiB" for 1.3 MiB needed. */
    private static long mib(final long bytes)
    {
        return (bytes + (1 << 20) - 1) >> 20;
    }

    private static long usableBytes(final Path dir)
    {
        try
        {
            return Files.getFileStore(dir).getUsableSpace();
        }
        catch (final IOException e)
        {
            return -1; // not known: the writes themselves will say
        }
    }
}
