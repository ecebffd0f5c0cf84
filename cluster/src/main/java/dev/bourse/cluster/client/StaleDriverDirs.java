package dev.bourse.cluster.client;

import org.agrona.IoUtil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The embedded media driver directories ({@code bourse-client-<client id>-<pid>}) of client
 * processes that are gone. A process stopped cleanly deletes its own; a SIGKILLed one leaves it,
 * 12-13 MB each (an outside probe found them piling up in the temporary directory), so the next
 * client to start sweeps them.
 */
public final class StaleDriverDirs
{
    static final String PREFIX = "bourse-client-";

    private StaleDriverDirs()
    {
    }

    /** Deletes the directories in {@code dir} whose process id names no live process. */
    public static void delete(final Path dir)
    {
        try (Stream<Path> entries = Files.list(dir))
        {
            entries.filter(StaleDriverDirs::isStale).forEach(p -> IoUtil.delete(p.toFile(), true));
        }
        catch (final IOException | SecurityException e)
        {
            // nothing to sweep, or not ours to sweep
        }
    }

    static boolean isStale(final Path path)
    {
        final String name = path.getFileName().toString();
        final int dash = name.lastIndexOf('-');
        if (!name.startsWith(PREFIX) || dash <= PREFIX.length() || !Files.isDirectory(path))
        {
            return false;
        }
        try
        {
            final long pid = Long.parseLong(name.substring(dash + 1));
            return pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isEmpty();
        }
        catch (final NumberFormatException e)
        {
            return false;
        }
    }
}
