package dev.bourse.journal;

import com.sun.jna.Platform;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The calling thread, and only it, moves into Linux's idle scheduling class and back, as the kernel reports it. */
class IdleSchedulingClassTest
{
    private static final int SCHED_OTHER = 0;
    private static final int SCHED_IDLE = 5;

    @Test
    void aThreadMovesIntoTheIdleClassAndBackWhileOthersKeepTheirs() throws Exception
    {
        assumeTrue(Platform.isLinux(), "the idle scheduling class is Linux's");
        final String seen = OnItsOwnThread.run("idle-class-test", () ->
        {
            final int before = policyOfThisThread();
            final boolean yielded = IdleSchedulingClass.INSTANCE.yieldCores();
            final int during = policyOfThisThread();
            final int otherThread = policyOf(Path.of("/proc/self/task/" + ProcessHandle.current().pid() + "/stat"));
            final boolean competed = IdleSchedulingClass.INSTANCE.competeForCores();
            final int after = policyOfThisThread();
            return before + " " + yielded + " " + during + " " + otherThread + " " + competed + " " + after;
        });
        assertEquals(SCHED_OTHER + " true " + SCHED_IDLE + " " + SCHED_OTHER + " true " + SCHED_OTHER, seen,
            "policy before, yielded, during, the main thread's meanwhile, competed, after");
    }

    private static int policyOfThisThread() throws Exception
    {
        return policyOf(Path.of("/proc/thread-self/stat"));
    }

    /** Field 41 of proc(5)'s stat: the scheduling policy. */
    private static int policyOf(final Path stat) throws Exception
    {
        final String text = Files.readString(stat);
        final String[] fields = text.substring(text.lastIndexOf(')') + 2).trim().split(" ");
        assertTrue(fields.length > 38, text);
        return Integer.parseInt(fields[41 - 3]);
    }
}
