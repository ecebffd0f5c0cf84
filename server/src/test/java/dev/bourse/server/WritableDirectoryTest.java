package dev.bourse.server;

import dev.bourse.server.cli.UserErrors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** A directory the exchange cannot use stops the start with one line that names its key. */
class WritableDirectoryTest
{
    @TempDir
    Path temp;

    @Test
    void aFileWhereADirectoryShouldBeIsNamedByItsKey() throws IOException
    {
        final Path file = Files.writeString(temp.resolve("afile"), "x");
        final IOException asItself = assertThrows(IOException.class, () -> WritableDirectory.create(file, "journal.dir"));
        assertTrue(UserErrors.describe(asItself).startsWith("journal.dir: "), UserErrors.describe(asItself));
        final IOException under = assertThrows(IOException.class, () -> WritableDirectory.create(file.resolve("journal"), "journal.dir"));
        assertTrue(UserErrors.describe(under).startsWith("journal.dir: cannot create directory"), UserErrors.describe(under));
    }
}
