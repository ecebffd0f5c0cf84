package dev.bourse.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Asserts a command's events by name and chosen fields: {@code "Trade price=1010000 quantity=50"}
 * matches a Trade event whose price and quantity have those values, whatever its other fields.
 * The events must match in number and order.
 */
public final class EventAssert
{
    private EventAssert()
    {
    }

    public static void assertEvents(final List<String> actual, final String... expected)
    {
        if (actual.size() != expected.length)
        {
            fail("expected " + expected.length + " events but got " + actual.size() + ":\n  " + String.join("\n  ", actual));
        }
        for (int i = 0; i < expected.length; i++)
        {
            final String problem = mismatch(actual.get(i), expected[i]);
            if (problem != null)
            {
                fail("event " + i + ": " + problem + "\n  expected: " + expected[i] + "\n  actual:   " + actual.get(i) +
                    "\n  all events:\n  " + String.join("\n  ", actual));
            }
        }
    }

    /** The value of a field of an event line. */
    public static String field(final String line, final String name)
    {
        return fields(line).get(name);
    }

    private static String mismatch(final String line, final String expected)
    {
        final String[] parts = expected.trim().split("\\s+");
        final String name = line.substring(0, line.indexOf(':'));
        if (!name.equals(parts[0]))
        {
            return "expected a " + parts[0] + " event, got " + name;
        }
        final Map<String, String> fields = fields(line);
        for (int i = 1; i < parts.length; i++)
        {
            final int eq = parts[i].indexOf('=');
            final String key = parts[i].substring(0, eq);
            final String value = parts[i].substring(eq + 1);
            if (!fields.containsKey(key))
            {
                return "no field " + key;
            }
            if (!fields.get(key).equals(value))
            {
                return key + " is " + fields.get(key) + ", expected " + value;
            }
        }
        return null;
    }

    private static Map<String, String> fields(final String line)
    {
        final Map<String, String> fields = new LinkedHashMap<>();
        for (final String pair : line.substring(line.indexOf(':') + 2).split("\\|"))
        {
            final int eq = pair.indexOf('=');
            fields.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return fields;
    }
}
