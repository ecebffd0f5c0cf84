package dev.bourse.server.config;

import dev.bourse.engine.MatchingEngine;
import dev.bourse.protocol.Prices;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configured accounts' totals of each asset, against the engine's cap on them
 * ({@link MatchingEngine#MAX_TOTAL}): trades only move an asset between accounts, so that cap is
 * what keeps settlement from overflowing, and the bootstrap's deposits past it would be refused.
 * Exact (big integers), with the keys that make each total up, for one error naming them.
 */
final class AccountTotals
{
    /** Per asset ("" for cash, else an instrument's symbol): the total and its keys. */
    private final Map<String, BigInteger> totals = new LinkedHashMap<>();
    private final Map<String, List<String>> keys = new LinkedHashMap<>();

    void add(final String asset, final String key, final long amount)
    {
        if (amount > 0)
        {
            totals.merge(asset, BigInteger.valueOf(amount), BigInteger::add);
            keys.computeIfAbsent(asset, k -> new ArrayList<>()).add(key);
        }
    }

    /** One error on {@code accounts} per asset whose total passes the cap. */
    void check(final Settings s)
    {
        final BigInteger cap = BigInteger.valueOf(MatchingEngine.MAX_TOTAL);
        for (final Map.Entry<String, BigInteger> total : totals.entrySet())
        {
            if (total.getValue().compareTo(cap) > 0)
            {
                final boolean cash = total.getKey().isEmpty();
                s.error("accounts", String.join(" + ", keys.get(total.getKey())) + " add up to more than "
                    + (cash ? Prices.toString(MatchingEngine.MAX_TOTAL) + ", the most cash"
                    : MatchingEngine.MAX_TOTAL + ", the most units of " + total.getKey())
                    + " all accounts together may hold (each account at most "
                    + (cash ? Prices.toString(MatchingEngine.MAX_BALANCE) : MatchingEngine.MAX_BALANCE)
                    + "): configure less");
            }
        }
    }
}
