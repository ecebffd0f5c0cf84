package dev.bourse.server.schedule;

import dev.bourse.journal.JournalTailer;
import dev.bourse.protocol.JournalEntryReader;
import dev.bourse.protocol.JournalEventListener;
import dev.bourse.protocol.sbe.EntryHeaderDecoder;
import dev.bourse.protocol.sbe.InstrumentAddedDecoder;
import dev.bourse.protocol.sbe.OrderAcceptedDecoder;
import dev.bourse.protocol.sbe.OrdersExpiredDecoder;
import dev.bourse.protocol.sbe.TradingPhaseChangedDecoder;
import dev.bourse.protocol.sbe.TradingStatusChangedDecoder;
import org.agrona.concurrent.Agent;

/**
 * The scheduler with the journal reader its volatility-call and GTD-expiry sources need, as one agent: all on
 * the same thread, so the source's state has one writer. The tailer reads the journal from its
 * start, to its end before the scheduler's first cycle: the opening call is guarded by each
 * instrument's last phase, and a call open at a restart is found from its start.
 */
public final class SchedulerAgent implements Agent
{
    private final Scheduler scheduler;
    private final JournalTailer tailer;
    private final VolatilityCallEnds volatilityCallEnds;
    private final JournalEntryReader reader = new JournalEntryReader();
    private final dev.bourse.journal.JournalHandler feed;

    /** @param gtdExpiryTimes also fed the journal (null: none). */
    public SchedulerAgent(final Scheduler scheduler, final JournalTailer tailer, final VolatilityCallEnds volatilityCallEnds,
        final GtdExpiryTimes gtdExpiryTimes)
    {
        this.scheduler = scheduler;
        this.tailer = tailer;
        this.volatilityCallEnds = volatilityCallEnds;
        final JournalEventListener listener = gtdExpiryTimes == null ? volatilityCallEnds : new Sources(volatilityCallEnds, gtdExpiryTimes);
        this.feed = (position, buffer, offset, length) -> reader.read(buffer, offset, length, listener);
    }

    /**
     * Each entry read once for both sources: the events each one listens to, forwarded
     * ({@code SchedulerAgentTest} fails if either source starts listening to another).
     */
    static final class Sources implements JournalEventListener
    {
        private final VolatilityCallEnds volatilityCallEnds;
        private final GtdExpiryTimes gtdExpiryTimes;

        Sources(final VolatilityCallEnds volatilityCallEnds, final GtdExpiryTimes gtdExpiryTimes)
        {
            this.volatilityCallEnds = volatilityCallEnds;
            this.gtdExpiryTimes = gtdExpiryTimes;
        }

        @Override
        public void onTradingPhaseChanged(final EntryHeaderDecoder header, final TradingPhaseChangedDecoder event)
        {
            volatilityCallEnds.onTradingPhaseChanged(header, event);
        }

        @Override
        public void onTradingStatusChanged(final EntryHeaderDecoder header, final TradingStatusChangedDecoder event)
        {
            volatilityCallEnds.onTradingStatusChanged(header, event);
        }

        @Override
        public void onInstrumentAdded(final EntryHeaderDecoder header, final InstrumentAddedDecoder event)
        {
            volatilityCallEnds.onInstrumentAdded(header, event);
        }

        @Override
        public void onOrderAccepted(final EntryHeaderDecoder header, final OrderAcceptedDecoder event)
        {
            gtdExpiryTimes.onOrderAccepted(header, event);
        }

        @Override
        public void onOrdersExpired(final EntryHeaderDecoder header, final OrdersExpiredDecoder event)
        {
            gtdExpiryTimes.onOrdersExpired(header, event);
        }
    }

    @Override
    public int doWork() throws Exception
    {
        final int read = tailer.poll(feed, caughtUp ? 256 : 4_096); // a few ms per cycle: market data shares the thread
        if (!caughtUp)
        {
            if (read > 0)
            {
                return read; // the scheduler plans once the journal's phases are known: its catch-up is guarded by them
            }
            caughtUp = true;
            volatilityCallEnds.caughtUp();
        }
        return read + scheduler.doWork();
    }

    private boolean caughtUp;

    @Override
    public void onClose()
    {
        scheduler.onClose();
        tailer.close();
    }

    @Override
    public String roleName()
    {
        return "scheduler";
    }

    public Scheduler scheduler()
    {
        return scheduler;
    }
}
