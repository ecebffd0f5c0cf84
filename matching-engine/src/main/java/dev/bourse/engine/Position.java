package dev.bourse.engine;

/** Units of one instrument an account holds; {@code held} is reserved by its resting sell orders. */
public final class Position
{
    final int instrumentId;
    long quantity;
    long held;

    Position(final int instrumentId)
    {
        this.instrumentId = instrumentId;
    }

    public int instrumentId()
    {
        return instrumentId;
    }

    public long quantity()
    {
        return quantity;
    }

    public long held()
    {
        return held;
    }

    public long available()
    {
        return quantity - held;
    }
}
