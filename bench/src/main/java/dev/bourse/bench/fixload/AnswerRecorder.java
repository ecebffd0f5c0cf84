package dev.bourse.bench.fixload;

import org.HdrHistogram.Histogram;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The load generator's record of what it sent and what came back: per message id (the number in
 * its ClOrdID) the planned send time and the message's type, written by the sender, and per answer
 * the latency from that planned time, by type, written by whichever thread reads the answer. Also
 * the answers and rejects counted. Ids live in rings indexed by their low bits: answers come long
 * before {@value #RING} more messages are sent. No map and no allocation per message.
 */
final class AnswerRecorder
{
    static final int TYPES = 3;
    /** Ids a planned time is kept for. */
    static final int RING = 1 << 20;

    private final long[] planned = new long[RING];
    private final byte[] types = new byte[RING];
    /** Ids below this were sent (written by the sender after a message's slots, before it leaves). */
    private volatile long sentIds;

    private final Histogram[] latency = new Histogram[TYPES];
    private final Histogram[] intervalLatency = new Histogram[TYPES];
    private final Object histogramLock = new Object();
    private final LongAdder[] answered = new LongAdder[TYPES];
    private final LongAdder rejects = new LongAdder();
    private final Map<String, LongAdder> rejectReasons = new ConcurrentHashMap<>();
    private volatile boolean recording;

    AnswerRecorder()
    {
        for (int i = 0; i < TYPES; i++)
        {
            latency[i] = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            intervalLatency[i] = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            answered[i] = new LongAdder();
        }
    }

    private static int slot(final long id)
    {
        return (int)(id & (RING - 1));
    }

    /** Sender: message {@code id} is planned for {@code plannedNanos}. */
    void planned(final long id, final long plannedNanos)
    {
        planned[slot(id)] = plannedNanos;
    }

    /** Sender: message {@code id} of {@code type} is about to leave (its answer may come at once). */
    void sending(final long id, final int type)
    {
        types[slot(id)] = (byte)type;
        sentIds = id + 1;
    }

    /** Whether {@code id} was sent (and not so long ago that its slot was reused) as a message of {@code type}. */
    boolean sentAs(final long id, final int type)
    {
        final long sent = sentIds;
        return id < sent && id >= sent - RING && types[slot(id)] == type;
    }

    /** An answer to message {@code id} read at {@code nowNanos}: counted, and its latency recorded while recording. */
    void onAnswer(final long id, final boolean rejected, final String reason, final long nowNanos)
    {
        final long sent = sentIds;
        if (id >= sent || id < sent - RING)
        {
            return;
        }
        final int index = slot(id);
        final int type = types[index];
        if (rejected)
        {
            reject(reason);
        }
        else
        {
            answered[type].increment();
        }
        if (recording)
        {
            final long value = Math.min(Math.max(1, nowNanos - planned[index]), latency[type].getHighestTrackableValue());
            synchronized (histogramLock)
            {
                latency[type].recordValue(value);
                intervalLatency[type].recordValue(value);
            }
        }
    }

    /** A reject that answers no message of ours (a session-level Reject), or one that does. */
    void reject(final String reason)
    {
        rejects.increment();
        rejectReasons.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    void recording(final boolean on)
    {
        recording = on;
    }

    /** Copies and resets the histograms recorded since the last call, per type. */
    Histogram[] takeInterval()
    {
        return take(intervalLatency);
    }

    /** Copies and resets the whole-run histograms, per type. */
    Histogram[] takeTotal()
    {
        return take(latency);
    }

    private Histogram[] take(final Histogram[] histograms)
    {
        synchronized (histogramLock)
        {
            final Histogram[] copy = new Histogram[TYPES];
            for (int i = 0; i < TYPES; i++)
            {
                copy[i] = histograms[i].copy();
                histograms[i].reset();
            }
            return copy;
        }
    }

    long answered(final int type)
    {
        return answered[type].sum();
    }

    long rejects()
    {
        return rejects.sum();
    }

    /** Answers and rejects so far. */
    long total()
    {
        return answered[0].sum() + answered[1].sum() + answered[2].sum() + rejects.sum();
    }

    Map<String, LongAdder> rejectReasons()
    {
        return rejectReasons;
    }
}
