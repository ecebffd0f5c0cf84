package dev.bourse.journal;

import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.LegacyRollCycles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.stream.Stream;

/** The journal's roll cycles by the names the configuration uses (minutely, hourly, daily), and which one a journal has. */
final class JournalRollCycles
{
    private static final String[] NAMES = {"minutely", "hourly", "daily"};
    private static final String CYCLE_FILE_SUFFIX = ".cq4";

    private JournalRollCycles()
    {
    }

    static RollCycle named(final String name)
    {
        switch (name.toLowerCase(Locale.ROOT))
        {
            case "minutely":
                return LegacyRollCycles.MINUTELY;
            case "hourly":
                return RollCycles.FAST_HOURLY;
            case "daily":
                return RollCycles.FAST_DAILY;
            default:
                try
                {
                    return RollCycles.valueOf(name.toUpperCase(Locale.ROOT));
                }
                catch (final IllegalArgumentException e)
                {
                    throw new JournalException("unknown roll cycle '" + name + "' (minutely, hourly, daily)");
                }
        }
    }

    /** The configuration's name of a cycle, by its length; Chronicle's own name for any other. */
    static String nameOf(final RollCycle cycle)
    {
        switch (cycle.lengthInMillis())
        {
            case 60_000:
                return "minutely";
            case 3_600_000:
                return "hourly";
            case 86_400_000:
                return "daily";
            default:
                return cycle.toString();
        }
    }

    /**
     * The named cycle the journal's cycle files are named for (each cycle's file names follow its
     * Chronicle date format), found before Chronicle opens the directory: opened with another
     * cycle, Chronicle logs two WARN lines of its own ("Overriding roll cycle ...") ahead of the
     * refusal, which read as if the start went on. Null if there is no such file, or none matches.
     */
    static String ofFileNames(final Path dir)
    {
        if (!Files.isDirectory(dir))
        {
            return null;
        }
        try (Stream<Path> files = Files.list(dir))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                final String name = file.getFileName().toString();
                if (!name.endsWith(CYCLE_FILE_SUFFIX))
                {
                    continue;
                }
                final String stem = name.substring(0, name.length() - CYCLE_FILE_SUFFIX.length());
                for (final String cycle : NAMES)
                {
                    if (matches(stem, named(cycle).format()))
                    {
                        return cycle;
                    }
                }
            }
        }
        catch (final IOException | UncheckedIOException e)
        {
            return null; // Chronicle's own check after opening still applies
        }
        return null;
    }

    /**
     * Whether {@code fileName} (a .cq4) is named as a cycle of some roll cycle Chronicle knows: any
     * other name fails Chronicle's opening of the directory with its date parser's text.
     */
    static boolean isCycleFileName(final String fileName)
    {
        if (!fileName.endsWith(CYCLE_FILE_SUFFIX))
        {
            return false;
        }
        final String stem = fileName.substring(0, fileName.length() - CYCLE_FILE_SUFFIX.length());
        for (final RollCycle cycle : RollCycles.all())
        {
            if (matches(stem, cycle.format()))
            {
                return true;
            }
        }
        for (final RollCycle cycle : LegacyRollCycles.values())
        {
            if (matches(stem, cycle.format()))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(final String stem, final String format)
    {
        try
        {
            DateTimeFormatter.ofPattern(format).parse(stem);
            return true;
        }
        catch (final DateTimeParseException e)
        {
            return false;
        }
    }

    /** A journal.roll-cycle other than the one the journal was written with. */
    static JournalException refused(final String asked, final Path dir, final String written)
    {
        return new JournalException("journal.roll-cycle is " + asked + ", but the journal in " + dir
            + " was written with " + written + " files and keeps them: set journal.roll-cycle = " + written
            + " (retention counts files of the journal's cycle), or start a new journal elsewhere");
    }
}
