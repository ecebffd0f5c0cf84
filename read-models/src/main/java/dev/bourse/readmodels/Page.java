package dev.bourse.readmodels;

/**
 * Which part of a list to answer. Two ways:
 * <ul>
 * <li>offset and limit (the original API): {@code offset} counts from the oldest item; without
 *     one, the newest {@code limit} items. The answer says {@code total}, {@code offset},
 *     {@code nextOffset}. Counting the total costs a scan of the list in the store.</li>
 * <li>keyset: {@code cursor} (the items after it) or {@code before} (the items before it), both
 *     cursors taken from a previous answer's {@code nextCursor} / {@code prevCursor}. A page costs
 *     the same wherever it is in the list, and stays stable while the list grows.</li>
 * </ul>
 * A cursor is opaque text: the last item's key, e.g. {@code 81234-2} (journal sequence and line)
 * or {@code 5017} (a trade or order id).
 */
record Page(long offset, int limit, long[] after, long[] before)
{
    static final int MAX_CURSOR_LENGTH = 64;

    static Page of(final Params params, final int maxLimit, final int keyParts)
    {
        final long offset = params.longValue("offset", -1, 0, Integer.MAX_VALUE);
        final int limit = params.intValue("limit", 100, 1, maxLimit);
        final long[] after = cursor(params.string("cursor"), keyParts, "cursor");
        final long[] before = cursor(params.string("before"), keyParts, "before");
        if ((after != null ? 1 : 0) + (before != null ? 1 : 0) + (offset >= 0 ? 1 : 0) > 1)
        {
            throw BadRequest.param("give at most one of offset, cursor and before");
        }
        return new Page(offset, limit, after, before);
    }

    boolean keyset()
    {
        return after != null || before != null;
    }

    /** Keyset from the start of the list: nothing comes before the answer's first item. */
    boolean fromStart()
    {
        if (after == null)
        {
            return false;
        }
        for (final long part : after)
        {
            if (part != 0)
            {
                return false;
            }
        }
        return true;
    }

    private static long[] cursor(final String text, final int parts, final String name)
    {
        if (text == null)
        {
            return null;
        }
        final String[] split = text.split("-", -1);
        if (text.matches("0(-0)*"))
        {
            return new long[parts]; // the start, written "0" or "0-0" whatever the list's key (read-models.md, Lists)
        }
        if (text.isEmpty() || text.length() > MAX_CURSOR_LENGTH || split.length != parts)
        {
            throw BadRequest.param(name + " is not a cursor from this list: '" + Params.printable(text) + "'");
        }
        final long[] key = new long[parts];
        for (int i = 0; i < parts; i++)
        {
            if (!AsciiDigits.isDigits(split[i], 19))
            {
                throw BadRequest.param(name + " is not a cursor from this list: '" + Params.printable(text) + "'");
            }
            key[i] = Params.parseLong(name, split[i], 0, Long.MAX_VALUE);
        }
        return key;
    }

    static String cursor(final long[] key)
    {
        if (key == null)
        {
            return null;
        }
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < key.length; i++)
        {
            if (i > 0)
            {
                text.append('-');
            }
            text.append(key[i]);
        }
        return text.toString();
    }
}
