package dev.bourse.engine;

import dev.bourse.protocol.sbe.*;

/** Raw protocol values as bytes, so the engine never decodes into (or throws from) enum lookups. */
final class EngineCodes
{
    static final byte BUY = (byte)Side.BUY.value();
    static final byte SELL = (byte)Side.SELL.value();
    static final byte MARKET = (byte)OrdType.MARKET.value();
    static final byte LIMIT = (byte)OrdType.LIMIT.value();
    static final byte DAY = (byte)TimeInForce.DAY.value();
    static final byte GTC = (byte)TimeInForce.GTC.value();
    static final byte IOC = (byte)TimeInForce.IOC.value();
    static final byte FOK = (byte)TimeInForce.FOK.value();
    static final byte STP_ACCOUNT_DEFAULT = (byte)StpMode.ACCOUNT_DEFAULT.value();
    static final byte STP_NONE = (byte)StpMode.NONE.value();
    static final byte STP_CANCEL_RESTING = (byte)StpMode.CANCEL_RESTING.value();
    static final byte STP_CANCEL_AGGRESSOR = (byte)StpMode.CANCEL_AGGRESSOR.value();
    static final byte STP_CANCEL_BOTH = (byte)StpMode.CANCEL_BOTH.value();
    static final byte OPEN = (byte)TradingStatus.OPEN.value();
    static final byte HALTED = (byte)TradingStatus.HALTED.value();
    static final byte CLOSED = (byte)TradingStatus.CLOSED.value();
    static final byte FLAG_POST_ONLY = 1;

    private EngineCodes()
    {
    }

    static boolean isSide(final int raw)
    {
        return raw == BUY || raw == SELL;
    }

    static boolean isOrdType(final int raw)
    {
        return raw == MARKET || raw == LIMIT;
    }

    static boolean isTimeInForce(final int raw)
    {
        return raw == DAY || raw == GTC || raw == IOC || raw == FOK;
    }

    static boolean isStpMode(final int raw)
    {
        return raw >= STP_ACCOUNT_DEFAULT && raw <= STP_CANCEL_BOTH;
    }

    static boolean isTradingStatus(final int raw)
    {
        return raw == OPEN || raw == HALTED || raw == CLOSED;
    }

    static Side side(final byte raw)
    {
        return raw == BUY ? Side.BUY : Side.SELL;
    }
}
