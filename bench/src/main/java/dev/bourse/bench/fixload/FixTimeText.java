package dev.bourse.bench.fixload;

import dev.bourse.gateway.fix.FixTime;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A FIX UTCTimestamp of the wall clock in one reused array, written again only when the millisecond
 * changes: the load generator's SendingTime and TransactTime, with no garbage (a formatter per
 * millisecond per session was the generator's steady garbage and its GC pauses). One thread, or
 * under its owner's lock; callers copy the bytes before the next call.
 */
final class FixTimeText
{
    private final byte[] text = new byte[FixTime.LENGTH];
    private final UnsafeBuffer view = new UnsafeBuffer(text);
    private long millis = -1;

    byte[] now()
    {
        final long now = System.currentTimeMillis();
        if (now != millis)
        {
            millis = now;
            FixTime.put(view, 0, now);
        }
        return text;
    }
}
