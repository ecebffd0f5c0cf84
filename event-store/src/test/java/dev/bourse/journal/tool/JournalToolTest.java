package dev.bourse.journal.tool;

import dev.bourse.journal.ChronicleJournal;
import dev.bourse.journal.JournalFixtureAccess;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class JournalToolTest
{
    @TempDir
    Path dir;

    private String out;
    private String err;

    private int run(final String... args)
    {
        final ByteArrayOutputStream o = new ByteArrayOutputStream();
        final ByteArrayOutputStream e = new ByteArrayOutputStream();
        final PrintStream previous = System.out;
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        try
        {
            return JournalTool.run(System.out, new PrintStream(e, true, StandardCharsets.UTF_8), args);
        }
        finally
        {
            System.setOut(previous);
            out = o.toString(StandardCharsets.UTF_8);
            err = e.toString(StandardCharsets.UTF_8);
        }
    }

    private Path journalOf(final int commands)
    {
        final Path journal = dir.resolve("journal");
        try (ChronicleJournal j = ChronicleJournal.open(new ChronicleJournal.Context().dir(journal)))
        {
            JournalFixtureAccess.run(j, 11, commands);
        }
        return journal;
    }

    @Test
    void aJournalFileCutShortIsAProblemFoundNotACrash() throws Exception
    {
        final Path journal = journalOf(20_000);
        final Path file;
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(journal))
        {
            file = files.filter(p -> p.getFileName().toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        final long used = 20_000L * 100; // well inside the entries written (over 100 bytes each), past the file's header
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE))
        {
            channel.truncate(used / 2);
        }
        for (final String command : new String[]{"verify", "stats", "dump"})
        {
            final int code = run(command, "--journal", journal.toString());
            assertTrue(code == 1 || code == 2, command + " exit " + code + ": " + out + err);
            assertFalse(err.contains("\tat "), command + " printed a stack trace: " + err);
        }
    }

    @Test
    void statsCountEntriesEventsAndCommands()
    {
        final Path journal = journalOf(2_000);
        assertEquals(0, run("stats", "--journal", journal.toString()), err);
        assertTrue(out.contains("entries"), out);
        assertTrue(out.contains("OrderAccepted"), out);
        assertTrue(out.contains("NEW_ORDER"), out);
        assertTrue(out.contains("events/s"), out);
    }

    @Test
    void dumpPrintsOneLinePerEventAndFilters()
    {
        final Path journal = journalOf(2_000);
        assertEquals(0, run("dump", "--journal", journal.toString(), "--type", "Trade"));
        final String[] trades = out.split("\n");
        assertTrue(trades.length > 10, out);
        for (final String line : trades)
        {
            assertTrue(line.contains("| Trade "), line);
            // prices and notionals alike in decimals: the taker's notional is at least this fill's price x quantity
            final java.math.BigDecimal fill = new java.math.BigDecimal(field(line, "price")).multiply(new java.math.BigDecimal(field(line, "quantity")));
            assertTrue(new java.math.BigDecimal(field(line, "takerCumNotional")).compareTo(fill) >= 0, line);
            assertTrue(new java.math.BigDecimal(field(line, "makerCumNotional")).compareTo(fill) >= 0, line);
            if (field(line, "takerCumQty").equals(field(line, "quantity")))
            {
                assertEquals(0, new java.math.BigDecimal(field(line, "takerCumNotional")).compareTo(fill), line);
            }
        }
        assertEquals(2, run("dump", "--journal", journal.toString(), "--type", "Trades"));
        assertTrue(err.contains("--type Trades: no such event type; one of") && err.contains("OrderAccepted"), err);
        assertEquals(0, run("dump", "--journal", journal.toString(), "--type", "trade"));
        assertTrue(out.contains("| Trade "), out);
        assertEquals(0, run("dump", "--journal", journal.toString(), "--type", "Trade", "--instrument", "2"));
        for (final String line : out.split("\n"))
        {
            assertTrue(line.contains("instrumentId=2 "), line);
        }
        assertEquals(0, run("dump", "--journal", journal.toString(), "--from-seq", "5", "--to-seq", "6"));
        for (final String line : out.split("\n"))
        {
            assertTrue(line.startsWith("seq=5 ") || line.startsWith("seq=6 "), line);
        }
        assertEquals(2, run("dump", "--journal", journal.toString(), "--from-seq", "100", "--to-seq", "50"));
        assertTrue(err.contains("--to-seq 50 is below --from-seq 100"), "an empty range is a mistake, not an empty answer: " + err);
        assertEquals(2, run("stats", "--journal", journal.toString(), "--from-seq", "100", "--to-seq", "50"));
        assertEquals(0, run("dump", "--journal", journal.toString(), "--account", "3"));
        for (final String line : out.split("\n"))
        {
            assertTrue(line.matches(".*\\b(accountId|makerAccountId|takerAccountId)=3\\b.*"), line);
        }
    }

    @Test
    void dumpPrintsEveryEventTypeTheJournalCanHold() throws NoSuchMethodException
    {
        for (final java.lang.reflect.Method event : dev.bourse.protocol.JournalEventListener.class.getMethods())
        {
            if (event.getName().startsWith("on") && event.getParameterCount() == 2)
            {
                final java.lang.reflect.Method printed = JournalTool.EventText.class.getMethod(event.getName(), event.getParameterTypes());
                assertEquals(JournalTool.EventText.class, printed.getDeclaringClass(), event.getName() + " is not printed");
            }
        }
    }

    @Test
    void verifyPassesAWholeJournalAndPrintsItsDigest()
    {
        final Path journal = journalOf(3_000);
        assertEquals(0, run("verify", "--journal", journal.toString()), out);
        assertTrue(out.contains("continuous"), out);
        assertTrue(out.contains("replay           ok"), out);
        final String digest = digestOf(out);
        assertEquals(0, run("verify", "--journal", journal.toString(), "--no-replay"));
        assertEquals(digest, digestOf(out), "the digest is a function of the entries");
        assertEquals(2, run("verify", "--journal", journal.toString(), "--from-seq", "5"), "verify checks the whole journal: no filters");
        assertEquals(2, run("verify", "--journal", journal.toString(), "--max-instruments", "0"));
        assertTrue(err.contains("--max-instruments 0: must be at least 1") && out.isEmpty(), "refused before it reads: " + out + err);
    }

    @Test
    void cashIsPrintedInDecimalsAndAnInstrumentsBalanceInUnits()
    {
        final org.agrona.concurrent.UnsafeBuffer buffer = new org.agrona.concurrent.UnsafeBuffer(new byte[256]);
        final dev.bourse.protocol.sbe.BalanceChangedEncoder encoder = new dev.bourse.protocol.sbe.BalanceChangedEncoder();
        final dev.bourse.protocol.sbe.BalanceChangedDecoder decoder = new dev.bourse.protocol.sbe.BalanceChangedDecoder();
        final java.util.List<String> printed = new java.util.ArrayList<>();
        final JournalTool.EventText text = new JournalTool.EventText((header, type, fields) -> printed.add(type + " " + fields));
        for (final int instrumentId : new int[]{0, 3})
        {
            encoder.wrap(buffer, 0).accountId(7).instrumentId(instrumentId).amount(1_234_500).balance(20_000_000)
                .commandType(dev.bourse.protocol.sbe.CommandType.DEPOSIT).requestId(1);
            decoder.wrap(buffer, 0, dev.bourse.protocol.sbe.BalanceChangedEncoder.BLOCK_LENGTH,
                dev.bourse.protocol.sbe.BalanceChangedEncoder.SCHEMA_VERSION);
            text.onBalanceChanged(null, decoder);
        }
        assertTrue(printed.get(0).contains("amount=123.45 balance=2000 "), printed.get(0));
        assertTrue(printed.get(1).contains("amount=1234500 balance=20000000 "), "shares are counted, not priced: " + printed.get(1));
    }

    private static String field(final String line, final String name)
    {
        final java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b" + name + "=(\\S+)").matcher(line);
        assertTrue(m.find(), name + " in " + line);
        return m.group(1);
    }

    private static String digestOf(final String output)
    {
        final int at = output.indexOf("digest");
        return output.substring(at, output.indexOf('\n', at));
    }

    @Test
    void verifyFindsAGapAndAnEntryThatIsNotOurs()
    {
        final Path journal = journalOf(500);
        final byte[] last;
        try (ChronicleJournal j = ChronicleJournal.open(new ChronicleJournal.Context().dir(journal)))
        {
            // an entry whose header claims a sequence far ahead: a gap
            last = JournalFixtureAccess.lastEntry(j);
            final UnsafeBuffer copy = new UnsafeBuffer(last.clone());
            JournalFixtureAccess.setSequence(copy, JournalFixtureAccess.sequence(copy) + 10);
            j.onEntry(copy, 0, copy.capacity());
        }
        assertEquals(1, run("verify", "--journal", journal.toString()));
        assertTrue(out.contains("FAILED: gap: sequence"), out);
        assertEquals(1, run("dump", "--journal", journal.toString()), "dump meets the gap too");
        assertTrue(out.contains("| gap: sequence"), out.substring(Math.max(0, out.length() - 300)));
        assertEquals(1, run("stats", "--journal", journal.toString()));
        assertTrue(out.contains("gaps             1"), out);

        final Path foreign = dir.resolve("foreign");
        try (ChronicleJournal j = ChronicleJournal.open(new ChronicleJournal.Context().dir(foreign)))
        {
            final UnsafeBuffer junk = new UnsafeBuffer("not an entry of ours".getBytes(StandardCharsets.US_ASCII));
            j.onEntry(junk, 0, junk.capacity());
        }
        assertEquals(1, run("verify", "--journal", foreign.toString()));
        assertTrue(out.contains("does not decode as a bourse journal entry"), out);
        assertEquals(1, run("dump", "--journal", foreign.toString()));
        assertTrue(out.contains("undecodable entry"), out);
    }

    @Test
    void aMissingOrEmptyOrForeignDirectoryIsOneClearLine() throws Exception
    {
        assertEquals(2, run("stats", "--journal", dir.resolve("missing").toString()));
        assertEquals("journal: " + dir.resolve("missing") + ": no such directory", err.trim());
        Files.createDirectories(dir.resolve("empty"));
        assertEquals(2, run("verify", "--journal", dir.resolve("empty").toString()));
        assertTrue(err.trim().endsWith("not a journal (no Chronicle Queue .cq4 files in it)"), err);
        Files.writeString(dir.resolve("empty").resolve("notes.txt"), "hello");
        assertEquals(2, run("dump", "--journal", dir.resolve("empty").toString()));
        assertFalse(err.contains("Exception"), err);
    }
}
