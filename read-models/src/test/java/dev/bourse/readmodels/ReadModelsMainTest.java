package dev.bourse.readmodels;

import dev.bourse.journal.ChronicleJournal;
import dev.bourse.journal.DirectoryLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The separate process's command line: it starts on a journal directory, and startup errors are one line. */
class ReadModelsMainTest
{
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final String... args)
    {
        return ReadModelsMain.run(args, new PrintWriter(out, true), new PrintWriter(err, true), false);
    }

    private static Path journal(final Path dir)
    {
        final Path journal = dir.resolve("journal");
        ChronicleJournal.open(new ChronicleJournal.Context().dir(journal)).close();
        return journal;
    }

    private void assertOneLineError(final int status, final String expected)
    {
        assertEquals(2, status, err.toString());
        final String message = err.toString().replaceAll("SLF4J.*\\R", "").trim();
        assertTrue(message.contains(expected), message);
        assertFalse(message.contains("\n"), "one line, no stack trace: " + message);
    }

    @Test
    void startsOnAJournalDirectoryAndStops(@TempDir final Path dir)
    {
        assertEquals(0, run("--journal", journal(dir).toString(), "--port", "0", "--bind", "127.0.0.1"), err.toString());
        assertTrue(err.toString().contains("read models: serving on port "), err.toString());
    }

    /** A mistyped option is named in one line, even with a required option missing too (an outside probe saw only that). */
    @Test
    void aMistypedOptionIsOneLineNamingIt()
    {
        assertEquals(2, run("--bogus"));
        assertEquals("read-models: Unknown option: '--bogus' (see ./exchange read-models --help)", err.toString().trim());
    }

    @Test
    void aMissingJournalDirectoryIsOneClearLine(@TempDir final Path dir)
    {
        assertOneLineError(run("--journal", dir.resolve("nowhere").toString(), "--port", "0"), "does not exist");
    }

    /** A file named as the journal exists: "does not exist" sent an outside probe looking for the wrong mistake. */
    @Test
    void aFileNamedAsTheJournalIsOneClearLine(@TempDir final Path dir) throws java.io.IOException
    {
        final Path file = java.nio.file.Files.writeString(dir.resolve("users.txt"), "alice\n");
        assertOneLineError(run("--journal", file.toString(), "--port", "0"), "is a file, not a journal directory");
    }

    @Test
    void aDirectoryThatIsNotAJournalIsOneClearLine(@TempDir final Path dir) throws java.io.IOException
    {
        final Path notAJournal = java.nio.file.Files.createDirectories(dir.resolve("data"));
        assertOneLineError(run("--journal", notAJournal.toString(), "--port", "0"), "is not a journal");
    }

    /** Refused at the bind, a start with a new --history-file had created it (an outside tester): the port is tried first. */
    @Test
    void aPortInUseIsOneClearLineAndCreatesNothing(@TempDir final Path dir) throws Exception
    {
        final Path journal = journal(dir);
        final Path history = dir.resolve("history").resolve("history.db");
        java.nio.file.Files.createDirectories(history.getParent());
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1")))
        {
            assertOneLineError(run("--journal", journal.toString(), "--port", String.valueOf(taken.getLocalPort()),
                "--bind", "127.0.0.1", "--history-file", history.toString(), "--checkpoints", dir.resolve("checkpoints").toString()),
                "read models: cannot listen on 127.0.0.1:" + taken.getLocalPort() + " (--port)");
        }
        assertFalse(java.nio.file.Files.exists(history), "no history file made by a start that was refused");
        assertFalse(java.nio.file.Files.exists(dir.resolve("checkpoints")), "no checkpoint directory either");
        // the same port for HTTP and HTTPS: said before the history is built (it was built, then the bind failed)
        final Path keystore = dev.bourse.protocol.tls.SelfSignedKeystore.create(dir.resolve("query.p12"), "store-pw".toCharArray());
        final Path passwordFile = java.nio.file.Files.writeString(dir.resolve("password"), "store-pw\n");
        err.getBuffer().setLength(0);
        assertOneLineError(run("--journal", journal.toString(), "--port", "46999", "--tls-port", "46999", "--tls-keystore",
            keystore.toString(), "--tls-keystore-password-file", passwordFile.toString(), "--history-file", history.toString()),
            "read models: --tls-port 46999 is the same as --port; give each its own, or --no-plain for HTTPS alone");
        assertFalse(java.nio.file.Files.exists(history), "no history file made by a start that was refused");
    }

    /**
     * The read models in a process of their own served plain HTTP only, so their basic-auth passwords
     * crossed the network in clear (an outside tester). With a key store they serve HTTPS and WSS, and
     * with --no-plain nothing else: the TLS port is the only one taken (a taken one is refused).
     */
    @Test
    void aKeyStoreServesHttpsAndItsProblemsAreOneClearLine(@TempDir final Path dir) throws Exception
    {
        final Path journal = journal(dir);
        final Path keystore = dev.bourse.protocol.tls.SelfSignedKeystore.create(dir.resolve("query.p12"), "store-pw".toCharArray());
        final Path passwordFile = java.nio.file.Files.writeString(dir.resolve("password"), "store-pw\n");
        assertEquals(0, run("--journal", journal.toString(), "--bind", "127.0.0.1", "--tls-keystore", keystore.toString(),
            "--tls-keystore-password-file", passwordFile.toString(), "--tls-port", "0", "--no-plain"), err.toString());
        assertTrue(err.toString().contains("read models: serving on HTTPS port 0"), err.toString());

        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1")))
        {
            err.getBuffer().setLength(0);
            assertOneLineError(run("--journal", journal.toString(), "--bind", "127.0.0.1", "--tls-keystore", keystore.toString(),
                "--tls-keystore-password-file", passwordFile.toString(), "--tls-port", String.valueOf(taken.getLocalPort()),
                "--no-plain"), String.valueOf(taken.getLocalPort()));
        }
        final Path wrong = java.nio.file.Files.writeString(dir.resolve("wrong"), "nope\n");
        err.getBuffer().setLength(0);
        assertOneLineError(run("--journal", journal.toString(), "--tls-keystore", keystore.toString(),
            "--tls-keystore-password-file", wrong.toString()), "read models: --tls-keystore: ");
        err.getBuffer().setLength(0);
        assertOneLineError(run("--journal", journal.toString(), "--no-plain"), "read models: --no-plain needs --tls-keystore");
    }

    /**
     * An outside tester: the query side as its own process had no client certificates, which the
     * exchange's query.tls.client-auth gives. Its options are the same keys', and so are its warnings.
     */
    @Test
    void clientCertificatesAreOptionsWithTheConfigurationsChecks(@TempDir final Path dir) throws Exception
    {
        final Path journal = journal(dir);
        final Path keystore = dev.bourse.protocol.tls.SelfSignedKeystore.create(dir.resolve("query.p12"), "store-pw".toCharArray());
        final Path trust = dev.bourse.protocol.tls.SelfSignedKeystore.create(dir.resolve("trust.p12"), "trust-pw".toCharArray());
        final Path passwordFile = java.nio.file.Files.writeString(dir.resolve("password"), "store-pw\n");
        final Path trustPasswordFile = java.nio.file.Files.writeString(dir.resolve("trust-password"), "trust-pw\n");
        final List<String> tls = List.of("--journal", journal.toString(), "--bind", "127.0.0.1", "--port", "0", "--tls-port", "0",
            "--tls-keystore", keystore.toString(), "--tls-keystore-password-file", passwordFile.toString());

        assertEquals(0, run(concat(tls, "--tls-client-auth", "need", "--tls-truststore", trust.toString(),
            "--tls-truststore-password-file", trustPasswordFile.toString(), "--no-plain")), err.toString());
        assertFalse(err.toString().contains("warning"), "a gate with no way around it: " + err);

        err.getBuffer().setLength(0);
        assertEquals(0, run(concat(tls, "--tls-client-auth", "need", "--tls-truststore", trust.toString(),
            "--tls-truststore-password-file", trustPasswordFile.toString())), err.toString());
        assertTrue(err.toString().contains("read models: warning: --tls-client-auth is need but the plain port (--port) still takes "
            + "connections with no certificate; give --no-plain to make the certificate a gate (docs/TLS.md)"), err.toString());

        err.getBuffer().setLength(0);
        assertEquals(0, run(concat(tls, "--tls-client-auth", "want", "--no-plain")), err.toString());
        assertTrue(err.toString().contains("read models: warning: --tls-client-auth is want with no --tls-truststore: client "
            + "certificates are checked against the JDK's public CAs"), err.toString());

        err.getBuffer().setLength(0);
        assertOneLineError(run(concat(tls, "--tls-client-auth", "required")), "read models: --tls-client-auth 'required' is not none, "
            + "want or need");
        err.getBuffer().setLength(0);
        assertOneLineError(run(concat(tls, "--tls-client-auth", "need", "--tls-truststore", trust.toString())),
            "read models: --tls-truststore: wrong password for " + trust + " (no truststore-password is set: the key store's password "
            + "was tried)");
        err.getBuffer().setLength(0);
        assertOneLineError(run(concat(tls, "--tls-client-auth", "need", "--tls-truststore", trust.toString(),
            "--tls-truststore-password-file", passwordFile.toString())), "read models: --tls-truststore-password-file: wrong password");
        err.getBuffer().setLength(0);
        assertOneLineError(run(concat(tls, "--tls-client-auth", "need", "--tls-truststore", dir.resolve("missing.p12").toString(),
            "--tls-truststore-password-file", trustPasswordFile.toString())), "read models: --tls-truststore: ");
        err.getBuffer().setLength(0);
        assertOneLineError(run("--journal", journal.toString(), "--tls-truststore", trust.toString()),
            "read models: --tls-truststore needs --tls-keystore");
    }

    private static String[] concat(final List<String> first, final String... more)
    {
        final List<String> all = new java.util.ArrayList<>(first);
        all.addAll(List.of(more));
        return all.toArray(new String[0]);
    }

    @Test
    void aTokenLifetimeBelowASecondIsOneClearLine(@TempDir final Path dir)
    {
        assertOneLineError(run("--journal", journal(dir).toString(), "--token-lifetime", "0"),
            "read models: --token-lifetime 0: must be at least 1 second");
    }

    /** It said "http: threads must be 1..1024, not 0", naming neither the command nor its option (an outside tester). */
    @Test
    void badHttpLimitsAreOneClearLineOfTheCommand(@TempDir final Path dir)
    {
        assertOneLineError(run("--journal", journal(dir).toString(), "--http-threads", "0"),
            "read models: --http-threads 0: must be 1 to 256");
        err.getBuffer().setLength(0);
        assertOneLineError(run("--journal", journal(dir).toString(), "--budget-per-address", "-1"), "read models: ");
    }

    @Test
    void aCheckpointDirectoryAnotherProcessWritesIsOneClearLine(@TempDir final Path dir) throws Exception
    {
        final Path journal = journal(dir);
        final Path checkpoints = Files.createDirectories(dir.resolve("read-models"));
        try (DirectoryLock held = DirectoryLock.acquire(checkpoints, "query.checkpoint-dir"))
        {
            assertOneLineError(run("--journal", journal.toString(), "--port", "0", "--bind", "127.0.0.1",
                "--checkpoints", checkpoints.toString()), "--checkpoints " + checkpoints + " is in use by another process");
            err.getBuffer().setLength(0);
            assertOneLineError(run("--journal", journal.toString(), "--port", "0", "--bind", "127.0.0.1",
                "--history-file", checkpoints.resolve("history.db").toString()), "is in use by another process");
        }
        err.getBuffer().setLength(0);
        assertEquals(0, run("--journal", journal.toString(), "--port", "0", "--bind", "127.0.0.1",
            "--checkpoints", checkpoints.toString()), err.toString());
        try (DirectoryLock free = DirectoryLock.acquire(checkpoints, "query.checkpoint-dir"))
        {
            assertNotNull(free, "released when the process stopped");
        }
    }

    /**
     * An outside tester: two read-models processes with one --history-file in a directory nobody
     * locks both wrote it. Here another process holds the file's lock, and this one is refused.
     */
    @Test
    void aHistoryFileAnotherProcessWritesIsOneClearLine(@TempDir final Path dir) throws Exception
    {
        final Path journal = journal(dir);
        final Path history = Files.createDirectories(dir.resolve("shared")).resolve("history.db");
        final Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), HoldsAFileLock.class.getName(), history + ".lock")
            .redirectErrorStream(true).start();
        try (java.io.BufferedReader said = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream(),
            java.nio.charset.StandardCharsets.US_ASCII)))
        {
            assertEquals("held", said.readLine(), "the other process took the lock");
            assertOneLineError(run("--journal", journal.toString(), "--port", "0", "--bind", "127.0.0.1",
                "--history-file", history.toString()), "query store: another history sink (an exchange's query side or a "
                + "read-models process) writes " + history);
        }
        finally
        {
            holder.destroyForcibly().waitFor();
        }
        err.getBuffer().setLength(0);
        assertEquals(0, run("--journal", journal.toString(), "--port", "0", "--bind", "127.0.0.1",
            "--history-file", history.toString()), "free once that process ended: " + err);
    }

    /** Another process holding a file's lock until it is killed; says "held" once it has it. */
    static final class HoldsAFileLock
    {
        public static void main(final String[] args) throws Exception
        {
            try (DirectoryLock held = DirectoryLock.acquireFile(Path.of(args[0]), "test", "refused"))
            {
                System.out.println("held");
                System.out.flush();
                Thread.sleep(Long.MAX_VALUE);
            }
        }
    }

    @Test
    void aMalformedUsersFileIsOneClearLine(@TempDir final Path dir) throws Exception
    {
        final Path users = Files.writeString(dir.resolve("users.txt"), "alice one not-a-hash\n");
        assertOneLineError(run("--journal", journal(dir).toString(), "--port", "0", "--users", users.toString()), "line 1");
    }

    /** A standalone query side serves compliance too (the audit log, every account): an outside probe could not configure one. */
    @Test
    void theUsersFileNamesTradersByAccountAndOtherUsersByRole(@TempDir final Path dir) throws Exception
    {
        final String hash = dev.bourse.protocol.auth.PasswordHash.hash("pw".toCharArray());
        final Path users = Files.writeString(dir.resolve("users.txt"),
            "# traders by account, the others by role\nalice 1001 " + hash + "\nauditor compliance " + hash + "\nops operations " + hash + "\n");
        final dev.bourse.protocol.auth.CredentialStore store = ReadModelsMain.loadUsers(users);
        assertEquals(dev.bourse.protocol.auth.Role.TRADER, store.find("alice").role());
        assertEquals(1001, store.find("alice").accountId());
        assertEquals(dev.bourse.protocol.auth.Role.COMPLIANCE, store.find("auditor").role());
        assertEquals(dev.bourse.protocol.auth.Role.OPERATIONS, store.find("ops").role());
        final Path trader = Files.writeString(dir.resolve("trader.txt"), "bob trader " + hash + "\n");
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReadModelsMain.loadUsers(trader));
        assertTrue(e.getMessage().contains("line 1: expected 'username accountId"), e.getMessage());
    }

    @Test
    void aStoreThatCannotBeReachedIsOneClearLine(@TempDir final Path dir) throws Exception
    {
        final Path journal = journal(dir);
        assertOneLineError(run("--journal", journal.toString(), "--port", "0", "--store", "postgresql"), "needs --jdbc-url");
        err.getBuffer().setLength(0);
        int closedPort;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1")))
        {
            closedPort = free.getLocalPort();
        }
        assertOneLineError(run("--journal", journal.toString(), "--port", "0", "--store", "postgresql", "--jdbc-url",
            "jdbc:postgresql://127.0.0.1:" + closedPort + "/nothing"), "query store: cannot connect to PostgreSQL");
        err.getBuffer().setLength(0);
        assertOneLineError(run("--journal", journal.toString(), "--port", "0", "--store", "mongodb"),
            "must be embedded or postgresql");
    }
}
