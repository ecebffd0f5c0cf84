package dev.bourse.bench;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The calling thread's timer slack on Linux ({@code prctl(PR_SET_TIMERSLACK)}): how late the kernel
 * may fire the thread's timers so that it can batch wake-ups. The default, 50 us, makes a
 * {@code parkNanos(10 us)} last about 60 us, so a load generator that parks between sends has to spin
 * the rest of each wait to send on time, and at 20-50k messages/s that spin held most of a core the
 * exchange under test needed (docs/BENCHMARKS.md, 2026-12-06 evening). With 1 ns of slack a park ends
 * when asked, and the generator spins only the last few microseconds. Elsewhere nothing changes.
 */
public final class TimerSlack
{
    private static final int PR_SET_TIMERSLACK = 29;
    private static final int PR_GET_TIMERSLACK = 30;
    private static final boolean AVAILABLE = Platform.isLinux() && register();

    private TimerSlack()
    {
    }

    private static boolean register()
    {
        try
        {
            Native.register(TimerSlack.class, Platform.C_LIBRARY_NAME);
            return true;
        }
        catch (final RuntimeException | LinkageError e)
        {
            return false;
        }
    }

    private static native int prctl(int option, long arg2, long arg3, long arg4, long arg5);

    /** The calling thread's timer slack in nanoseconds, or -1 where it cannot be read. */
    public static long get()
    {
        return AVAILABLE ? prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0) : -1;
    }

    /** Sets the calling thread's timer slack; whether the kernel took it. */
    public static boolean set(final long nanos)
    {
        return AVAILABLE && prctl(PR_SET_TIMERSLACK, nanos, 0, 0, 0) == 0;
    }
}
