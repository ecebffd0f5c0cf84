package dev.bourse.gateway;

import org.agrona.concurrent.status.AtomicCounter;

import java.util.function.Consumer;

/**
 * Makes every refusal visible without letting an attacker flood the log: each {@link Refusal} is
 * counted, and logged at most once per interval per reason, the line saying how many more there
 * were since the last one. A refusal that is not logged allocates nothing (the line is built only
 * when written). Gateway thread only.
 */
final class AbuseLog
{
    /** How much of a detail from the wire a line shows. */
    static final int DETAIL_LENGTH = 80;
    /**
     * How much of a TLS failure's detail a line shows: the JDK's reason for a refused client
     * certificate ran past 80 characters before saying what was wrong (an outside probe).
     */
    static final int TLS_DETAIL_LENGTH = 300;

    private final Consumer<String> log;
    private final long intervalMs;
    private final GatewayCounters counters;
    private final long[] lastLineMs = new long[Refusal.VALUES.length];
    private final long[] sinceLastLine = new long[Refusal.VALUES.length];

    AbuseLog(final Consumer<String> log, final long intervalMs, final GatewayCounters counters)
    {
        this.log = log;
        this.intervalMs = intervalMs;
        this.counters = counters;
        java.util.Arrays.fill(lastLineMs, Long.MIN_VALUE / 2);
    }

    /**
     * Counts the refusal (connection, timeout and logon kinds; a session kind's own counter is
     * incremented where it happens) and logs it if its reason was not logged within the interval.
     *
     * @param who the address, CompID or username it concerns (never a password)
     * @param detail more about it, or null
     */
    void record(final Refusal refusal, final long nowMs, final String who, final String detail)
    {
        final AtomicCounter counter = counters.refusal(refusal);
        if (counter != null)
        {
            counter.incrementRelease();
        }
        if (refusal.kind == Refusal.Kind.LOGON)
        {
            counters.logonFailures.incrementRelease();
        }
        final int i = refusal.ordinal();
        if (nowMs - lastLineMs[i] < intervalMs)
        {
            sinceLastLine[i]++;
            return;
        }
        final StringBuilder line = new StringBuilder(160).append("gateway: ").append(kindText(refusal.kind)).append(' ')
            .append(refusal.label).append(' ').append(printable(who)).append(": ").append(refusal.description);
        if (detail != null)
        {
            // a TLS failure's detail is the JDK's (or the client certificate check's) sentence, its useful part late in it
            line.append(" (").append(printable(detail, refusal.kind == Refusal.Kind.TLS ? TLS_DETAIL_LENGTH : DETAIL_LENGTH)).append(')');
        }
        if (sinceLastLine[i] > 0)
        {
            line.append("; ").append(sinceLastLine[i]).append(" more like it in the last ")
                .append((nowMs - lastLineMs[i]) / 1000).append(" s");
        }
        lastLineMs[i] = nowMs;
        sinceLastLine[i] = 0;
        log.accept(line.toString());
    }

    private static String kindText(final Refusal.Kind kind)
    {
        switch (kind)
        {
            case CONNECTION:
                return "refused connection";
            case TIMEOUT:
                return "timed out";
            case LOGON:
                return "refused logon";
            case TLS:
                return "TLS";
            default:
                return "session";
        }
    }

    /** What arrived from the wire, made safe for a log line (no control characters, bounded). */
    static String printable(final String text)
    {
        return printable(text, DETAIL_LENGTH);
    }

    /** As {@link #printable(String)}, keeping at most {@code max} characters. */
    static String printable(final String text, final int max)
    {
        if (text == null)
        {
            return "-";
        }
        final int length = Math.min(text.length(), max);
        StringBuilder clean = null;
        for (int i = 0; i < length; i++)
        {
            final char c = text.charAt(i);
            if (c < 0x20 || c > 0x7E)
            {
                if (clean == null)
                {
                    clean = new StringBuilder(length).append(text, 0, i);
                }
                clean.append('?');
            }
            else if (clean != null)
            {
                clean.append(c);
            }
        }
        if (clean == null)
        {
            return length == text.length() ? text : text.substring(0, length) + "...";
        }
        return length == text.length() ? clean.toString() : clean.append("...").toString();
    }
}
