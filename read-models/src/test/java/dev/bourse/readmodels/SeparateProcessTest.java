package dev.bourse.readmodels;

import dev.bourse.journal.ChronicleJournal;
import dev.bourse.protocol.auth.CredentialStore;
import dev.bourse.protocol.auth.PasswordHash;
import dev.bourse.readmodels.reference.AccountView;
import dev.bourse.readmodels.reference.OrderRecord;
import dev.bourse.readmodels.reference.ReferenceModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.bourse.readmodels.ApiClient.basic;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The read models as their own process ({@code ReadModelsMain --journal DIR}) on the journal
 * files the engine is writing, against the read models in the engine's process on the same
 * journal: once both have reached the journal's last entry, every endpoint answers byte for byte
 * the same (answers carry the journal position, so positions agree too).
 */
class SeparateProcessTest
{
    private static final String ALICE = basic("alice", "alice-secret");
    private static final String BOB = basic("bob", "bob-secret");

    @Test
    void aSeparateProcessOnTheSameJournalFilesAnswersExactlyAsTheInProcessReadModels(@TempDir final Path dir) throws Exception
    {
        final Path journalDir = dir.resolve("journal");
        final Path users = dir.resolve("users.txt");
        Files.writeString(users, "# test users\n" +
            "alice 1 " + PasswordHash.hash("alice-secret".toCharArray(), 1_000) + "\n" +
            "bob 2 " + PasswordHash.hash("bob-secret".toCharArray(), 1_000) + "\n");
        final CredentialStore credentials = ReadModelsMain.loadUsers(users);

        try (ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(journalDir)))
        {
            final Workload workload = new Workload(11, journal).run(3_000);
            final Path checkpoints = dir.resolve("checkpoints");
            final ChildProcess child = ChildProcess.start(journalDir, users, checkpoints, dir.resolve("child.log"));
            try (ReadModelsServer inProcess = ReadModelsServer.start(new ReadModelsContext().journal(JournalSource.of(journal))
                .port(0).bindAddress("127.0.0.1").credentials(credentials)))
            {
                // The journal keeps growing while the other process follows it.
                workload.run(3_000);
                final long last = journal.lastPosition();

                final ApiClient here = new ApiClient(inProcess.port());
                final ApiClient there = new ApiClient(child.port);
                final String waitForLast = "/api/v1/status?waitFor=" + last + "&timeoutMs=30000";
                final String historyWaitForLast = "/api/v1/instruments/1/trades?limit=1&waitFor=" + last + "&timeoutMs=30000";
                assertEquals(200, here.get(waitForLast, null).statusCode());
                assertEquals(200, here.get(historyWaitForLast, null).statusCode());
                assertEquals(200, there.get(historyWaitForLast, null).statusCode());
                final HttpResponse<String> status = there.get(waitForLast, null);
                assertEquals(200, status.statusCode(), status.body());
                assertEquals(last, ApiClient.longField(status.body(), "position"));
                assertEquals(0, ApiClient.longField(status.body(), "lag"), status.body());

                final ReferenceModels reference = workload.reference();
                int compared = 0;
                for (final String[] request : requests(reference))
                {
                    final HttpResponse<String> expected = here.get(request[0], request[1]);
                    final HttpResponse<String> actual = there.get(request[0], request[1]);
                    assertEquals(200, expected.statusCode(), request[0] + ": " + expected.body());
                    assertEquals(expected.statusCode(), actual.statusCode(), request[0]);
                    assertEquals(expected.body(), actual.body(), request[0]);
                    compared++;
                }
                assertTrue(compared > 20);
            }
            finally
            {
                child.stop();
            }
            // SIGTERM is a clean stop: the process says so and leaves its final checkpoint.
            assertTrue(child.log().contains("read models: stopping"), child.log());
            assertTrue(Files.exists(checkpoints.resolve(CheckpointStore.NAME)), child.log());
        }
    }

    /** Every model: both accounts' endpoints with their credentials, and every market endpoint. */
    private static List<String[]> requests(final ReferenceModels reference)
    {
        final List<String[]> requests = new ArrayList<>();
        final String[] auths = {null, ALICE, BOB};
        for (int account = 1; account <= 2; account++)
        {
            final String auth = auths[account];
            final AccountView view = reference.findAccount(account);
            final String base = "/api/v1/accounts/" + account;
            for (final String path : List.of("/balances", "/open-orders?limit=1000", "/executions?limit=1000",
                "/activity.csv?limit=100000", "/orders?limit=1000"))
            {
                requests.add(new String[]{base + path, auth});
            }
            final OrderRecord filled = reference.order(view.executions().get(0).orderId());
            requests.add(new String[]{base + "/orders/" + filled.orderId(), auth});
            requests.add(new String[]{base + "/orders?clOrdId=" + filled.clOrdId(), auth});
        }
        requests.add(new String[]{"/api/v1/instruments", null});
        for (final int instrument : reference.markets().keySet())
        {
            final String base = "/api/v1/instruments/" + instrument;
            for (final String path : List.of("", "/trades?limit=1000", "/candles?interval=1s&limit=1000",
                "/candles?interval=1m", "/candles?interval=1h", "/depth?levels=1000", "/bbo", "/stats"))
            {
                requests.add(new String[]{base + path, null});
            }
        }
        return requests;
    }

    /** {@code ReadModelsMain} in a child JVM (the project's JVM flags, this test's classpath). */
    private static final class ChildProcess
    {
        private static final String SERVING = "read models: serving on port ";

        private final Process process;
        private final Path logFile;
        private final StringBuilder log = new StringBuilder();
        private final Thread drain;
        final int port;

        private ChildProcess(final Process process, final Path logFile) throws Exception
        {
            this.process = process;
            this.logFile = logFile;
            final BlockingQueue<Integer> ports = new LinkedBlockingQueue<>();
            drain = new Thread(() ->
            {
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
                {
                    for (String line = reader.readLine(); line != null; line = reader.readLine())
                    {
                        synchronized (log)
                        {
                            log.append(line).append('\n');
                        }
                        final int at = line.indexOf(SERVING);
                        if (at >= 0)
                        {
                            final String rest = line.substring(at + SERVING.length());
                            ports.add(Integer.parseInt(rest.substring(0, rest.indexOf(' '))));
                        }
                    }
                }
                catch (final IOException ignore)
                {
                    // the process ended
                }
            }, "child-output");
            drain.setDaemon(true);
            drain.start();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            Integer found = null;
            while (found == null && process.isAlive() && System.nanoTime() < deadline)
            {
                found = ports.poll(100, TimeUnit.MILLISECONDS);
            }
            if (found == null)
            {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail("the read-models process did not start: " + log());
            }
            port = found;
        }

        static ChildProcess start(final Path journal, final Path users, final Path checkpoints, final Path logFile) throws Exception
        {
            final List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx256m");
            for (final String flag : System.getProperty("bourse.jvm.flags", "").trim().split("\\s+"))
            {
                if (!flag.isEmpty())
                {
                    command.add(flag);
                }
            }
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(ReadModelsMain.class.getName());
            command.addAll(List.of("--journal", journal.toString(), "--port", "0", "--bind", "127.0.0.1",
                "--users", users.toString(), "--checkpoints", checkpoints.toString(), "--http-threads", "2"));
            final Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .directory(new File(System.getProperty("java.io.tmpdir"))).start();
            return new ChildProcess(process, logFile);
        }

        String log()
        {
            synchronized (log)
            {
                return log.toString();
            }
        }

        /** SIGTERM (a clean shutdown), then SIGKILL if it does not end. */
        void stop() throws Exception
        {
            // Through the handle: Process.destroy() also closes our end of the child's output,
            // so what it prints while stopping would be lost.
            process.toHandle().destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS))
            {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            drain.join(TimeUnit.SECONDS.toMillis(10));
            Files.writeString(logFile, log());
        }
    }
}
