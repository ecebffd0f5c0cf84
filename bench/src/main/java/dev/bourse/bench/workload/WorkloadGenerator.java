package dev.bourse.bench.workload;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * Generates exchange-core's benchmark mix as a {@link CommandStream}. Per timed command
 * k = random(100): k &lt; 9 a new GTC limit near the mid, k &lt; 12 an IOC limit that crosses, k &lt; 18
 * a cancel, else a move (a price change that loses priority). A regulation rule keeps each
 * instrument near its resting target by swapping the add and cancel shares (below target cancels
 * become GTC orders, above it GTC orders become cancels). Prices stay in 7,500..12,500 ticks around
 * a per-instrument mid that wanders near 10,000. The prefill, which is not timed, places
 * non-crossing GTC orders until every instrument holds its target. Deterministic for a seed.
 */
public final class WorkloadGenerator
{
    public static final int MIN_PRICE = 7_500;
    public static final int MAX_PRICE = 12_500;
    public static final int REFERENCE_PRICE = 10_000;
    private static final int MID_LOW = 9_500;
    private static final int MID_HIGH = 10_500;

    private final WorkloadSpec spec;
    private final SplittableRandom random;
    private final ShadowBook book;
    private final CommandStream.Writer writer = new CommandStream.Writer();
    private final int[] mid;
    private int nextOrderId = 1;
    private final long[] typeCounts = new long[5];

    public WorkloadGenerator(final WorkloadSpec spec)
    {
        this.spec = spec;
        this.random = new SplittableRandom(spec.seed);
        this.book = new ShadowBook(spec.instruments, MIN_PRICE, MAX_PRICE);
        this.mid = new int[spec.instruments + 1];
        java.util.Arrays.fill(mid, REFERENCE_PRICE);
    }

    /** Generates the whole stream: header, prefill, timed commands. */
    public ByteBuffer generate()
    {
        for (int round = 0; round < spec.restingTarget; round++)
        {
            for (int instrument = 1; instrument <= spec.instruments; instrument++)
            {
                final byte side = random.nextBoolean() ? CommandStream.BUY : CommandStream.SELL;
                final int offset = 1 + random.nextInt(50);
                newOrder(CommandStream.GTC, instrument, side, side == CommandStream.BUY ? mid[instrument] - offset : mid[instrument] + offset);
            }
        }
        final long prefill = writer.count();
        java.util.Arrays.fill(typeCounts, 0);
        for (long i = 0; i < spec.timedCount; i++)
        {
            next();
        }
        return writer.finish(spec.instruments, spec.accounts, spec.restingTarget, prefill, spec.seed,
            MIN_PRICE, MAX_PRICE, REFERENCE_PRICE);
    }

    /** The book both replays must end with. */
    public ShadowBook book()
    {
        return book;
    }

    /** Timed commands by type (index {@link CommandStream#GTC} .. {@link CommandStream#MOVE}). */
    public long[] typeCounts()
    {
        return typeCounts.clone();
    }

    private void next()
    {
        final int instrument = 1 + random.nextInt(spec.instruments);
        wander(instrument);
        final int k = random.nextInt(100);
        final int live = book.liveOrders(instrument);
        if (k < 9 || (k >= 12 && k < 18 && live < spec.restingTarget) || live == 0)
        {
            if (k < 9 && live > spec.restingTarget && live > 0)
            {
                cancel(instrument);
                return;
            }
            final byte side = random.nextBoolean() ? CommandStream.BUY : CommandStream.SELL;
            newOrder(CommandStream.GTC, instrument, side, passivePrice(instrument, side));
        }
        else if (k < 12)
        {
            final byte side = random.nextBoolean() ? CommandStream.BUY : CommandStream.SELL;
            final int offset = random.nextInt(10);
            newOrder(CommandStream.IOC, instrument, side, side == CommandStream.BUY ? mid[instrument] + offset : mid[instrument] - offset);
        }
        else if (k < 18)
        {
            cancel(instrument);
        }
        else
        {
            move(instrument);
        }
    }

    private void newOrder(final byte type, final int instrument, final byte side, final int rawPrice)
    {
        final int price = clamp(rawPrice);
        final int quantity = 1 + random.nextInt(6) * random.nextInt(6) * random.nextInt(6);
        final int account = 1 + random.nextInt(spec.accounts);
        final int orderId = nextOrderId++;
        writer.add(type, side, instrument, account, quantity, orderId, price);
        book.place(orderId, instrument, side, price, quantity, account, type == CommandStream.IOC);
        typeCounts[type]++;
    }

    private void cancel(final int instrument)
    {
        final int orderId = book.randomLive(instrument, random);
        writer.add(CommandStream.CANCEL, book.side(orderId), instrument, book.account(orderId), 0, orderId, 0);
        book.cancel(orderId);
        typeCounts[CommandStream.CANCEL]++;
    }

    private void move(final int instrument)
    {
        final int orderId = book.randomLive(instrument, random);
        final byte side = book.side(orderId);
        int price = passivePrice(instrument, side);
        if (price == book.price(orderId))
        {
            price = price == MIN_PRICE ? price + 1 : price - 1;
        }
        writer.add(CommandStream.MOVE, side, instrument, book.account(orderId), book.quantity(orderId), orderId, price);
        book.move(orderId, price);
        typeCounts[CommandStream.MOVE]++;
    }

    /** Mostly behind the mid, sometimes a few ticks through it so that some orders trade. */
    private int passivePrice(final int instrument, final byte side)
    {
        final int offset = random.nextInt(40) - 1;
        return clamp(side == CommandStream.BUY ? mid[instrument] - offset : mid[instrument] + offset);
    }

    private void wander(final int instrument)
    {
        final int step = random.nextInt(64);
        if (step == 0 && mid[instrument] > MID_LOW)
        {
            mid[instrument]--;
        }
        else if (step == 1 && mid[instrument] < MID_HIGH)
        {
            mid[instrument]++;
        }
    }

    private static int clamp(final int price)
    {
        return Math.max(MIN_PRICE, Math.min(MAX_PRICE, price));
    }
}
