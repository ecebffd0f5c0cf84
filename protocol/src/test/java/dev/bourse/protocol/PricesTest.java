package dev.bourse.protocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PricesTest
{
    @Test
    void anAverageIsRoundedHalfUpToFourPlacesAsFixAvgPx()
    {
        // 191.01 + 191.02 + 191.02 over 3 = 191.016666...: FIX said 191.0167, the query side had said 191.0166
        assertEquals(1_910_167, Prices.average(5_730_500, 3));
        assertEquals(1_920_171, Prices.average(Prices.parse("192.0171") * 7, 7));
        assertEquals(15, Prices.average(29, 2), "an exact half goes up");
        assertEquals(14, Prices.average(57, 4), "below a half goes down");
        assertEquals(0, Prices.average(123, 0), "no quantity, no average");
    }

    @Test
    void parsesDecimalsIntoFixedPoint()
    {
        assertEquals(1_012_500, Prices.parse("101.25"));
        assertEquals(-30_000, Prices.parse("-3"));
        assertEquals(1, Prices.parse("0.0001"));
        assertEquals(1, Prices.parse(".0001"));
        assertEquals(50_000, Prices.parse("+5."));
        assertEquals(12_345, Prices.parse("1.23450000"), "extra zero decimals are fine");
    }

    @Test
    void onTheWireOnlyMinusIsASignAsInFixFloatFieldsButTextTakesAPlus()
    {
        assertEquals(Prices.INVALID, parseBytes("+5"), "FIX's float format has no '+'");
        assertEquals(Prices.INVALID, parseBytes("+100.25"));
        assertEquals(-50_000, parseBytes("-5"));
        assertEquals(50_000, Prices.parse("+5"), "configuration and the admin API read text");
    }

    @Test
    void refusesWhatIsNotAPrice()
    {
        for (final String bad : new String[] {"", "-", ".", "1.00001", "1e5", "1,5", "--1", "1.2.3", " 1", "abc",
            "922337203685478", "99999999999999999999"})
        {
            assertEquals(Prices.INVALID, Prices.parse(bad), bad);
            assertEquals(Prices.INVALID, parseBytes(bad), bad);
        }
        assertEquals(Prices.INVALID, Prices.parse(null));
    }

    @Test
    void formatsWithoutTrailingZeros()
    {
        assertEquals("101.25", Prices.toString(1_012_500));
        assertEquals("-0.0001", Prices.toString(-1));
        assertEquals("7", Prices.toString(70_000));
        assertEquals("0", Prices.toString(0));
    }

    @Test
    void textAndBytesRoundTripForRandomValues()
    {
        final SplittableRandom random = new SplittableRandom(7);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[32]);
        for (int i = 0; i < 200_000; i++)
        {
            final long price = random.nextBoolean() ? random.nextLong(-10_000_000_000L, 10_000_000_000L) : random.nextLong();
            if (price == Long.MIN_VALUE)
            {
                continue;
            }
            final String text = Prices.toString(price);
            assertEquals(price, Prices.parse(text), text);
            final int length = Prices.put(buffer, 0, price);
            assertEquals(text, buffer.getStringWithoutLengthAscii(0, length));
            assertEquals(price, Prices.parse(buffer, 0, length), text);
        }
    }

    @Test
    void randomBytesNeverThrowAndAgreeWithTheTextParserSaveForALeadingPlus()
    {
        final SplittableRandom random = new SplittableRandom(11);
        final byte[] alphabet = "0123456789.-+ ex".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 200_000; i++)
        {
            final byte[] bytes = new byte[random.nextInt(0, 24)];
            for (int j = 0; j < bytes.length; j++)
            {
                bytes[j] = random.nextInt(4) == 0 ? (byte)random.nextInt(256) : alphabet[random.nextInt(alphabet.length)];
            }
            final String text = new String(bytes, StandardCharsets.ISO_8859_1);
            final long expected = text.startsWith("+") ? Prices.INVALID : Prices.parse(text);
            assertEquals(expected, Prices.parse(new UnsafeBuffer(bytes), 0, bytes.length), text);
        }
    }

    @Test
    void multiplicationReportsOverflowInsteadOfWrapping()
    {
        assertEquals(6, Prices.multiplyOrOverflow(2, 3));
        assertEquals(-1, Prices.multiplyOrOverflow(Long.MAX_VALUE, 2));
        assertEquals(-1, Prices.multiplyOrOverflow(1L << 32, 1L << 31));
        assertEquals(-1, Prices.multiplyOrOverflow(-1, 5));
        assertEquals(Long.MAX_VALUE, Prices.multiplyOrOverflow(Long.MAX_VALUE, 1));
    }

    private static long parseBytes(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        return Prices.parse(new UnsafeBuffer(bytes), 0, bytes.length);
    }
}
