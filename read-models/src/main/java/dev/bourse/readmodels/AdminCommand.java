package dev.bourse.readmodels;

import dev.bourse.protocol.Prices;
import dev.bourse.protocol.sbe.CommandType;
import dev.bourse.protocol.sbe.StpMode;
import dev.bourse.protocol.sbe.TradingPhase;
import dev.bourse.protocol.sbe.TradingStatus;

/**
 * An operator's action from the admin API, checked for shape, as the exchange's
 * {@link AdminBackend} turns it into one engine command. Prices and cash amounts are in units of
 * 1/10,000 (Prices.SCALE), quantities in units.
 */
public sealed interface AdminCommand
{
    /** The engine command this becomes (also the action the audit record names). */
    CommandType type();

    /** The account the action is about, else 0 (for the audit record). */
    default long accountId()
    {
        return 0;
    }

    /** The instrument the action is about, else 0 (for the audit record). */
    default int instrumentId()
    {
        return 0;
    }

    record AddInstrument(int instrumentId, String symbol, long tickSize, long lotSize, long minQuantity, long maxQuantity,
        long maxNotional, long referencePrice, int priceBandBps, TradingStatus status) implements AdminCommand
    {
        @Override
        public CommandType type()
        {
            return CommandType.ADD_INSTRUMENT;
        }

        /** Prices in decimals, as the API takes and the journal tools print them (the log's line). */
        @Override
        public String toString()
        {
            return "AddInstrument[instrumentId=" + instrumentId + ", symbol=" + symbol + ", tickSize=" + Prices.toString(tickSize) +
                ", lotSize=" + lotSize + ", minQuantity=" + minQuantity + ", maxQuantity=" + maxQuantity + ", maxNotional=" +
                Prices.toString(maxNotional) + ", referencePrice=" + Prices.toString(referencePrice) + ", priceBandBps=" + priceBandBps +
                ", status=" + status + "]";
        }
    }

    /** Halt (HALTED), resume (OPEN) or close (CLOSED). */
    record SetTradingStatus(int instrumentId, TradingStatus status) implements AdminCommand
    {
        @Override
        public CommandType type()
        {
            return CommandType.SET_TRADING_STATUS;
        }
    }

    /**
     * A trading phase (a call, its auction into continuous trading or post-close, ...), as the
     * scheduler sends it; {@code expected} null, or the phase the instrument must be in.
     */
    record SetTradingPhase(int instrumentId, TradingPhase phase, TradingPhase expected) implements AdminCommand
    {
        @Override
        public CommandType type()
        {
            return CommandType.SET_TRADING_PHASE;
        }
    }

    record SetReferencePrice(int instrumentId, long referencePrice) implements AdminCommand
    {
        @Override
        public CommandType type()
        {
            return CommandType.SET_REFERENCE_PRICE;
        }

        /** Prices in decimals, as the API takes and the journal tools print them (the log's line). */
        @Override
        public String toString()
        {
            return "SetReferencePrice[instrumentId=" + instrumentId + ", referencePrice=" + Prices.toString(referencePrice) + "]";
        }
    }

    /**
     * New rules for an existing instrument: each value 0 keeps the current one (at least one is
     * set). Resting orders keep their price and quantity; new orders and replaces meet the new rules.
     */
    record AmendInstrument(int instrumentId, long tickSize, long lotSize, long minQuantity, long maxQuantity, long maxNotional,
        long referencePrice, int priceBandBps) implements AdminCommand
    {
        @Override
        public CommandType type()
        {
            return CommandType.AMEND_INSTRUMENT;
        }

        /** Prices in decimals, as the API takes and the journal tools print them (the log's line). */
        @Override
        public String toString()
        {
            // 0 is "keep the instrument's": the line said lotSize=0 for a lot size nobody touched
            return "AmendInstrument[instrumentId=" + instrumentId + ", tickSize=" + price(tickSize) + ", lotSize=" + count(lotSize) +
                ", minQuantity=" + count(minQuantity) + ", maxQuantity=" + count(maxQuantity) + ", maxNotional=" + price(maxNotional) +
                ", referencePrice=" + price(referencePrice) + ", priceBandBps=" + count(priceBandBps) + "]";
        }

        private static String price(final long value)
        {
            return value == 0 ? "kept" : Prices.toString(value);
        }

        private static String count(final long value)
        {
            return value == 0 ? "kept" : Long.toString(value);
        }
    }

    /** The volatility guards (the bands a trade may print in before a volatility call). */
    record SetVolatilityGuards(int instrumentId, int dynamicBandBps, int staticBandBps, long interruptionNanos) implements AdminCommand
    {
        @Override
        public CommandType type()
        {
            return CommandType.SET_VOLATILITY_GUARDS;
        }
    }

    record CreateAccount(long accountId, StpMode stpMode) implements AdminCommand
    {
        @Override
        public CommandType type()
        {
            return CommandType.CREATE_ACCOUNT;
        }
    }

    /** A deposit or withdrawal of cash (instrumentId 0) or of a position. */
    record Transfer(long accountId, int instrumentId, long amount, boolean withdraw) implements AdminCommand
    {
        @Override
        public CommandType type()
        {
            return withdraw ? CommandType.WITHDRAW : CommandType.DEPOSIT;
        }

        /** Prices in decimals, as the API takes and the journal tools print them (the log's line). */
        @Override
        public String toString()
        {
            return "Transfer[accountId=" + accountId + ", instrumentId=" + instrumentId + ", amount=" +
                (instrumentId == 0 ? Prices.toString(amount) : Long.toString(amount)) + ", withdraw=" + withdraw + "]";
        }
    }

    /**
     * Blocks or releases an account (sessionId 0) or a FIX session (accountId 0); with
     * cancelOrders (the kill switch) its live orders are canceled first.
     */
    record SetBlock(long accountId, int sessionId, boolean blocked, boolean cancelOrders) implements AdminCommand
    {
        @Override
        public CommandType type()
        {
            return CommandType.SET_BLOCK;
        }
    }

    /** DAY orders expire; instrumentId 0: every instrument, and the ClOrdID day turns over. */
    /**
     * @param force for the whole exchange (instrument 0): end the day even when nothing has happened
     *              since the last day end (refused otherwise: a retry or a double click ended two days).
     */
    record EndOfDay(int instrumentId, boolean force) implements AdminCommand
    {
        public EndOfDay(final int instrumentId)
        {
            this(instrumentId, false);
        }

        @Override
        public CommandType type()
        {
            return CommandType.END_OF_DAY;
        }
    }
}
