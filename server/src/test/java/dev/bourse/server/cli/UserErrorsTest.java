package dev.bourse.server.cli;

import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a user reads when a command fails on a file: the file and what is wrong, in words. */
class UserErrorsTest
{
    @Test
    void aMissingFileIsSaidInWordsNotAsAJavaClassName()
    {
        assertEquals("/nonexistent: no such file or directory",
            UserErrors.describe(new UncheckedIOException(new NoSuchFileException("/nonexistent"))));
    }
}
