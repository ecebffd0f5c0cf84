package dev.bourse.protocol;

/**
 * The range of account ids: 1 to 2^56 - 1. The engine refuses others (INVALID_ACCOUNT), and so do
 * the configuration and the admin API. The top byte is left free because readers pack an account
 * id with a small tag into one long (the query side's live channels: a channel type above the id);
 * an id that used that byte would have aliased another account's channel.
 */
public final class AccountIds
{
    public static final long MAX = (1L << 56) - 1;

    private AccountIds()
    {
    }

    /** True for an id an account can have. */
    public static boolean isValid(final long accountId)
    {
        return accountId > 0 && accountId <= MAX;
    }
}
