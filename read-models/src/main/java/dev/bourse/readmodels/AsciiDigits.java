package dev.bourse.readmodels;

/**
 * Numbers in paths and parameters are ASCII: {@link Character#isDigit} and {@link Long#parseLong}
 * take every script's digits, so fullwidth "１００１" named account 1001 and Arabic-Indic "٥" was a
 * limit of 5 (an outside probe): a proxy's or an audit log's rule on the ASCII path saw another string.
 * A leading '+' is no number either: {@link Long#parseLong} took "+1001" as account 1001 and "+5" as
 * a limit while "+1" named no instrument (another outside probe).
 */
public final class AsciiDigits
{
    private AsciiDigits()
    {
    }

    /** Whether {@code text} is 1 to {@code maxLength} of the characters '0' to '9'. */
    public static boolean isDigits(final String text, final int maxLength)
    {
        if (text == null || text.isEmpty() || text.length() > maxLength)
        {
            return false;
        }
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c < '0' || c > '9')
            {
                return false;
            }
        }
        return true;
    }

    /**
     * {@link Long#parseLong} of an optional '-' and ASCII digits only.
     *
     * @throws NumberFormatException for any other character too, a leading '+' included
     */
    public static long parseLong(final String text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (!isDigit(c) && !(c == '-' && i == 0))
            {
                throw new NumberFormatException("not a decimal number of ASCII digits");
            }
        }
        return Long.parseLong(text);
    }

    /** Whether a character is one of '0' to '9'. */
    public static boolean isDigit(final char c)
    {
        return c >= '0' && c <= '9';
    }
}
