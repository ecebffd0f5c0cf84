package dev.bourse.journal;

import com.sun.jna.Native;
import com.sun.jna.Platform;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The calling thread's time slice under Linux's EEVDF scheduler (6.12 and later), set through
 * {@code sched_setattr(2)}'s {@code sched_runtime} for an ordinary (SCHED_OTHER or SCHED_BATCH)
 * thread. The kernel lets a thread that has just woken take the core from the running one only once
 * that one has used its slice (1.4 ms by default on two cores), unless the waking thread's own slice
 * is shorter: with 100 us the order path and a measuring client stopped waiting 1-1.7 ms behind a
 * JIT compile that had just been given the core (perf sched, docs/ARCHITECTURE.md, Thread priorities).
 * The thread keeps its policy and nice value; no privilege is needed. Where the kernel has no such
 * slice (older Linux, other systems, another architecture) nothing changes and the methods say so.
 * JNA is the one Chronicle already brings.
 */
public final class SchedulerSlice
{
    /** The shortest and longest slices the kernel takes (it clamps to these). */
    public static final long MIN_NANOS = 100_000;
    public static final long MAX_NANOS = 100_000_000;

    private static final int SCHED_OTHER = 0;
    private static final int SCHED_BATCH = 3;
    /** struct sched_attr as first defined (SCHED_ATTR_SIZE_VER0). */
    private static final int ATTR_SIZE = 48;
    private static final int POLICY = 4;
    private static final int FLAGS = 8;
    private static final int NICE = 16;
    private static final int RUNTIME = 24;
    private static final int DEADLINE = 32;
    private static final int PERIOD = 40;
    private static final long SYS_SCHED_SETATTR;
    private static final long SYS_SCHED_GETATTR;
    private static final boolean AVAILABLE;

    static
    {
        long set = -1;
        long get = -1;
        if (Platform.isLinux() && Platform.isIntel() && Platform.is64Bit())
        {
            set = 314;
            get = 315;
        }
        else if (Platform.isLinux() && Platform.isARM() && Platform.is64Bit())
        {
            set = 274;
            get = 275;
        }
        SYS_SCHED_SETATTR = set;
        SYS_SCHED_GETATTR = get;
        AVAILABLE = set > 0 && register();
    }

    private SchedulerSlice()
    {
    }

    private static boolean register()
    {
        try
        {
            Native.register(SchedulerSlice.class, Platform.C_LIBRARY_NAME);
            return true;
        }
        catch (final RuntimeException | LinkageError e)
        {
            return false;
        }
    }

    /**
     * syscall(2) with the two calls' arguments: sched_setattr(pid, attr, flags) ignores the fourth.
     * pid 0 is the calling thread; JNA copies the array in and back out.
     */
    private static native long syscall(long number, int pid, byte[] attr, int sizeOrFlags, int flags);

    /**
     * Asks for {@code nanos} (clamped by the kernel to {@link #MIN_NANOS}..{@link #MAX_NANOS}) for the
     * calling thread, keeping its policy and nice value.
     *
     * @return the slice now in effect in nanoseconds, or -1 if this system has none to set (or the
     *         thread is in another scheduling class, which this leaves alone)
     */
    public static long applyToCurrentThread(final long nanos)
    {
        if (!AVAILABLE || nanos <= 0)
        {
            return -1;
        }
        final ByteBuffer fields = attributesOfCurrentThread();
        if (fields == null)
        {
            return -1;
        }
        final int policy = fields.getInt(POLICY);
        if (policy != SCHED_OTHER && policy != SCHED_BATCH)
        {
            return -1;
        }
        // the nice value read is written back as it was: sched_setattr sets it too
        fields.putInt(0, ATTR_SIZE).putLong(FLAGS, 0).putLong(RUNTIME, nanos).putLong(DEADLINE, 0).putLong(PERIOD, 0);
        if (syscall(SYS_SCHED_SETATTR, 0, fields.array(), 0, 0) != 0)
        {
            return -1;
        }
        return currentThread();
    }

    /** Whether this is Linux, where a kernel from 6.12 on has the slice: elsewhere its absence is expected, not news. */
    public static boolean onLinux()
    {
        return Platform.isLinux();
    }

    /**
     * The calling thread's slice in nanoseconds, or -1 if this system reports none (a kernel before
     * EEVDF's custom slices reports 0 for an ordinary thread).
     */
    public static long currentThread()
    {
        final ByteBuffer fields = attributesOfCurrentThread();
        final long runtime = fields == null ? 0 : fields.getLong(RUNTIME);
        return runtime > 0 ? runtime : -1;
    }

    /** The nice value the calling thread has, as sched_getattr reports it (for the tests); 0 where unknown. */
    static int niceOfCurrentThread()
    {
        final ByteBuffer fields = attributesOfCurrentThread();
        return fields == null ? 0 : fields.getInt(NICE);
    }

    /** sched_getattr(2) of the calling thread, or null if this system has none or it failed. */
    private static ByteBuffer attributesOfCurrentThread()
    {
        if (!AVAILABLE)
        {
            return null;
        }
        final byte[] attr = new byte[ATTR_SIZE];
        return syscall(SYS_SCHED_GETATTR, 0, attr, ATTR_SIZE, 0) == 0 ? ByteBuffer.wrap(attr).order(ByteOrder.nativeOrder()) : null;
    }
}
