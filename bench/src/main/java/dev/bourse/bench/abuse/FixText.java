package dev.bourse.bench.abuse;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;

/**
 * Just enough FIX for the abuse benchmark's clients, written for clarity rather than speed (they
 * send tens of messages a second, or bytes the gateway must refuse): messages as
 * {@code "35=D|11=a|..."} with | for SOH, framed with BodyLength and CheckSum; a reader that
 * splits what arrives into tag maps.
 */
final class FixText
{
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private FixText()
    {
    }

    static String now()
    {
        return TIME.format(Instant.now());
    }

    /** The standard header for {@code compId} and {@code seq}, then {@code fields}, framed. */
    static byte[] message(final String type, final String compId, final int seq, final String fields)
    {
        return frame("35=" + type + "|49=" + compId + "|56=BOURSE|34=" + seq + "|52=" + now() + "|" + fields);
    }

    static byte[] frame(final String bodyFields)
    {
        final String body = bodyFields.replace('|', '\u0001');
        final String head = "8=FIX.4.4\u00019=" + body.getBytes(StandardCharsets.ISO_8859_1).length + "\u0001" + body;
        int sum = 0;
        for (final byte b : head.getBytes(StandardCharsets.ISO_8859_1))
        {
            sum += b;
        }
        return (head + String.format("10=%03d\u0001", sum & 0xFF)).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Reads whole messages from a socket whose SO_TIMEOUT is short (so a deadline can be kept). */
    static final class Reader
    {
        private final InputStream in;
        private final byte[] buffer = new byte[1 << 16];
        private int filled;

        Reader(final InputStream in)
        {
            this.in = in;
        }

        /** The next message, or null at the end of the stream or the deadline. */
        Map<Integer, String> next(final long deadlineNanos) throws IOException
        {
            while (true)
            {
                final int end = messageEnd();
                if (end > 0)
                {
                    final String text = new String(buffer, 0, end, StandardCharsets.ISO_8859_1);
                    System.arraycopy(buffer, end, buffer, 0, filled - end);
                    filled -= end;
                    final Map<Integer, String> fields = new HashMap<>();
                    for (final String field : text.split("\u0001"))
                    {
                        final int eq = field.indexOf('=');
                        if (eq > 0)
                        {
                            fields.putIfAbsent(Integer.parseInt(field.substring(0, eq)), field.substring(eq + 1));
                        }
                    }
                    return fields;
                }
                if (System.nanoTime() > deadlineNanos || filled == buffer.length)
                {
                    return null;
                }
                try
                {
                    final int n = in.read(buffer, filled, buffer.length - filled);
                    if (n < 0)
                    {
                        return null;
                    }
                    filled += n;
                }
                catch (final SocketTimeoutException e)
                {
                    // look at the deadline again
                }
            }
        }

        /** End of the first whole message (after "SOH10=nnnSOH"), or 0. */
        private int messageEnd()
        {
            for (int i = 0; i + 7 < filled; i++)
            {
                if (buffer[i] == 1 && buffer[i + 1] == '1' && buffer[i + 2] == '0' && buffer[i + 3] == '=' && buffer[i + 7] == 1)
                {
                    return i + 8;
                }
            }
            return 0;
        }
    }
}
