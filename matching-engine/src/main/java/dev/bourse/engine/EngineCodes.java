package dev.bourse.engine;

import dev.bourse.protocol.sbe.*;

/** Raw protocol values as bytes, so the engine never decodes into (or throws from) enum lookups. */
final class EngineCodes
{
    static final byte BUY = (byte)Side.BUY.value();
    static final byte SELL = (byte)Side.SELL.value();
    static final byte MARKET = (byte)OrdType.MARKET.value();
    static final byte LIMIT = (byte)OrdType.LIMIT.value();
    static final byte STOP = (byte)OrdType.STOP.value();
    static final byte STOP_LIMIT = (byte)OrdType.STOP_LIMIT.value();
    static final byte DAY = (byte)TimeInForce.DAY.value();
    static final byte GTC = (byte)TimeInForce.GTC.value();
    static final byte AT_THE_OPEN = (byte)TimeInForce.AT_THE_OPEN.value();
    static final byte IOC = (byte)TimeInForce.IOC.value();
    static final byte FOK = (byte)TimeInForce.FOK.value();
    static final byte GTD = (byte)TimeInForce.GTD.value();
    static final byte AT_THE_CLOSE = (byte)TimeInForce.AT_THE_CLOSE.value();
    static final byte STP_ACCOUNT_DEFAULT = (byte)StpMode.ACCOUNT_DEFAULT.value();
    static final byte STP_NONE = (byte)StpMode.NONE.value();
    static final byte STP_CANCEL_RESTING = (byte)StpMode.CANCEL_RESTING.value();
    static final byte STP_CANCEL_AGGRESSOR = (byte)StpMode.CANCEL_AGGRESSOR.value();
    static final byte STP_CANCEL_BOTH = (byte)StpMode.CANCEL_BOTH.value();
    static final byte OPEN = (byte)TradingStatus.OPEN.value();
    static final byte HALTED = (byte)TradingStatus.HALTED.value();
    static final byte CLOSED = (byte)TradingStatus.CLOSED.value();
    static final byte CONTINUOUS = (byte)TradingPhase.CONTINUOUS.value();
    static final byte PHASE_HALTED = (byte)TradingPhase.HALTED.value();
    static final byte PHASE_CLOSED = (byte)TradingPhase.CLOSED.value();
    static final byte OPENING_CALL = (byte)TradingPhase.OPENING_CALL.value();
    static final byte CLOSING_CALL = (byte)TradingPhase.CLOSING_CALL.value();
    static final byte REOPENING_CALL = (byte)TradingPhase.REOPENING_CALL.value();
    static final byte VOLATILITY_CALL = (byte)TradingPhase.VOLATILITY_CALL.value();
    static final byte POST_CLOSE = (byte)TradingPhase.POST_CLOSE.value();
    static final byte FLAG_POST_ONLY = 1;
    /** OrderFlags possResend: the NewOrder's FIX message was marked a resend. */
    static final byte FLAG_POSS_RESEND = 2;

    private EngineCodes()
    {
    }

    static boolean isSide(final int raw)
    {
        return raw == BUY || raw == SELL;
    }

    static boolean isOrdType(final int raw)
    {
        return raw >= MARKET && raw <= STOP_LIMIT;
    }

    static boolean isStop(final byte ordType)
    {
        return ordType == STOP || ordType == STOP_LIMIT;
    }

    /** A limit price applies: LIMIT, and STOP_LIMIT once elected. */
    static boolean hasLimitPrice(final byte ordType)
    {
        return ordType == LIMIT || ordType == STOP_LIMIT;
    }

    static boolean isTimeInForce(final int raw)
    {
        return raw == DAY || raw == GTC || raw == IOC || raw == FOK || raw == GTD || raw == AT_THE_OPEN || raw == AT_THE_CLOSE;
    }

    /** Time in force of orders that may rest on the book. */
    static boolean rests(final byte tif)
    {
        return tif == DAY || tif == GTC || tif == GTD || tif == AT_THE_OPEN || tif == AT_THE_CLOSE;
    }

    static boolean isStpMode(final int raw)
    {
        return raw >= STP_ACCOUNT_DEFAULT && raw <= STP_CANCEL_BOTH;
    }

    static boolean isTradingStatus(final int raw)
    {
        return raw == OPEN || raw == HALTED || raw == CLOSED;
    }

    static boolean isTradingPhase(final int raw)
    {
        return raw >= CONTINUOUS && raw <= POST_CLOSE;
    }

    /** A call: orders collect without matching until an auction uncrosses the book. */
    static boolean isCall(final byte phase)
    {
        return dev.bourse.protocol.TradingPhases.isCall(phase);
    }

    /** The coarse status a phase implies: every call is OPEN, POST_CLOSE is CLOSED. */
    static byte statusOf(final byte phase)
    {
        if (phase == PHASE_HALTED)
        {
            return HALTED;
        }
        return phase == PHASE_CLOSED || phase == POST_CLOSE ? CLOSED : OPEN;
    }

    /** The phase a (legacy) status command sets: OPEN is continuous trading. */
    static byte phaseOf(final byte status)
    {
        if (status == HALTED)
        {
            return PHASE_HALTED;
        }
        return status == CLOSED ? PHASE_CLOSED : CONTINUOUS;
    }

    static Side side(final byte raw)
    {
        return raw == BUY ? Side.BUY : Side.SELL;
    }
}
