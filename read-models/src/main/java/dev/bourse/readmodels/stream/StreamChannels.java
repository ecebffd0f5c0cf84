package dev.bourse.readmodels.stream;

/**
 * The live channels. Public (market) channels are per instrument; private channels are per account
 * and need the account's credentials. A channel is one long key: its type in the top byte, the
 * instrument or account id below.
 */
public final class StreamChannels
{
    public static final int TRADES = 1;
    public static final int BBO = 2;
    public static final int DEPTH = 3;
    public static final int CANDLES = 4;
    public static final int STATUS = 5;
    public static final int ORDERS = 6;
    public static final int FILLS = 7;

    private static final String[] NAMES = {null, "trades", "bbo", "depth", "candles", "status", "orders", "fills"};
    private static final long ID_MASK = (1L << 56) - 1;

    private StreamChannels()
    {
    }

    /**
     * The channel of a type and an id. An id must fit in 56 bits (account ids do: {@code AccountIds};
     * instrument ids are ints): one that does not gets {@link #NO_CHANNEL}, which nobody can
     * subscribe to, rather than aliasing another id's channel.
     */
    public static long key(final int type, final long id)
    {
        return id < 0 || id > ID_MASK ? NO_CHANNEL : ((long)type << 56) | id;
    }

    /** A key no subscription has (type 0). */
    public static final long NO_CHANNEL = 0;

    public static int type(final long key)
    {
        return (int)(key >>> 56);
    }

    public static long id(final long key)
    {
        return key & ID_MASK;
    }

    public static boolean isPrivate(final int type)
    {
        return type == ORDERS || type == FILLS;
    }

    public static String name(final int type)
    {
        return type > 0 && type < NAMES.length ? NAMES[type] : "unknown";
    }

    /** The type of a channel name, or 0. */
    public static int parse(final String name)
    {
        for (int i = 1; i < NAMES.length; i++)
        {
            if (NAMES[i].equals(name))
            {
                return i;
            }
        }
        return 0;
    }

    public static String names()
    {
        return String.join(", ", java.util.Arrays.asList(NAMES).subList(1, NAMES.length));
    }
}
