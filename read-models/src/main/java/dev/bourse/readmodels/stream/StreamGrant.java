package dev.bourse.readmodels.stream;

import java.util.function.LongPredicate;

/**
 * What a stream session's login lets it read, and for how long: the account whose private channels
 * it may read (0 for none, {@link Streams#ANY_ACCOUNT} for every account), and whether the
 * credential behind it still holds at a given {@link System#nanoTime()}. A token's grant ends when
 * the token expires or is retired; the publisher asks about once a second and ends the session's
 * private channels when the answer is no.
 *
 * @param accountId the account whose private channels the session may read
 * @param liveAt    whether the credential still holds at that nano time (any thread may ask)
 */
public record StreamGrant(long accountId, LongPredicate liveAt)
{
    /** Whether the login may read that account's private channels: its own, or any (compliance). */
    boolean mayRead(final long account)
    {
        return accountId == Streams.ANY_ACCOUNT || accountId == account;
    }

    /** Reads the account's private channels while {@code liveAt} says so. */
    public static StreamGrant of(final long accountId, final LongPredicate liveAt)
    {
        return new StreamGrant(accountId, liveAt);
    }
}
