package dev.bourse.readmodels;

/**
 * What an instrument's symbol may be, the same for the configuration file and the admin API: the
 * APIs name an instrument by its id or its symbol in a URL path, and the configuration lists
 * symbols separated by commas and names keys {@code instrument.SYMBOL.*}. The admin API took
 * "X/Y" and "%41", which no path could then name (not even to close the instrument, as the log
 * advised), and "A.B", which the configuration refuses (an outside probe).
 */
public final class InstrumentSymbols
{
    /** Characters no symbol holds: path separators and escapes, the configuration's key and list separators. */
    private static final String FORBIDDEN = "./\\%?#,";

    private InstrumentSymbols()
    {
    }

    /** Why {@code symbol} cannot be a symbol, as what a symbol must be ("must ..."), or null if it can. */
    public static String problem(final String symbol)
    {
        if (symbol.isEmpty() || symbol.length() > 16 || !symbol.chars().allMatch(c -> c > ' ' && c < 127 && FORBIDDEN.indexOf(c) < 0))
        {
            return "must be 1 to 16 printable ASCII characters, without spaces or any of . / \\ % ? # ,";
        }
        if (AsciiDigits.isDigits(symbol, 16))
        {
            return "must not be all digits: a path would read it as an instrument id";
        }
        return null;
    }
}
