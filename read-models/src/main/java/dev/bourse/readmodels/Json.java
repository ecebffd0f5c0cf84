package dev.bourse.readmodels;

import dev.bourse.protocol.Prices;

/**
 * A minimal JSON writer. Prices and cash amounts are written as decimal strings (exact; many
 * JSON readers would turn a number into a double), quantities and ids as integers.
 */
public final class Json
{
    private final StringBuilder sb = new StringBuilder(256);
    private boolean needComma;

    public Json beginObject()
    {
        separate();
        sb.append('{');
        needComma = false;
        return this;
    }

    public Json endObject()
    {
        sb.append('}');
        needComma = true;
        return this;
    }

    public Json beginArray()
    {
        separate();
        sb.append('[');
        needComma = false;
        return this;
    }

    public Json endArray()
    {
        sb.append(']');
        needComma = true;
        return this;
    }

    public Json name(final String name)
    {
        separate();
        string(name);
        sb.append(':');
        needComma = false;
        return this;
    }

    public Json value(final long value)
    {
        separate();
        sb.append(value);
        needComma = true;
        return this;
    }

    public Json value(final boolean value)
    {
        separate();
        sb.append(value);
        needComma = true;
        return this;
    }

    public Json value(final String value)
    {
        separate();
        if (value == null)
        {
            sb.append("null");
        }
        else
        {
            string(value);
        }
        needComma = true;
        return this;
    }

    /** A fixed-point amount (price units) as a decimal string. */
    public Json price(final long value)
    {
        separate();
        sb.append('"');
        Prices.append(sb, value);
        sb.append('"');
        needComma = true;
        return this;
    }

    /** A value that is already JSON text (a document built elsewhere), written as it is. */
    public Json raw(final String json)
    {
        separate();
        sb.append(json);
        needComma = true;
        return this;
    }

    public Json nullValue()
    {
        separate();
        sb.append("null");
        needComma = true;
        return this;
    }

    private void separate()
    {
        if (needComma)
        {
            sb.append(',');
            needComma = false;
        }
    }

    private void string(final String s)
    {
        sb.append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            switch (c)
            {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20 || c > 0x7e)
                    {
                        sb.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }

    /** The length written so far: a mark to go {@link #backTo} (with {@link #needsComma} taken there). */
    public int length()
    {
        return sb.length();
    }

    public boolean needsComma()
    {
        return needComma;
    }

    /** Drops what was written after {@code length}, where {@code needComma} was taken. */
    public Json backTo(final int length, final boolean needComma)
    {
        sb.setLength(length);
        this.needComma = needComma;
        return this;
    }

    @Override
    public String toString()
    {
        return sb.toString();
    }
}
