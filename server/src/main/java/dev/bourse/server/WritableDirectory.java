package dev.bourse.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A directory the server writes to, created at start with one clear line naming its key when it cannot be. */
public final class WritableDirectory
{
    private WritableDirectory()
    {
    }

    /**
     * Creates {@code dir} (and its parents) if missing.
     *
     * @throws IOException naming {@code key} when it cannot be created or is not writable
     */
    public static void create(final Path dir, final String key) throws IOException
    {
        try
        {
            Files.createDirectories(dir);
        }
        catch (final IOException e)
        {
            throw new IOException(key + ": cannot create directory " + dir + " (" + e.getMessage() + ")", e);
        }
        if (!Files.isWritable(dir))
        {
            throw new IOException(key + ": directory " + dir + " is not writable");
        }
    }
}
