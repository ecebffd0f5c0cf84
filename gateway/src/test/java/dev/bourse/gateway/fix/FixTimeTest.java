package dev.bourse.gateway.fix;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.*;

/** UTCTimestamps and dates as FIX writes them: real calendar dates only, never rolled into the next month. */
class FixTimeTest
{
    private static long parse(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        return FixTime.parse(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    private static long parseDate(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        return FixTime.parseDate(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    @Test
    void aDayPastItsMonthIsNoDateWhereItRolledIntoTheNextMonth()
    {
        for (final String day : new String[] {"20270230", "20270229", "20270431", "20270631", "20270931", "20271131", "21000229",
            "20270132", "20270100", "20271301"})
        {
            assertEquals(FixTime.INVALID, parseDate(day), day);
            assertEquals(FixTime.INVALID, parse(day + "-00:00:00"), day);
        }
    }

    @Test
    void everyRealDateReadsAsTheCalendarSaysIncludingLeapDays()
    {
        for (LocalDate d = LocalDate.of(1999, 12, 25); d.isBefore(LocalDate.of(2101, 1, 5)); d = d.plusDays(1))
        {
            final String text = String.format("%04d%02d%02d", d.getYear(), d.getMonthValue(), d.getDayOfMonth());
            assertEquals(d.toEpochDay(), parseDate(text), text);
            assertEquals(LocalDateTime.of(d, java.time.LocalTime.of(23, 59, 58, 123_000_000)).toInstant(ZoneOffset.UTC).toEpochMilli(),
                parse(text + "-23:59:58.123"), text);
        }
    }
}
