package dev.bourse.journal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link DirectoryLock}s of every directory a process writes, each directory locked once
 * however many settings name it (a journal.dir equal to data.dir, a history file in the
 * checkpoint directory), released together, the last taken first.
 */
public final class DirectoryLocks implements AutoCloseable
{
    private final String holder;
    private final Map<Path, DirectoryLock> held = new LinkedHashMap<>();

    /** @param holder who may hold a lock this process is refused, for the message ("another exchange process"). */
    public DirectoryLocks(final String holder)
    {
        this.holder = holder;
    }

    /** Locks {@code dir} (an existing directory) unless this set holds it already; {@code key} names it in a refusal. */
    public void lock(final Path dir, final String key) throws IOException
    {
        final Path normalized = dir.toAbsolutePath().normalize();
        if (!held.containsKey(normalized))
        {
            held.put(normalized, DirectoryLock.acquire(dir, key, holder));
        }
    }

    @Override
    public void close() throws IOException
    {
        final List<DirectoryLock> locks = new ArrayList<>(held.values());
        held.clear();
        IOException failure = null;
        for (int i = locks.size() - 1; i >= 0; i--)
        {
            try
            {
                locks.get(i).close();
            }
            catch (final IOException e)
            {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null)
        {
            throw failure;
        }
    }
}
