package dev.bourse.journal;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes old roll-cycle files of the journal by policy. A cycle file is deleted only if it is
 * older than the one holding the oldest entry recovery still needs (the index of the oldest kept
 * snapshot) and more than {@code retainCycles} such older files exist. {@code retainCycles == 0}
 * keeps everything (the default: the journal is the audit trail and read models rebuild from it).
 */
public final class Retention
{
    private static final String CYCLE_SUFFIX = ".cq4";

    private Retention()
    {
    }

    /**
     * @param neededPosition the oldest journal index that must stay readable (-1: nothing may go).
     * @return the files deleted.
     */
    public static List<Path> apply(final ChronicleJournal journal, final long neededPosition, final int retainCycles)
        throws IOException
    {
        final List<Path> deleted = new ArrayList<>();
        if (retainCycles <= 0 || neededPosition < 0)
        {
            return deleted;
        }
        final String neededFile;
        try (ChronicleTailer tailer = journal.tailerAt(neededPosition))
        {
            final File current = tailer.currentFile();
            if (current == null)
            {
                return deleted;
            }
            neededFile = current.getName();
        }
        catch (final JournalException e)
        {
            return deleted; // the index is not there: delete nothing
        }
        final List<String> older = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(journal.context().dir(), "*" + CYCLE_SUFFIX))
        {
            for (final Path file : files)
            {
                final String name = file.getFileName().toString();
                // Cycle file names are formatted dates, so name order is time order.
                if (name.compareTo(neededFile) < 0)
                {
                    older.add(name);
                }
            }
        }
        older.sort(null);
        for (int i = 0; i < older.size() - retainCycles; i++)
        {
            final Path file = journal.context().dir().resolve(older.get(i));
            Files.deleteIfExists(file);
            deleted.add(file);
        }
        return deleted;
    }
}
