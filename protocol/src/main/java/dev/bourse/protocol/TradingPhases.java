package dev.bourse.protocol;

import dev.bourse.protocol.sbe.TradingPhase;
import dev.bourse.protocol.sbe.TradingStatus;

/** What every reader of a {@link TradingPhase} value asks of it, in one place. */
public final class TradingPhases
{
    private static final short FIRST_CALL = TradingPhase.OPENING_CALL.value();
    private static final short LAST_CALL = TradingPhase.VOLATILITY_CALL.value();

    private TradingPhases()
    {
    }

    /**
     * A call: orders collect without matching until an auction uncrosses the book. The four calls
     * have the consecutive values OPENING_CALL..VOLATILITY_CALL.
     */
    public static boolean isCall(final int phase)
    {
        return phase >= FIRST_CALL && phase <= LAST_CALL;
    }

    /** The phase the (legacy) status command sets, the engine's rule: OPEN is continuous trading. */
    public static TradingPhase ofStatus(final TradingStatus status)
    {
        return status == TradingStatus.HALTED ? TradingPhase.HALTED : status == TradingStatus.CLOSED ? TradingPhase.CLOSED
            : TradingPhase.CONTINUOUS;
    }
}
