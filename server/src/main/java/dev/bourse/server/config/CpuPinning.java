package dev.bourse.server.config;

/**
 * The checks of the {@code threading.cpu.*} keys against this host (ExchangeConfig holds the
 * keys' records; a check that asks the OS which CPUs the process may use is logic of its own).
 */
final class CpuPinning
{
    private CpuPinning()
    {
    }

    /**
     * A CPU a thread is to be pinned to must be one this process may run on, and a key is said to
     * be unused where the threading mode has no such thread: a CPU of 99 on a 2-CPU host started
     * unpinned with a line that named no key, and threading.cpu.engine was passed over in shared
     * threading without a word (an outside probe).
     *
     * @param allowed the CPUs this process may run on, or null if not known (then not checked)
     */
    static void check(final Settings s, final ExchangeConfig.Threading threading, final java.util.BitSet allowed,
        final java.util.List<String> warnings)
    {
        final String[] keys = {"threading.cpu.order-path", "threading.cpu.engine", "threading.cpu.gateway", "threading.cpu.support",
            "threading.cpu.history-sink"};
        final int[] cpus = {threading.orderPathCpu(), threading.engineCpu(), threading.gatewayCpu(), threading.supportCpu(),
            threading.historySinkCpu()};
        for (int i = 0; i < keys.length; i++)
        {
            if (cpus[i] >= 0 && allowed != null && !allowed.isEmpty() && !allowed.get(cpus[i]))
            {
                s.error(keys[i], "CPU " + cpus[i] + " is not one this process may run on (it may use " + cpuList(allowed) + ")");
            }
        }
        final boolean shared = threading.shared();
        for (final int i : shared ? new int[] {1, 2} : new int[] {0})
        {
            if (cpus[i] >= 0)
            {
                warnings.add(keys[i] + " is set, but " + (shared
                    ? "in shared threading the engine and the gateway run on the order-path thread: threading.cpu.order-path pins it"
                    : "in dedicated threading there is no order-path thread: threading.cpu.engine and threading.cpu.gateway pin its parts")
                    + " (threading.mode = " + threading.mode() + ")");
            }
        }
    }

    /** "0-1,4": the CPUs of a set, in ranges. */
    static String cpuList(final java.util.BitSet cpus)
    {
        final StringBuilder text = new StringBuilder();
        for (int from = cpus.nextSetBit(0); from >= 0; )
        {
            final int to = cpus.nextClearBit(from) - 1;
            text.append(text.length() == 0 ? "" : ",").append(from).append(to > from ? "-" + to : "");
            from = cpus.nextSetBit(to + 1);
        }
        return text.toString();
    }

    /** The CPUs this process may run on (its affinity, as the OS set it), or null where that cannot be read. */
    static java.util.BitSet allowedCpus()
    {
        try
        {
            return net.openhft.affinity.Affinity.getAffinity();
        }
        catch (final RuntimeException | Error e)
        {
            return null;
        }
    }
}
