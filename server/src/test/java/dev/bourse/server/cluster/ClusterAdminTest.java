package dev.bourse.server.cluster;

import dev.bourse.journal.ChronicleJournal;
import dev.bourse.journal.ChronicleTailer;
import dev.bourse.protocol.JournalEntryReader;
import dev.bourse.protocol.JournalEventListener;
import dev.bourse.protocol.sbe.AuditRecordedDecoder;
import dev.bourse.protocol.sbe.AuditType;
import dev.bourse.protocol.sbe.BalanceChangedDecoder;
import dev.bourse.protocol.sbe.CommandType;
import dev.bourse.protocol.sbe.EntryHeaderDecoder;
import dev.bourse.server.cli.AdminCli;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The admin API in cluster mode, as an operator uses it: three nodes, each {@code exchange start}
 * in a JVM of its own; the operations user drives a follower's admin API over HTTP (and the
 * leader's with {@code ./exchange admin}). Each action
 * enters the Raft log and is answered from that node's journal; its entry and the OPERATOR audit
 * record before it are in every node's journal, byte for byte the same. Then the leader is
 * SIGKILLed and a deposit is sent at once: it is carried out after the election, exactly once.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClusterAdminTest
{
    private static final String OPS_PASSWORD = "ops-secret-1";
    /** Entries the bootstrap journals: the instrument, the trader's account and its cash deposit. */
    private static final long BOOTSTRAP_ENTRIES = 3;

    /** Kept when the test fails: every node's whole log (node<i>.log) is in it. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path root;

    private LocalCluster cluster;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stopEverything()
    {
        if (cluster != null)
        {
            // for a post-mortem: each node's admin and leadership lines (whole logs in the kept directory on failure)
            for (int node = 0; node < 3; node++)
            {
                System.out.println("---- node " + node + " ----");
                cluster.output(node).lines().filter(line -> line.contains("admin") || line.contains("role"))
                    .forEach(System.out::println);
            }
            System.out.println("nodes' logs in " + root.resolve("cluster"));
            cluster.close();
        }
    }

    @Test
    void adminActionsEnterTheLogAndAreAnsweredOnceThroughALeaderKill() throws Exception
    {
        cluster = new LocalCluster(root.resolve("cluster"), 3, config(), jvmFlags(), "256m");
        cluster.restartNodesThatStopThemselves(System.out::println); // as a supervisor would (docs/CLUSTER.md)
        cluster.startAll(180);
        await(() -> cluster.leader() >= 0 && cluster.inStep() && sequenceOnEveryNode() >= BOOTSTRAP_ENTRIES, 120,
            () -> "a leader, and the bootstrap journaled on every node: " + cluster.status());
        final int leader = cluster.leader();
        final int follower = (leader + 1) % 3;

        // The operations role only; a wrong password is refused as in single-node mode.
        assertEquals(401, post(follower, "accounts", "id=3001", "ops", "wrong").statusCode());

        final HttpResponse<String> created = post(follower, "accounts", "id=3001&stp=cancel-both", "ops", OPS_PASSWORD);
        assertEquals(200, created.statusCode(), created.body());
        assertTrue(created.body().contains("\"command\":\"CREATE_ACCOUNT\""), created.body());
        final HttpResponse<String> deposit = post(follower, "accounts/3001/deposit", "amount=1000.50", "ops", OPS_PASSWORD);
        assertEquals(200, deposit.statusCode(), deposit.body());
        assertTrue(deposit.body().contains("\"balance\":\"1000.5"), deposit.body());
        final HttpResponse<String> twice = post(follower, "accounts", "id=3001", "ops", OPS_PASSWORD);
        assertEquals(409, twice.statusCode(), twice.body());
        assertTrue(twice.body().contains("ACCOUNT_EXISTS"), twice.body());
        final HttpResponse<String> halted = post(follower, "instruments/ACME/halt", null, "ops", OPS_PASSWORD);
        assertEquals(200, halted.statusCode(), halted.body());
        assertTrue(halted.body().contains("HALTED"), halted.body());
        // ./exchange admin, unchanged, pointed at a node (here the leader's) query port
        final Path passwordFile = java.nio.file.Files.writeString(root.resolve("ops.password"), OPS_PASSWORD + "\n");
        assertEquals(0, new picocli.CommandLine(new AdminCli()).execute("--url", "http://127.0.0.1:" + cluster.queryPort(leader),
            "--user", "ops", "--password-file", passwordFile.toString(), "end-of-day"), "./exchange admin end-of-day");
        final HttpResponse<String> sessions = get(follower, "sessions");
        // the sessions as the journal knows them (no gateway here, so none); ClusterSessionHandoverTest acts on some
        assertEquals(200, sessions.statusCode(), sessions.body());
        assertTrue(sessions.body().contains("\"sessions\":[]"), sessions.body());
        assertEquals(404, post(follower, "sessions/77/disconnect", null, "ops", OPS_PASSWORD).statusCode(), "no such session");

        await(cluster::inStep, 60, () -> "every node in step: " + cluster.status());
        final List<List<Entry>> before = new ArrayList<>();
        for (int node = 0; node < 3; node++)
        {
            before.add(adminEntries(node));
        }
        assertEquals(List.of(CommandType.CREATE_ACCOUNT, CommandType.DEPOSIT, CommandType.CREATE_ACCOUNT,
            CommandType.SET_TRADING_STATUS, CommandType.END_OF_DAY), actions(before.get(0)), "the actions, in order, audited");
        assertEquals(before.get(0), before.get(1), "node 1's admin entries are node 0's, byte for byte");
        assertEquals(before.get(0), before.get(2), "node 2's admin entries are node 0's, byte for byte");

        // The leader dies; a deposit sent at once waits for the new leader and is carried out once.
        cluster.kill(leader);
        final HttpResponse<String> afterKill = post(follower, "accounts/3001/deposit", "amount=10", "ops", OPS_PASSWORD);
        assertEquals(200, afterKill.statusCode(), afterKill.body());
        assertTrue(afterKill.body().contains("\"balance\":\"1010.5"), afterKill.body());
        final int newLeader = cluster.awaitLeader(30_000);
        assertTrue(newLeader >= 0 && newLeader != leader, "a new leader");
        await(cluster::inStep, 60, () -> "the survivors in step: " + cluster.status());
        final int other = 3 - leader - follower;
        final List<Entry> survivor = adminEntries(follower);
        assertEquals(survivor, adminEntries(other), "the survivors' admin entries are identical");
        assertEquals(before.get(follower), survivor.subList(0, before.get(follower).size()), "the earlier entries unchanged");
        final List<Entry> added = survivor.subList(before.get(follower).size(), survivor.size());
        assertEquals(List.of(CommandType.DEPOSIT), actions(added), "the deposit during the failover, once: " + added);
        assertEquals(List.of(10_005_000L, 10_005_000L + 100_000L), survivor.stream().filter(e -> e.balance != null)
            .map(e -> e.balance).toList(), "account 3001's balance after each deposit (fixed point, 1e-4)");

        // A node left alone has no leader: its status and gauges say so, rather than a lag of 0 behind a log that stopped.
        final String known = publicGet(follower, "api/v1/status");
        assertTrue(known.contains("\"leaderKnown\":true") && known.contains("\"secondsWithoutLeader\":0"), known);
        cluster.kill(other);
        await(() -> publicGet(follower, "api/v1/status").contains("\"leaderKnown\":false")
            && !publicGet(follower, "api/v1/status").contains("\"secondsWithoutLeader\":0,"), 60,
            () -> "the lone node says it has no leader: " + publicGet(follower, "api/v1/status"));
        final String metrics = publicGet(follower, "metrics");
        assertTrue(metrics.matches("(?s).*bourse_cluster_seconds_without_leader [1-9].*"), metrics);
    }

    /** The audited actions: each audit record followed by its action's entry (next sequence, same mark). */
    private static List<CommandType> actions(final List<Entry> entries)
    {
        final List<CommandType> actions = new ArrayList<>();
        for (int i = 0; i < entries.size(); i += 2)
        {
            final Entry audit = entries.get(i);
            assertEquals(CommandType.AUDIT, audit.type, "an audit record first: " + audit);
            assertEquals("ops", audit.operator, "the operator's name: " + audit);
            assertTrue(i + 1 < entries.size(), "the action after its audit record: " + audit);
            final Entry action = entries.get(i + 1);
            assertEquals(audit.sequence + 1, action.sequence, "the action right after its audit record: " + action);
            assertTrue(audit.msgSeqNum < 0 && audit.msgSeqNum == action.msgSeqNum, "one mark on both: " + audit + " " + action);
            if (audit.action == CommandType.END_OF_DAY.value() && action.type == CommandType.EXPIRE_ORDERS)
            {
                // the whole exchange's day end: the GTD orders due expire first, then EndOfDay on a mark of its own
                assertTrue(i + 2 < entries.size(), "EndOfDay after the GTD expiry: " + action);
                final Entry end = entries.get(i + 2);
                assertEquals(CommandType.END_OF_DAY, end.type, "EndOfDay after the GTD expiry: " + end);
                assertEquals(action.sequence + 1, end.sequence, "right after it: " + end);
                assertTrue(end.msgSeqNum < 0 && end.msgSeqNum != action.msgSeqNum, "a mark of its own: " + end);
                actions.add(end.type);
                i++;
                continue;
            }
            assertEquals(audit.action, action.type.value(), "the audit names the action: " + action);
            actions.add(action.type);
        }
        return actions;
    }

    /** A journal entry of an admin action (its msgSeqNum is a negative mark), or its OPERATOR audit record. */
    private record Entry(long sequence, CommandType type, int msgSeqNum, String operator, int action, Long balance, String bytes)
    {
    }

    private List<Entry> adminEntries(final int node)
    {
        final List<Entry> entries = new ArrayList<>();
        final JournalEntryReader reader = new JournalEntryReader();
        final Object[] found = new Object[3];
        final JournalEventListener listener = new JournalEventListener()
        {
            @Override
            public void onAuditRecorded(final EntryHeaderDecoder header, final AuditRecordedDecoder event)
            {
                if (event.auditType() == AuditType.OPERATOR)
                {
                    found[0] = event.username().trim();
                    found[1] = event.detail();
                }
            }

            @Override
            public void onBalanceChanged(final EntryHeaderDecoder header, final BalanceChangedDecoder event)
            {
                if (event.accountId() == 3001 && event.instrumentId() == 0)
                {
                    found[2] = event.balance();
                }
            }
        };
        try (ChronicleJournal journal = ChronicleJournal.openForReading(cluster.journalDir(node));
            ChronicleTailer tailer = journal.tailerFromStart())
        {
            tailer.poll((position, buffer, offset, length) ->
            {
                java.util.Arrays.fill(found, null);
                assertEquals(JournalEntryReader.OK, reader.read(buffer, offset, length, listener), "a well-formed entry");
                final EntryHeaderDecoder header = reader.header();
                if (header.msgSeqNum() < 0 || found[0] != null)
                {
                    final byte[] bytes = new byte[length];
                    buffer.getBytes(offset, bytes);
                    entries.add(new Entry(header.sequence(), header.commandType(), header.msgSeqNum(), (String)found[0],
                        found[1] == null ? 0 : (Integer)found[1], (Long)found[2], HexFormat.of().formatHex(bytes)));
                }
            }, Integer.MAX_VALUE);
        }
        return entries;
    }

    private long sequenceOnEveryNode()
    {
        long min = Long.MAX_VALUE;
        for (final var node : cluster.status())
        {
            min = Math.min(min, node.journalSequence());
        }
        return min;
    }

    private HttpResponse<String> post(final int node, final String path, final String form, final String user, final String password)
        throws Exception
    {
        return http.send(request(node, path, user, password).header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form == null ? "" : form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A public path's body (status, metrics), "" if it cannot be had. */
    private String publicGet(final int node, final String path)
    {
        try
        {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.queryPort(node) + "/" + path))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        }
        catch (final java.io.IOException | InterruptedException e)
        {
            return "";
        }
    }

    private HttpResponse<String> get(final int node, final String path) throws Exception
    {
        return http.send(request(node, path, "ops", OPS_PASSWORD).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(final int node, final String path, final String user, final String password)
    {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.queryPort(node) + "/api/v1/admin/" + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8)));
    }

    private static String config()
    {
        return """
            cluster.leader-heartbeat-timeout = 500ms
            cluster.leader-heartbeat-interval = 50ms
            cluster.startup-canvass-timeout = 5s
            cluster.idle-strategy = backoff:1000
            cluster.log-term-length = 1048576
            engine.max-instruments = 16
            engine.preallocated-orders = 1024
            md.enabled = false
            query.port = 0
            query.bind = 127.0.0.1
            instruments = ACME
            instrument.ACME.reference-price = 100
            instrument.ACME.tick = 0.01
            accounts = 1001
            account.1001.cash = 1000000
            users = t1, ops
            user.t1.account = 1001
            user.t1.password = trader-secret
            user.ops.role = operations
            """ + "user.ops.password = " + OPS_PASSWORD + "\n";
    }

    private static List<String> jvmFlags()
    {
        final List<String> flags = new ArrayList<>(LocalCluster.projectJvmFlags());
        flags.add("-XX:+UseSerialGC");
        return flags;
    }

    private static void await(final BooleanSupplier condition, final int seconds, final Supplier<String> what) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail("not within " + seconds + " s: " + what.get());
            }
            Thread.sleep(20);
        }
    }
}
