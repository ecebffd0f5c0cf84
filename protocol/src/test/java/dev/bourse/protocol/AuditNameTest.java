package dev.bourse.protocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A name as sent goes into an audit record's fixed ASCII field so that it can never read as another
 * user's: an outside probe logged on over HTTP as "\u00e1\u00ec\u00e9\u00e3\u00e5" and the audit log
 * said "alice" (the high bits were masked off).
 */
class AuditNameTest
{
    private static String written(final String name, final int field)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        CommandWriter.putAscii(buffer, 0, field, name);
        final byte[] bytes = new byte[field];
        buffer.getBytes(0, bytes);
        int end = 0;
        while (end < field && bytes[end] != 0)
        {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.US_ASCII);
    }

    @Test
    void printableAsciiIsKeptAndEverythingElseIsADotWhichNoUsernameHolds()
    {
        assertEquals("alice", written("alice", 24));
        assertEquals(".....", written("\u00e1\u00ec\u00e9\u00e3\u00e5", 24), "not 'alice'");
        assertEquals("..[31m", written("\u0001\u001b[31m", 24), "no control characters in the log");
        assertEquals("\u00fc\u00f1\u00ed\u20ac".length(), written("\u00fc\u00f1\u00ed\u20ac", 24).length());
        assertEquals("abcdefghijklmnopqrstuvwx", written("abcdefghijklmnopqrstuvwx", 24), "a name that fits is whole");
        assertEquals("abcdefghijklmnopqrstuvw.", written("abcdefghijklmnopqrstuvwxYZ", 24), "a longer one never reads as the 24-character user");
    }
}
