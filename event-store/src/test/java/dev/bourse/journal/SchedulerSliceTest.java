package dev.bourse.journal;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The calling thread, and only it, gets the slice it asks for, as the kernel reports it in
 * sched_getattr and in /proc, and keeps its nice value; a kernel without custom slices is skipped.
 */
class SchedulerSliceTest
{
    /** setpriority(2): on Linux, PRIO_PROCESS with who 0 is the calling thread; raising nice needs no privilege. */
    interface C extends Library
    {
        int setpriority(int which, int who, int prio);
    }

    @Test
    void aThreadGetsItsSliceAndKeepsItsNiceValueWhileOthersKeepTheirs() throws Exception
    {
        assumeTrue(Platform.isLinux(), "EEVDF's slices are Linux's");
        final String seen = OnItsOwnThread.run("slice-test", () ->
        {
            final C c = Native.load(Platform.C_LIBRARY_NAME, C.class);
            assertEquals(0, c.setpriority(0, 0, 3));
            final long before = SchedulerSlice.currentThread();
            final long applied = SchedulerSlice.applyToCurrentThread(250_000);
            return before + " " + applied + " " + SchedulerSlice.currentThread() + " " + SchedulerSlice.niceOfCurrentThread() + " " +
                niceInProc(Path.of("/proc/thread-self/stat")) + " " + sliceInProc(Path.of("/proc/thread-self/sched"));
        });
        final String[] fields = seen.split(" ");
        assumeTrue(!fields[0].equals("-1"), "this kernel has no custom slices (Linux 6.12 and later): " + seen);
        assertEquals("250000 250000 3 3", String.join(" ", fields[1], fields[2], fields[3], fields[4]),
            "applied, read back, nice from sched_getattr and from /proc (before: " + fields[0] + ")");
        if (!fields[5].equals("?"))
        {
            assertEquals("250000", fields[5], "se.slice in /proc/thread-self/sched");
        }
        assertTrue(SchedulerSlice.currentThread() != 250_000, "the test's own thread keeps its slice");
    }

    @Test
    void nothingIsAskedForAZeroSlice()
    {
        assertEquals(-1, SchedulerSlice.applyToCurrentThread(0));
    }

    /** Field 19 of proc(5)'s stat: the nice value. */
    private static int niceInProc(final Path stat) throws Exception
    {
        final String text = Files.readString(stat);
        final String[] fields = text.substring(text.lastIndexOf(')') + 2).trim().split(" ");
        return Integer.parseInt(fields[19 - 3]);
    }

    /** se.slice from /proc's scheduler statistics, which only kernels built with scheduler debugging have ("?"). */
    private static String sliceInProc(final Path sched) throws Exception
    {
        if (!Files.exists(sched))
        {
            return "?";
        }
        for (final String line : Files.readAllLines(sched))
        {
            if (line.startsWith("se.slice"))
            {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "?";
    }
}
