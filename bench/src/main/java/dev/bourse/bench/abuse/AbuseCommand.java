package dev.bourse.bench.abuse;

import dev.bourse.bench.e2e.BenchExchange;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** {@code bench abuse}: the attacks of issue 18 against a running exchange, with an honest firm measured alongside. */
@Command(name = "abuse", synopsisHeading = "Usage: exchange ", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class, sortOptions = false,
    header = "An honest firm's logons and latency while hostile clients attack the exchange, scenario by scenario.",
    description = {
        "Each scenario starts a fresh exchange here (generated configuration, the gateway's default limits), an honest",
        "firm (a session sending an order every 20 ms, timed from its planned send time; a fresh logon every",
        "--logon-interval from another address), measures a quiet window, then runs the attack from a JVM of its own",
        "for --duration while the honest side keeps going. Scenarios: quiet (no attack: the baseline), idle (1,000 idle",
        "sockets from one address plus ten addresses wanting more than the unauthenticated budget), logon-flood (wrong",
        "passwords for invented usernames from one address), lockout (wrong passwords for the honest firm's username",
        "from one address and from twenty), throttle (a session flooding orders, reconnecting every second with another",
        "of its CompIDs), slow-readers (four sessions that never read what they asked for), mass-cancel (a session rests",
        "--resting orders, then drops its connection: the cancel-on-disconnect goes in slices of",
        "gateway.cancel-on-disconnect.slice; the RESULT's p99 is from the disconnect on, the placing is printed apart),",
        "mass-cancel-unsliced (the same as one command: how it was before slices), mass-cancel-request (the session",
        "stays and sends an OrderMassCancelRequest for all its orders instead: its slices), mass-cancel-request-unsliced",
        "(that request as one command),",
        "http-slow-headers (20 connections trickling request headers at a byte a second to the query side),",
        "http-slow-readers (20 clients reading the honest firm's activity CSV a kilobyte a second), http-greedy (16 clients",
        "from one address asking as fast as they are answered: the activity CSV again and again, or 200 pipelined balance",
        "requests a connection; that address gets query.http.max-threads-per-address of the request threads and",
        "query.http.budget-per-address of work a second), http-greedy-unlimited (the same with all the threads and no",
        "budget: how it was before). The http-* scenarios run",
        "the query side and time an honest HTTP client too (a fresh request every 100 ms, /metrics and balances in turn).",
        "Prints per scenario: RESULT abuse scenario=<name> honest.logons.ok=<n>/<m> honest.p99.ms=<ms>",
        "honest.missing=<n> rss.start.mb=<n> rss.end.mb=<n> old.gen.start.mb=<n> old.gen.end.mb=<n> quiet.p99.ms=<ms>",
        "client.late.p99.ms=<ms> honest.sent=<n> honest.acked=<n> honest.rejected=<n> (RSS of this process,",
        "which runs the exchange with its heap committed and touched at start like ./exchange start, and its old generation,",
        "at the end of the quiet window and at the end of the attack; the scenario's own quiet window's p99; and how late the",
        "honest trader's own sends left during the attack, its wake-ups on this box, which its p99 includes; the honest",
        "trader's orders sent, acknowledged and rejected in the attacked window, the one honest.p99.ms is of: rejects are",
        "not timed). An attacked window with no acknowledged honest order (the trader could not log on, or was only",
        "rejected) prints a FAILED line and the command exits with status 1: its honest.p99.ms of 0 is of no data."})
public final class AbuseCommand implements Callable<Integer>
{
    static final List<String> SCENARIOS = List.of("quiet", "idle", "logon-flood", "lockout", "throttle", "slow-readers", "mass-cancel",
        "mass-cancel-unsliced", "mass-cancel-request", "mass-cancel-request-unsliced", "http-slow-headers", "http-slow-readers",
        "http-greedy", "http-greedy-unlimited");

    @Option(names = "--scenarios", split = ",", description = "Scenarios to run (default: all, in this order: quiet, idle, logon-flood, "
        + "lockout, throttle, slow-readers, mass-cancel, mass-cancel-unsliced, mass-cancel-request, mass-cancel-request-unsliced, "
        + "http-slow-headers, http-slow-readers, http-greedy, http-greedy-unlimited).")
    List<String> scenarios = SCENARIOS;

    @Option(names = "--resting", defaultValue = "100000", description = "Orders the mass-cancel scenarios rest before the disconnect "
        + "(default ${DEFAULT-VALUE}; --quick: 20000).")
    int resting;

    @Option(names = "--duration", defaultValue = "60", description = "Seconds of attack per scenario (default ${DEFAULT-VALUE}).")
    double durationSeconds;

    @Option(names = "--quiet", defaultValue = "10", description = "Seconds of quiet before each attack (default ${DEFAULT-VALUE}).")
    double quietSeconds;

    @Option(names = "--warmup", defaultValue = "5", description = "Seconds the honest firm trades, unmeasured, before the quiet window: "
        + "the quiet p99 is the yardstick for the attacked one, and the exchange's first seconds (JIT compiles, the first "
        + "collections) are neither quiet nor attacked (default ${DEFAULT-VALUE}; --quick: 2).")
    double warmupSeconds;

    @Option(names = "--logon-interval", defaultValue = "2000", description = "Milliseconds between honest logons (default ${DEFAULT-VALUE}).")
    long logonIntervalMs;

    @Option(names = "--heap", defaultValue = "1g", description = "Heap of each scenario's JVM, which runs the exchange: RSS follows it "
        + "(default ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--attacker-nice", defaultValue = "10", description = "Niceness of the attackers' JVM (default ${DEFAULT-VALUE}, "
        + "as issue 18's attacks were run; 0 for none). Real attackers are on other machines; here they share the exchange's two "
        + "cores, and at nice 0 their own wake-ups and writes compete with the honest firm's for them.")
    int attackerNice;

    @Option(names = "--full", description = "Run market data and the read models in the exchange's process too (default: engine, journal, gateway).")
    boolean full;

    @Option(names = "--quick", description = "A smoke run: 2 s warm-up, 3 s quiet, 5 s of each attack, an honest logon every 250 ms, 20,000 resting "
        + "orders, 2 s HTTP header and write timeouts.")
    boolean quick;

    @Override
    public Integer call() throws Exception
    {
        if (quick)
        {
            quietSeconds = 3;
            durationSeconds = 5;
            warmupSeconds = Math.min(warmupSeconds, 2);
            logonIntervalMs = 250;
            resting = Math.min(resting, 20_000);
        }
        for (final String scenario : scenarios)
        {
            if (!SCENARIOS.contains(scenario))
            {
                throw new IllegalArgumentException("unknown scenario '" + scenario + "', choose from " + String.join(", ", SCENARIOS));
            }
        }
        if (scenarios.size() > 1)
        {
            System.out.printf("bench abuse: scenarios %s, each in a JVM of its own%n", String.join(", ", scenarios));
        }
        else
        {
            System.out.printf("bench abuse: %d cpus, load average %s, %s, %.0f s quiet + %.0f s attack per scenario, attackers at nice %d, heap %d MB, GC %s%n",
            Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).trim(),
            full || scenarios.get(0).startsWith("http-") ? "whole exchange" : "engine, journal and gateway", quietSeconds, durationSeconds, attackerNice, Runtime.getRuntime().maxMemory() >> 20,
            ManagementFactory.getGarbageCollectorMXBeans().stream().map(b -> b.getName()).reduce((x, y) -> x + "/" + y).orElse("?"));
        }
        if (scenarios.size() == 1)
        {
            return run(scenarios.get(0));
        }
        final List<String> failed = new ArrayList<>();
        for (final String scenario : scenarios)
        {
            // each scenario in a fresh JVM: its exchange's RSS is its own, not what earlier scenarios left
            final int exit = inChildJvm(scenario);
            if (exit != 0)
            {
                System.out.println(scenario + ": the scenario's JVM exited with " + exit);
                failed.add(scenario);
            }
        }
        if (!failed.isEmpty())
        {
            System.out.println("FAILED: scenarios " + String.join(", ", failed) + " (see above)");
            return 1;
        }
        return 0;
    }

    private int inChildJvm(final String scenario) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (!arg.startsWith("-Xmx") && !arg.startsWith("-Xms") && !arg.endsWith("AlwaysPreTouch"))
            {
                command.add(arg);
            }
        }
        // The exchange's JVM as ./exchange start runs it: the whole heap committed and touched at
        // start, so its RSS does not grow as eden's pages are first written (the launcher, OPERATIONS.md).
        command.add("-Xmx" + heap);
        command.add("-Xms" + heap);
        command.add("-XX:+AlwaysPreTouch");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(dev.bourse.bench.BenchMain.class.getName());
        command.add("abuse");
        command.add("--scenarios=" + scenario);
        command.add("--duration=" + durationSeconds);
        command.add("--quiet=" + quietSeconds);
        command.add("--warmup=" + warmupSeconds);
        command.add("--logon-interval=" + logonIntervalMs);
        command.add("--resting=" + resting);
        command.add("--attacker-nice=" + attackerNice);
        if (quick)
        {
            command.add("--quick");
        }
        if (full)
        {
            command.add("--full");
        }
        final Process child = new ProcessBuilder(command).inheritIO().start();
        return child.waitFor();
    }

    /** One scenario in this JVM; 1 if the honest trader got no acknowledgement while attacked. */
    private int run(final String scenario) throws Exception
    {
        // trader1 trades, trader2 logs on again and again, trader3 floods, trader4..7 stop reading
        final boolean http = scenario.startsWith("http-");
        try (BenchExchange exchange = new BenchExchange(8, 1, "mapped", null, line -> { }, full || http, settings(scenario)))
        {
            final int port = exchange.server().gatewayPort();
            final int httpPort = http ? exchange.server().queryPort() : -1;
            try (HonestClient honest = new HonestClient(port, "trader1", "trader2", BenchExchange.PASSWORD, logonIntervalMs).start();
                HonestHttp honestHttp = http ? new HonestHttp(httpPort, "trader1", BenchExchange.PASSWORD, 100_001).start() : null)
            {
                pause(warmupSeconds);
                honest.window(); // the warm-up's figures are dropped
                if (http)
                {
                    honestHttp.window();
                }
                pause(quietSeconds);
                final HonestClient.Window quiet = honest.window();
                final HonestHttp.Window quietHttp = http ? honestHttp.window() : null;
                final long rssStart = rssMb();
                final long oldGenStart = oldGenMb();
                System.out.printf("%s: quiet %.0f s: honest.p99.ms=%.2f honest.max.ms=%.2f orders %d/%d logons %d/%d " +
                    "(the honest trader's own sends late by p99 %.2f ms)%n", scenario, quietSeconds,
                    quiet.p99Ms(), quiet.maxMs(), quiet.ordersAcked(), quiet.ordersSent(), quiet.logonsOk(), quiet.logonsTried(),
                    quiet.sendLateP99Ms());
                if (http)
                {
                    System.out.printf("%s: quiet: http.ok=%d/%d http.p99.ms=%.2f http.max.ms=%.2f%n", scenario, quietHttp.ok(),
                        quietHttp.tried(), quietHttp.p99Ms(), quietHttp.maxMs());
                }
                final HonestClient.Window[] beforePhase = {null}; // counted in the RESULT's totals; its latencies are printed apart
                if ("quiet".equals(scenario))
                {
                    pause(durationSeconds);
                }
                else
                {
                    System.out.println(scenario + ": " + attack(scenario, port, httpPort, () ->
                    {
                        // the mass-cancel scenarios: what the honest firm saw while the orders went in, apart from the cancel after
                        final HonestClient.Window placing = honest.window();
                        beforePhase[0] = placing;
                        System.out.printf("%s: while the orders went in: honest.p99.ms=%.2f honest.max.ms=%.2f; the window from here on " +
                            "holds the cancel%n", scenario, placing.p99Ms(), placing.maxMs());
                    }));
                }
                final HonestClient.Window attacked = honest.window();
                if (http)
                {
                    final HonestHttp.Window attackedHttp = honestHttp.window();
                    System.out.printf("%s: attacked: http.ok=%d/%d http.p99.ms=%.2f http.max.ms=%.2f%s%n", scenario, attackedHttp.ok(),
                        attackedHttp.tried(), attackedHttp.p99Ms(), attackedHttp.maxMs(),
                        honestHttp.lastProblem() == null ? "" : " last problem: " + honestHttp.lastProblem());
                    System.out.println(scenario + ": server: " + httpRefusals(httpPort));
                }
                System.out.printf("%s: attacked: honest.p99.ms=%.2f honest.max.ms=%.2f (the honest trader's own sends late by p99 %.2f ms)%n",
                    scenario, attacked.p99Ms(), attacked.maxMs(), attacked.sendLateP99Ms());
                honest.close();
                final HonestClient.Window tail = honest.window(); // what was still in flight when the attack ended
                final long rssEnd = rssMb();
                final long oldGenEnd = oldGenMb();
                final HonestClient.Window early = beforePhase[0] != null ? beforePhase[0] : new HonestClient.Window(0, 0, 0, 0, 0, 0, 0, 0, 0);
                final long missing = early.missing() + attacked.missing() + tail.missing(); // orders never answered
                // quiet.p99.ms is this scenario's own quiet window (same JVM, a minute earlier) and client.late.p99.ms how late
                // the honest trader's own sends left during the attack: on a shared box that lateness is in honest.p99.ms too
                System.out.printf("RESULT abuse scenario=%s honest.logons.ok=%d/%d honest.p99.ms=%.2f honest.missing=%d rss.start.mb=%d " +
                    "rss.end.mb=%d old.gen.start.mb=%d old.gen.end.mb=%d quiet.p99.ms=%.2f client.late.p99.ms=%.2f honest.sent=%d " +
                    "honest.acked=%d honest.rejected=%d%n", scenario,
                    early.logonsOk() + attacked.logonsOk() + tail.logonsOk(), early.logonsTried() + attacked.logonsTried() + tail.logonsTried(),
                    attacked.p99Ms(), missing, rssStart, rssEnd, oldGenStart, oldGenEnd, quiet.p99Ms(), attacked.sendLateP99Ms(),
                    attacked.ordersSent(), attacked.ordersAcked(), attacked.ordersRejected());
                if (honest.lastProblem() != null)
                {
                    System.out.println(scenario + ": last honest problem: " + honest.lastProblem());
                }
                if (attacked.ordersAcked() == 0)
                {
                    // p99 of no acks reads 0.00: a firm that could not trade while attacked is a failed run, not a perfect one
                    System.out.printf("FAILED: %s: the honest trader had no order acknowledged while attacked (sent %d, rejected %d): " +
                        "honest.p99.ms=%.2f is of no data%n", scenario, attacked.ordersSent(), attacked.ordersRejected(), attacked.p99Ms());
                    return 1;
                }
                return 0;
            }
        }
    }

    /**
     * The gateway's own defaults for every limit but the session rate, here the documented default
     * as well; the mass-cancel scenarios let the resting session place its orders quickly, and the
     * unsliced one cancels them in one command.
     */
    private String settings(final String scenario)
    {
        // a smoke run is shorter than the query side's default deadlines: shorter ones show the server closing the abusers
        final String common = "gateway.max-sessions = 256\n" +
            (quick && scenario.startsWith("http-") ? "query.http.header-timeout = 2s\nquery.http.write-timeout = 2s\n" : "");
        if ("http-greedy-unlimited".equals(scenario))
        {
            return common + "query.http.max-threads-per-address = 4\nquery.http.budget-per-address = 0\n" +
                "gateway.rate-limit.messages-per-second = 10000\ngateway.rate-limit.burst = 1000\n";
        }
        if (scenario.startsWith("mass-cancel"))
        {
            return common + """
                gateway.rate-limit.messages-per-second = 1000000
                gateway.rate-limit.burst = 100000
                """ + (scenario.endsWith("-unsliced") ? "gateway.cancel-on-disconnect.slice = 1000000\n" : "");
        }
        return common + """
            gateway.rate-limit.messages-per-second = 10000
            gateway.rate-limit.burst = 1000
            """;
    }

    /** The query side's refusal counters, from its /metrics. */
    private static String httpRefusals(final int httpPort)
    {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", httpPort))
        {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
            final String text = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            final StringBuilder found = new StringBuilder();
            for (final String line : text.split("\n"))
            {
                if (line.startsWith("bourse_query_http_"))
                {
                    found.append(found.length() == 0 ? "" : " ").append(line.replace(' ', '='));
                }
            }
            return found.toString();
        }
        catch (final java.io.IOException e)
        {
            return "metrics not read: " + e;
        }
    }

    /** Runs the attack in a child JVM for the duration; its ATTACK line. */
    private String attack(final String scenario, final int port, final int httpPort, final Runnable onPhase) throws Exception
    {
        final List<String> command = new ArrayList<>();
        if (attackerNice != 0 && Files.isExecutable(Path.of("/usr/bin/nice")))
        {
            command.addAll(List.of("/usr/bin/nice", "-n", Integer.toString(attackerNice)));
        }
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.add("-Xmx256m");
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (arg.startsWith("--add-") || arg.startsWith("-Dchronicle") || arg.startsWith("-Djna") || arg.startsWith("--enable-native")
                || arg.startsWith("--sun-misc"))
            {
                command.add(arg);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Attackers.class.getName());
        command.add("scenario=" + scenario);
        command.add("port=" + port);
        command.add("seconds=" + durationSeconds);
        command.add("password=" + BenchExchange.PASSWORD);
        command.add("victim=trader2");
        command.add("user=trader3");
        command.add("users=trader4,trader5,trader6,trader7");
        command.add("resting=" + resting);
        command.add("http=" + httpPort);
        command.add("victim-account=100001");
        command.add("victim-user=trader1");
        final Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        final Thread watchdog = new Thread(() ->
        {
            try
            {
                if (!child.waitFor((long)durationSeconds + 30, TimeUnit.SECONDS))
                {
                    child.destroyForcibly(); // its output ends, so the reading below does too
                }
            }
            catch (final InterruptedException e)
            {
                child.destroyForcibly();
            }
        }, "attackers-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        String result = "the attackers printed no result";
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)))
        {
            for (String line; (line = in.readLine()) != null; )
            {
                if (line.startsWith("ATTACK "))
                {
                    result = line;
                }
                else if (line.startsWith("PHASE "))
                {
                    onPhase.run();
                }
                else
                {
                    System.out.println(scenario + ": attackers: " + line);
                }
            }
        }
        finally
        {
            watchdog.join();
        }
        return result;
    }

    private static void pause(final double seconds)
    {
        final long end = System.nanoTime() + (long)(seconds * 1e9);
        while (System.nanoTime() < end)
        {
            LockSupport.parkNanos(end - System.nanoTime());
        }
    }

    /**
     * What the heap holds beyond the young generation: with a pre-touched heap RSS cannot show heap
     * growth, so a leak would show here (objects that survive young collections pile up in it).
     */
    static long oldGenMb()
    {
        for (final java.lang.management.MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans())
        {
            if (pool.getName().contains("Old Gen") || pool.getName().contains("Tenured"))
            {
                return pool.getUsage().getUsed() >> 20;
            }
        }
        return -1;
    }

    /** Resident set size of this process (the exchange's), from /proc. */
    static long rssMb() throws java.io.IOException
    {
        for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
        {
            if (line.startsWith("VmRSS:"))
            {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }
}
