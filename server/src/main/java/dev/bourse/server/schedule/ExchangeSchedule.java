package dev.bourse.server.schedule;

import dev.bourse.protocol.sbe.TradingPhase;
import dev.bourse.server.config.ExchangeConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The schedule sources the configuration asks for: a {@link TradingDaySchedule} per segment, the
 * day's end, GTD expiry, and the {@link VolatilityCallEnds} that must be fed journal entries. Hand
 * {@link #sources()} to a {@link Scheduler.Context}; other components (operations) add their own
 * sources to the same scheduler.
 */
public final class ExchangeSchedule
{
    private final ExchangeConfig.Schedule config;
    private final List<ScheduleSource> sources = new ArrayList<>();
    private final VolatilityCallEnds volatilityCallEnds;
    private final GtdExpiryTimes gtdExpiryTimes;
    /** Each listed instrument's segment day (the first that lists it), and the day of every other instrument (the * segment's). */
    private final Map<Integer, TradingDaySchedule> dayOf = new HashMap<>();
    private TradingDaySchedule everyOtherDay;

    public ExchangeSchedule(final ExchangeConfig.Schedule config)
    {
        this.config = config;
        final Map<Integer, Duration> volatilityRandom = new HashMap<>();
        final List<TradingDaySchedule> days = new ArrayList<>();
        final java.util.Set<Integer> listed = new java.util.HashSet<>();
        Duration othersVolatilityRandom = Duration.ZERO;
        for (final ExchangeConfig.Segment segment : config.enabled() ? config.segments() : List.<ExchangeConfig.Segment>of())
        {
            if (segment.everyOtherInstrument())
            {
                othersVolatilityRandom = segment.volatilityRandom();
            }
            else
            {
                listed.addAll(segment.instrumentIds());
            }
        }
        final TradingDaySchedule.OtherInstruments others = new TradingDaySchedule.OtherInstruments()
        {
            @Override
            public org.agrona.collections.IntHashSet known()
            {
                return ExchangeSchedule.this.volatilityCallEnds.knownInstruments();
            }

            @Override
            public org.agrona.collections.IntArrayList addedLater()
            {
                return ExchangeSchedule.this.volatilityCallEnds.addedInstruments();
            }

            @Override
            public boolean listed(final int instrumentId)
            {
                return listed.contains(instrumentId);
            }
        };
        // Without schedule.enabled there is no trading day, but GTD orders still expire and
        // volatility calls still end: the gateway takes GTD orders whatever the schedule.
        for (final ExchangeConfig.Segment segment : config.enabled() ? config.segments() : List.<ExchangeConfig.Segment>of())
        {
            days.add(new TradingDaySchedule(new TradingDaySchedule.Day(segment.name(), segment.instrumentIds(),
                config.tradingDays(), config.holidays(), segment.openingCall(), segment.open(), segment.openRandom(),
                segment.closingCall(), segment.close(), segment.closeRandom(), segment.dynamicBandBps(), segment.staticBandBps(),
                segment.volatilityCall()), this::lastPhase, segment.everyOtherInstrument() ? others : null));
            for (final int id : segment.instrumentIds())
            {
                volatilityRandom.put(id, segment.volatilityRandom());
            }
        }
        sources.addAll(days);
        for (int i = 0; i < days.size(); i++) // days.get(i) is the i-th enabled segment's
        {
            final ExchangeConfig.Segment segment = config.segments().get(i);
            if (segment.everyOtherInstrument())
            {
                everyOtherDay = days.get(i);
            }
            else
            {
                for (final int id : segment.instrumentIds())
                {
                    dayOf.putIfAbsent(id, days.get(i));
                }
            }
        }
        final Duration unlisted = othersVolatilityRandom; // an instrument no segment lists is the * segment's, if there is one
        volatilityCallEnds = new VolatilityCallEnds(id -> volatilityRandom.getOrDefault(id, unlisted), this::dayPhase);
        sources.add(volatilityCallEnds);
        if (config.enabled() && config.endOfDay() != null)
        {
            sources.add(new DayEndSchedule(config.endOfDay(), config.tradingDays(), config.holidays()));
        }
        if (!config.gtdExpiryInterval().isZero())
        {
            sources.add(new GtdExpirySchedule(config.gtdExpiryInterval())); // a backstop, and what the journal has not shown yet
            gtdExpiryTimes = new GtdExpiryTimes();
            sources.add(gtdExpiryTimes);
        }
        else
        {
            gtdExpiryTimes = null;
        }
    }

    /**
     * The phase an instrument's segment day is in at a time (nanos since the epoch), or null when no
     * segment's day takes it (no schedule) or before its segment's first step of a day that does not
     * close. Reads only the configuration, so the admin API's threads ask it too: an operator's
     * resume goes straight into the day's phase.
     */
    public TradingPhase dayPhase(final int instrumentId, final long epochNanos)
    {
        final TradingDaySchedule day = dayOf.getOrDefault(instrumentId, everyOtherDay);
        return day == null ? null : day.phaseOfDay(
            java.time.LocalDateTime.ofInstant(java.time.Instant.ofEpochSecond(0, epochNanos), config.zone()));
    }

    /** An instrument's last phase in the journal, as the volatility-call source (fed the journal) knows it. */
    private int lastPhase(final int instrumentId)
    {
        return volatilityCallEnds.lastPhase(instrumentId);
    }

    /** The trading day runs (segments' phases, the day's end). */
    public boolean enabled()
    {
        return config.enabled();
    }

    public Duration gtdExpiryInterval()
    {
        return config.gtdExpiryInterval();
    }

    /** What the scheduler does, for the start-up log. */
    public String describe()
    {
        final String gtd = config.gtdExpiryInterval().isZero() ? "GTD orders expire at the day's end"
            : "GTD orders expire at their expire times (and every "
                + config.gtdExpiryInterval().toString().substring(2).toLowerCase(java.util.Locale.ROOT) + ")";
        return (config.enabled() ? "the trading day from the configuration's schedule (zone " + config.zone() + "), "
            : "no trading day (schedule.enabled = false), ") + gtd + ", volatility calls end on time";
    }

    public java.time.ZoneId zone()
    {
        return config.zone();
    }

    public List<ScheduleSource> sources()
    {
        return sources;
    }

    /** Feed it the journal's entries (a tailer from where the engine recovered), on the scheduler's thread. */
    public VolatilityCallEnds volatilityCallEnds()
    {
        return volatilityCallEnds;
    }

    /** Feed it the journal's entries as {@link #volatilityCallEnds()}; null when GTD orders expire only at the day's end. */
    public GtdExpiryTimes gtdExpiryTimes()
    {
        return gtdExpiryTimes;
    }
}
