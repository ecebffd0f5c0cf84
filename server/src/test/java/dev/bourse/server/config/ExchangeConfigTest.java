package dev.bourse.server.config;

import dev.bourse.protocol.Prices;
import dev.bourse.protocol.auth.PasswordHash;
import dev.bourse.protocol.sbe.StpMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

class ExchangeConfigTest
{
    private static final String MINIMAL = MinimalConfig.TEXT;

    @Test
    void theExampleConfigurationInTheRepositoryIsValid() throws Exception
    {
        final ExchangeConfig config = ExchangeConfig.load(Path.of("../config/exchange.properties"));
        assertEquals(5, config.instruments().size());
        assertEquals("AAPL", config.instruments().get(0).symbol());
        assertEquals(1, config.instruments().get(0).id());
        assertEquals(Prices.parse("190"), config.instruments().get(0).referencePrice());
        assertEquals(100, config.instruments().get(4).lotSize());
        assertEquals(StpMode.CANCEL_RESTING, config.accounts().get(1).stpMode());
        assertEquals(100_000L, config.accounts().get(0).positions().get(1));
        assertEquals(6, config.users().size());
        assertTrue(PasswordHash.verify("alice-demo".toCharArray(), config.users().get(0).passwordHash()));
        assertEquals(6, config.warnings().size(), "plain-text demo passwords are warned about");
        assertEquals(9880, config.gateway().port());
    }

    /** An empty or wrong file started a working exchange nobody could use, silently (an outside probe). */
    @Test
    void aConfigurationWithNoUsersSaysNobodyCanLogOn() throws Exception
    {
        final java.util.List<String> empty = ExchangeConfig.read(Settings.parse("empty", "")).warnings();
        assertTrue(empty.stream().anyMatch(w -> w.startsWith("no users configured") && w.contains("is this the right configuration file?")),
            empty.toString());
        final java.util.List<String> example = ExchangeConfig.load(Path.of("../config/exchange.properties")).warnings();
        assertTrue(example.stream().noneMatch(w -> w.startsWith("no users")), example.toString());
    }

    /** An unknown username is checked at the highest cost; users of a lower one could be told apart by timing (an outside tester). */
    @Test
    void usersWhosePasswordHashesDifferInCostAreWarnedAbout() throws Exception
    {
        final String oneCost = MINIMAL.replace("users = u", "users = u, v") + "\nuser.v.account = 7\nuser.v.password = pw2\n";
        assertTrue(ExchangeConfig.read(Settings.parse("test", oneCost)).warnings().stream().noneMatch(w -> w.contains("different costs")));
        final String mixed = MINIMAL.replace("users = u", "users = u, v") + "\nuser.v.account = 7\nuser.v.password-hash = "
            + PasswordHash.hash("pw2".toCharArray()) + "\n";
        final java.util.List<String> warnings = ExchangeConfig.read(Settings.parse("test", mixed)).warnings();
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("users' password hashes have different costs (10000, 100000 iterations)")),
            warnings.toString());
    }

    @Test
    void defaultsAreSensibleForTwoCores() throws Exception
    {
        final ExchangeConfig config = ExchangeConfig.read(Settings.parse("test", MINIMAL));
        assertEquals("backoff", config.engine().idleStrategy());
        assertEquals("select", config.gateway().idleStrategy());
        assertEquals("auto", config.threading().mode());
        assertEquals(Runtime.getRuntime().availableProcessors() <= 4, config.threading().shared());
        assertEquals("mapped", config.journal().durability());
        assertEquals(Path.of("data", "journal"), config.journal().dir());
        assertEquals(8080, config.query().port());
        assertEquals(Duration.ofSeconds(10), config.gateway().logonTimeout());
        assertFalse(config.toString().contains("pw"));
    }

    @Test
    void theOrderPathRunsAboveTheQuerySideUnlessConfiguredOtherwise() throws Exception
    {
        final ExchangeConfig.Threading defaults = ExchangeConfig.read(Settings.parse("test", MINIMAL)).threading();
        assertEquals(Thread.MAX_PRIORITY, defaults.orderPathPriority());
        assertEquals(Thread.MIN_PRIORITY, defaults.backgroundPriority());

        final ExchangeConfig.Threading even = ExchangeConfig.read(Settings.parse("test",
            MINIMAL + "threading.priority.order-path = 5\nthreading.priority.background = 5\n")).threading();
        assertEquals(5, even.orderPathPriority());
        assertEquals(5, even.backgroundPriority());

        final ConfigException tooHigh = assertThrows(ConfigException.class,
            () -> ExchangeConfig.read(Settings.parse("test", MINIMAL + "threading.priority.order-path = 11\n")));
        assertTrue(tooHigh.getMessage().contains("threading.priority.order-path"), tooHigh.getMessage());
    }

    /** A CPU of 99 on a 2-CPU host started unpinned with a line naming no key; cpu.engine in shared threading went unsaid (a probe). */
    @Test
    void aCpuTheProcessMayNotUseIsRefusedAndAKeyTheModeHasNoThreadForIsSaid() throws Exception
    {
        final java.util.BitSet twoCpus = new java.util.BitSet();
        twoCpus.set(0, 2);
        final Settings settings = Settings.parse("test", MINIMAL);
        final java.util.List<String> warnings = new java.util.ArrayList<>();
        CpuPinning.check(settings, new ExchangeConfig.Threading("shared", 99, 1, -1, -1, 0, 10, 1, 0), twoCpus, warnings);
        assertTrue(settings.reported("threading.cpu.order-path"));
        assertFalse(settings.reported("threading.cpu.engine"));
        assertFalse(settings.reported("threading.cpu.history-sink"));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("threading.cpu.engine is set, but in shared threading"), warnings.get(0));
        final ConfigException refused = assertThrows(ConfigException.class, settings::finish);
        assertTrue(refused.getMessage().contains("threading.cpu.order-path: CPU 99 is not one this process may run on (it may use 0-1)"),
            refused.getMessage());

        final java.util.List<String> dedicated = new java.util.ArrayList<>();
        CpuPinning.check(Settings.parse("test", MINIMAL), new ExchangeConfig.Threading("dedicated", 0, 1, 1, -1, -1, 10, 1, 0),
            twoCpus, dedicated);
        assertEquals(1, dedicated.size(), dedicated.toString());
        assertTrue(dedicated.get(0).startsWith("threading.cpu.order-path is set, but in dedicated threading"), dedicated.get(0));
        assertEquals("0-1,4,6-7", CpuPinning.cpuList(java.util.BitSet.valueOf(new long[] {0b11010011})));
    }

    @Test
    void theHistorySinkIsPinnedOnlyWhenConfigured() throws Exception
    {
        assertEquals(-1, ExchangeConfig.read(Settings.parse("test", MINIMAL)).threading().historySinkCpu());
        assertEquals(0, ExchangeConfig.read(Settings.parse("test", MINIMAL + "threading.cpu.history-sink = 0\n"))
            .threading().historySinkCpu()); // CPU 0: every host has it, and a CPU the process may not use is refused
        final ConfigException negative = assertThrows(ConfigException.class,
            () -> ExchangeConfig.read(Settings.parse("test", MINIMAL + "threading.cpu.history-sink = -2\n")));
        assertTrue(negative.getMessage().contains("threading.cpu.history-sink"), negative.getMessage());
    }

    @Test
    void theOrderPathAsksForTheShortestSliceUnlessConfiguredOtherwise() throws Exception
    {
        assertEquals(100_000, ExchangeConfig.read(Settings.parse("test", MINIMAL)).threading().orderPathSliceNanos());
        assertEquals(0, ExchangeConfig.read(Settings.parse("test", MINIMAL + "threading.slice.order-path = 0\n")).threading()
            .orderPathSliceNanos(), "0: the kernel's default");
        assertEquals(2_000_000, ExchangeConfig.read(Settings.parse("test", MINIMAL + "threading.slice.order-path = 2ms\n")).threading()
            .orderPathSliceNanos());
        for (final String outside : new String[] {"50us", "101ms", "fast"})
        {
            final ConfigException refused = assertThrows(ConfigException.class,
                () -> ExchangeConfig.read(Settings.parse("test", MINIMAL + "threading.slice.order-path = " + outside + "\n")));
            assertTrue(refused.getMessage().contains("threading.slice.order-path"), refused.getMessage());
        }
    }

    @Test
    void theHistorySinkWorksInShortTurnsUnlessConfiguredOtherwise() throws Exception
    {
        assertEquals(java.time.Duration.ofNanos(50_000), ExchangeConfig.read(Settings.parse("test", MINIMAL)).query().sinkMaxTurn());
        assertEquals(java.time.Duration.ZERO, ExchangeConfig.read(Settings.parse("test", MINIMAL + "query.sink.max-turn = 0\n"))
            .query().sinkMaxTurn(), "0: no turns");
        assertEquals(java.time.Duration.ofMillis(2), ExchangeConfig.read(Settings.parse("test", MINIMAL + "query.sink.max-turn = 2ms\n"))
            .query().sinkMaxTurn());
        for (final String outside : new String[] {"2s", "-5us", "soon"})
        {
            final ConfigException refused = assertThrows(ConfigException.class,
                () -> ExchangeConfig.read(Settings.parse("test", MINIMAL + "query.sink.max-turn = " + outside + "\n")));
            assertTrue(refused.getMessage().contains("query.sink.max-turn"), refused.getMessage());
        }
    }

    @Test
    void valuesTheEngineWouldRefuseAtBootstrapStopTheStartInstead()
    {
        final ConfigException wideBand = assertThrows(ConfigException.class,
            () -> ExchangeConfig.read(Settings.parse("test", MINIMAL + "instrument.XYZ.band-bps = 500000\n")));
        assertTrue(wideBand.getMessage().contains("instrument.XYZ.band-bps"), wideBand.getMessage());
        final ConfigException richAccount = assertThrows(ConfigException.class,
            () -> ExchangeConfig.read(Settings.parse("test", MINIMAL + "account.7.cash = 922337203685477\n")));
        assertTrue(richAccount.getMessage().contains("account.7.cash"), richAccount.getMessage());
        // each account within its cap, but together above the exchange's total (the engine caps that too)
        final String rich = "accounts = 7, 8, 9\naccount.7.cash = 200000000000000\naccount.8.cash = 200000000000000\n"
            + "account.9.cash = 100000000000000\naccount.7.position.XYZ = 2000000000000000000\n"
            + "account.9.position.XYZ = 2000000000000000000\naccount.8.position.XYZ = 700000000000000000\n";
        final ConfigException richTogether = assertThrows(ConfigException.class,
            () -> ExchangeConfig.read(Settings.parse("test", MINIMAL.replace("accounts = 7\n", rich))));
        assertEquals(java.util.List.of(
            "accounts: account.7.cash + account.8.cash + account.9.cash add up to more than "
                + Prices.toString(dev.bourse.engine.MatchingEngine.MAX_TOTAL) + ", the most cash all accounts together may hold"
                + " (each account at most " + Prices.toString(dev.bourse.engine.MatchingEngine.MAX_BALANCE) + "): configure less",
            "accounts: account.7.position.XYZ + account.8.position.XYZ + account.9.position.XYZ add up to more than "
                + dev.bourse.engine.MatchingEngine.MAX_TOTAL + ", the most units of XYZ all accounts together may hold"
                + " (each account at most " + dev.bourse.engine.MatchingEngine.MAX_BALANCE + "): configure less"),
            richTogether.problems());
        assertDoesNotThrow(() -> ExchangeConfig.read(Settings.parse("test", MINIMAL.replace("accounts = 7\n",
            rich.replace("account.9.cash = 100000000000000", "account.9.cash = 1").replace("account.8.position.XYZ = 700000000000000000",
                "account.8.position.XYZ = 1")))));
        // more instruments than the engine has ids for, by their positions in the list (an outside probe's start
        // journaled the first ones, then stopped)
        final ConfigException noRoom = assertThrows(ConfigException.class, () -> ExchangeConfig.read(Settings.parse("test",
            MINIMAL.replace("instruments = XYZ", "instruments = XYZ, ABC, DEF") + "instrument.ABC.reference-price = 10\n"
                + "instrument.DEF.reference-price = 10\nengine.max-instruments = 2\n")));
        assertTrue(noRoom.getMessage().contains("engine.max-instruments: 2 leaves no instrument id for 'ABC' (number 2 in"
            + " instruments): set it above the highest instrument id, at least 4"), noRoom.getMessage());
        assertTrue(noRoom.getMessage().indexOf("leaves no instrument id") == noRoom.getMessage().lastIndexOf("leaves no instrument id"),
            "said once: " + noRoom.getMessage());
    }

    /**
     * A key given twice stops the start naming both lines: Java properties keep the last one silently, and
     * which was meant is not for the exchange to guess (a probe's second gateway.port was taken without a word).
     * Comments, blank lines and continued lines count as the file's lines; --set still overrides the file.
     */
    @Test
    void aKeyGivenTwiceIsRefusedNamingItsLines(@TempDir final Path dir) throws Exception
    {
        final String text = MINIMAL + "# the FIX port\ngateway.port = 9881\n\ngateway.comp-id = \\\n    EXCH\n"
            + "query.port = 8081\ngateway.port = 9882\nquery.port=8082\nquery.port 8083\n";
        final ConfigException twice = assertThrows(ConfigException.class, () -> ExchangeConfig.read(Settings.parse("test", text)));
        assertEquals(java.util.List.of("gateway.port: is given twice (lines 8 and 13): keep the one you mean",
            "query.port: is given 3 times (lines 12, 14 and 15): keep the one you mean"), twice.problems());

        final Path file = java.nio.file.Files.writeString(dir.resolve("twice.properties"), text);
        final ConfigException fromFile = assertThrows(ConfigException.class,
            () -> ExchangeConfig.load(file, java.util.Map.of("gateway.port", "9999")));
        assertTrue(fromFile.getMessage().startsWith(file + " with --set gateway.port: 2 problems"), fromFile.getMessage());
        assertTrue(fromFile.getMessage().contains("gateway.port: is given twice (lines 8 and 13)"), fromFile.getMessage());

        final ExchangeConfig once = ExchangeConfig.load(java.nio.file.Files.writeString(dir.resolve("once.properties"),
            MINIMAL + "gateway.port = 9881\n"), java.util.Map.of("gateway.port", "9999"));
        assertEquals(9999, once.gateway().port(), "--set overrides the file's key: not a second one");
    }

    @Test
    void aChannelAeronWouldRefuseAndABindAddressThatDoesNotResolveAreNamedAtStart() throws ConfigException
    {
        final ConfigException bad = assertThrows(ConfigException.class, () -> ExchangeConfig.read(Settings.parse("test",
            MINIMAL + "md.channel = xyz!\ngateway.bind = no.such.host.invalid\n")));
        assertTrue(bad.getMessage().contains("md.channel: 'xyz!' is not an Aeron channel"), bad.getMessage());
        assertTrue(bad.getMessage().contains("gateway.bind: 'no.such.host.invalid' does not resolve"), bad.getMessage());
        // a documentation address (RFC 5737) no host here has: it failed at the bind, blamed on the port (an outside probe)
        final ConfigException foreign = assertThrows(ConfigException.class, () -> ExchangeConfig.read(Settings.parse("test",
            MINIMAL + "query.bind = 192.0.2.55\n")));
        assertTrue(foreign.getMessage().contains("query.bind: '192.0.2.55' is not an address of this host"), foreign.getMessage());
        assertEquals("127.0.0.1", ExchangeConfig.read(Settings.parse("test", MINIMAL + "gateway.bind = 127.0.0.1\n")).gateway().bind());
        // a channel's host that does not resolve failed only when market data started, in Aeron's words (an outside tester)
        final ConfigException host = assertThrows(ConfigException.class, () -> ExchangeConfig.read(Settings.parse("test",
            MINIMAL + "md.channel = aeron:udp?endpoint=nohost.invalid:42450\n")));
        assertTrue(host.getMessage().contains("md.channel: 'aeron:udp?endpoint=nohost.invalid:42450': the host 'nohost.invalid' "
            + "in endpoint does not resolve"), host.getMessage());
        assertEquals("aeron:udp?endpoint=localhost:40456", ExchangeConfig.read(Settings.parse("test",
            MINIMAL + "md.channel = aeron:udp?endpoint=localhost:40456\n")).marketData().channel());
    }

    @Test
    void theQuerySideDefaultsToTheEmbeddedStoreAndBoundedHttp() throws Exception
    {
        final ExchangeConfig.Query query = ExchangeConfig.read(Settings.parse("test", MINIMAL)).query();
        assertEquals("embedded", query.store());
        assertEquals(Path.of("data", "read-models", "history.db"), query.historyFile());
        assertNull(query.jdbcUrl());
        assertEquals(10_000, query.sinkBatchEntries());
        assertEquals(1_024, query.maxConnections());
        assertEquals(Duration.ofSeconds(10), query.headerTimeout());
        assertEquals(256, query.wsMaxSessions());
    }

    @Test
    void postgresqlNeedsAJdbcUrlAndThePasswordIsNeverPrinted() throws Exception
    {
        final ConfigException missing = assertThrows(ConfigException.class,
            () -> ExchangeConfig.read(Settings.parse("pg", MINIMAL + "query.store = postgresql\n")));
        assertTrue(missing.getMessage().contains("query.jdbc-url: is required when query.store = postgresql"), missing.getMessage());

        final ConfigException unused = assertThrows(ConfigException.class,
            () -> ExchangeConfig.read(Settings.parse("pg", MINIMAL + "query.jdbc-url = jdbc:postgresql://db/bourse\n")));
        assertTrue(unused.getMessage().contains("query.jdbc-url: is set but query.store is embedded"), unused.getMessage());

        final ConfigException notPostgres = assertThrows(ConfigException.class, () -> ExchangeConfig.read(Settings.parse("pg",
            MINIMAL + "query.store = postgresql\nquery.jdbc-url = jdbc:mysql://db/bourse\n")));
        assertTrue(notPostgres.getMessage().contains("is not a PostgreSQL JDBC URL"), notPostgres.getMessage());

        final ExchangeConfig config = ExchangeConfig.read(Settings.parse("pg", MINIMAL + """
            query.store = postgresql
            query.jdbc-url = jdbc:postgresql://db:5432/bourse
            query.jdbc-user = bourse
            query.jdbc-password = s3cret
            query.pool-size = 8
            query.sink.batch-entries = 5000
            query.sink.max-delay = 5ms
            query.sink.idle-class-max-lag = 0
            snapshot.idle-class-max-lag = 5000
            query.ws.max-sessions = 100
            """));
        assertEquals("jdbc:postgresql://db:5432/bourse", config.query().jdbcUrl());
        assertEquals("s3cret", config.query().jdbcPassword());
        assertEquals(8, config.query().poolSize());
        assertEquals(Duration.ofMillis(5), config.query().sinkMaxDelay());
        assertEquals(0, config.query().sinkIdleClassMaxLag(), "0: the sink never enters the idle class");
        assertEquals(1_000_000, ExchangeConfig.read(Settings.parse("default", MINIMAL)).query().sinkIdleClassMaxLag());
        assertEquals(5_000, config.snapshots().idleClassMaxLag());
        assertEquals(1_000_000, ExchangeConfig.read(Settings.parse("default", MINIMAL)).snapshots().idleClassMaxLag());
        assertFalse(config.query().toString().contains("s3cret"));
        assertFalse(config.toString().contains("s3cret"));

        final ConfigException tooMany = assertThrows(ConfigException.class, () -> ExchangeConfig.read(Settings.parse("ws",
            MINIMAL + "query.ws.max-sessions = 500\nquery.http.max-connections = 100\n")));
        assertTrue(tooMany.getMessage().contains("query.ws.max-sessions: 500 is more than query.http.max-connections"),
            tooMany.getMessage());
    }

    @Test
    void theQueryServersAdmissionLimitsAreReadAndChecked() throws Exception
    {
        final ExchangeConfig defaults = ExchangeConfig.read(Settings.parse("defaults", MINIMAL));
        assertEquals(64, defaults.query().maxConnectionsPerAddress());
        assertEquals(Duration.ofSeconds(30), defaults.query().writeTimeout());

        final ExchangeConfig set = ExchangeConfig.read(Settings.parse("set", MINIMAL + """
            query.http.max-connections = 300
            query.http.max-connections-per-address = 8
            query.http.write-timeout = 5s
            """));
        assertEquals(8, set.query().maxConnectionsPerAddress());
        assertEquals(Duration.ofSeconds(5), set.query().writeTimeout());
        assertEquals(16, ExchangeConfig.read(Settings.parse("small", MINIMAL + "query.http.max-connections = 16\nquery.ws.max-sessions = 16\n"))
            .query().maxConnectionsPerAddress(), "the default never exceeds the total");

        final ConfigException e = assertThrows(ConfigException.class, () -> ExchangeConfig.read(Settings.parse("bad", MINIMAL + """
            query.http.max-connections = 100
            query.ws.max-sessions = 100
            query.http.max-connections-per-address = 500
            query.http.write-timeout = 1ms
            """)));
        assertTrue(e.getMessage().contains("query.http.max-connections-per-address: 500 is more than query.http.max-connections (100)"),
            e.getMessage());
        assertTrue(e.getMessage().contains("query.http.write-timeout"), e.getMessage());
    }

    @Test
    void oneAddressGetsHalfTheQueryThreadsUnlessSetOtherwise() throws Exception
    {
        assertEquals(2, ExchangeConfig.read(Settings.parse("defaults", MINIMAL)).query().maxThreadsPerAddress());
        assertEquals(4, ExchangeConfig.read(Settings.parse("eight", MINIMAL + "query.threads = 8\n")).query().maxThreadsPerAddress());
        assertEquals(1, ExchangeConfig.read(Settings.parse("one", MINIMAL + "query.threads = 1\n")).query().maxThreadsPerAddress());
        assertEquals(3, ExchangeConfig.read(Settings.parse("set", MINIMAL + "query.http.max-threads-per-address = 3\n"))
            .query().maxThreadsPerAddress());
        final ConfigException e = assertThrows(ConfigException.class, () -> ExchangeConfig.read(Settings.parse("bad", MINIMAL +
            "query.threads = 2\nquery.http.max-threads-per-address = 3\n")));
        assertTrue(e.getMessage().contains("query.http.max-threads-per-address: 3 is more than query.threads (2)"), e.getMessage());
    }

    @Test
    void eachAddressHasABudgetOfWorkUnlessTurnedOff() throws Exception
    {
        final ExchangeConfig.Query defaults = ExchangeConfig.read(Settings.parse("defaults", MINIMAL)).query();
        assertEquals(100, defaults.budgetPerAddress());
        assertEquals(1_000, defaults.budgetBurst());
        final ExchangeConfig.Query set = ExchangeConfig.read(Settings.parse("set", MINIMAL +
            "query.http.budget-per-address = 0\nquery.http.budget-burst = 50\n")).query();
        assertEquals(0, set.budgetPerAddress(), "0 turns it off");
        assertEquals(50, set.budgetBurst());
        assertEquals(java.time.Duration.ofHours(1), defaults.tokenLifetime(), "a token's lifetime, by default");
        assertEquals(java.time.Duration.ofMinutes(10), ExchangeConfig.read(Settings.parse("ttl", MINIMAL +
            "query.token-lifetime = 10m\n")).query().tokenLifetime());
        final ConfigException e = assertThrows(ConfigException.class, () -> ExchangeConfig.read(Settings.parse("bad", MINIMAL +
            "query.http.budget-per-address = -5\nquery.http.budget-burst = 0\n")));
        assertTrue(e.getMessage().contains("query.http.budget-per-address"), e.getMessage());
        assertTrue(e.getMessage().contains("query.http.budget-burst"), e.getMessage());
    }

    /** A minimum no order can have published as the instrument's (an outside tester's lot 2, min-qty 3). */
    @Test
    void aMinimumQuantityThatIsNoWholeNumberOfLotsIsRefused()
    {
        final ConfigException e = assertThrows(ConfigException.class, () -> ExchangeConfig.read(Settings.parse("lots.properties", """
            instruments = XYZ
            instrument.XYZ.tick = 0.01
            instrument.XYZ.reference-price = 10
            instrument.XYZ.lot = 2
            instrument.XYZ.min-qty = 3
            """)));
        assertTrue(e.getMessage().contains("instrument.XYZ.min-qty: 3 is not a whole number of lots (2): no order could be that small"),
            e.getMessage());
    }

    @Test
    void everyProblemIsReportedWithItsKey()
    {
        final ConfigException e = assertThrows(ConfigException.class, () -> ExchangeConfig.read(Settings.parse("bad.properties", """
            engine.ring-size = 1000
            engine.idle-strategy = turbo
            gateway.port = 70000
            gateway.logon-timeout = soon
            query.port = 9880
            gateway.rate-limit.burts = 5
            journal.dir = ${data.dir}/journal
            instruments = XYZ, XYZ, A.B, 2
            instrument.XYZ.tick = 0.00001
            instrument.XYZ.min-qty = 10
            instrument.XYZ.max-qty = 5
            instrument.XYZ.lot = 20
            accounts = 7, x
            account.7.cash = lots
            users = u, v
            user.u.account = 8
            user.u.password-hash = plain
            user.v.account = 7
            user.w.account = 7
            instrument.QQQ.tick = 0.01
            schedule.segment.main.close = 17:30
            """)));
        final String message = e.getMessage();
        assertTrue(message.startsWith("bad.properties: "), message);
        for (final String expected : new String[] {
            "engine.ring-size: 1000 is not a power of two",
            "engine.idle-strategy: 'turbo' is not one of backoff, sleeping, sleeping-1ms, yielding, busy-spin, no-op",
            "gateway.port: 70000 is out of range [0, 65535]",
            "gateway.logon-timeout: 'soon' is not a duration",
            "gateway.rate-limit.burts: unknown key (did you mean 'gateway.rate-limit.burst'?)",
            "journal.dir: '${data.dir}/journal': ${...} is not expanded here",
            "instruments: 'XYZ' is listed twice",
            "instruments: 'A.B' is not a symbol",
            "instruments: '2' is not a symbol: a symbol must not be all digits: a path would read it as an instrument id",
            "instrument.XYZ.tick: '0.00001' is not a decimal amount with at most 4 decimals",
            "instrument.XYZ.min-qty: 10 is above max-qty 5",
            "instrument.XYZ.min-qty: 10 is below the lot 20: no order could be that small",
            "instrument.XYZ.reference-price: is required",
            "accounts: 'x' is not an account number",
            "account.7.cash: 'lots' is not a decimal amount",
            "user.u.account: 8 is not in 'accounts'",
            "user.u.password-hash: is not a pbkdf2-sha256 hash",
            "user.v.password-hash: is required (or user.v.password, in plain text, for a demo)",
            // a member's key whose name its list lacks says so (an outside probe's segment said only "unknown key")
            "user.w.account: 'w' is not listed in users (u, v): add it there or remove this key",
            "instrument.QQQ.tick: 'QQQ' is not listed in instruments (",
            "schedule.segment.main.close: 'main' is not listed in schedule.segments (it lists none)"})
        {
            assertTrue(message.contains(expected), "missing '" + expected + "' in:\n" + message);
        }
    }

    @Test
    void theGatewaysAdmissionAndLockoutLimitsHaveDefaultsAndAreChecked() throws Exception
    {
        final ExchangeConfig.Admission defaults = ExchangeConfig.read(Settings.parse("test", MINIMAL)).gateway().admission();
        assertEquals(128, defaults.maxUnauthenticated());
        assertEquals(8, defaults.maxUnauthenticatedPerAddress());
        assertEquals(Duration.ofSeconds(5), defaults.firstBytesTimeout());
        assertEquals(Duration.ofHours(1), defaults.lockoutMaxDuration());
        assertEquals(20, defaults.userThrottleFailures());
        assertEquals(dev.bourse.gateway.GatewayContext.OverLimit.QUEUE, defaults.rateLimitOverLimit());

        final ExchangeConfig.Admission set = ExchangeConfig.read(Settings.parse("test", MINIMAL + """
            gateway.admission.max-unauthenticated = 16
            gateway.admission.max-unauthenticated-per-address = 2
            gateway.admission.first-bytes-timeout = 500ms
            gateway.logon.check-threads = 2
            gateway.lockout.user-max-delay = 30s
            gateway.rate-limit.user-messages-per-second = 5000
            gateway.rate-limit.over-limit = reject
            """)).gateway().admission();
        assertEquals(16, set.maxUnauthenticated());
        assertEquals(2, set.maxUnauthenticatedPerAddress());
        assertEquals(Duration.ofMillis(500), set.firstBytesTimeout());
        assertEquals(2, set.logonCheckThreads());
        assertEquals(Duration.ofSeconds(30), set.userThrottleMaxDelay());
        assertEquals(5000, set.userRateLimitPerSecond());
        assertEquals(dev.bourse.gateway.GatewayContext.OverLimit.REJECT, set.rateLimitOverLimit());

        final ConfigException e = assertThrows(ConfigException.class, () -> ExchangeConfig.read(Settings.parse("x", MINIMAL + """
            gateway.admission.max-unauthenticated = 4
            gateway.admission.max-unauthenticated-per-address = 5
            gateway.lockout.duration = 10m
            gateway.lockout.max-duration = 5m
            gateway.rate-limit.over-limit = drop
            """)));
        assertTrue(e.getMessage().contains("gateway.admission.max-unauthenticated-per-address: must not exceed"), e.getMessage());
        assertTrue(e.getMessage().contains("gateway.lockout.max-duration: must not be shorter"), e.getMessage());
        assertTrue(e.getMessage().contains("gateway.rate-limit.over-limit"), e.getMessage());
    }

    @Test
    void gatewayAndQueryMayNotShareAPort()
    {
        final ConfigException e = assertThrows(ConfigException.class,
            () -> ExchangeConfig.read(Settings.parse("x", MINIMAL + "gateway.port = 8080\n")));
        assertTrue(e.getMessage().contains("query.port: is the same as gateway.port (8080)"), e.getMessage());
    }

    @Test
    void aMissingFileIsOneClearLine(@TempDir final Path dir)
    {
        final ConfigException e = assertThrows(ConfigException.class, () -> ExchangeConfig.load(dir.resolve("nope.properties")));
        assertEquals(dir.resolve("nope.properties") + ": 1 problem" + System.lineSeparator() + "  configuration file not found",
            e.getMessage());
    }

    /** A UTF-8 byte-order mark at the start was read as part of the first key: "data.dir: unknown key (did you mean 'data.dir'?)". */
    @Test
    void aByteOrderMarkAtTheStartIsSkipped(@TempDir final Path dir) throws Exception
    {
        final Path file = java.nio.file.Files.writeString(dir.resolve("bom.properties"), "\uFEFFdata.dir = " + dir.resolve("data") + "\n" + MINIMAL);
        assertEquals(dir.resolve("data"), ExchangeConfig.load(file).dataDir());
    }

    /**
     * A Latin-1 file (an 'é' in a comment) was "cannot read configuration file: Input length = 1", the JDK's words; a binary or
     * UTF-16 file the same or worse. Each is one line naming the file and what to do, the line of the first bad byte with it.
     */
    @Test
    void aFileNotInUtf8IsOneLineNamingTheLine(@TempDir final Path dir) throws Exception
    {
        final Path latin1 = java.nio.file.Files.write(dir.resolve("latin1.properties"),
            (MINIMAL + "# caf\u00e9 prices\ngateway.port = 9881\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertEquals(latin1 + ": not UTF-8 at line 7 (byte 0xE9): save it as UTF-8",
            assertThrows(ConfigException.class, () -> ExchangeConfig.load(latin1)).getMessage());

        final Path binary = java.nio.file.Files.write(dir.resolve("binary.properties"), new byte[] {'P', 'K', 3, 4, '\n', 0, 0, 1});
        assertEquals(binary + ": not a text file (a NUL byte at line 2): give the key = value configuration file",
            assertThrows(ConfigException.class, () -> ExchangeConfig.load(binary)).getMessage());

        final Path utf16 = java.nio.file.Files.writeString(dir.resolve("utf16.properties"), "\uFEFF" + MINIMAL,
            java.nio.charset.StandardCharsets.UTF_16LE);
        assertEquals(utf16 + ": is UTF-16 (it starts with a UTF-16 byte-order mark): save it as UTF-8",
            assertThrows(ConfigException.class, () -> ExchangeConfig.load(utf16)).getMessage());

        final Path utf8 = java.nio.file.Files.writeString(dir.resolve("utf8.properties"), MINIMAL + "# caf\u00e9 prices\n");
        assertEquals(1, ExchangeConfig.load(utf8).instruments().size(), "UTF-8 beyond ASCII is read");
    }

    /**
     * An empty file (a harness wrote one by mistake) started a whole exchange on the public default ports, every key at its
     * default: a file with no key in it, empty or only comments, is refused in one line. A configuration read from text,
     * as the tests and the demo read theirs, is not a file given and keeps its defaults.
     */
    @Test
    void aFileWithNoKeyInItIsRefused(@TempDir final Path dir) throws Exception
    {
        for (final String text : new String[] {"", "\n\n", "# nothing set yet\n\n! nor here\n", "\uFEFF"})
        {
            final Path file = java.nio.file.Files.writeString(dir.resolve("empty.properties"), text);
            final ConfigException e = assertThrows(ConfigException.class, () -> ExchangeConfig.load(file, java.util.Map.of()));
            assertEquals(file + ": no settings in it: is this the right configuration file?", e.getMessage(), "'" + text + "'");
        }
        assertEquals(9880, ExchangeConfig.read(Settings.parse("text", "")).gateway().port());
        final Path oneKey = java.nio.file.Files.writeString(dir.resolve("one.properties"), "# just the port\ngateway.port = 9882\n");
        assertEquals(9882, ExchangeConfig.load(oneKey).gateway().port(), "one key is a configuration");
    }

    @Test
    void durationsReadTheUsualUnits()
    {
        assertEquals(Duration.ofMillis(500), Settings.parseDuration("500ms"));
        assertEquals(Duration.ofSeconds(30), Settings.parseDuration("30s"));
        assertEquals(Duration.ofMinutes(5), Settings.parseDuration("5m"));
        assertEquals(Duration.ofHours(1), Settings.parseDuration("1h"));
        assertNull(Settings.parseDuration("5 parsecs"));
        assertNull(Settings.parseDuration("ms"));
        // a bare 0 is zero whatever the unit (the docs write "0 answers at once"); any other bare number needs its unit
        assertEquals(Duration.ZERO, Settings.parseDuration("0"));
        assertNull(Settings.parseDuration("5"));
    }

    private static final String MEMBERS = "cluster.members = 0=localhost:9000,1=localhost:9100,2=localhost:9200\n";

    @Test
    void withoutClusterMembersTheExchangeIsOneProcess() throws Exception
    {
        final ExchangeConfig config = ExchangeConfig.read(Settings.parse("test", MINIMAL));
        assertEquals(ClusterConfig.Role.SINGLE, config.cluster().role());
        assertTrue(config.gateway().enabled());
        assertTrue(config.marketData().enabled());
    }

    @Test
    void aNodeIdMakesANodeWithTheExchangesTimeoutsAndNoGateway() throws Exception
    {
        final ExchangeConfig config = ExchangeConfig.read(Settings.parse("test", MINIMAL + MEMBERS + "cluster.node-id = 1\n"
            + "md.channel = aeron:udp?endpoint=localhost:40456\nmd.snapshot-channel = aeron:udp?endpoint=localhost:40457\n"));
        final ClusterConfig cluster = config.cluster();
        assertEquals(ClusterConfig.Role.NODE, cluster.role());
        assertEquals(1, cluster.nodeId());
        assertEquals(Path.of("data", "cluster"), cluster.dir());
        assertEquals(Duration.ofMillis(300), cluster.leaderHeartbeatTimeout());
        assertEquals(Duration.ofMillis(30), cluster.leaderHeartbeatInterval());
        assertEquals(Duration.ofMillis(150), cluster.electionTimeout());
        assertEquals("none", cluster.fsync());
        assertEquals(Duration.ZERO, cluster.snapshotInterval());
        assertFalse(config.gateway().enabled(), "gateways are processes of their own");
        assertTrue(config.marketData().enabled());
        assertTrue(config.query().enabled());
        assertTrue(config.warnings().stream().noneMatch(w -> w.startsWith("md.channel")), config.warnings().toString());
        assertEquals(1, cluster.toNodeContext().conclude().nodeId());
    }

    @Test
    void aNodeWarnsThatAnIpcFeedDoesNotFollowTheLeader() throws Exception
    {
        final ExchangeConfig config = ExchangeConfig.read(Settings.parse("test", MINIMAL + MEMBERS + "cluster.node-id = 0\n"));
        assertTrue(config.warnings().stream().anyMatch(w -> w.startsWith("md.channel: aeron:ipc on a cluster node")),
            config.warnings().toString());
    }

    @Test
    void membersWithoutANodeIdMakeAGatewayWithItsOwnSessionIds() throws Exception
    {
        final ExchangeConfig config = ExchangeConfig.read(Settings.parse("test", MINIMAL + MEMBERS + "cluster.gateway-id = 3\n"));
        final ClusterConfig cluster = config.cluster();
        assertEquals(ClusterConfig.Role.GATEWAY, cluster.role());
        assertTrue(config.gateway().enabled());
        assertFalse(config.marketData().enabled(), "a gateway has no journal to publish from");
        assertFalse(config.query().enabled());
        assertEquals("backoff", config.gateway().idleStrategy(), "the cluster's answers do not wake a selector");
        assertEquals(3 * (1 << 24) + 1, cluster.firstSessionId());
        assertEquals("0=localhost:9000,1=localhost:9100,2=localhost:9200", cluster.ingressEndpoints());
        assertEquals(Duration.ofSeconds(3), cluster.clientSilenceTimeout());
    }

    /** A gateway takes its session for lost after a silence longer than twice a failover, 3 s at least. */
    @Test
    void theGatewaysSilenceTimeoutOutlastsAFailover() throws Exception
    {
        final String gateway = MINIMAL + MEMBERS + "cluster.gateway-id = 3\n";
        assertEquals(Duration.ofMillis(4_300), ExchangeConfig.read(Settings.parse("test", gateway
            + "cluster.leader-heartbeat-timeout = 2s\n")).cluster().clientSilenceTimeout());
        assertEquals(Duration.ofSeconds(8), ExchangeConfig.read(Settings.parse("test", gateway
            + "cluster.client-silence-timeout = 8s\n")).cluster().clientSilenceTimeout());
        assertProblems(gateway + "cluster.leader-heartbeat-timeout = 2s\ncluster.client-silence-timeout = 2s\n",
            "cluster.client-silence-timeout: must be longer than a failover, cluster.leader-heartbeat-timeout plus "
                + "cluster.election-timeout (2150ms)");
    }

    @Test
    void clusterMistakesAreReportedWithTheirKey()
    {
        assertProblems(MINIMAL + MEMBERS + "cluster.node-id = 5\n", "cluster.node-id: 5 is not among cluster.members");
        assertProblems(MINIMAL.replace("accounts = 7\n", "accounts = 7, 72057594037928937\n"),
            "accounts: account numbers are at most 2^56 - 1");
        final ConfigException notANumber = assertThrows(ConfigException.class,
            () -> ExchangeConfig.read(Settings.parse("c", MINIMAL + MEMBERS + "cluster.node-id = abc\n")));
        assertTrue(notANumber.getMessage().contains("cluster.node-id: 'abc' is not a whole number"), notANumber.getMessage());
        assertFalse(notANumber.getMessage().contains("not among"), "one problem, not a second about -1: " + notANumber.getMessage());
        // digits past a long are a whole number, out of range (an outside tester read "not a whole number")
        assertProblems(MINIMAL + "engine.ring-size = 99999999999999999999\n",
            "engine.ring-size: '99999999999999999999' is out of range [");
        assertProblems(MINIMAL + "gateway.logon-timeout = 99999999999999999999s\n",
            "gateway.logon-timeout: '99999999999999999999s' is out of range (at most 12 digits)");
        assertProblems(MINIMAL + "gateway.logon-timeout = 5 fortnights\n", "gateway.logon-timeout: '5 fortnights' is not a duration");
        assertProblems(MINIMAL + "account.7.cash = 99999999999999999999999\n",
            "account.7.cash: '99999999999999999999999' is out of range (at most 922337203685477.5807)");
        assertProblems(MINIMAL + "account.7.cash = 1.23456\n", "account.7.cash: '1.23456' is not a decimal amount with at most 4 decimals");
        assertProblems(MINIMAL + "cluster.members = 0=localhost:9000,1=localhost:9002\n",
            "cluster.members: members 0 and 1 on host localhost need base ports at least 5 apart");
        assertProblems(MINIMAL + "cluster.members = 0=localhost\n", "cluster.members: '0=localhost' is not id=host:port");
        assertProblems(MINIMAL + "cluster.node-id = 0\ncluster.gateway-id = 1\n",
            "cluster.node-id: set without cluster.members", "cluster.gateway-id: set without cluster.members");
        assertProblems(MINIMAL + MEMBERS + "cluster.node-id = 0\ncluster.leader-heartbeat-timeout = 50ms\n"
                + "cluster.leader-heartbeat-interval = 30ms\ncluster.idle-strategy = turbo\ncluster.fsync = sometimes\n"
                + "cluster.log-term-length = 1000000\ngateway.enabled = true\n",
            "cluster.leader-heartbeat-timeout: must be at least twice cluster.leader-heartbeat-interval (30ms)",
            "cluster.idle-strategy: unknown idle strategy 'turbo'",
            "cluster.fsync: 'sometimes' is not one of none, data, all",
            "cluster.log-term-length: 1000000 is not a power of two",
            "gateway.enabled: a cluster node runs no FIX gateway");
        // Aeron Cluster's own rule, named by our keys: its refusal named neither (an outside tester's 30 s heartbeat timeout)
        assertProblems(MINIMAL + MEMBERS + "cluster.node-id = 0\ncluster.leader-heartbeat-timeout = 30s\n",
            "cluster.leader-heartbeat-timeout: must be at most half cluster.startup-canvass-timeout (10000ms");
        assertProblems(MINIMAL + MEMBERS + "cluster.node-id = 0\ncluster.leader-heartbeat-timeout = 6s\n"
            + "cluster.startup-canvass-timeout = 11s\n",
            "cluster.startup-canvass-timeout: must be at least twice cluster.leader-heartbeat-timeout (6000ms)");
        assertDoesNotThrow(() -> ExchangeConfig.read(Settings.parse("c", MINIMAL + MEMBERS
            + "cluster.node-id = 0\ncluster.leader-heartbeat-timeout = 5s\n")), "half the canvass timeout is allowed");
        assertProblems(MINIMAL + MEMBERS, "cluster.gateway-id: is required for a gateway on a cluster");
        assertProblems(MINIMAL + MEMBERS + "cluster.node-id = 0\ncluster.gateway-id = 1\n",
            "cluster.gateway-id: set together with cluster.node-id: a process is a cluster node");
        assertProblems(MINIMAL + MEMBERS + "cluster.gateway-id = 1\ngateway.idle-strategy = select\nmd.enabled = true\n",
            "gateway.idle-strategy: 'select' blocks in the socket selector", "md.enabled: a gateway on a cluster has no journal");
    }

    @Test
    void oneFileServesNodesAndGateways() throws Exception
    {
        final String shared = MINIMAL + MEMBERS + "cluster.fsync = data\ncluster.client-host = gw1\n"
            + "md.channel = aeron:udp?endpoint=localhost:40456\nmd.snapshot-channel = aeron:udp?endpoint=localhost:40457\n";
        assertEquals(ClusterConfig.Role.NODE, ExchangeConfig.read(Settings.parse("n", shared + "cluster.node-id = 2\n")).cluster().role());
        assertEquals(ClusterConfig.Role.GATEWAY, ExchangeConfig.read(Settings.parse("g", shared + "cluster.gateway-id = 2\n")).cluster().role());
    }

    @Test
    void theCommandLineOverridesTheFile(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("cluster.properties");
        java.nio.file.Files.writeString(file, MINIMAL + MEMBERS + "cluster.node-id = 0\n");
        final ExchangeConfig config = ExchangeConfig.load(file, java.util.Map.of("cluster.node-id", "2", "data.dir", "data/node2"));
        assertEquals(2, config.cluster().nodeId());
        assertEquals(Path.of("data/node2/cluster"), config.cluster().dir());
    }

    @Test
    void usersHaveARoleAndOnlyTradersAnAccount() throws Exception
    {
        final ExchangeConfig config = ExchangeConfig.read(Settings.parse("c", MINIMAL.replace("users = u", "users = u, ops, feed, audit") + """
            user.ops.role = operations
            user.ops.password = a
            user.feed.role = market-data
            user.feed.password = b
            user.audit.role = Compliance
            user.audit.password = c
            """));
        assertEquals(dev.bourse.protocol.auth.Role.TRADER, config.users().get(0).credential().role());
        assertEquals(7, config.users().get(0).accountId());
        assertEquals(dev.bourse.protocol.auth.Role.OPERATIONS, config.users().get(1).role());
        assertEquals(0, config.users().get(1).accountId());
        assertEquals(dev.bourse.protocol.auth.Role.MARKET_DATA, config.users().get(2).role());
        assertEquals(dev.bourse.protocol.auth.Role.COMPLIANCE, config.users().get(3).role());

        assertProblems(MINIMAL.replace("users = u", "users = u, v, w, x") + """
            user.v.role = operations
            user.v.account = 7
            user.v.password = a
            user.w.role = auditor
            user.w.password = b
            user.x.role = trader
            user.x.password = c
            """,
            "user.v.account: an operations user has no account: only traders do",
            "user.w.role: 'auditor' is not a role (trader, operations, market-data, compliance)",
            "user.x.account: is required");
    }

    private static void assertProblems(final String text, final String... expected)
    {
        final ConfigException e = assertThrows(ConfigException.class, () -> ExchangeConfig.read(Settings.parse("c", text)));
        for (final String problem : expected)
        {
            assertTrue(e.getMessage().contains(problem), "missing '" + problem + "' in:\n" + e.getMessage());
        }
    }

    /** The two feeds on one stream id of one medium are refused whatever the channels' other parameters (an alias escaped the check). */
    @Test
    void theSnapshotFeedMayNotShareTheIncrementalStreamOfOneMedium()
    {
        final ConfigException e = assertThrows(ConfigException.class, () -> ExchangeConfig.read(Settings.parse("test",
            MINIMAL + "\nmd.snapshot-channel = aeron:ipc?alias=snap\nmd.snapshot-stream-id = 1001\n")));
        assertTrue(e.getMessage().contains("md.snapshot-stream-id: must differ from md.stream-id on the same channel"), e.getMessage());
    }

    /** A bad value given with --set was reported as the file's problem (an outside tester looked for the key in the file). */
    @Test
    void aProblemWithASetValueSaysItCameFromSet() throws ConfigException
    {
        final Settings settings = Settings.parse("exchange.properties", MINIMAL);
        settings.override("engine.max-clordids-per-day", "0");
        final ConfigException e = assertThrows(ConfigException.class, () -> ExchangeConfig.read(settings));
        assertTrue(e.getMessage().startsWith("exchange.properties with --set engine.max-clordids-per-day: 1 problem"), e.getMessage());
        assertTrue(e.getMessage().contains("engine.max-clordids-per-day (--set): 0 is out of range"), e.getMessage());
    }

    /** An outside probe started with a billion live orders on a 512 MB heap and was not warned. */
    @Test
    void engineBoundsBeyondTheHeapAreWarnedAboutAndTheDefaultsAreNot() throws Exception
    {
        final java.util.List<String> warnings = new java.util.ArrayList<>();
        final ExchangeConfig.Engine defaults = ExchangeConfig.read(Settings.parse("test", MINIMAL)).engine();
        ExchangeConfig.engineHeapWarning(defaults, 2L << 30, warnings);
        assertEquals(java.util.List.of(), warnings, "the defaults fit start's 2 GiB heap");
        ExchangeConfig.engineHeapWarning(defaults, 512L << 20, warnings);
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).startsWith("engine.max-live-orders (1,000,000) and engine.max-clordids-per-day (8,000,000) may take up to"),
            warnings.get(0));
        warnings.clear();
        ExchangeConfig.engineHeapWarning(new ExchangeConfig.Engine(defaults.ringSize(), defaults.idleStrategy(), defaults.maxInstruments(),
            2_000_000, defaults.preallocatedOrders(), defaults.maxClOrdIdsPerDay()), 2L << 30, warnings);
        assertEquals(1, warnings.size(), "two million live orders and eight million ClOrdIDs, twice (the snapshotter's copy), do not fit 2 GiB");
        // the parts it names add up to its total
        final java.util.regex.Matcher m = java.util.regex.Pattern.compile("up to ([0-9,]+) MB of heap \\(live orders ([0-9,]+) MB at about "
            + "220 bytes each, the ClOrdID index ([0-9,]+) MB; each twice").matcher(warnings.get(0));
        assertTrue(m.find(), warnings.get(0));
        final long total = Long.parseLong(m.group(1).replace(",", ""));
        final long parts = 2 * (Long.parseLong(m.group(2).replace(",", "")) + Long.parseLong(m.group(3).replace(",", "")));
        assertEquals(parts, total, warnings.get(0));
    }

    /** An outside tester: a cluster's gateway, which holds no engine, warned about the engine's heap. */
    @Test
    void aClusterGatewayIsNotWarnedAboutAnEngineItDoesNotRun() throws Exception
    {
        final String bounds = "engine.max-live-orders = 2000000000\n";
        final ExchangeConfig single = ExchangeConfig.read(Settings.parse("test", MINIMAL + bounds));
        assertTrue(single.warnings().stream().anyMatch(w -> w.startsWith("engine.max-live-orders")), single.warnings().toString());
        final ExchangeConfig gateway = ExchangeConfig.read(Settings.parse("test", MINIMAL + MEMBERS + bounds + "cluster.gateway-id = 3\n"));
        assertEquals(ClusterConfig.Role.GATEWAY, gateway.cluster().role());
        assertFalse(gateway.warnings().stream().anyMatch(w -> w.startsWith("engine.")), gateway.warnings().toString());
        final ExchangeConfig node = ExchangeConfig.read(Settings.parse("test", MINIMAL + MEMBERS + bounds + "cluster.node-id = 0\n"));
        assertTrue(node.warnings().stream().anyMatch(w -> w.startsWith("engine.max-live-orders")), "a node runs the engine");
    }

    /** An outside tester: one file for every process, query.store = postgresql, its URL given per node: the gateway was refused. */
    @Test
    void aProcessWithoutTheQuerySideNeedsNoDatabaseUrl() throws Exception
    {
        final String store = "query.store = postgresql\n";
        final ExchangeConfig gateway = ExchangeConfig.read(Settings.parse("test", MINIMAL + MEMBERS + store + "cluster.gateway-id = 3\n"));
        assertFalse(gateway.query().enabled());
        final ConfigException node = assertThrows(ConfigException.class,
            () -> ExchangeConfig.read(Settings.parse("test", MINIMAL + MEMBERS + store + "cluster.node-id = 0\n")));
        assertTrue(node.getMessage().contains("query.jdbc-url: is required when query.store = postgresql"), node.getMessage());
        ExchangeConfig.read(Settings.parse("test", MINIMAL + store + "query.enabled = false\n")); // a single node without it too
    }
}
