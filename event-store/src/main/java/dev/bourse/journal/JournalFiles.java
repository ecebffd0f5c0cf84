package dev.bourse.journal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Looks at a journal's cycle files as bytes, for verdicts Chronicle Queue cannot give. */
public final class JournalFiles
{
    /** A cycle file starts with its header document, whose length word is never 0 in a sound file. */
    private static final int HEADER_WORD = 4;

    private JournalFiles()
    {
    }

    /**
     * A cycle file whose header is zeroed while data follows cannot be read from its start:
     * Chronicle sees a file still being created and waits for its header, 10 s at a time, then
     * reads nothing. An empty cycle file (no bytes, or only zeros) before a cycle that holds
     * entries is a hole: read in order, the journal stops there, and a start from a snapshot taken
     * after it would hide the loss from everything but the readers that stall at it. Both are
     * looked for before Chronicle opens the journal, so the verdict comes at once.
     *
     * @return what is wrong, or null if every cycle file starts with a header, and only the newest may hold nothing.
     */
    public static String damagedHeader(final Path dir)
    {
        final List<Path> cycles = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.cq4"))
        {
            files.forEach(cycles::add);
        }
        catch (final IOException e)
        {
            return "the journal cannot be read (" + e.getMessage() + ")";
        }
        // Chronicle names cycle files by their time, most significant part first: by name is by time.
        cycles.sort(Comparator.comparing(p -> p.getFileName().toString()));
        String empty = null;
        for (final Path file : cycles)
        {
            final Content content;
            try
            {
                content = contentOf(file);
            }
            catch (final IOException e)
            {
                return file.getFileName() + " cannot be read (" + e.getMessage() + ")";
            }
            if (content == Content.HEADER_ZEROED)
            {
                return file.getFileName() + " cannot be read from its start: its header is damaged (zeroed), "
                    + "though data follows it";
            }
            if (content == Content.EMPTY)
            {
                empty = empty == null ? file.getFileName().toString() : empty;
            }
            else if (empty != null)
            {
                return empty + " is empty, though a later cycle file (" + file.getFileName() + ") holds entries: the "
                    + "journal, read in order, ends before it, and what the empty file held is lost (if it never held anything, "
                    + "a crash as it was created, moving it aside is enough: journal verify then checks that the sequence runs on)";
            }
        }
        return null;
    }

    /** Why a journal whose tailer delivered nothing has no entries to read. */
    public static String whyNoEntries(final Path dir)
    {
        final String damaged = damagedHeader(dir);
        return damaged != null ? damaged : "the journal has no entries";
    }

    private enum Content
    {
        EMPTY, HEADER_ZEROED, READABLE
    }

    private static Content contentOf(final Path file) throws IOException
    {
        try (InputStream in = Files.newInputStream(file))
        {
            final byte[] chunk = new byte[1 << 16];
            long read = 0;
            int n;
            while ((n = in.read(chunk)) > 0)
            {
                for (int i = 0; i < n; i++)
                {
                    if (chunk[i] != 0)
                    {
                        return read + i < HEADER_WORD ? Content.READABLE : Content.HEADER_ZEROED;
                    }
                }
                read += n;
            }
            return Content.EMPTY;
        }
    }
}
