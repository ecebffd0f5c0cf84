package dev.bourse.server.cli;

import dev.bourse.protocol.auth.PasswordHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** What the commands say before they do anything: their usage lines, a configuration file with nothing in it, a bad flag. */
class UsageAndFlagsTest
{
    @TempDir
    Path dir;

    /**
     * An empty configuration file (a test harness's mistake) started a whole exchange on 0.0.0.0:9880 and 8080 with every
     * default: start refuses it in one line. A --set does not make the file the right one (and makes the old start stop at
     * once, on the bad port, instead of running an exchange).
     */
    @Test
    void startRefusesAConfigurationFileWithNoKeyInOneLine() throws Exception
    {
        final Path empty = Files.writeString(dir.resolve("empty.properties"), "# to be written\n\n");
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = Main.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        assertEquals(2, commandLine.execute("start", "--config", empty.toString(), "--set", "gateway.port=-1"), err.toString());
        assertEquals("start: " + empty + ": no settings in it: is this the right configuration file?", err.toString().trim());
    }

    /** {@code hash-password --iterations -5} with nothing on standard input said "no password given", not what was wrong. */
    @Test
    void hashPasswordChecksItsFlagsBeforeReadingThePassword()
    {
        final InputStream in = System.in;
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final ByteArrayOutputStream printed = new ByteArrayOutputStream();
        final ByteArrayOutputStream said = new ByteArrayOutputStream();
        try
        {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(said, true, StandardCharsets.UTF_8));
            System.setIn(new ByteArrayInputStream(new byte[0]));
            assertEquals(2, Main.commandLine().execute("hash-password", "--iterations", "-5"));
            assertEquals("hash-password: --iterations -5: must be between 1000 and 10000000", said.toString(StandardCharsets.UTF_8).trim());

            said.reset();
            System.setIn(new ByteArrayInputStream(new byte[0]));
            assertEquals(2, Main.commandLine().execute("hash-password"));
            assertEquals("hash-password: no password given", said.toString(StandardCharsets.UTF_8).trim());

            System.setIn(new ByteArrayInputStream("secret\n".getBytes(StandardCharsets.UTF_8)));
            assertEquals(0, Main.commandLine().execute("hash-password", "--iterations", "1000"), said.toString(StandardCharsets.UTF_8));
            assertTrue(PasswordHash.verify("secret".toCharArray(), printed.toString(StandardCharsets.UTF_8).trim()), printed.toString());
        }
        finally
        {
            System.setIn(in);
            System.setOut(out);
            System.setErr(err);
        }
    }

    /**
     * Usage lines named the program five ways ("Usage: demo", "Usage: journal", "Usage: md-listen" beside "Usage: exchange
     * start"): each says what is typed after ./, "exchange" and the command. The bench and demo commands are the bench
     * module's, outside this module's reach: ./exchange bench --help and ./exchange demo --help show theirs.
     */
    @Test
    void everyUsageLineStartsWithExchangeAndTheCommand() throws Exception
    {
        checkUsage(Main.commandLine());
        checkUsage(new CommandLine(new dev.bourse.journal.tool.JournalTool()));
        checkUsage(new CommandLine(new dev.bourse.marketdata.MdListen()));
        final java.lang.reflect.Constructor<dev.bourse.readmodels.ReadModelsMain> readModels =
            dev.bourse.readmodels.ReadModelsMain.class.getDeclaredConstructor(PrintWriter.class);
        readModels.setAccessible(true);
        checkUsage(new CommandLine(readModels.newInstance(new PrintWriter(new StringWriter()))));
    }

    private static void checkUsage(final CommandLine command)
    {
        final String name = command.getCommandSpec().qualifiedName(" ");
        final String typed = name.startsWith("exchange") ? name : "exchange " + name;
        // picocli's own help command has a header line above it
        final String usage = command.getUsageMessage(CommandLine.Help.Ansi.OFF).lines().filter(line -> line.startsWith("Usage:"))
            .findFirst().orElse("no usage line");
        assertTrue(usage.startsWith("Usage: " + typed + " "), "'" + usage + "'");
        command.getSubcommands().values().forEach(UsageAndFlagsTest::checkUsage);
    }
}
