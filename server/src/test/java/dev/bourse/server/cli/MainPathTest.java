package dev.bourse.server.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A relative path is the working directory's when it names something there, else the install directory's. */
class MainPathTest
{
    @TempDir
    Path home;

    @Test
    void theWorkingDirectoryComesFirstThenTheInstallDirectory() throws Exception
    {
        Files.writeString(home.resolve("only-installed.properties"), "x");
        Files.writeString(home.resolve("pom.xml"), "not the module's");
        final String before = System.getProperty("bourse.home");
        System.setProperty("bourse.home", home.toString());
        try
        {
            // the tests run in the module's directory, which has a pom.xml of its own
            assertEquals(Path.of("pom.xml"), Main.resolve(Path.of("pom.xml")));
            assertEquals(home.resolve("only-installed.properties"), Main.resolve(Path.of("only-installed.properties")));
            assertEquals(Path.of("nowhere.properties"), Main.resolve(Path.of("nowhere.properties")), "named as given when it is nowhere");
        }
        finally
        {
            if (before == null)
            {
                System.clearProperty("bourse.home");
            }
            else
            {
                System.setProperty("bourse.home", before);
            }
        }
    }
}
