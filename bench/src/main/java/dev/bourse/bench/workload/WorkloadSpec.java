package dev.bourse.bench.workload;

import java.util.Locale;

/** What to generate: the instruments, accounts, resting book size and timed command count. */
public final class WorkloadSpec
{
    public final String name;
    public final int instruments;
    public final int accounts;
    public final int restingTarget;
    public final long timedCount;
    public final long seed;

    public WorkloadSpec(
        final String name, final int instruments, final int accounts, final int restingTarget, final long timedCount,
        final long seed)
    {
        if (instruments < 1 || accounts < 1 || restingTarget < 1 || timedCount < 0)
        {
            throw new IllegalArgumentException("bad workload " + name);
        }
        this.name = name;
        this.instruments = instruments;
        this.accounts = accounts;
        this.restingTarget = restingTarget;
        this.timedCount = timedCount;
        this.seed = seed;
    }

    /** exchange-core's single-symbol mix: 1 instrument, ~1,000 resting orders. */
    public static WorkloadSpec single(final long timedCount)
    {
        return new WorkloadSpec("single", 1, 200, 1_000, timedCount, 1);
    }

    /** The same mix over 1,000 instruments with ~1,000 resting orders each (~1M in all). */
    public static WorkloadSpec multi(final long timedCount)
    {
        return new WorkloadSpec("multi", 1_000, 200, 1_000, timedCount, 2);
    }

    public static WorkloadSpec named(final String name, final long timedCount)
    {
        switch (name.toLowerCase(Locale.ROOT))
        {
            case "single":
                return single(timedCount);
            case "multi":
                return multi(timedCount);
            default:
                throw new IllegalArgumentException("unknown workload '" + name + "', choose single, multi or all");
        }
    }

    public WorkloadSpec withTimedCount(final long count)
    {
        return new WorkloadSpec(name, instruments, accounts, restingTarget, count, seed);
    }
}
