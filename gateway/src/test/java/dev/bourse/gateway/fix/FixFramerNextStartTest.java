package dev.bourse.gateway.fix;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Where reading resumes after garbage: at a message start, or at a tail that may become one. */
class FixFramerNextStartTest
{
    @Test
    void aWholeStartIsFound()
    {
        assertEquals(5, nextStart("junk|8=FIX.4.4|9=5|"));
    }

    @Test
    void aTailThatBeginsAStartIsKeptForTheNextRead()
    {
        assertEquals(8, nextStart("10=123|x8"));
        assertEquals(8, nextStart("10=123|x8="));
        assertEquals(7, nextStart("10=123|8=FI"));
    }

    @Test
    void anEightThatCannotBeginAStartIsNotKept()
    {
        // a garbled message's CheckSum ending in 8 was read as the next start and counted garbled again
        assertEquals(-1, nextStart("10=128|"));
        assertEquals(-1, nextStart("10=108|"));
        assertEquals(-1, nextStart("10=000|8x"));
        assertEquals(-1, nextStart("10=000|8=X"));
    }

    private static int nextStart(final String text)
    {
        final byte[] bytes = text.replace('|', '\u0001').getBytes(StandardCharsets.US_ASCII);
        return FixFramer.nextStart(new UnsafeBuffer(bytes), 0, bytes.length);
    }
}
