package dev.bourse.readmodels;

/**
 * A fill's liquidity: the order that came in and took (TAKER), the one that rested (MAKER), or a
 * fill of an auction (AUCTION), where both orders were resting and none aggressed (the journal's
 * {@code Trade.auction}; FIX gives such a fill no LastLiquidityInd, and the market-data feed's
 * trade no aggressor side). The values are also {@code order_events.reason} of a fill in the
 * history store, where 0 and 1 have always meant taker and maker.
 */
public final class Liquidity
{
    public static final byte TAKER = 0;
    public static final byte MAKER = 1;
    public static final byte AUCTION = 2;

    private Liquidity()
    {
    }

    /** As the API, the activity report and the {@code fills} stream name it. */
    public static String name(final int liquidity)
    {
        return liquidity == MAKER ? "MAKER" : liquidity == AUCTION ? "AUCTION" : "TAKER";
    }
}
