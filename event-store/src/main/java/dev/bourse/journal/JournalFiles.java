package dev.bourse.journal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

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
     * reads nothing. Looked for before Chronicle opens the journal, so the verdict comes at once.
     *
     * @return what is wrong, or null if every cycle file starts with a header (or holds nothing).
     */
    public static String damagedHeader(final Path dir)
    {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.cq4"))
        {
            for (final Path file : files)
            {
                if (headerZeroedWithDataBehind(file))
                {
                    return file.getFileName() + " cannot be read from its start: its header is damaged (zeroed), "
                        + "though data follows it";
                }
            }
        }
        catch (final IOException e)
        {
            return "the journal cannot be read (" + e.getMessage() + ")";
        }
        return null;
    }

    /** Why a journal whose tailer delivered nothing has no entries to read. */
    public static String whyNoEntries(final Path dir)
    {
        final String damaged = damagedHeader(dir);
        return damaged != null ? damaged : "the journal has no entries";
    }

    private static boolean headerZeroedWithDataBehind(final Path file) throws IOException
    {
        try (InputStream in = Files.newInputStream(file))
        {
            final byte[] chunk = new byte[1 << 16];
            boolean headerZero = true;
            long read = 0;
            int n;
            while ((n = in.read(chunk)) > 0)
            {
                for (int i = 0; i < n; i++)
                {
                    if (chunk[i] != 0)
                    {
                        if (read + i < HEADER_WORD)
                        {
                            headerZero = false;
                        }
                        return headerZero;
                    }
                }
                read += n;
            }
            return false;
        }
    }
}
