package dev.bourse.marketdata;

import io.aeron.CncFileDescriptor;
import io.aeron.CommonContext;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.nio.MappedByteBuffer;

/**
 * Keeps an embedded media driver from taking over a directory another live driver uses. The
 * embedded driver deletes its directory when it starts and when it stops; started over another
 * exchange's (or any Aeron application's), it would silently serve that exchange's subscribers
 * this exchange's books, and delete the directory under it when it stops. A directory whose driver
 * has died (its heartbeat old, or its process gone: a crashed exchange restarting at once) is
 * taken over as before. A cluster node's embedded driver does the same with its own directory
 * ({@code cluster.aeron-dir}), so the node asks here too.
 */
public final class AeronDirectoryGuard
{
    /** Aeron's own default driver timeout: a heartbeat younger than this is a live driver's. */
    private static final long DRIVER_TIMEOUT_MS = 10_000;
    /** How long a start waits for the process of a recently beating driver to exit (a crash moments ago). */
    private static final long TAKEOVER_WAIT_NS = 5_000_000_000L;
    /**
     * How long a CnC file may stay uninitialised (version 0) before it is judged a driver's that died
     * while starting: a live driver writes the version within milliseconds of creating the file.
     */
    private static final long INITIALISATION_WAIT_NS = 2_000_000_000L;

    private AeronDirectoryGuard()
    {
    }

    /** @throws IllegalStateException if a live media driver uses {@code directory} (this process's own included). */
    static void refuseIfInUse(final String directory)
    {
        refuseIfInUse(directory, "md.aeron-dir", "market data", "exchange");
    }

    /**
     * As {@link #refuseIfInUse(String)} for a driver set by another key.
     *
     * @param key   the setting that names the directory, in the refusal
     * @param whose who is refused ("cluster node 0"), its first words
     * @param owner what the refusal says to give a directory of its own ("node")
     * @throws IllegalStateException if a live media driver uses {@code directory} (this process's own included)
     */
    public static void refuseIfInUse(final String directory, final String key, final String whose, final String owner)
    {
        final File dir = new File(directory);
        final File cnc = new File(dir, CncFileDescriptor.CNC_FILE);
        if (dir.exists() && !dir.isDirectory())
        {
            throw new IllegalStateException(key + ": " + directory + " is a file, not a directory");
        }
        if (!cnc.isFile() || cnc.length() < CncFileDescriptor.END_OF_METADATA_OFFSET)
        {
            return;
        }
        if (neverInitialised(cnc))
        {
            // a driver killed while it was creating the file (an outside tester's SIGKILL during a start): Aeron's own
            // check waits its timeout and then fails with "CnC file is created but not initialised" at every start after
            return;
        }
        if (!driverActive(dir, directory, key, owner))
        {
            return;
        }
        final long pid = driverPid(cnc);
        if (pid > 0 && gone(pid))
        {
            return; // its heartbeat is recent, but the process that beat it is gone: a crash moments ago
        }
        // A SIGKILLed exchange can take seconds to exit (a large heap and mapped journal to unmap on a busy
        // machine: an outside probe's restart at once was refused). Its process is waited for a while; a
        // live driver is never judged by a shorter silence than Aeron's own timeout (a live exchange may
        // pause, and its directory must not be taken).
        final long deadline = System.nanoTime() + TAKEOVER_WAIT_NS;
        while (System.nanoTime() < deadline)
        {
            if ((pid > 0 && gone(pid)) || !driverActive(dir, directory, key, owner))
            {
                return;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
        }
        throw new IllegalStateException(whose + ": a media driver" + (pid > 0 ? " (process " + pid + ")" : "") +
            " is running in " + directory + ", another " + ("exchange".equals(owner) ? "" : owner + "'s, ") + "exchange's or Aeron "
            + "application's; give this " + owner + " a directory of its own (" + key + ")");
    }

    /** Aeron's check of the driver's heartbeat; a file it cannot judge is refused with a line naming the key. */
    private static boolean driverActive(final File dir, final String directory, final String key, final String owner)
    {
        try
        {
            return CommonContext.isDriverActive(dir, DRIVER_TIMEOUT_MS, message -> { });
        }
        catch (final RuntimeException e)
        {
            throw new IllegalStateException(key + ": cannot tell whether a media driver uses " + directory + " (" +
                e.getMessage() + "); if no exchange or Aeron application uses it, delete it, or give this " + owner + " a " +
                "directory of its own", e);
        }
    }

    /** The CnC file's version is still 0 after {@link #INITIALISATION_WAIT_NS}: its driver never finished creating it. */
    private static boolean neverInitialised(final File cnc)
    {
        final long deadline = System.nanoTime() + INITIALISATION_WAIT_NS;
        while (true)
        {
            final int version = cncVersion(cnc);
            if (version != 0)
            {
                return false;
            }
            if (System.nanoTime() - deadline >= 0)
            {
                return true;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
        }
    }

    /** The CnC file's version field, read volatile as a starting driver writes it last; -1 if it cannot be read. */
    private static int cncVersion(final File cnc)
    {
        MappedByteBuffer mapped = null;
        try
        {
            mapped = IoUtil.mapExistingFile(cnc, "cnc");
            final UnsafeBuffer metadata = new UnsafeBuffer(CncFileDescriptor.createMetaDataBuffer(mapped));
            return metadata.getIntVolatile(CncFileDescriptor.cncVersionOffset(0));
        }
        catch (final RuntimeException e)
        {
            return -1; // unreadable: left to Aeron's own check
        }
        finally
        {
            if (mapped != null)
            {
                IoUtil.unmap(mapped);
            }
        }
    }

    /** Not running: exited, or a zombie its parent has not reaped yet (alive to {@link ProcessHandle}). */
    private static boolean gone(final long pid)
    {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
        {
            return true;
        }
        try
        {
            // /proc/<pid>/stat: "pid (comm) S ...", S the state; the comm may hold spaces and parentheses
            final String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
            final int close = stat.lastIndexOf(')');
            return close > 0 && close + 2 < stat.length() && (stat.charAt(close + 2) == 'Z' || stat.charAt(close + 2) == 'X');
        }
        catch (final java.io.IOException | RuntimeException e)
        {
            return false; // no /proc (not Linux): judged by the heartbeat
        }
    }

    private static long driverPid(final File cnc)
    {
        MappedByteBuffer mapped = null;
        try
        {
            mapped = IoUtil.mapExistingFile(cnc, "cnc");
            final UnsafeBuffer metadata = new UnsafeBuffer(CncFileDescriptor.createMetaDataBuffer(mapped));
            return metadata.getLong(CncFileDescriptor.PID_FIELD_OFFSET);
        }
        catch (final RuntimeException e)
        {
            return 0; // unreadable: judged by the heartbeat alone
        }
        finally
        {
            if (mapped != null)
            {
                IoUtil.unmap(mapped);
            }
        }
    }
}
