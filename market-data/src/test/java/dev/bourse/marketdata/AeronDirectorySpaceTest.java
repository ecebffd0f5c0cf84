package dev.bourse.marketdata;

import io.aeron.driver.MediaDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** An embedded driver is refused, in one line, a directory whose filesystem cannot hold what it maps. */
class AeronDirectorySpaceTest
{
    @TempDir
    Path dir;

    @Test
    void theNeedIsTheDriversCncFileAndTwoPublicationsOfThreeTermsFromItsContext()
    {
        final MediaDriver.Context driver = new MediaDriver.Context();
        final long fourMiBTerms = AeronDirectorySpace.neededBytes(driver, 4 << 20, "aeron:ipc", "aeron:ipc");
        final long oneMiBTerms = AeronDirectorySpace.neededBytes(driver, 1 << 20, "aeron:ipc", "aeron:ipc");
        assertEquals(2 * 3 * (3L << 20), fourMiBTerms - oneMiBTerms, "three terms per publication, two publications");
        assertTrue(oneMiBTerms - 6 * (1 << 20) > 40L << 20, "cnc.dat with Aeron's defaults is over 40 MiB: " + (oneMiBTerms >> 20));
        assertEquals(oneMiBTerms + 3 * (3L << 20), AeronDirectorySpace.neededBytes(driver, 1 << 20, "aeron:ipc?term-length=4m", "aeron:ipc"),
            "a channel's own term length counts");
        driver.counterValuesBufferLength(driver.counterValuesBufferLength() * 2);
        assertTrue(AeronDirectorySpace.neededBytes(driver, 1 << 20) > oneMiBTerms, "read from the context, not hard-coded");
    }

    @Test
    void aSmallFilesystemIsRefusedNamingTheKeyTheDirectoryAndBothSizes()
    {
        final String aeronDir = dir.resolve("aeron").toString();
        final IllegalStateException refused = assertThrows(IllegalStateException.class,
            () -> AeronDirectorySpace.refuseIfTooSmall(aeronDir, 72L << 20, p -> 8L << 20));
        assertTrue(refused.getMessage().startsWith("md.aeron-dir: " + aeronDir + " has only 8 MiB free, below the 72 MiB"),
            refused.getMessage());
        assertFalse(refused.getMessage().contains("\n"));
        AeronDirectorySpace.refuseIfTooSmall(aeronDir, 72L << 20, p -> 80L << 20);
        AeronDirectorySpace.refuseIfTooSmall(aeronDir, 72L << 20, p -> -1);
    }
}
