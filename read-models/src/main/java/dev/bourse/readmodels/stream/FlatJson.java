package dev.bourse.readmodels.stream;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reads the small JSON objects clients send on the stream ({@code {"op":"subscribe","channel":"depth","instrument":"AAPL"}}):
 * one flat object of string and number values, at most {@link #MAX_FIELDS} fields. Numbers follow
 * JSON's grammar (RFC 8259): an optional '-', then 0 or a digit 1-9 and more digits, an optional
 * fraction and exponent each with at least one digit ({@code 01}, {@code 1.}, {@code 1e} are refused).
 * Anything else is refused with a message that says where. A null is refused too: read as a
 * missing value it passed for a field not given ({@code "account":null}: "none was given"). So
 * are {@code true} and {@code false}: read as the strings "true" and "false" they passed for
 * text ({@code "op":true} was an unknown op, {@code "username":true} a wrong password).
 */
final class FlatJson
{
    static final int MAX_FIELDS = 16;

    /** A request's fields as text, and the names of those given as JSON numbers rather than strings. */
    record Fields(Map<String, String> values, Set<String> numbers)
    {
    }

    private final String text;
    private final Set<String> numbers = new HashSet<>();
    private int at;

    private FlatJson(final String text)
    {
        this.text = text;
    }

    /** @throws IllegalArgumentException naming what is wrong. */
    static Map<String, String> parse(final String text)
    {
        return read(text).values();
    }

    /** As {@link #parse}, telling numbers from strings: an instrument given as a number is an id, never a symbol. */
    static Fields read(final String text)
    {
        final FlatJson json = new FlatJson(text);
        return new Fields(json.object(), json.numbers);
    }

    private Map<String, String> object()
    {
        final Map<String, String> fields = new HashMap<>();
        space();
        expect('{');
        space();
        if (peek() == '}')
        {
            at++;
            return end(fields);
        }
        while (true)
        {
            space();
            final String name = string();
            space();
            expect(':');
            space();
            final boolean quoted = peek() == '"';
            final boolean number = isNumberStart(peek());
            if (number)
            {
                numbers.add(name);
            }
            final String value = value();
            if (value == null)
            {
                throw new IllegalArgumentException("field '" + name + "' is null");
            }
            if (!quoted && !number)
            {
                // true or false: read as the strings "true" and "false" they passed for text
                throw new IllegalArgumentException("field '" + name + "' is " + value + " (a string or a number is wanted)");
            }
            if (fields.put(name, value) != null)
            {
                throw new IllegalArgumentException("field '" + name + "' given twice");
            }
            if (fields.size() > MAX_FIELDS)
            {
                throw new IllegalArgumentException("more than " + MAX_FIELDS + " fields");
            }
            space();
            final char c = next();
            if (c == '}')
            {
                return end(fields);
            }
            if (c != ',')
            {
                throw new IllegalArgumentException("expected , or } at " + (at - 1));
            }
        }
    }

    private Map<String, String> end(final Map<String, String> fields)
    {
        space();
        if (at != text.length())
        {
            throw new IllegalArgumentException("text after the object at " + at);
        }
        return fields;
    }

    private String value()
    {
        final char c = peek();
        if (c == '"')
        {
            return string();
        }
        if (isNumberStart(c))
        {
            return number();
        }
        for (final String word : new String[]{"true", "false", "null"})
        {
            if (text.startsWith(word, at))
            {
                at += word.length();
                return word.equals("null") ? null : word;
            }
        }
        throw new IllegalArgumentException(c == '{' || c == '[' ? "nested values are not accepted (at " + at + ")"
            : "expected a value at " + at);
    }

    /**
     * A number by JSON's grammar (RFC 8259): {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?},
     * and no number character straight after it ({@code 01}, {@code 1.5.2}, {@code 1e2e3}).
     */
    private String number()
    {
        final int start = at;
        if (text.charAt(at) == '-')
        {
            at++;
        }
        if (isDigitAt(at) && text.charAt(at) == '0')
        {
            at++;
            if (isDigitAt(at))
            {
                throw new IllegalArgumentException("bad number at " + at + " (no leading zeros)");
            }
        }
        else
        {
            digits("a digit");
        }
        if (at < text.length() && text.charAt(at) == '.')
        {
            at++;
            digits("a digit after '.'");
        }
        if (at < text.length() && (text.charAt(at) == 'e' || text.charAt(at) == 'E'))
        {
            at++;
            if (at < text.length() && (text.charAt(at) == '+' || text.charAt(at) == '-'))
            {
                at++;
            }
            digits("a digit in the exponent");
        }
        if (at < text.length() && ".eE+-".indexOf(text.charAt(at)) >= 0)
        {
            throw new IllegalArgumentException("bad number at " + at);
        }
        return text.substring(start, at);
    }

    /** One or more ASCII digits at {@link #at}, else a bad number naming where and {@code wanted}. */
    private void digits(final String wanted)
    {
        if (!isDigitAt(at))
        {
            throw new IllegalArgumentException("bad number at " + at + " (" + wanted + " expected)");
        }
        while (isDigitAt(at))
        {
            at++;
        }
    }

    private boolean isDigitAt(final int index)
    {
        return index < text.length() && text.charAt(index) >= '0' && text.charAt(index) <= '9';
    }

    private static boolean isNumberStart(final char c)
    {
        return c == '-' || (c >= '0' && c <= '9');
    }

    private String string()
    {
        expect('"');
        final StringBuilder sb = new StringBuilder();
        while (true)
        {
            final char c = next();
            if (c == '"')
            {
                return sb.toString();
            }
            if (c < 0x20)
            {
                throw new IllegalArgumentException("control character in a string at " + (at - 1));
            }
            if (c != '\\')
            {
                sb.append(c);
                continue;
            }
            final char e = next();
            switch (e)
            {
                case '"': case '\\': case '/': sb.append(e); break;
                case 'b': sb.append('\b'); break;
                case 'f': sb.append('\f'); break;
                case 'n': sb.append('\n'); break;
                case 'r': sb.append('\r'); break;
                case 't': sb.append('\t'); break;
                case 'u':
                    if (at + 4 > text.length())
                    {
                        throw new IllegalArgumentException("short \\u escape at " + at);
                    }
                    int code = 0;
                    for (int i = at; i < at + 4; i++)
                    {
                        // four hex digits exactly: Integer.parseInt would take a sign ("\\u-001" as U+FFFF)
                        final int digit = Character.digit(text.charAt(i), 16);
                        if (digit < 0 || text.charAt(i) > 'f')
                        {
                            throw new IllegalArgumentException("bad \\u escape at " + at);
                        }
                        code = code * 16 + digit;
                    }
                    sb.append((char)code);
                    at += 4;
                    break;
                default:
                    throw new IllegalArgumentException("bad escape at " + (at - 1));
            }
        }
    }

    private void space()
    {
        while (at < text.length() && Character.isWhitespace(text.charAt(at)))
        {
            at++;
        }
    }

    private char peek()
    {
        if (at >= text.length())
        {
            throw new IllegalArgumentException("unexpected end");
        }
        return text.charAt(at);
    }

    private char next()
    {
        final char c = peek();
        at++;
        return c;
    }

    private void expect(final char c)
    {
        if (next() != c)
        {
            throw new IllegalArgumentException("expected " + c + " at " + (at - 1));
        }
    }
}
