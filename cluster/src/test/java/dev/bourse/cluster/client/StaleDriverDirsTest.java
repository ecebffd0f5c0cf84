package dev.bourse.cluster.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StaleDriverDirsTest
{
    @TempDir
    Path tmp;

    @Test
    void onlyTheDirectoriesOfProcessesThatAreGoneAreDeleted() throws Exception
    {
        final Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        final Path ofTheGone = Files.createDirectories(tmp.resolve("bourse-client-1a2b-" + gone.pid()).resolve("cnc"));
        final Path ours = Files.createDirectories(tmp.resolve("bourse-client-3c4d-" + ProcessHandle.current().pid()));
        final Path ofTheLiving = Files.createDirectories(tmp.resolve("bourse-client-5e6f-" + ProcessHandle.current().parent().orElseThrow().pid()));
        final Path notOurs = Files.createDirectories(tmp.resolve("other-client-7-" + gone.pid()));
        final Path notANumber = Files.createDirectories(tmp.resolve("bourse-client-8-x"));

        StaleDriverDirs.delete(tmp);

        assertFalse(Files.exists(ofTheGone.getParent()), "a killed gateway's directory is swept");
        assertTrue(Files.exists(ours));
        assertTrue(Files.exists(ofTheLiving));
        assertTrue(Files.exists(notOurs));
        assertTrue(Files.exists(notANumber));
    }
}
