package dev.bourse.protocol.auth;

import java.util.Locale;

/**
 * What a user may do (least privilege; docs/OPERATIONS.md has the whole matrix). Configured per
 * user as {@code user.NAME.role}; a trader is bound to one account, the other roles to none.
 */
public enum Role
{
    /** Trades for its own account over FIX; reads only that account's data. */
    TRADER("trader"),
    /** Runs the exchange: the admin API. No trading, no account data. */
    OPERATIONS("operations"),
    /** Public market data only. */
    MARKET_DATA("market-data"),
    /** Reads every account's history, the activity report and the audit log; changes nothing. */
    COMPLIANCE("compliance");

    private final String configName;

    Role(final String configName)
    {
        this.configName = configName;
    }

    /** The name used in configuration and answers (trader, operations, market-data, compliance). */
    public String configName()
    {
        return configName;
    }

    /** True if the role is bound to one account (and needs one configured). */
    public boolean needsAccount()
    {
        return this == TRADER;
    }

    /** @return the role named so in configuration, or null if there is none. */
    public static Role fromConfigName(final String name)
    {
        if (name == null)
        {
            return null;
        }
        final String lower = name.trim().toLowerCase(Locale.ROOT);
        for (final Role role : values())
        {
            if (role.configName.equals(lower))
            {
                return role;
            }
        }
        return null;
    }
}
