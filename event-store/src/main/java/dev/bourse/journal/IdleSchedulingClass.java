package dev.bourse.journal;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Linux's idle scheduling class for the calling thread: a SCHED_IDLE thread runs only on a core
 * that no ordinary thread wants (it keeps a sliver, weight 3 against a nice-0 thread's 1,024, so it
 * is never wholly starved), and back to SCHED_OTHER at the nice value it had. Lowering a thread to
 * the idle class needs no privilege. JNA is the one Chronicle already brings. Anywhere
 * but Linux, or if the call fails, nothing changes and the methods say false.
 */
public final class IdleSchedulingClass implements FollowerScheduling
{
    public static final IdleSchedulingClass INSTANCE = new IdleSchedulingClass();

    private static final int SCHED_OTHER = 0;
    private static final int SCHED_IDLE = 5;
    /** struct sched_param { int sched_priority; }: 0 for both classes (JNA copies it in, the kernel only reads it). */
    private static final int[] PRIORITY_ZERO = new int[1];
    private static final boolean AVAILABLE = load();

    private IdleSchedulingClass()
    {
    }

    private static boolean load()
    {
        if (!Platform.isLinux())
        {
            return false;
        }
        try
        {
            Native.register(IdleSchedulingClass.class, Platform.C_LIBRARY_NAME);
            return true;
        }
        catch (final RuntimeException | LinkageError e)
        {
            return false;
        }
    }

    /** sched_setscheduler(2); pid 0 is the calling thread, param points at its int sched_priority (0 for both classes). */
    private static native int sched_setscheduler(int pid, int policy, int[] param);

    @Override
    public boolean yieldCores()
    {
        return AVAILABLE && sched_setscheduler(0, SCHED_IDLE, PRIORITY_ZERO) == 0;
    }

    @Override
    public boolean competeForCores()
    {
        return AVAILABLE && sched_setscheduler(0, SCHED_OTHER, PRIORITY_ZERO) == 0;
    }
}
