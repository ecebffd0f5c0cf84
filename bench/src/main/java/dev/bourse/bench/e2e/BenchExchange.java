package dev.bourse.bench.e2e;

import dev.bourse.bench.fixload.FixLoadClient;
import dev.bourse.marketdata.MarketDataListener;
import dev.bourse.marketdata.MarketDataSubscriber;
import dev.bourse.server.ExchangeServer;
import dev.bourse.server.config.ExchangeConfig;
import dev.bourse.server.config.Settings;
import io.aeron.Aeron;
import io.aeron.CommonContext;
import org.agrona.IoUtil;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The whole exchange started in this process for a benchmark or the demo: a generated
 * configuration (instruments SYM000.., one funded account and FIX user per session, free ports,
 * a temporary data directory and Aeron directory), and a market-data subscriber on its own thread.
 */
public final class BenchExchange implements AutoCloseable
{
    public static final String PASSWORD = "bench-password";
    public static final long MID_PRICE = 100_0000L; // 100.0000
    public static final long TICK = 100L;            // 0.01

    private final Path dataDir;
    private final boolean temporary;
    private final String aeronDir;
    private final ExchangeServer server;
    private final List<String> symbols = new ArrayList<>();
    private final List<String[]> users;
    private Aeron aeron;
    private MarketDataSubscriber subscriber;
    private AgentRunner subscriberRunner;

    public BenchExchange(final int sessions, final int instruments, final String durability, final Path dataDirOrNull,
        final Consumer<String> log) throws IOException, dev.bourse.server.config.ConfigException
    {
        this(sessions, instruments, durability, dataDirOrNull, log, true);
    }

    /** @param full false: engine, journal and gateway only (market data and read models off). */
    public BenchExchange(final int sessions, final int instruments, final String durability, final Path dataDirOrNull,
        final Consumer<String> log, final boolean full) throws IOException, dev.bourse.server.config.ConfigException
    {
        this(sessions, instruments, durability, dataDirOrNull, log, full, "");
    }

    /**
     * @param settings {@code key = value} lines that replace the generated ones (as
     *        -Dbourse.bench.config does, which still applies after them)
     */
    public BenchExchange(final int sessions, final int instruments, final String durability, final Path dataDirOrNull,
        final Consumer<String> log, final boolean full, final String settings) throws IOException, dev.bourse.server.config.ConfigException
    {
        this(sessions, instruments, durability, dataDirOrNull, log, full, settings, true);
    }

    /**
     * @param snapshotsOff true: no periodic snapshot during a run (every hour or 100,000,000
     *        entries, where the exchange's defaults are 5 minutes or 1,000,000 entries): snapshot
     *        cost is measured on its own, and at the defaults a long sweep would write a few, each a
     *        stall in some rate's figures. False: the exchange's defaults, as in production.
     */
    public BenchExchange(final int sessions, final int instruments, final String durability, final Path dataDirOrNull,
        final Consumer<String> log, final boolean full, final String settings, final boolean snapshotsOff)
        throws IOException, dev.bourse.server.config.ConfigException
    {
        temporary = dataDirOrNull == null;
        dataDir = dataDirOrNull != null ? dataDirOrNull : Files.createTempDirectory("bourse-bench-");
        aeronDir = CommonContext.getAeronDirectoryName() + "-bench-" + UUID.randomUUID();
        final StringBuilder c = new StringBuilder();
        c.append("data.dir = ").append(dataDir).append('\n');
        c.append("journal.durability = ").append(durability).append('\n');
        c.append("gateway.port = 0\nquery.port = 0\n");
        c.append("gateway.rate-limit.messages-per-second = 1000000\ngateway.rate-limit.burst = 100000\n");
        c.append("gateway.max-sessions = ").append(Math.max(16, sessions + 4)).append('\n');
        if (!full)
        {
            c.append("md.enabled = false\nquery.enabled = false\n");
        }
        c.append("md.aeron-dir = ").append(aeronDir).append('\n');
        if (snapshotsOff)
        {
            c.append("snapshot.every = 1h\nsnapshot.every-entries = 100000000\n");
        }
        symbols.addAll(symbols(instruments));
        c.append(tradingConfig(symbols, sessions));
        users = FixLoadClient.users(sessions, "trader", PASSWORD);
        // -Dbourse.bench.config="threading.mode=dedicated;gateway.idle-strategy=yielding" tries other settings.
        final String extra = settings.replace('\n', ';') + ";" + System.getProperty("bourse.bench.config", "");
        final java.util.Set<String> overridden = new java.util.HashSet<>();
        for (final String line : extra.split(";"))
        {
            if (line.contains("="))
            {
                overridden.add(line.substring(0, line.indexOf('=')).trim());
            }
        }
        final StringBuilder text = new StringBuilder();
        for (final String line : c.toString().split("\n"))
        {
            if (!line.contains("=") || !overridden.contains(line.substring(0, line.indexOf('=')).trim()))
            {
                text.append(line).append('\n');
            }
        }
        text.append(extra.replace(';', '\n')).append('\n');
        final ExchangeConfig config = ExchangeConfig.read(Settings.parse("bench", text.toString()));
        server = ExchangeServer.start(config, log);
    }

    /** The {@code --snapshots} option of {@code bench e2e} and {@code bench fix}: "off" (the history's figures) or "default". */
    public static boolean snapshotsOff(final String mode)
    {
        return switch (mode)
        {
            case "off" -> true;
            case "default" -> false;
            default -> throw new IllegalArgumentException("--snapshots must be off or default, not " + mode);
        };
    }

    /** SYM000, SYM001, ...: the instruments of the benchmarks and the demo. */
    public static List<String> symbols(final int instruments)
    {
        final List<String> symbols = new ArrayList<>();
        for (int i = 0; i < instruments; i++)
        {
            symbols.add(String.format("SYM%03d", i));
        }
        return symbols;
    }

    /**
     * The configuration lines of the instruments (tick 0.01, reference 100.00) and of one funded
     * account and FIX user per session (trader1.., password {@link #PASSWORD}).
     */
    public static String tradingConfig(final List<String> symbols, final int sessions)
    {
        final StringBuilder c = new StringBuilder();
        c.append("instruments = ").append(String.join(", ", symbols)).append('\n');
        for (final String symbol : symbols)
        {
            c.append("instrument.").append(symbol).append(".tick = 0.01\n");
            c.append("instrument.").append(symbol).append(".reference-price = 100.00\n");
        }
        final List<String> accounts = new ArrayList<>();
        final List<String> names = new ArrayList<>();
        for (int i = 1; i <= sessions; i++)
        {
            accounts.add(String.valueOf(100_000 + i));
            names.add("trader" + i);
        }
        c.append("accounts = ").append(String.join(", ", accounts)).append('\n');
        c.append("users = ").append(String.join(", ", names)).append('\n');
        for (int i = 1; i <= sessions; i++)
        {
            final String account = String.valueOf(100_000 + i);
            c.append("account.").append(account).append(".cash = 100000000000\n");
            for (final String symbol : symbols)
            {
                c.append("account.").append(account).append(".position.").append(symbol).append(" = 1000000000\n");
            }
            c.append("user.trader").append(i).append(".account = ").append(account).append('\n');
            c.append("user.trader").append(i).append(".password = ").append(PASSWORD).append('\n');
        }
        return c.toString();
    }

    /** The settings of a {@link FixLoadClient} for these users and symbols against a gateway at {@code port}. */
    public static FixLoadClient.Settings clientSettings(final int port, final int sessions, final List<String> symbols, final long seed)
    {
        final long[] mids = new long[symbols.size()];
        java.util.Arrays.fill(mids, MID_PRICE);
        return new FixLoadClient.Settings("127.0.0.1", port, "BOURSE", FixLoadClient.users(sessions, "trader", PASSWORD), symbols,
            mids, TICK, 25, 15, seed);
    }

    /** Starts a market-data subscriber polled on its own thread. */
    public MarketDataSubscriber subscribe(final MarketDataListener listener)
    {
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir));
        subscriber = new MarketDataSubscriber(new MarketDataSubscriber.Context()
            .aeron(aeron)
            .incrementalChannel(server.marketDataContext().incrementalChannel())
            .incrementalStreamId(server.marketDataContext().incrementalStreamId())
            .snapshotChannel(server.marketDataContext().snapshotChannel())
            .snapshotStreamId(server.marketDataContext().snapshotStreamId()), listener);
        subscriberRunner = new AgentRunner(new BackoffIdleStrategy(10, 20, 1_000, 100_000),
            t -> System.err.println("md subscriber: " + t), null, subscriber);
        AgentRunner.startOnThread(subscriberRunner);
        return subscriber;
    }

    /** Where the market-data feed is, for a subscriber in another process. */
    public Runner.Feed feed()
    {
        final dev.bourse.marketdata.MarketDataPublisher.Context md = server.marketDataContext();
        return md == null ? null : new Runner.Feed(aeronDir, md.incrementalChannel(), md.incrementalStreamId(), md.snapshotChannel(),
            md.snapshotStreamId());
    }

    public FixLoadClient.Settings clientSettings(final long seed)
    {
        return clientSettings(server.gatewayPort(), users.size(), symbols, seed);
    }

    public ExchangeServer server()
    {
        return server;
    }

    public List<String> symbols()
    {
        return symbols;
    }

    @Override
    public void close()
    {
        if (subscriberRunner != null)
        {
            subscriberRunner.close();
        }
        if (aeron != null)
        {
            aeron.close();
        }
        server.close();
        if (temporary)
        {
            IoUtil.delete(dataDir.toFile(), true);
        }
        IoUtil.delete(Path.of(aeronDir).toFile(), true);
    }
}
