package dev.bourse.marketdata;

import dev.bourse.journal.InMemoryJournal;
import io.aeron.CommonContext;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.*;

/** A second embedded driver never takes over (and later deletes) a directory a live driver uses. */
class AeronDirectoryGuardTest
{
    @Test
    void aSecondPublisherOnALiveDriversDirectoryIsRefusedAndTheFirstKeepsItsDirectory()
    {
        final String aeronDir = CommonContext.generateRandomDirName();
        final InMemoryJournal journal = new InMemoryJournal();
        try (MarketDataPublisher first = new MarketDataPublisher(context(journal, aeronDir)))
        {
            assertTrue(first.doWork() >= 0);
            final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> context(journal, aeronDir).conclude());
            assertTrue(refused.getMessage().contains("is running in " + aeronDir), refused.getMessage());
            assertTrue(refused.getMessage().contains("md.aeron-dir"), refused.getMessage());
            assertTrue(new File(aeronDir, "cnc.dat").isFile(), "the first driver's directory is still there");
        }
        assertFalse(new File(aeronDir).exists(), "the first driver deletes its own directory when it stops");
        try (MarketDataPublisher again = new MarketDataPublisher(context(journal, aeronDir)))
        {
            assertTrue(new File(aeronDir, "cnc.dat").isFile(), "a directory no live driver uses is taken");
        }
    }

    /**
     * A crashed exchange's driver can still be exiting when the restart comes (a SIGKILLed JVM with
     * a large heap took seconds on a busy machine): the start waits for its process, then takes the directory.
     */
    @Test
    void aDriverWhoseProcessEndsMomentsLaterIsWaitedForAndItsDirectoryTaken() throws Exception
    {
        final String aeronDir = CommonContext.generateRandomDirName();
        final java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
            ProcessHandle.current().info().command().orElse("java"), "-Xmx64m"));
        command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(a -> a.startsWith("--add-")).toList());
        command.addAll(java.util.List.of("-Daeron.dir=" + aeronDir, "-Daeron.dir.delete.on.start=true",
            "-Daeron.threading.mode=SHARED", "-cp", System.getProperty("java.class.path"), "io.aeron.driver.MediaDriver"));
        final Process driver = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try
        {
            final long deadline = System.nanoTime() + 60_000_000_000L;
            while (!CommonContext.isDriverActive(new File(aeronDir), 10_000, m -> { }) && System.nanoTime() < deadline)
            {
                Thread.sleep(50);
            }
            assertTrue(CommonContext.isDriverActive(new File(aeronDir), 10_000, m -> { }), "the other driver is up");
            // it dies while the start is deciding: with its heartbeat fresh and its process alive, it was refused at once
            final AtomicBoolean killing = new AtomicBoolean();
            final Thread killer = new Thread(() ->
            {
                try
                {
                    Thread.sleep(1_000);
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                }
                killing.set(true); // before the signal: the guard cannot see the process gone any earlier
                driver.destroyForcibly();
            });
            killer.start();
            AeronDirectoryGuard.refuseIfInUse(aeronDir);
            // Process.isAlive() would race with the JVM's reaper thread: the guard counts a killed process
            // that is not yet reaped (a zombie) as gone, and rightly so
            assertTrue(killing.get(), "taken over only once its process had been killed");
            killer.join();
            assertTrue(driver.waitFor(60, TimeUnit.SECONDS), "the driver's process ended");
        }
        finally
        {
            driver.destroyForcibly();
            driver.waitFor();
            org.agrona.IoUtil.delete(new File(aeronDir), true);
        }
    }

    /**
     * A driver killed while it created its CnC file leaves one that was never initialised (all zeros):
     * Aeron's own check then failed every later start with "CnC file is created but not initialised"
     * (an outside tester). Such a directory is a dead driver's and is taken, as a crashed one's is.
     */
    @Test
    void aDirectoryWhoseCncFileWasNeverInitialisedIsTaken() throws Exception
    {
        final String aeronDir = CommonContext.generateRandomDirName();
        final File dir = new File(aeronDir);
        assertTrue(dir.mkdirs());
        try (java.io.RandomAccessFile cnc = new java.io.RandomAccessFile(new File(dir, "cnc.dat"), "rw"))
        {
            cnc.setLength(1024 * 1024);
        }
        final InMemoryJournal journal = new InMemoryJournal();
        try (MarketDataPublisher publisher = new MarketDataPublisher(context(journal, aeronDir)))
        {
            assertTrue(publisher.doWork() >= 0);
            assertTrue(CommonContext.isDriverActive(dir, 10_000, m -> { }), "this publisher's driver runs there now");
        }
        finally
        {
            org.agrona.IoUtil.delete(dir, true);
        }
    }

    @Test
    void aFileWhereTheDirectoryShouldBeIsNamed() throws Exception
    {
        final File file = File.createTempFile("aeron-dir", ".file");
        try
        {
            final IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> AeronDirectoryGuard.refuseIfInUse(file.getPath()));
            assertEquals("md.aeron-dir: " + file.getPath() + " is a file, not a directory", refused.getMessage());
        }
        finally
        {
            assertTrue(file.delete());
        }
    }

    private static MarketDataPublisher.Context context(final InMemoryJournal journal, final String aeronDir)
    {
        final MarketDataPublisher.Context ctx = new MarketDataPublisher.Context()
            .journalTailer(journal.tailer())
            .journalHead(journal::size)
            .termLength(64 * 1024)
            .expectedOrders(1024)
            .invoked(true);
        ctx.aeronDirectoryName(aeronDir);
        return ctx;
    }
}
