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
            // no cause: the one line a user sees names the key (UserErrors would print the cause's file alone)
            throw new IOException(key + ": cannot create directory " + dir + " (" + plain(e) + ")");
        }
        if (!Files.isDirectory(dir))
        {
            throw new IOException(key + ": " + dir + " is not a directory");
        }
        if (!Files.isWritable(dir))
        {
            throw new IOException(key + ": directory " + dir + " is not writable");
        }
    }

    /** What went wrong, in words: a Java file exception's message is often the file's name alone. */
    private static String plain(final IOException e)
    {
        if (e instanceof java.nio.file.FileAlreadyExistsException)
        {
            return "a file of that name exists";
        }
        if (e instanceof java.nio.file.NoSuchFileException)
        {
            return "no such file or directory: " + e.getMessage();
        }
        if (e instanceof java.nio.file.AccessDeniedException)
        {
            return "permission denied: " + e.getMessage();
        }
        if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null)
        {
            return fs.getReason();
        }
        return e.getMessage();
    }
}
