package dev.bourse.readmodels;

/**
 * The fields an order type adds to an order (stop price, iceberg peak, GTD expire time). They came
 * with version 3 of the order events: in an older journal SBE reads them as its null value, which
 * here is 0, "does not apply", as the engine writes it.
 */
public final class OrderTypeFields
{
    private OrderTypeFields()
    {
    }

    /** A version-3 field read from an older event is SBE's null (Long.MIN_VALUE): 0. */
    public static long orZero(final long value)
    {
        return value == Long.MIN_VALUE ? 0 : value;
    }
}
