package dev.bourse.server.schedule;

import dev.bourse.engine.sequencer.CommandPublisher;
import dev.bourse.protocol.CommandWriter;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Turns the trading calendar into engine commands, outside the engine: the engine reads no clock,
 * so every phase change, auction, expiry and day end reaches it as a command through the
 * sequencer, stamped with this scheduler's clock, like any other command. One scheduler for the
 * whole exchange, fed by several {@link ScheduleSource}s (each segment's trading day, the day's
 * end, GTD expiry, the ends of volatility calls, and whatever operations add).
 * <p>
 * An Agrona {@link Agent}: each duty cycle reads the clock, plans the next day once the current one
 * has begun, lets reactive sources plan, and sends every action that is due. A full ring is not an
 * error: the action is sent on a later cycle. Clock and random source are injected (a fake clock in
 * tests); random draws happen here and travel in the commands, so the journal holds them and
 * replay never draws again.
 * <p>
 * Started late in a day (a restart), it does not replay the morning: of the actions already past,
 * only the latest of each catch-up key (an instrument's phase) is sent, at once, guarded by the
 * phase the instrument should be in; the rest of the day follows the plan. Sources that look back
 * ({@link ScheduleSource#catchUpDays()}: the day's end) count their past actions from earlier days
 * too, so the latest day end is caught up, guarded by the engine against ending a day twice.
 */
public final class Scheduler implements Agent
{
    /** Everything a scheduler needs; {@link #conclude()} checks it. */
    public static final class Context
    {
        private EpochNanoClock clock;
        private RandomGenerator random;
        private CommandPublisher publisher;
        private ZoneId zone = ZoneOffset.UTC;
        private final List<ScheduleSource> sources = new ArrayList<>();
        private Consumer<String> log = line -> { };

        /** Nanos since the epoch; the commands' timestamps. */
        public Context clock(final EpochNanoClock clock)
        {
            this.clock = clock;
            return this;
        }

        public EpochNanoClock clock()
        {
            return clock;
        }

        /** Where the random call ends are drawn from (a seeded one in tests). */
        public Context random(final RandomGenerator random)
        {
            this.random = random;
            return this;
        }

        public RandomGenerator random()
        {
            return random;
        }

        /** The sequencer's producer side (the ring, or a cluster's ingress). */
        public Context publisher(final CommandPublisher publisher)
        {
            this.publisher = publisher;
            return this;
        }

        public CommandPublisher publisher()
        {
            return publisher;
        }

        /** The time zone the schedule's times of day are in. */
        public Context zone(final ZoneId zone)
        {
            this.zone = zone;
            return this;
        }

        public ZoneId zone()
        {
            return zone;
        }

        public Context source(final ScheduleSource source)
        {
            sources.add(source);
            return this;
        }

        public Context sources(final List<? extends ScheduleSource> sources)
        {
            this.sources.addAll(sources);
            return this;
        }

        public List<ScheduleSource> sources()
        {
            return sources;
        }

        /** Told one line per command sent (and per action dropped): the server's log. */
        public Context log(final Consumer<String> log)
        {
            this.log = log;
            return this;
        }

        public Context conclude()
        {
            Objects.requireNonNull(clock, "scheduler clock");
            Objects.requireNonNull(random, "scheduler random source");
            Objects.requireNonNull(publisher, "scheduler command publisher");
            Objects.requireNonNull(zone, "scheduler time zone");
            Objects.requireNonNull(log, "scheduler log");
            if (publisher.slotCapacity() < CommandWriter.MAX_COMMAND_LENGTH)
            {
                throw new IllegalArgumentException("publisher slots of " + publisher.slotCapacity() + " bytes cannot hold a command");
            }
            return this;
        }
    }

    private record Action(long at, long order, String key, String description, CommandEncoder encoder)
    {
    }

    private final Context ctx;
    private final CommandWriter writer = new CommandWriter();
    private final PriorityQueue<Action> queue =
        new PriorityQueue<>(Comparator.comparingLong(Action::at).thenComparingLong(Action::order));
    private final Plan plan = new Plan();
    private long nextOrder;
    private LocalDate plannedThrough;
    private LocalDate currentDay;
    private LocalDate nextDay;
    private long currentDayStartsAt;
    private long nextDayStartsAt;
    private boolean started;
    private long sent;

    public Scheduler(final Context ctx)
    {
        this.ctx = ctx.conclude();
    }

    @Override
    public String roleName()
    {
        return "scheduler";
    }

    @Override
    public int doWork()
    {
        final long now = ctx.clock.nanoTime();
        int work = 0;
        final LocalDate today = dayOf(now);
        if (!started)
        {
            started = true;
            start(now, today);
            work++;
        }
        while (plannedThrough.isBefore(nextDay))
        {
            plannedThrough = plannedThrough.plusDays(1);
            planDay(plannedThrough, null);
        }
        final List<ScheduleSource> sources = ctx.sources;
        for (int i = 0; i < sources.size(); i++)
        {
            sources.get(i).poll(now, plan);
        }
        while (!queue.isEmpty() && queue.peek().at() <= now)
        {
            if (!send(queue.peek(), now))
            {
                break; // the ring is full: again on the next duty cycle
            }
            queue.poll();
            work++;
        }
        return work;
    }

    /** Commands sent so far. */
    public long sent()
    {
        return sent;
    }

    /** Actions planned and not sent yet. */
    public int pending()
    {
        return queue.size();
    }

    /** When the next action is due (nanos since the epoch), or {@link Long#MAX_VALUE}. */
    public long nextDue()
    {
        return queue.isEmpty() ? Long.MAX_VALUE : queue.peek().at();
    }

    private void start(final long now, final LocalDate today)
    {
        // Plan today, then sort out what is already past: the latest action of each catch-up key
        // is due now, the other past actions are dropped.
        final List<Action> planned = new ArrayList<>();
        for (final ScheduleSource source : ctx.sources)
        {
            for (int back = source.catchUpDays(); back > 0; back--)
            {
                planDay(source, today.minusDays(back), planned::add);
            }
        }
        final int earlierDays = planned.size();
        planDay(today, planned::add);
        final Map<String, Action> latest = new HashMap<>();
        final Map<String, Integer> missed = new TreeMap<>();
        for (int i = 0; i < planned.size(); i++)
        {
            final Action action = planned.get(i);
            if (action.at() > now)
            {
                queue.add(action);
            }
            else if (action.key() != null)
            {
                latest.merge(action.key(), action, (a, b) -> b.at() > a.at() || (b.at() == a.at() && b.order() > a.order()) ? b : a);
            }
            else if (i >= earlierDays)
            {
                // earlier days are looked at for their catch-up keys only: what they did without one is history
                missed.merge(action.description(), 1, Integer::sum);
            }
        }
        // one line per kind of action, however many of them the morning held
        missed.forEach((description, count) ->
            ctx.log.accept("scheduler: missed (not caught up) " + description + (count > 1 ? " x" + count : "")));
        // in the order they were planned (earlier days first), each after what the sources say would have come
        // before it (the GTD orders due by its time): a close caught up after a restart auctioned a book whose
        // orders had been expired up to the restart's time, some due after the close (an outside probe)
        latest.values().stream()
            .sorted(Comparator.comparingLong(Action::order))
            .forEach(action ->
            {
                for (final ScheduleSource source : ctx.sources)
                {
                    source.beforeCatchUp(action.at(), now, plan);
                }
                queue.add(new Action(now, nextOrder++, action.key(), "catch-up: " + action.description(), action.encoder()));
            });
        plannedThrough = today;
    }

    /** Lets one source plan a day into {@code collector}. */
    private void planDay(final ScheduleSource source, final LocalDate day, final Consumer<Action> collector)
    {
        plan.target = collector;
        source.planDay(day, plan);
        plan.target = null;
    }

    /** Lets every source plan a day: into the queue, or into {@code collector} if not null. */
    private void planDay(final LocalDate day, final Consumer<Action> collector)
    {
        for (final ScheduleSource source : ctx.sources)
        {
            planDay(source, day, collector);
        }
    }

    private boolean send(final Action action, final long now)
    {
        final CommandPublisher publisher = ctx.publisher;
        final long claim = publisher.tryClaim();
        if (claim == CommandPublisher.NO_CLAIM)
        {
            return false;
        }
        int length = 0;
        try
        {
            final MutableDirectBuffer buffer = publisher.buffer(claim);
            length = action.encoder().encode(writer, buffer, now);
        }
        catch (final RuntimeException e)
        {
            ctx.log.accept("scheduler: could not encode " + action.description() + ": " + e);
        }
        finally
        {
            publisher.commit(claim, Math.max(0, length));
        }
        if (length > 0)
        {
            sent++;
            ctx.log.accept("scheduler: " + action.description());
        }
        else
        {
            // the source decided at the last moment that it no longer applies (a halted instrument, a call already ended)
            ctx.log.accept("scheduler: skipped " + action.description());
        }
        return true;
    }

    /**
     * The day {@code nanos} falls in, worked out again only when it leaves the day last worked out:
     * this runs on every duty cycle of a shared background thread, and a zone's rules are made
     * afresh for each {@code atZone} of a fixed offset (hundreds of bytes a call, the largest
     * steady allocation in the exchange's process before).
     */
    private LocalDate dayOf(final long nanos)
    {
        if (currentDay == null || nanos < currentDayStartsAt || nanos >= nextDayStartsAt)
        {
            currentDay = Instant.ofEpochSecond(0, nanos).atZone(ctx.zone).toLocalDate();
            nextDay = currentDay.plusDays(1);
            currentDayStartsAt = startOf(currentDay);
            nextDayStartsAt = startOf(nextDay);
        }
        return currentDay;
    }

    private long startOf(final LocalDate day)
    {
        final Instant start = day.atStartOfDay(ctx.zone).toInstant();
        return TimeUnit.SECONDS.toNanos(start.getEpochSecond()) + start.getNano();
    }

    /** The plan the sources write into: straight into the queue, or into a collector at start. */
    private final class Plan implements DayPlan
    {
        Consumer<Action> target;

        @Override
        public ZoneId zone()
        {
            return ctx.zone;
        }

        @Override
        public long at(final LocalDate day, final LocalTime time)
        {
            final Instant instant = day.atTime(time).atZone(ctx.zone).toInstant();
            return TimeUnit.SECONDS.toNanos(instant.getEpochSecond()) + instant.getNano();
        }

        @Override
        public void schedule(final long atNanos, final String catchUpKey, final String description, final CommandEncoder encoder)
        {
            final Action action = new Action(atNanos, nextOrder++, catchUpKey, description, encoder);
            if (target != null)
            {
                target.accept(action);
            }
            else
            {
                queue.add(action);
            }
        }

        @Override
        public long draw(final long windowNanos)
        {
            return windowNanos <= 0 ? 0 : ctx.random.nextLong(windowNanos + 1);
        }
    }
}
