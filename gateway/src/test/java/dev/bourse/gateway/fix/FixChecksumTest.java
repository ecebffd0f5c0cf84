package dev.bourse.gateway.fix;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FixChecksumTest
{
    @Test
    void agreesWithAByteByByteSumForEveryLengthAndAlignment()
    {
        final byte[] bytes = new byte[3 * 4096];
        new SplittableRandom(11).nextBytes(bytes);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        for (int offset = 0; offset < 9; offset++)
        {
            for (int length = 0; length <= 2_100; length++)
            {
                assertEquals(byteByByte(bytes, offset, length), FixFramer.checksum(buffer, offset, length),
                    "offset " + offset + " length " + length);
            }
        }
        // Long runs of 0xFF fill the lanes as far as they go.
        final byte[] ones = new byte[8192];
        java.util.Arrays.fill(ones, (byte)0xFF);
        for (final int length : new int[] {1023, 1024, 1025, 2048, 8192})
        {
            assertEquals(byteByByte(ones, 0, length), FixFramer.checksum(new UnsafeBuffer(ones), 0, length), "0xFF x " + length);
        }
    }

    private static int byteByByte(final byte[] bytes, final int offset, final int length)
    {
        int sum = 0;
        for (int i = 0; i < length; i++)
        {
            sum += bytes[offset + i] & 0xFF;
        }
        return sum % 256;
    }
}
