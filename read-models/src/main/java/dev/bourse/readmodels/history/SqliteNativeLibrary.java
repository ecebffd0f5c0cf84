package dev.bourse.readmodels.history;

import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * Where the embedded store's native SQLite library is loaded from. sqlite-jdbc on its own copies
 * the library (1.1 MB) out of its jar into {@code java.io.tmpdir} under a new name at every start
 * and deletes it at a normal exit: every kill -9 of the exchange left one behind for good (its
 * clean-up spares a copy whose lock file is still there, and that leaked too). Hundreds of them
 * filled a test machine's /tmp after the crash tests.
 * <p>
 * So the library is kept in the store's own directory, one copy per sqlite-jdbc version and
 * platform, written once (to a temporary name, then moved into place) and checked against the
 * jar's at each start; sqlite-jdbc is pointed at it through its {@code org.sqlite.lib.path} and
 * {@code org.sqlite.lib.name} properties. The library is loaded once per JVM, so only the first
 * store opened in a process decides; a user who set those properties keeps theirs. Whatever goes
 * wrong here, sqlite-jdbc's own way is left to work as before.
 */
final class SqliteNativeLibrary
{
    static final String PATH_PROPERTY = "org.sqlite.lib.path";
    static final String NAME_PROPERTY = "org.sqlite.lib.name";
    static final String DIRECTORY = "native";

    private static boolean decided;

    private SqliteNativeLibrary()
    {
    }

    /** Points sqlite-jdbc at a copy of its library under {@code storeDirectory}, if nothing decided it yet. */
    static synchronized void useCopyIn(final Path storeDirectory)
    {
        if (decided || System.getProperty(PATH_PROPERTY) != null)
        {
            return;
        }
        decided = true;
        try
        {
            final Path copy = copyIn(storeDirectory);
            if (copy != null)
            {
                System.setProperty(NAME_PROPERTY, copy.getFileName().toString());
                System.setProperty(PATH_PROPERTY, copy.getParent().toString());
            }
        }
        catch (final IOException | RuntimeException ignore)
        {
            // an unwritable directory, a platform without a library in the jar: sqlite-jdbc copies it to the temp directory
        }
    }

    /**
     * The library for this platform, as the jar holds it, under {@code storeDirectory/native/<version>/<platform>}:
     * written if missing or different, left alone if the same. Null if the jar has none for this platform.
     */
    static Path copyIn(final Path storeDirectory) throws IOException
    {
        final String folder = LibraryLoaderUtil.getNativeLibResourcePath(); // "/org/sqlite/native/Linux/x86_64"
        final String name = LibraryLoaderUtil.getNativeLibName();
        final byte[] library;
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(folder + "/" + name))
        {
            if (in == null)
            {
                return null;
            }
            library = in.readAllBytes();
        }
        final String platform = folder.substring(folder.lastIndexOf("/native/") + "/native/".length()).replace('/', '-');
        final Path directory = storeDirectory.resolve(DIRECTORY).resolve(SQLiteJDBCLoader.getVersion()).resolve(platform);
        final Path target = directory.resolve(name);
        if (Files.isRegularFile(target) && Files.size(target) == library.length && Arrays.equals(Files.readAllBytes(target), library))
        {
            return target;
        }
        Files.createDirectories(directory);
        final Path part = Files.createTempFile(directory, name, ".part");
        try
        {
            Files.write(part, library);
            // a process that has the old file loaded keeps it: the move replaces the name, not the file
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        finally
        {
            Files.deleteIfExists(part);
        }
        return target;
    }
}
