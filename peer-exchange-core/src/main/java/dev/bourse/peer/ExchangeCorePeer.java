package dev.bourse.peer;

import exchange.core2.core.ExchangeApi;
import exchange.core2.core.ExchangeCore;
import exchange.core2.core.common.CoreSymbolSpecification;
import exchange.core2.core.common.CoreWaitStrategy;
import exchange.core2.core.common.L2MarketData;
import exchange.core2.core.common.OrderAction;
import exchange.core2.core.common.OrderType;
import exchange.core2.core.common.SymbolType;
import exchange.core2.core.common.api.*;
import exchange.core2.core.common.api.binary.BatchAddSymbolsCommand;
import exchange.core2.core.common.cmd.CommandResultCode;
import exchange.core2.core.common.cmd.OrderCommand;
import exchange.core2.core.common.config.*;
import exchange.core2.core.orderbook.OrderBookDirectImpl;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Replays a bench command stream through exchange-core 0.5.3 in this JVM, with its best
 * configuration on a 2-core machine (YIELDING, Direct order book, ring 64K, groups of up to 4096
 * messages or 4 ms, one matching and one risk engine, risk processing on), and prints results as
 * {@code PEER ...} lines for the bench to parse.
 * <p>
 * Commands are built as exchange-core API objects before the clock starts (what its own
 * benchmarks do) and submitted with {@code submitCommand}. A timed command carries
 * {@code TIMED_BASE + index} as its timestamp, so the results consumer can stamp its completion
 * without any lookup. Mapping: GTC and IOC limit orders to PLACE_ORDER GTC/IOC, cancel to
 * CANCEL_ORDER, move to MOVE_ORDER; the stream holds nothing else.
 * <p>
 * Usage: {@code --stream FILE [--iterations N] [--warmups N] [--rates r1,r2] [--latency-seconds S]
 * [--book-out FILE] [--hgrm-dir DIR]}
 */
public final class ExchangeCorePeer
{
    private static final long TIMED_BASE = 1L << 40;
    private static final int BASE_CURRENCY = 1;
    private static final int QUOTE_CURRENCY = 2;
    private static final long BALANCE = 1_000_000_000_000_000L;

    private final PeerStream stream;
    private final ApiCommand[] prefill;
    private final ApiCommand[] timed;
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private volatile long[] completionNanos;
    private volatile long lastNanos;
    private volatile long target;
    private volatile String firstReject;
    private ExchangeCore core;
    private ExchangeApi api;

    private ExchangeCorePeer(final PeerStream stream)
    {
        this.stream = stream;
        prefill = new ApiCommand[(int)stream.prefillCount];
        timed = new ApiCommand[(int)stream.timedCount];
        for (int i = 0; i < prefill.length; i++)
        {
            prefill[i] = command(i);
        }
        for (int i = 0; i < timed.length; i++)
        {
            timed[i] = command(stream.prefillCount + i);
            timed[i].timestamp = TIMED_BASE + i;
        }
    }

    private ApiCommand command(final long i)
    {
        final byte type = stream.type(i);
        final long uid = stream.account(i);
        final int symbol = stream.instrument(i);
        switch (type)
        {
            case PeerStream.GTC:
            case PeerStream.IOC:
                final boolean bid = stream.side(i) == PeerStream.BUY;
                return ApiPlaceOrder.builder()
                    .orderId(stream.orderId(i)).uid(uid).symbol(symbol)
                    .action(bid ? OrderAction.BID : OrderAction.ASK)
                    .orderType(type == PeerStream.GTC ? OrderType.GTC : OrderType.IOC)
                    .price(stream.price(i)).size(stream.quantity(i))
                    // A bid's reserve price bounds the prices it may later move to: the top of the stream's range.
                    .reservePrice(bid ? stream.maxPrice : 0)
                    .build();
            case PeerStream.CANCEL:
                return ApiCancelOrder.builder().orderId(stream.orderId(i)).uid(uid).symbol(symbol).build();
            case PeerStream.MOVE:
                return ApiMoveOrder.builder().orderId(stream.orderId(i)).uid(uid).symbol(symbol).newPrice(stream.price(i)).build();
            default:
                throw new IllegalArgumentException("bad record type " + type + " at " + i);
        }
    }

    private void onResult(final OrderCommand cmd, final long sequence)
    {
        final long index = cmd.timestamp - TIMED_BASE;
        if (index < 0)
        {
            return;
        }
        final long[] stamps = completionNanos;
        if (stamps != null && index < stamps.length)
        {
            stamps[(int)index] = System.nanoTime();
        }
        if (cmd.resultCode != CommandResultCode.SUCCESS)
        {
            if (rejected.getAndIncrement() == 0)
            {
                firstReject = cmd.command + " " + cmd.resultCode + " order " + cmd.orderId;
            }
        }
        final long n = completed.incrementAndGet();
        if (n == target)
        {
            lastNanos = System.nanoTime();
        }
    }

    private void start()
    {
        final PerformanceConfiguration performance = PerformanceConfiguration.baseBuilder()
            .ringBufferSize(64 * 1024)
            .matchingEnginesNum(1)
            .riskEnginesNum(1)
            .msgsInGroupLimit(4096)
            .maxGroupDurationNs(4_000_000)
            .waitStrategy(CoreWaitStrategy.YIELDING)
            .orderBookFactory(OrderBookDirectImpl::new)
            .threadFactory(runnable ->
            {
                final Thread thread = new Thread(runnable);
                thread.setDaemon(true);
                return thread;
            })
            .build();
        final ExchangeConfiguration configuration = ExchangeConfiguration.defaultBuilder()
            .performanceCfg(performance)
            .ordersProcessingCfg(OrdersProcessingConfiguration.builder()
                .riskProcessingMode(OrdersProcessingConfiguration.RiskProcessingMode.FULL_PER_CURRENCY)
                .marginTradingMode(OrdersProcessingConfiguration.MarginTradingMode.MARGIN_TRADING_DISABLED)
                .build())
            .initStateCfg(InitialStateConfiguration.CLEAN_TEST)
            .build();
        core = ExchangeCore.builder().resultsConsumer(this::onResult).exchangeConfiguration(configuration).build();
        core.startup();
        api = core.getApi();
    }

    /** Empty exchange, symbols, funded users, prefilled book: nothing here is timed. */
    private void prepare() throws Exception
    {
        completionNanos = null;
        target = Long.MAX_VALUE;
        check("reset", api.submitCommandAsync(ApiReset.builder().build()).get());
        final List<CoreSymbolSpecification> symbols = new ArrayList<>();
        for (int id = 1; id <= stream.instruments; id++)
        {
            symbols.add(CoreSymbolSpecification.builder().symbolId(id).type(SymbolType.CURRENCY_EXCHANGE_PAIR)
                .baseCurrency(BASE_CURRENCY).quoteCurrency(QUOTE_CURRENCY).baseScaleK(1).quoteScaleK(1)
                .takerFee(0).makerFee(0).build());
        }
        check("add symbols", api.submitBinaryDataAsync(new BatchAddSymbolsCommand(symbols)).get());
        long transaction = 1;
        for (long uid = 1; uid <= stream.accounts; uid++)
        {
            check("add user", api.submitCommandAsync(ApiAddUser.builder().uid(uid).build()).get());
            for (final int currency : new int[]{BASE_CURRENCY, QUOTE_CURRENCY})
            {
                check("deposit", api.submitCommandAsync(ApiAdjustUserBalance.builder().uid(uid).currency(currency)
                    .amount(BALANCE).transactionId(transaction++).build()).get());
            }
        }
        for (int i = 0; i < prefill.length - 1; i++)
        {
            api.submitCommand(prefill[i]);
        }
        if (prefill.length > 0)
        {
            check("prefill", api.submitCommandAsync(prefill[prefill.length - 1]).get());
        }
        completed.set(0);
        rejected.set(0);
        firstReject = null;
        System.gc();
    }

    private static void check(final String what, final CommandResultCode code)
    {
        if (code != CommandResultCode.SUCCESS)
        {
            throw new IllegalStateException("exchange-core " + what + " failed: " + code);
        }
    }

    private double throughput() throws Exception
    {
        prepare();
        target = timed.length;
        final long start = System.nanoTime();
        for (final ApiCommand command : timed)
        {
            api.submitCommand(command);
        }
        await(timed.length);
        // The results thread counts the last completion before it stamps lastNanos: wait for the stamp,
        // or a stale one from the previous iteration gives a negative rate.
        while (lastNanos - start <= 0)
        {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50));
        }
        return timed.length * 1e9 / (lastNanos - start);
    }

    private Histogram latency(final long rate, final int count) throws Exception
    {
        prepare();
        final long[] planned = new long[count];
        final long[] done = new long[count];
        completionNanos = done;
        target = count;
        final long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
        for (int i = 0; i < count; i++)
        {
            planned[i] = start + (long)i * 1_000_000_000L / rate;
        }
        int next = 0;
        while (next < count)
        {
            final long now = System.nanoTime();
            while (next < count && planned[next] <= now)
            {
                api.submitCommand(timed[next++]);
            }
            if (next < count)
            {
                final long wait = planned[next] - System.nanoTime();
                if (wait > 0)
                {
                    LockSupport.parkNanos(wait);
                }
            }
        }
        await(count);
        completionNanos = null;
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(100), 3);
        for (int i = 0; i < count; i++)
        {
            histogram.recordValue(Math.max(0, done[i] - planned[i]));
        }
        return histogram;
    }

    private void await(final long count)
    {
        final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (completed.get() < count)
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("exchange-core stalled at " + completed.get() + " of " + count);
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
        }
    }

    private String bookDump() throws Exception
    {
        final StringBuilder out = new StringBuilder();
        for (int id = 1; id <= stream.instruments; id++)
        {
            final L2MarketData book = api.requestOrderBookAsync(id, 100_000).get();
            for (int i = 0; i < book.bidSize; i++)
            {
                out.append(id).append(" BID ").append(book.bidPrices[i]).append(' ').append(book.bidVolumes[i]).append('\n');
            }
            for (int i = 0; i < book.askSize; i++)
            {
                out.append(id).append(" ASK ").append(book.askPrices[i]).append(' ').append(book.askVolumes[i]).append('\n');
            }
        }
        return out.toString();
    }

    public static void main(final String[] args) throws Exception
    {
        Path streamFile = null;
        Path bookOut = null;
        Path hgrmDir = null;
        int iterations = 3;
        int warmups = 1;
        long[] rates = {100_000, 1_000_000};
        double latencySeconds = 2;
        for (int i = 0; i < args.length; i++)
        {
            final String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--stream": streamFile = Path.of(value); i++; break;
                case "--book-out": bookOut = Path.of(value); i++; break;
                case "--hgrm-dir": hgrmDir = Path.of(value); i++; break;
                case "--iterations": iterations = Integer.parseInt(value); i++; break;
                case "--warmups": warmups = Integer.parseInt(value); i++; break;
                case "--latency-seconds": latencySeconds = Double.parseDouble(value); i++; break;
                case "--rates":
                    rates = value.isEmpty() ? new long[0] : Arrays.stream(value.split(",")).mapToLong(Long::parseLong).toArray();
                    i++;
                    break;
                default:
                    System.err.println("exchange-core peer: unknown argument " + args[i]);
                    System.exit(2);
            }
        }
        if (streamFile == null)
        {
            System.err.println("exchange-core peer: --stream FILE is required");
            System.exit(2);
        }
        final PrintStream out = System.out;
        final ExchangeCorePeer peer = new ExchangeCorePeer(PeerStream.open(streamFile));
        peer.start();
        try
        {
            for (int i = 0; i < warmups; i++)
            {
                out.printf("PEER warmup iteration=%d cps=%.0f%n", i + 1, peer.throughput());
            }
            final double[] results = new double[iterations];
            for (int i = 0; i < iterations; i++)
            {
                results[i] = peer.throughput();
                out.printf("PEER throughput iteration=%d cps=%.0f rejects=%d%n", i + 1, results[i], peer.rejected.get());
            }
            out.printf("PEER throughput-median cps=%.0f%n", median(results));
            out.printf("PEER rejects count=%d first=%s%n", peer.rejected.get(), peer.firstReject == null ? "none" : peer.firstReject.replace(' ', '_'));
            if (bookOut != null)
            {
                Files.writeString(bookOut, peer.bookDump());
                out.println("PEER book file=" + bookOut);
            }
            for (final long rate : rates)
            {
                final int count = (int)Math.min(peer.timed.length, (long)(rate * latencySeconds));
                final Histogram h = peer.latency(rate, count);
                out.printf("PEER latency rate=%d count=%d p50=%d p90=%d p99=%d p999=%d p9999=%d max=%d rejects=%d%n", rate, count,
                    h.getValueAtPercentile(50), h.getValueAtPercentile(90), h.getValueAtPercentile(99),
                    h.getValueAtPercentile(99.9), h.getValueAtPercentile(99.99), h.getMaxValue(), peer.rejected.get());
                if (hgrmDir != null)
                {
                    try (PrintStream hgrm = new PrintStream(hgrmDir.resolve("exchange-core-" + rate + ".hgrm").toFile()))
                    {
                        h.outputPercentileDistribution(hgrm, 1000.0);
                    }
                }
            }
        }
        finally
        {
            peer.core.shutdown(10, TimeUnit.SECONDS);
        }
        out.println("PEER done");
        out.flush();
        System.exit(0);
    }

    private static double median(final double[] values)
    {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        final int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
