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
 * <p>
 * The measured window is the ids sent while recording was on: only answers to those are timed and
 * counted as the window's (a warm-up message answered late is not a measured one), each id once,
 * and a reject is counted as a reject, never as an answer and never in the latency histograms.
 * One kind of refusal is an answer: a cancel or replace refused because its order filled (or
 * left the book) while the request was on its way ({@link #lateRefusal}). The load cancels and
 * replaces orders it saw acknowledged, some of which cross and fill, so that refusal is the
 * exchange's correct answer to this workload, timed and counted as answered (and as refused).
 */
final class AnswerRecorder
{
    static final int TYPES = 3;
    /** Ids a planned time is kept for. */
    static final int RING = 1 << 20;

    private final long[] planned = new long[RING];
    private final byte[] types = new byte[RING];
    /** Whether the id in the slot was answered already: a second answer to it is not counted again. */
    private final boolean[] answeredOnce = new boolean[RING];
    /** Ids below this were sent (written by the sender after a message's slots, before it leaves). */
    private volatile long sentIds;

    private final Histogram[] latency = new Histogram[TYPES];
    private final Histogram[] intervalLatency = new Histogram[TYPES];
    private final Object histogramLock = new Object();
    private final LongAdder[] answered = new LongAdder[TYPES];
    private final LongAdder rejects = new LongAdder();
    private final Map<String, LongAdder> rejectReasons = new ConcurrentHashMap<>();
    private volatile boolean recording;
    /** The measured window: ids from (inclusive) to (exclusive); empty until recording first starts. */
    private volatile long windowFrom = Long.MAX_VALUE;
    private volatile long windowTo = Long.MAX_VALUE;
    private final LongAdder windowAnswered = new LongAdder();
    private final LongAdder windowRejected = new LongAdder();
    private final LongAdder windowRefused = new LongAdder();

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
        answeredOnce[slot(id)] = false;
        sentIds = id + 1;
    }

    /** Whether {@code id} was sent (and not so long ago that its slot was reused) as a message of {@code type}. */
    boolean sentAs(final long id, final int type)
    {
        final long sent = sentIds;
        return id < sent && id >= sent - RING && types[slot(id)] == type;
    }

    /**
     * An answer to message {@code id} read at {@code nowNanos}: counted; if the message was sent in
     * the measured window, counted as the window's too, and an acknowledgement's latency recorded.
     */
    void onAnswer(final long id, final boolean rejected, final String reason, final long nowNanos)
    {
        final long sent = sentIds;
        if (id >= sent || id < sent - RING)
        {
            return;
        }
        final int index = slot(id);
        final int type = types[index];
        if (answeredOnce[index])
        {
            return; // answered again (a session taken over resends its reports, PossResend): one message, one answer
        }
        answeredOnce[index] = true;
        if (rejected)
        {
            reject(reason);
        }
        else
        {
            answered[type].increment();
        }
        if (id < windowFrom || id >= windowTo)
        {
            return;
        }
        final boolean late = rejected && lateRefusal(type, reason);
        if (rejected && !late)
        {
            windowRejected.increment();
        }
        else
        {
            windowAnswered.increment();
            if (late)
            {
                windowRefused.increment();
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
    }

    /**
     * A reject that names no message of ours (a session-level Reject): it may answer a measured
     * one, so while recording it counts against the window too (a rate is not answered in full).
     */
    void sessionReject(final String reason)
    {
        reject(reason);
        if (recording)
        {
            windowRejected.increment();
        }
    }

    /** A reject, counted and its reason tallied. */
    private void reject(final String reason)
    {
        rejects.increment();
        rejectReasons.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    /**
     * On: opens a measured window at the next id sent (the sender's thread calls this between runs,
     * so no id is half sent) and zeroes its counts. Off: closes it after the last id sent; answers
     * to its ids still count until the next window opens.
     */
    void recording(final boolean on)
    {
        if (on)
        {
            windowTo = Long.MAX_VALUE;
            windowAnswered.reset();
            windowRejected.reset();
            windowRefused.reset();
            windowFrom = sentIds;
        }
        else if (windowTo == Long.MAX_VALUE && windowFrom != Long.MAX_VALUE)
        {
            windowTo = sentIds;
        }
        recording = on;
    }

    /** Messages sent in the current (or last) measured window so far. */
    long windowSent()
    {
        final long from = windowFrom;
        return from == Long.MAX_VALUE ? 0 : Math.min(sentIds, windowTo) - from;
    }

    /** Messages of the measured window answered, each once: acknowledged, or a {@link #lateRefusal}; no other reject. */
    long windowAnswered()
    {
        return windowAnswered.sum();
    }

    /** Messages of the measured window answered with a reject other than a {@link #lateRefusal}. */
    long windowRejected()
    {
        return windowRejected.sum();
    }

    /** Of {@link #windowAnswered}, the late refusals. */
    long windowRefused()
    {
        return windowRefused.sum();
    }

    /**
     * A cancel or replace refused because its order had filled or left the book meanwhile (the
     * reject's text names the engine's reason): the workload's own race, not a failure.
     */
    static boolean lateRefusal(final int type, final String reason)
    {
        return type != FixLoadClient.NEW && reason != null && (reason.contains("TOO_LATE_TO_CANCEL") ||
            reason.contains("UNKNOWN_ORDER") || reason.contains("REPLACE_BELOW_FILLED"));
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
