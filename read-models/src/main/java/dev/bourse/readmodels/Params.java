package dev.bourse.readmodels;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Query-string parameters, validated: every problem is a {@link BadRequest} naming the parameter. */
final class Params
{
    /** The longest query string, and the longest admin form body (parameters are short; the body limit is the server's). */
    static final int MAX_LENGTH = 4096;
    private final Map<String, String> values = new HashMap<>();

    static Params parse(final String rawQuery, final Set<String> allowed)
    {
        checkLength(rawQuery, "query string");
        return parseChecked(rawQuery, allowed);
    }

    /** A 400 naming {@code what} (query string, form body) if {@code text} is longer than {@link #MAX_LENGTH}. */
    static void checkLength(final String text, final String what)
    {
        if (text != null && text.length() > MAX_LENGTH)
        {
            throw BadRequest.param(what + " longer than " + MAX_LENGTH + " characters");
        }
    }

    /** Parameters whose length was checked part by part ({@link #checkLength}): a query string and a form body, joined. */
    static Params parseChecked(final String rawQuery, final Set<String> allowed)
    {
        final Params params = new Params();
        if (rawQuery == null || rawQuery.isEmpty())
        {
            return params;
        }
        for (final String pair : rawQuery.split("&"))
        {
            if (pair.isEmpty())
            {
                continue;
            }
            final int eq = pair.indexOf('=');
            final String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            final String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (!allowed.contains(name))
            {
                throw BadRequest.param("unknown parameter '" + printable(name) + "'; "
                    + (allowed.isEmpty() ? "this endpoint takes none" : "allowed: " + String.join(", ", new java.util.TreeSet<>(allowed))));
            }
            if (params.values.put(name, value) != null)
            {
                throw BadRequest.param("parameter '" + name + "' given twice");
            }
        }
        return params;
    }

    /**
     * A path segment, percent-decoded: a '+' there is itself (RFC 3986), not a space as in a query
     * string; instruments may have one in their symbol ("X+Y" was looked up as "X Y": a probe's).
     */
    static String decodePathSegment(final String s)
    {
        return decode(s.indexOf('+') < 0 ? s : s.replace("+", "%2B"));
    }

    static String decode(final String s)
    {
        try
        {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        }
        catch (final IllegalArgumentException e)
        {
            throw BadRequest.param("malformed percent-encoding");
        }
    }

    /** For echoing user input in an error safely and briefly. */
    static String printable(final String s)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 40; i++)
        {
            final char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f)
            {
                sb.append(c);
            }
            else
            {
                // named, not shown: a '?' for every such character hid which one was refused (an outside probe)
                sb.append(String.format("\\u%04X", (int)c));
            }
        }
        return s.length() > 40 ? sb.append("...").toString() : sb.toString();
    }

    String string(final String name)
    {
        return values.get(name);
    }

    long longValue(final String name, final long defaultValue, final long min, final long max)
    {
        final String value = values.get(name);
        if (value == null)
        {
            return defaultValue;
        }
        return parseLong(name, value, min, max);
    }

    static long parseLong(final String name, final String value, final long min, final long max)
    {
        final long parsed;
        try
        {
            parsed = AsciiDigits.parseLong(value);
        }
        catch (final NumberFormatException e)
        {
            throw BadRequest.param(name + " must be an integer between " + min + " and " + max + ", not '" + printable(value) + "'");
        }
        if (parsed < min || parsed > max)
        {
            throw BadRequest.param(name + " must be between " + min + " and " + max + ", not " + parsed);
        }
        return parsed;
    }

    int intValue(final String name, final int defaultValue, final int min, final int max)
    {
        return (int)longValue(name, defaultValue, min, max);
    }
}
