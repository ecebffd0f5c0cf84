package dev.bourse.cluster.node;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A log that prints a line the first time, then counts its repeats and prints it again with their
 * count at most once per window. Aeron retries a failed election step every few milliseconds and
 * reports each failure: a node whose log port another process held wrote about 200 identical lines
 * a second, enough to fill a disk in a day and bury every other line.
 *
 * <p>Errors are rare on a healthy node, so one lock suffices (several Aeron threads report here).
 */
public final class RepeatedLines implements Consumer<String>
{
    private static final int REMEMBERED = 64;

    private final Consumer<String> out;
    private final LongSupplier nanoClock;
    private final long windowNs;
    private final Map<String, Repeats> recent = new LinkedHashMap<>(16, 0.75f, true)
    {
        @Override
        protected boolean removeEldestEntry(final Map.Entry<String, Repeats> eldest)
        {
            if (size() > REMEMBERED)
            {
                report(eldest.getKey(), eldest.getValue());
                return true;
            }
            return false;
        }
    };

    private static final class Repeats
    {
        long printedAtNs;
        long count;
    }

    public RepeatedLines(final Consumer<String> out, final LongSupplier nanoClock, final long windowNs)
    {
        this.out = out;
        this.nanoClock = nanoClock;
        this.windowNs = windowNs;
    }

    @Override
    public synchronized void accept(final String line)
    {
        final long now = nanoClock.getAsLong();
        Repeats repeats = recent.get(line);
        if (repeats == null)
        {
            repeats = new Repeats();
            repeats.printedAtNs = now;
            recent.put(line, repeats);
            out.accept(line);
            return;
        }
        repeats.count++;
        if (now - repeats.printedAtNs >= windowNs)
        {
            report(line, repeats);
            repeats.printedAtNs = now;
        }
    }

    /** Prints the count of every line repeated since it was last printed (when the node stops). */
    public synchronized void flush()
    {
        recent.forEach(this::report);
    }

    private void report(final String line, final Repeats repeats)
    {
        if (repeats.count > 0)
        {
            out.accept(line + " (" + repeats.count + (repeats.count == 1 ? " time" : " times") + " since it was last printed)");
            repeats.count = 0;
        }
    }
}
