package dev.bourse.server.config;

/** The smallest configuration the exchange starts from: one instrument, one account, one user. Tests add their keys to it. */
public final class MinimalConfig
{
    public static final String TEXT = """
        instruments = XYZ
        instrument.XYZ.reference-price = 10
        accounts = 7
        users = u
        user.u.account = 7
        user.u.password = pw
        """;

    private MinimalConfig()
    {
    }
}
