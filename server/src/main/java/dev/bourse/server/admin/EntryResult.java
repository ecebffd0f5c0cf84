package dev.bourse.server.admin;

import dev.bourse.protocol.JournalEventListener;
import dev.bourse.protocol.Prices;
import dev.bourse.protocol.sbe.*;

/**
 * Finds the journal entry of one operator command (by its command type and timestamp, or on a
 * cluster, where the log's time replaces the timestamp, by its type and the msgSeqNum its
 * {@link AdminChannel} marked it with; operators' commands have session 0 unless they name a
 * session) and collects what the engine did: the result's fields as JSON members, or the reason it
 * refused.
 */
final class EntryResult implements JournalEventListener
{
    boolean found;
    long position;
    long sequence;
    RejectReason rejectReason;
    /** A MassCancel slice's MassCancelDone: orders of the same request remain beyond it. */
    boolean moreRemaining;
    private CommandType expectedType;
    private long expectedTimestamp;
    private int expectedMark;
    private boolean byMark;
    private boolean inEntry;
    private int canceled;
    /** Of {@link #canceled}, those that expired (at-the-open or at-the-close orders a call's end expired, GTD). */
    private int expired;
    private int phaseInstrumentId;
    private final StringBuilder members = new StringBuilder();

    void expect(final CommandType type, final long timestamp)
    {
        expectedType = type;
        expectedTimestamp = timestamp;
        byMark = false;
        reset();
    }

    /** The entry of the command of this type whose msgSeqNum is {@code mark}. */
    void expectMarked(final CommandType type, final int mark)
    {
        expectedType = type;
        expectedMark = mark;
        byMark = true;
        reset();
    }

    private void reset()
    {
        found = false;
        inEntry = false;
        rejectReason = null;
        moreRemaining = false;
        canceled = 0;
        expired = 0;
        phase = null;
        thenPhase = null;
        members.setLength(0);
    }

    @Override
    public void onEntryStart(final EntryHeaderDecoder header)
    {
        inEntry = !found && header.commandType() == expectedType
            && (byMark ? header.msgSeqNum() == expectedMark : header.timestamp() == expectedTimestamp);
        if (inEntry)
        {
            sequence = header.sequence();
            member("command").append('"').append(expectedType.name()).append('"');
        }
    }

    @Override
    public void onEntryEnd(final EntryHeaderDecoder header)
    {
        if (inEntry)
        {
            if (phase != null)
            {
                if (members.indexOf("\"instrumentId\":") < 0)
                {
                    member("instrumentId").append(phaseInstrumentId); // as every other instrument action's answer names it
                }
                member("phase").append('"').append(phase.name()).append('"');
            }
            if (thenPhase != null)
            {
                member("thenPhase").append('"').append(thenPhase.name()).append('"');
            }
            if (expectedType != CommandType.END_OF_DAY) // a day's end counts its cancels as expiredOrders
            {
                // named by why they ended, not by the command: a resume that uncrossed a halted opening call expired its
                // at-the-open orders as the phase change does, and said "canceledOrders" (an outside probe)
                if (expired > 0)
                {
                    member("expiredOrders").append(expired);
                }
                if (canceled - expired > 0)
                {
                    member("canceledOrders").append(canceled - expired);
                }
            }
            found = true;
            inEntry = false;
        }
    }

    @Override
    public void onCommandRejected(final EntryHeaderDecoder header, final CommandRejectedDecoder event)
    {
        if (inEntry)
        {
            rejectReason = event.reason();
        }
    }

    @Override
    public void onInstrumentAdded(final EntryHeaderDecoder header, final InstrumentAddedDecoder event)
    {
        if (inEntry)
        {
            member("instrumentId").append(event.instrumentId());
            member("symbol").append('"').append(event.symbol().trim()).append('"');
            member("status").append('"').append(event.status().name()).append('"');
        }
    }

    @Override
    public void onInstrumentAmended(final EntryHeaderDecoder header, final InstrumentAmendedDecoder event)
    {
        if (inEntry)
        {
            member("instrumentId").append(event.instrumentId());
            member("tick").append('"').append(Prices.toString(event.tickSize())).append('"');
            member("lot").append(event.lotSize());
            member("minQty").append(event.minQuantity());
            member("maxQty").append(event.maxQuantity());
            member("maxNotional").append('"').append(Prices.toString(event.maxNotional())).append('"');
            member("referencePrice").append('"').append(Prices.toString(event.referencePrice())).append('"');
            member("bandBps").append(event.priceBandBps());
        }
    }

    @Override
    public void onTradingStatusChanged(final EntryHeaderDecoder header, final TradingStatusChangedDecoder event)
    {
        if (inEntry)
        {
            member("instrumentId").append(event.instrumentId());
            member("status").append('"').append(event.status().name()).append('"');
        }
    }

    @Override
    public void onTradingPhaseChanged(final EntryHeaderDecoder header, final TradingPhaseChangedDecoder event)
    {
        if (inEntry)
        {
            if (phase == null)
            {
                phase = event.phase();
                phaseInstrumentId = event.instrumentId();
            }
            else
            {
                thenPhase = event.phase();
            }
        }
    }

    /**
     * The entry's first phase change (the command's) and its last, if another followed: the engine's
     * own, as when the command's auction traded outside a band and started a volatility call. One
     * member each, written at the entry's end (a JSON object's names are unique).
     */
    private dev.bourse.protocol.sbe.TradingPhase phase;
    private dev.bourse.protocol.sbe.TradingPhase thenPhase;

    @Override
    public void onAuctionUncrossed(final EntryHeaderDecoder header, final AuctionUncrossedDecoder event)
    {
        if (inEntry)
        {
            // an auction that matched nothing found no price: null, as the query API's lastAuction shows it
            if (event.matchedQty() > 0)
            {
                member("auctionPrice").append('"').append(Prices.toString(event.price())).append('"');
            }
            else
            {
                member("auctionPrice").append("null");
            }
            member("auctionQty").append(event.matchedQty());
        }
    }

    @Override
    public void onReferencePriceChanged(final EntryHeaderDecoder header, final ReferencePriceChangedDecoder event)
    {
        if (inEntry)
        {
            member("instrumentId").append(event.instrumentId());
            member("referencePrice").append('"').append(Prices.toString(event.referencePrice())).append('"');
        }
    }

    @Override
    public void onVolatilityGuardsChanged(final EntryHeaderDecoder header, final VolatilityGuardsChangedDecoder event)
    {
        if (inEntry)
        {
            member("instrumentId").append(event.instrumentId());
            member("dynamicBandBps").append(event.dynamicBandBps());
            member("staticBandBps").append(event.staticBandBps());
            member("interruptionMs").append(event.interruptionNanos() / 1_000_000);
        }
    }

    @Override
    public void onAccountCreated(final EntryHeaderDecoder header, final AccountCreatedDecoder event)
    {
        if (inEntry)
        {
            member("accountId").append(event.accountId());
        }
    }

    @Override
    public void onBalanceChanged(final EntryHeaderDecoder header, final BalanceChangedDecoder event)
    {
        if (inEntry)
        {
            member("accountId").append(event.accountId());
            member("instrumentId").append(event.instrumentId());
            final boolean cash = event.instrumentId() == 0;
            member("balance").append('"').append(cash ? Prices.toString(event.balance()) : Long.toString(event.balance())).append('"');
        }
    }

    @Override
    public void onOrderCanceled(final EntryHeaderDecoder header, final OrderCanceledDecoder event)
    {
        // An entry also carries what its trades set off: an elected stop's IOC remainder, a
        // self-trade prevention cancel. Those are not the operator's cancels (an outside probe: an
        // opening auction's answer said "canceledOrders":1 for the remainder of a stop it elected).
        if (inEntry && event.reason() != CancelReason.IOC_REMAINDER && event.reason() != CancelReason.SELF_TRADE_PREVENTION
            && event.reason() != CancelReason.VOLATILITY_INTERRUPTION)
        {
            canceled++;
            expired += event.reason() == CancelReason.EXPIRED ? 1 : 0;
        }
    }

    @Override
    public void onMassCancelDone(final EntryHeaderDecoder header, final MassCancelDoneDecoder event)
    {
        if (inEntry)
        {
            moreRemaining = event.moreRemaining() == BooleanType.TRUE;
            if (event.rejectReason() != RejectReason.NONE)
            {
                rejectReason = event.rejectReason();
            }
        }
    }

    /** The orders the command itself canceled or expired (its OrderCanceled events but trades' fallout). */
    int canceled()
    {
        return canceled;
    }

    @Override
    public void onBlockChanged(final EntryHeaderDecoder header, final BlockChangedDecoder event)
    {
        if (inEntry)
        {
            if (event.accountId() != 0)
            {
                member("accountId").append(event.accountId());
            }
            if (event.targetSessionId() != 0)
            {
                member("sessionId").append(event.targetSessionId());
            }
            member("blocked").append(event.blocked() == BooleanType.TRUE);
        }
    }

    @Override
    public void onDayEnded(final EntryHeaderDecoder header, final DayEndedDecoder event)
    {
        if (inEntry)
        {
            member("instrumentId").append(event.instrumentId());
            member("expiredOrders").append(event.expiredCount());
        }
    }

    @Override
    public void onAuditRecorded(final EntryHeaderDecoder header, final AuditRecordedDecoder event)
    {
        if (inEntry)
        {
            member("audited").append('"').append(event.auditType().name()).append('"');
        }
    }

    String members()
    {
        return members.toString();
    }

    /** 404 for what does not exist, 409 for what conflicts with the state, 422 for a value the engine refuses. */
    int rejectStatus()
    {
        switch (rejectReason)
        {
            case UNKNOWN_ACCOUNT:
            case UNKNOWN_INSTRUMENT:
                return 404;
            case INSTRUMENT_EXISTS:
            case ACCOUNT_EXISTS:
            case INSUFFICIENT_FUNDS:
            case INSUFFICIENT_POSITION:
            case NOT_ALLOWED_IN_PHASE:
            case DAY_ALREADY_ENDED:
                return 409;
            default:
                return 422;
        }
    }

    /** A few words on what to do about the common refusals. */
    String rejectHint()
    {
        switch (rejectReason)
        {
            case INSUFFICIENT_FUNDS:
            case INSUFFICIENT_POSITION:
                return " (the amount is more than what is available: held amounts back open orders)";
            case BALANCE_OVERFLOW:
                return " (the account's balance would pass 230584300921369.3951, or all accounts' of that asset together"
                    + " 461168601842738.7903: the limits that keep settlement from overflowing)";
            case DAY_ALREADY_ENDED:
                return " (nothing has happened since the last day end: force=true, or admin end-of-day --force, ends another)";
            case INSTRUMENT_EXISTS:
                return " (the id or the symbol is taken)";
            case ACCOUNT_EXISTS:
                return " (the account id is taken)";
            case INVALID_INSTRUMENT:
                return " (id outside engine.max-instruments, or tick, lot, quantities, reference price or band inconsistent)";
            case BAD_TICK:
                return " (the reference price must be a whole number of ticks)";
            case QTY_OUT_OF_RANGE:
                return " (minQty must be a whole number of lots, at least one, and not above maxQty)";
            case OUTSIDE_PRICE_BAND:
                return " (bandBps must be 1 to 100000 and computable around the reference price)";
            case MALFORMED_COMMAND:
                return " (the command is malformed, or names nothing to change)";
            default:
                return "";
        }
    }

    private StringBuilder member(final String name)
    {
        if (members.length() > 0)
        {
            members.append(',');
        }
        return members.append('"').append(name).append("\":");
    }
}
