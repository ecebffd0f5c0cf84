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

    /** A journal of 2,000 entries written in many documents, for damage in the middle of its cycle file. */
    private Path journalInParts()
    {
        final Path journal = dir.resolve("journal");
        try (ChronicleJournal j = ChronicleJournal.open(new ChronicleJournal.Context().dir(journal)))
        {
            JournalFixtureAccess.runInParts(j, 11, 2_000, 40);
        }
        return journal;
    }

    /** A crash probe's flipped bit in a document's length: verify read the first entries, called them the journal, and said OK. */
    @Test
    void aJournalThatCannotBeReadInOrderToItsEndFails() throws Exception
    {
        final Path journal = journalInParts();
        final long headerAt = JournalFixtureAccess.middleDocumentHeader(journal);
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(cycleFile(journal).toFile(), "rw"))
        {
            raf.seek(headerAt + 2); // the length now reaches past the data written: read in order, the journal ends here
            final int b = raf.read();
            raf.seek(headerAt + 2);
            raf.write(b ^ 0x10);
        }
        for (final String command : new String[]{"verify", "stats", "dump"})
        {
            assertEquals(1, run(command, "--journal", journal.toString()), command + ": " + out + err);
            assertTrue(out.contains("FAILED: read in order the journal ends at position"), command + ": " + out + err);
        }
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

    /**
     * A crash probe zeroed the journal's tail at an entry boundary: verify read a shorter journal and
     * said OK beside a snapshot further on, which a start refuses (entries are missing).
     */
    @Test
    void verifyFailsWhenASnapshotIsFurtherOnThanTheJournal() throws Exception
    {
        final Path data = dir.resolve("data");
        JournalFixtureAccess.journalBehindItsSnapshot(data.resolve("journal"), data.resolve("snapshots"), 19, 300, 200);
        assertEquals(1, run("verify", "--journal", data.resolve("journal").toString()), out);
        assertTrue(out.contains("FAILED: the journal ends at sequence ") && out.contains("journal entries are missing"), out);
    }

    /** An operations probe: an operator's action was `detail=41` in the dump, named only by the audit query. */
    @Test
    void anOperatorsActionIsNamedInTheDump()
    {
        assertEquals("SESSION_DISCONNECT", JournalTool.EventText.actionName(dev.bourse.protocol.sbe.CommandType.SESSION_DISCONNECT.value()));
        assertEquals("SBE_UNKNOWN", JournalTool.EventText.actionName(200));
        assertEquals("unknown", JournalTool.EventText.actionName(-1));
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
        final String byId = out;
        // by symbol too, as the admin and query APIs take it (an outside probe): the journal's InstrumentAdded names it
        assertEquals(0, run("dump", "--journal", journal.toString(), "--type", "InstrumentAdded", "--instrument", "2"));
        final String symbol = out.trim().substring(out.trim().lastIndexOf("symbol=") + "symbol=".length());
        assertEquals(0, run("dump", "--journal", journal.toString(), "--type", "Trade", "--instrument", symbol));
        assertEquals(byId, out, "the same events by symbol " + symbol + " as by id");
        assertEquals(0, run("stats", "--journal", journal.toString(), "--instrument", symbol, "--from-seq", "50"));
        assertFalse(out.contains("entries          0\n"), "the symbol is known though its InstrumentAdded is before the range: " + out);
        // a symbol or id the journal never added is refused, naming those it did (a typo looked like a quiet instrument)
        assertEquals(2, run("dump", "--journal", journal.toString(), "--instrument", "NOSUCH"));
        assertEquals("", out.trim());
        assertTrue(err.startsWith("journal: --instrument NOSUCH: this journal adds no instrument named NOSUCH; it has 1=")
            && err.contains("2=" + symbol) && err.trim().split("\n").length == 1, err);
        assertEquals(2, run("stats", "--journal", journal.toString(), "--instrument", "4242"));
        assertTrue(err.contains("no instrument with id 4242") && out.isEmpty(), out + err);
        // 0 is cash whatever the type asked for: it was accepted alone and refused with --type Trade (an outside tester)
        assertEquals(0, run("dump", "--journal", journal.toString(), "--type", "Trade", "--instrument", "0"));
        assertEquals("", out.trim() + err.trim(), "no trade of cash, and nothing wrong with asking");
        // a bad option is one line naming it, not the usage text (an outside probe)
        assertEquals(2, run("dump", "--bogus"));
        assertEquals("journal: Unknown option: '--bogus' (see ./exchange journal dump --help)", err.trim());
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

    /**
     * An outside probe's stats exited 0 on an entry whose header read but whose events did not, counted it
     * as an UNKNOWN command and began the time span at its zeroed timestamp, in 1970.
     */
    @Test
    void statsFailOnAnEntryWhoseEventsDoNotDecodeAndLeaveItsTimeOut()
    {
        final Path journal = journalOf(500);
        try (ChronicleJournal j = ChronicleJournal.open(new ChronicleJournal.Context().dir(journal)))
        {
            final UnsafeBuffer copy = new UnsafeBuffer(JournalFixtureAccess.lastEntry(j).clone());
            JournalFixtureAccess.setSequence(copy, JournalFixtureAccess.sequence(copy) + 1);
            final int header = dev.bourse.protocol.sbe.MessageHeaderDecoder.ENCODED_LENGTH;
            copy.putLong(header + dev.bourse.protocol.sbe.EntryHeaderEncoder.timestampEncodingOffset(), 0,
                java.nio.ByteOrder.LITTLE_ENDIAN);
            copy.putInt(header + dev.bourse.protocol.sbe.EntryHeaderEncoder.eventCountEncodingOffset(), 7,
                java.nio.ByteOrder.LITTLE_ENDIAN); // more events than its bytes hold
            j.onEntry(copy, 0, copy.capacity());
        }
        assertEquals(1, run("stats", "--journal", journal.toString()));
        assertTrue(out.contains("undecodable      1 entries"), out);
        assertFalse(out.contains("1970-01-01"), out);
        assertFalse(out.contains("UNKNOWN"), out);
    }

    /** An outside probe's verify said "entries decode all ... OK" of an OrderCanceled whose side and reason read SBE_UNKNOWN. */
    @Test
    void anEnumFieldOutsideTheSchemaDoesNotDecode()
    {
        final Path journal = journalOf(500);
        try (ChronicleJournal j = ChronicleJournal.open(new ChronicleJournal.Context().dir(journal)))
        {
            final java.util.List<byte[]> entries = JournalFixtureAccess.entries(j);
            final long last = JournalFixtureAccess.sequence(new UnsafeBuffer(entries.get(entries.size() - 1)));
            final UnsafeBuffer copy = new UnsafeBuffer(entries.stream().filter(e -> sideOfOrderAccepted(e) >= 0).findFirst()
                .orElseThrow().clone());
            JournalFixtureAccess.setSequence(copy, last + 1);
            copy.putByte(sideOfOrderAccepted(copy.byteArray()), (byte)0);
            j.onEntry(copy, 0, copy.capacity());
        }
        assertEquals(1, run("verify", "--journal", journal.toString()));
        assertTrue(out.contains("FAILED: entry at position"), out);
        assertTrue(out.contains("does not decode as a bourse journal entry: event 1 (OrderAccepted) has side=0, not a Side value"), out);
        assertEquals(1, run("dump", "--journal", journal.toString()));
        assertTrue(out.contains("| undecodable entry: event 1 (OrderAccepted) has side=0"), out);
        assertEquals(1, run("stats", "--journal", journal.toString()));
    }

    /** An outside probe's --instrument AAPL found no instrument once retention had removed the journal's InstrumentAdded. */
    @Test
    void aSymbolIsFoundInTheSnapshotsOfATrimmedJournal() throws Exception
    {
        final Path journal = dir.resolve("data").resolve("journal");
        final Path snapshots = dir.resolve("data").resolve("snapshots");
        JournalFixtureAccess.trimmedJournal(journal, snapshots, 61);
        final dev.bourse.engine.EngineState state = dev.bourse.journal.SnapshotStore.load(dev.bourse.journal.SnapshotStore.list(snapshots)
            .get(0), new dev.bourse.engine.EngineConfig().maxInstruments(65_536).conclude()).state();
        int id = 1;
        while (state.instrument(id) == null)
        {
            id++;
        }
        final String symbol = state.instrument(id).symbol();
        assertEquals(0, run("dump", "--journal", journal.toString(), "--instrument", String.valueOf(id)));
        final String byId = out;
        assertEquals(0, run("dump", "--journal", journal.toString(), "--instrument", symbol), err);
        assertEquals(byId, out);
        assertEquals(0, run("stats", "--journal", journal.toString(), "--instrument", symbol), err);

        // a typo names the snapshot's instruments too, not only what the trimmed journal still adds
        assertEquals(2, run("stats", "--journal", journal.toString(), "--instrument", "NOSUCH"));
        assertTrue(err.contains("; it has " + id + "=" + symbol), err);

        // a range before the journal's first entry says so, on stderr (it printed nothing, as a range without events)
        assertEquals(0, run("dump", "--journal", journal.toString(), "--from-seq", "1", "--to-seq", "5"), err);
        assertEquals("", out);
        assertTrue(err.startsWith("note: the journal starts at sequence ") && err.contains(": nothing of --from-seq 1 --to-seq 5 is here"),
            err);
        assertEquals(0, run("stats", "--journal", journal.toString(), "--from-seq", "1", "--to-seq", "5"), err);
        assertTrue(err.startsWith("note: the journal starts at sequence "), err);
    }

    /**
     * An operator's add: the AuditRecorded (detail ADD_INSTRUMENT, instrumentId) comes just before
     * the InstrumentAdded. An outside probe's {@code --instrument X+Y} began at the InstrumentAdded and
     * left the audit record out, where {@code --instrument 2} kept it: the symbol is now resolved
     * before the walk, from the journal when no snapshot names it, so both give the same bytes.
     */
    @Test
    void aSymbolGivesWhatItsIdGivesTheOperatorsAuditRecordIncluded() throws Exception
    {
        final Path journal = dir.resolve("data").resolve("journal");
        final dev.bourse.engine.EngineConfig config = new dev.bourse.engine.EngineConfig().maxInstruments(64).maxLiveOrders(1_000)
            .conclude();
        final UnsafeBuffer command = new UnsafeBuffer(new byte[dev.bourse.protocol.CommandWriter.MAX_COMMAND_LENGTH]);
        final dev.bourse.protocol.CommandWriter writer = new dev.bourse.protocol.CommandWriter();
        final long[] time = {1_700_000_000_000_000_000L};
        try (ChronicleJournal j = ChronicleJournal.open(new ChronicleJournal.Context().dir(journal)))
        {
            final dev.bourse.engine.MatchingEngine engine = new dev.bourse.engine.MatchingEngine(new dev.bourse.engine.EngineState(config), j);
            final java.util.function.ToIntFunction<java.util.function.IntSupplier> send = length ->
            {
                engine.onCommand(command, 0, length.getAsInt());
                engine.onEndOfBatch();
                time[0] += 1_000_000;
                return 0;
            };
            final dev.bourse.protocol.sbe.CommandType add = dev.bourse.protocol.sbe.CommandType.ADD_INSTRUMENT;
            for (final int id : new int[]{1, 2})
            {
                final String symbol = id == 1 ? "AAA" : "X+Y";
                send.applyAsInt(() -> writer.operatorAudit(command, 0, time[0], "ops", add, 0, id, 0));
                send.applyAsInt(() -> writer.addInstrument(command, 0, time[0], id, symbol, 100, 1, 1, 1_000_000, Long.MAX_VALUE / 4,
                    1_000_000, 1_000, dev.bourse.protocol.sbe.TradingStatus.OPEN));
            }
            send.applyAsInt(() -> writer.operatorAudit(command, 0, time[0], "ops", dev.bourse.protocol.sbe.CommandType.SET_REFERENCE_PRICE,
                0, 2, 0));
            send.applyAsInt(() -> writer.setReferencePrice(command, 0, time[0], 2, 1_100_000));
            send.applyAsInt(() -> writer.setReferencePrice(command, 0, time[0], 1, 1_100_000));
        }
        assertEquals(0, run("dump", "--journal", journal.toString(), "--instrument", "2"), err);
        final String byId = out;
        assertTrue(byId.startsWith("seq=3 ") && byId.contains("| AuditRecorded ") && byId.contains("(ADD_INSTRUMENT)"), byId);
        assertTrue(byId.contains("| InstrumentAdded ") && byId.contains("symbol=X+Y"), byId);
        assertEquals(0, run("dump", "--journal", journal.toString(), "--instrument", "X+Y"), err);
        assertEquals(byId, out, "the symbol's dump is the id's, byte for byte");
        for (final String[] range : new String[][]{{}, {"--from-seq", "4"}, {"--type", "AuditRecorded"}, {"--to-seq", "3"}})
        {
            final String[] stats = {"stats", "--journal", journal.toString(), "--instrument", "2"};
            assertEquals(0, run(concat(stats, range)), err);
            final String statsById = out;
            stats[4] = "X+Y";
            assertEquals(0, run(concat(stats, range)), err);
            assertEquals(statsById, out, String.join(" ", range));
            final String[] dump = {"dump", "--journal", journal.toString(), "--instrument", "2"};
            assertEquals(0, run(concat(dump, range)), err);
            final String dumpById = out;
            dump[4] = "X+Y";
            assertEquals(0, run(concat(dump, range)), err);
            assertEquals(dumpById, out, String.join(" ", range));
        }
        assertEquals(0, run("stats", "--journal", journal.toString(), "--instrument", "X+Y"), err);
        assertTrue(out.contains("AuditRecorded") && out.contains("entries          4\n"), out);

        // a snapshot beside the journal taken before X+Y was added: it names AAA, not X+Y, which the journal still does
        final Path snapshots = Files.createDirectories(dir.resolve("data").resolve("snapshots"));
        try (ChronicleJournal j = ChronicleJournal.openForReading(journal))
        {
            final dev.bourse.engine.EngineState state = new dev.bourse.engine.EngineState(config);
            final dev.bourse.engine.EngineReplayer replayer = new dev.bourse.engine.EngineReplayer(state);
            final long[] position = {-1};
            try (dev.bourse.journal.JournalTailer tailer = j.tailerFromStart())
            {
                tailer.poll((at, buffer, offset, length) ->
                {
                    replayer.apply(buffer, offset, length);
                    position[0] = at;
                }, 2);
            }
            assertEquals(2, state.lastSequence());
            new dev.bourse.journal.SnapshotStore(snapshots, 2).write(state, position[0]);
        }
        assertEquals(0, run("dump", "--journal", journal.toString(), "--instrument", "X+Y"), err);
        assertEquals(byId, out, "an instrument added after the newest snapshot");
        assertEquals(0, run("dump", "--journal", journal.toString(), "--instrument", "1"), err);
        final String aaaById = out;
        assertEquals(0, run("dump", "--journal", journal.toString(), "--instrument", "AAA"), err);
        assertEquals(aaaById, out, "named by the snapshot");
    }

    private static String[] concat(final String[] first, final String[] second)
    {
        final String[] both = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    /** The offset of the side of the entry's OrderAccepted if that is its first event; -1 if not. */
    private static int sideOfOrderAccepted(final byte[] entry)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(entry);
        final dev.bourse.protocol.sbe.MessageHeaderDecoder header = new dev.bourse.protocol.sbe.MessageHeaderDecoder().wrap(buffer, 0);
        final int first = dev.bourse.protocol.sbe.MessageHeaderDecoder.ENCODED_LENGTH + header.blockLength();
        if (first >= entry.length || header.wrap(buffer, first).templateId() != dev.bourse.protocol.sbe.OrderAcceptedDecoder.TEMPLATE_ID)
        {
            return -1;
        }
        return first + dev.bourse.protocol.sbe.MessageHeaderDecoder.ENCODED_LENGTH
            + dev.bourse.protocol.sbe.OrderAcceptedDecoder.sideEncodingOffset();
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

    // ------------------------------------------------------------------ verify re-executes what it can

    /** Copies {@code from} into a new journal {@code to}, entry by entry, letting {@code edit} change each entry's bytes. */
    private static void copy(final Path from, final Path to, final java.util.function.Consumer<UnsafeBuffer> edit)
    {
        final java.util.List<byte[]> entries = new java.util.ArrayList<>();
        try (ChronicleJournal source = ChronicleJournal.openForReading(from);
            dev.bourse.journal.JournalTailer tailer = source.tailerFromStart())
        {
            while (tailer.poll((position, buffer, offset, length) ->
            {
                final byte[] copy = new byte[length];
                buffer.getBytes(offset, copy);
                entries.add(copy);
            }, 1000) > 0)
            {
                // collecting
            }
        }
        try (ChronicleJournal target = ChronicleJournal.open(new ChronicleJournal.Context().dir(to)))
        {
            for (final byte[] entry : entries)
            {
                final UnsafeBuffer buffer = new UnsafeBuffer(entry);
                edit.accept(buffer);
                target.onEntry(buffer, 0, entry.length);
            }
        }
    }

    private static final int FIRST_EVENT = dev.bourse.protocol.sbe.MessageHeaderDecoder.ENCODED_LENGTH
        + dev.bourse.protocol.sbe.EntryHeaderDecoder.BLOCK_LENGTH;
    private static final int ACCEPTED = FIRST_EVENT + dev.bourse.protocol.sbe.MessageHeaderDecoder.ENCODED_LENGTH;
    private static final int SECOND_EVENT = ACCEPTED + dev.bourse.protocol.sbe.OrderAcceptedDecoder.BLOCK_LENGTH;

    /** Whether the entry is a new order the engine accepted and rested (OrderAccepted, then OrderRested). */
    private static boolean isAcceptedAndRested(final UnsafeBuffer entry)
    {
        final dev.bourse.protocol.sbe.MessageHeaderDecoder header = new dev.bourse.protocol.sbe.MessageHeaderDecoder();
        final dev.bourse.protocol.sbe.EntryHeaderDecoder entryHeader = new dev.bourse.protocol.sbe.EntryHeaderDecoder();
        header.wrap(entry, 0);
        entryHeader.wrap(entry, dev.bourse.protocol.sbe.MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        if (entryHeader.commandType() != dev.bourse.protocol.sbe.CommandType.NEW_ORDER
            || entry.capacity() < SECOND_EVENT + dev.bourse.protocol.sbe.MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return false;
        }
        return header.wrap(entry, FIRST_EVENT).templateId() == dev.bourse.protocol.sbe.OrderAcceptedDecoder.TEMPLATE_ID
            && header.wrap(entry, SECOND_EVENT).templateId() == dev.bourse.protocol.sbe.OrderRestedDecoder.TEMPLATE_ID;
    }

    /** Edits the 100th accepted-and-rested new order's entry; returns its sequence in {@code sequence[0]}. */
    private static java.util.function.Consumer<UnsafeBuffer> damageHundredthOrder(
        final long[] sequence, final java.util.function.Consumer<UnsafeBuffer> damage)
    {
        final int[] seen = {0};
        return entry ->
        {
            if (isAcceptedAndRested(entry) && seen[0]++ == 100)
            {
                sequence[0] = JournalFixtureAccess.sequence(entry);
                damage.accept(entry);
            }
        };
    }

    @Test
    void verifyReexecutesOrdersAndFindsAValueNoEngineWrote()
    {
        final Path journal = journalOf(3_000);
        assertEquals(0, run("verify", "--journal", journal.toString()), out);
        final java.util.regex.Matcher replay = java.util.regex.Pattern.compile("([\\d,]+) re-executed and identical byte for byte").matcher(out);
        assertTrue(replay.find() && Long.parseLong(replay.group(1).replace(",", "")) > 100,
            "the fixture's orders are re-executed, and a sound journal passes: " + out);

        // the tester's damage: 8 bytes of an OrderAccepted flipped (price and quantity); each still decodes
        final long[] flipped = {0};
        copy(journal, dir.resolve("flipped"), damageHundredthOrder(flipped, entry ->
        {
            final int at = ACCEPTED + dev.bourse.protocol.sbe.OrderAcceptedDecoder.priceEncodingOffset() + 4;
            for (int i = 0; i < 8; i++)
            {
                entry.putByte(at + i, (byte)~entry.getByte(at + i));
            }
        }));
        assertEquals(0, run("verify", "--journal", dir.resolve("flipped").toString(), "--no-replay"), "every entry still decodes: " + out);
        assertEquals(1, run("verify", "--journal", dir.resolve("flipped").toString()), out);
        assertTrue(out.contains("FAILED: sequence " + flipped[0] + " (NEW_ORDER) is not what the engine makes of its command: "
            + "event 1 is OrderAccepted in the journal, OrderRejected (reason "), out);

        // one share less left resting than the engine leaves: a value that could be true, in an entry that disagrees with itself
        final long[] shortened = {0};
        copy(journal, dir.resolve("shortened"), damageHundredthOrder(shortened, entry ->
        {
            final int at = SECOND_EVENT + dev.bourse.protocol.sbe.MessageHeaderDecoder.ENCODED_LENGTH
                + dev.bourse.protocol.sbe.OrderRestedDecoder.leavesQtyEncodingOffset();
            entry.putLong(at, entry.getLong(at, java.nio.ByteOrder.LITTLE_ENDIAN) - 1, java.nio.ByteOrder.LITTLE_ENDIAN);
        }));
        assertEquals(1, run("verify", "--journal", dir.resolve("shortened").toString()), out);
        assertTrue(out.matches("(?s).*FAILED: sequence " + shortened[0] + " \\(NEW_ORDER\\) is not what the engine makes of its command: "
            + "event 2 \\(OrderRested\\) differs: leavesQty=(\\d+) in the journal, leavesQty=\\d+ when re-executed\n.*"), out);
    }

    // ------------------------------------------------------------------ verify on a journal retention trimmed

    @Test
    void verifyReplaysATrimmedJournalFromTheSnapshotBesideIt() throws Exception
    {
        final Path data = dir.resolve("data");
        JournalFixtureAccess.trimmedJournal(data.resolve("journal"), data.resolve("snapshots"), 17);
        assertEquals(0, run("verify", "--journal", data.resolve("journal").toString()), out);
        assertTrue(out.contains("note: the journal starts at sequence 401"), out);
        assertTrue(out.contains("replay           ok from snapshot-00000000000000000800.snap (sequence 800), 400 entries"), out);
        assertFalse(out.contains("FAILED"), out);

        // a snapshot directory without a snapshot that fits: the replay is skipped, and that is said, not failed
        Files.createDirectories(dir.resolve("no-snapshots"));
        assertEquals(0, run("verify", "--journal", data.resolve("journal").toString(), "--snapshots", dir.resolve("no-snapshots").toString()), out);
        assertTrue(out.contains("replay           skipped: it needs the state before sequence 401, and none of the 0 snapshot(s) in "), out);
        assertTrue(out.contains("note: continuity and decoding were checked; the replay was not (not a failure)") && out.endsWith("OK\n"), out);
        assertEquals(2, run("verify", "--journal", data.resolve("journal").toString(), "--snapshots", dir.resolve("nowhere").toString()));
        assertTrue(err.contains("--snapshots " + dir.resolve("nowhere") + ": no such directory"), err);
    }

    @Test
    void verifyOfATrimmedJournalWithoutSnapshotsSaysTheReplayWasSkipped() throws Exception
    {
        final Path journal = dir.resolve("alone").resolve("journal");
        JournalFixtureAccess.trimmedJournal(journal, null, 19);
        assertEquals(0, run("verify", "--journal", journal.toString()), out);
        assertTrue(out.contains("replay           skipped: it needs the state before sequence 401, and no snapshot directory was given"), out);
        assertFalse(out.contains("no entries"), out);
    }

    // ------------------------------------------------------------------ plain verdicts

    @Test
    void aZeroedFileHeaderIsSaidToBeOneNotAnEmptyJournal() throws Exception
    {
        final Path journal = journalOf(2_000);
        final Path file = cycleFile(journal);
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE))
        {
            channel.write(java.nio.ByteBuffer.allocate(4096), 0);
        }
        assertEquals(1, run("verify", "--journal", journal.toString()), out + err);
        assertEquals("FAILED: " + file.getFileName() + " cannot be read from its start: its header is damaged (zeroed), though data follows it",
            out.trim());
    }

    @Test
    void aJournalFileCutShortIsSaidPlainly() throws Exception
    {
        final Path journal = journalOf(20_000);
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(cycleFile(journal),
            java.nio.file.StandardOpenOption.WRITE))
        {
            channel.truncate(1_000_000);
        }
        assertEquals(1, run("verify", "--journal", journal.toString()), out + err);
        // told from the file's header before it is read, as the start tells it, naming the file and where its data runs to
        assertTrue(out.startsWith("FAILED: " + cycleFile(journal).getFileName() + " ends before its data does (cut short or damaged):"
            + " it is 1000000 bytes long, but its header says "), out + err);
        assertEquals(1, out.split("\n").length, out);
        assertEquals(1_000_000, Files.size(cycleFile(journal)), "read, not changed");
        assertFalse((out + err).contains("unsafe memory access"), out + err);
    }

    /** An outside tester: a journal whose only cycle file is empty hung all three tools and a start, in Chronicle's wait for its header. */
    @Test
    void aSoleEmptyCycleFileIsNamedNotWaitedFor() throws Exception
    {
        final Path real = journalOf(10);
        final Path journal = dir.resolve("copy").resolve("journal");
        Files.createDirectories(journal);
        Files.copy(real.resolve("metadata.cq4t"), journal.resolve("metadata.cq4t"));
        final Path empty = Files.createFile(journal.resolve("20261207F.cq4"));
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () ->
        {
            for (final String command : new String[]{"verify", "stats", "dump"})
            {
                assertEquals(1, run(command, "--journal", journal.toString()), command + ": " + out + err);
                assertTrue(out.startsWith("FAILED: 20261207F.cq4 is empty (no bytes, or only zeros) and no cycle file holds entries"),
                    command + ": " + out + err);
                assertEquals(1, (out + err).trim().split("\n").length, command + ": " + out + err);
            }
            // only zeros, and no metadata: the same
            Files.delete(journal.resolve("metadata.cq4t"));
            Files.write(empty, new byte[1 << 16]);
            assertEquals(1, run("verify", "--journal", journal.toString()), out + err);
            assertTrue(out.startsWith("FAILED: 20261207F.cq4 is empty"), out + err);
            // a start refuses it in one line, leaving the file as it was
            final dev.bourse.journal.JournalException refused = assertThrows(dev.bourse.journal.JournalException.class,
                () -> ChronicleJournal.open(new ChronicleJournal.Context().dir(journal)).close());
            assertTrue(refused.getMessage().contains("20261207F.cq4 is empty") && refused.getMessage().contains("Move the empty"),
                refused.getMessage());
            assertFalse(refused.getMessage().contains("the files after it") || refused.getMessage().contains("\n"), refused.getMessage());
            assertEquals(1 << 16, Files.size(empty));
        });
    }

    /** An outside tester: too small a --max-instruments read as a damaged journal, with the array's index text. */
    @Test
    void tooSmallAMaxInstrumentsIsTheOptionsFaultNotTheJournals()
    {
        final Path journal = journalOf(2_000);
        assertEquals(0, run("verify", "--journal", journal.toString()), out + err);
        assertEquals(2, run("verify", "--journal", journal.toString(), "--max-instruments", "2"), out + err);
        assertFalse(out.contains("FAILED"), out);
        assertTrue(err.matches("journal: --max-instruments 2 is too small for this journal: sequence \\d+ adds instrument id (\\d+),"
            + " which needs at least \\d+\n"), err);
        assertFalse(err.contains("out of bounds"), err);
    }

    /** An outside tester: a document damaged mid-file was named by Chronicle's index, and dump and stats exited 2. */
    @Test
    void aDocumentDamagedInTheMiddleIsNamedByTheLastGoodSequence() throws Exception
    {
        final Path journal = journalInParts();
        final long headerAt = JournalFixtureAccess.middleDocumentHeader(journal);
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(cycleFile(journal).toFile(), "rw"))
        {
            raf.seek(headerAt + 4 + 4); // the document's count of entries: no document holds that many
            raf.writeInt(0x7FFF_FFFF);
        }
        for (final String command : new String[]{"verify", "stats", "dump"})
        {
            assertEquals(1, run(command, "--journal", journal.toString()), command + ": " + out + err);
            assertTrue(out.matches("(?s).*FAILED: the journal cannot be read past position \\d+ \\(after sequence \\d+\\): .*"),
                command + ": " + out + err);
            assertEquals("", err, command);
        }
        assertTrue(out.startsWith("seq=1 "), "dump prints what it read first: " + out);
        run("stats", "--journal", journal.toString());
        assertTrue(out.startsWith("entries  "), "stats count what they read first: " + out);
    }

    /** An outside tester: a .cq4 whose name is no cycle's was said in Chronicle's date parser's words, exit 1 or 2 by the tool. */
    @Test
    void aFileNamedLikeNoCycleIsNamed() throws Exception
    {
        final Path journal = journalOf(100);
        final byte[] garbage = new byte[4096];
        new java.util.Random(7).nextBytes(garbage);
        garbage[3] |= (byte)0x80; // a first word that reads as a header being written: past the check of the content
        Files.write(journal.resolve("garbage.cq4"), garbage);
        for (final String command : new String[]{"verify", "stats", "dump"})
        {
            assertEquals(1, run(command, "--journal", journal.toString()), command + ": " + out + err);
            assertTrue(out.startsWith("FAILED: garbage.cq4 is not a journal cycle file: its name is no roll cycle's"), command + ": " + out + err);
            assertFalse((out + err).contains("Unable to parse"), command + ": " + out + err);
        }
        final dev.bourse.journal.JournalException refused = assertThrows(dev.bourse.journal.JournalException.class,
            () -> ChronicleJournal.open(new ChronicleJournal.Context().dir(journal)).close());
        assertTrue(refused.getMessage().contains("garbage.cq4 is not a journal cycle file"), refused.getMessage());
    }

    @Test
    void aFileGivenAsTheJournalIsSaidToBeAFile() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("exchange.properties"), "journal.dir = data/journal\n");
        assertEquals(2, run("verify", "--journal", file.toString()));
        assertEquals("journal: " + file + ": is a file, not a journal directory (give data.dir/journal)", err.trim());
    }

    @Test
    void chronicleLogsNothingInTheToolsProcess() throws Exception
    {
        // a minutely journal read without naming its roll cycle: Chronicle warns that it overrides the default from the metadata
        final Path journal = dir.resolve("minutely");
        try (ChronicleJournal j = ChronicleJournal.open(new ChronicleJournal.Context().dir(journal).rollCycle("minutely")))
        {
            JournalFixtureAccess.run(j, 23, 200);
        }
        final java.util.List<String> command = new java.util.ArrayList<>();
        command.add(System.getProperty("java.home") + java.io.File.separator + "bin" + java.io.File.separator + "java");
        command.add("-Xmx256m");
        for (final String flag : System.getProperty("bourse.jvm.flags", "").trim().split("\\s+"))
        {
            if (!flag.isEmpty())
            {
                command.add(flag);
            }
        }
        command.addAll(java.util.List.of("-cp", System.getProperty("java.class.path"), JournalTool.class.getName(),
            "verify", "--journal", journal.toString()));
        final Process tool = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(tool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, tool.waitFor(), output);
        assertTrue(output.endsWith("OK\n"), output);
        assertFalse(output.contains("net.openhft") || output.contains("WARN"), "only the tool's own lines: " + output);
    }

    // ------------------------------------------------------------------ stats' rate line

    @Test
    void statsGiveALowRatePerMinuteAndNoRateForASingleInstant()
    {
        assertEquals("12.6 entries/min", Rate.of(137, 651_000_000_000L, "entries"), "the tester's 137 entries over 651 s");
        assertEquals("1.2 entries/min", Rate.of(137, 6_510_000_000_000L, "entries"));
        assertEquals("2.5 entries/s", Rate.of(5, 2_000_000_000L, "entries"));
        assertEquals("3.0 entries/h", Rate.of(3, 3_600_000_000_000L, "entries"));
        assertEquals("1,000,000.0 events/s", Rate.of(1_000_000, 1_000_000_000L, "events"));
        assertEquals("0.0 events/s", Rate.of(0, 5_000_000_000L, "events"));
        assertEquals("92,233,720,368,547,758.0 entries/s", Rate.of(Long.MAX_VALUE, 100_000_000_000L, "entries"), "no overflow");

        final Path journal = journalOf(500);
        assertEquals(0, run("stats", "--journal", journal.toString(), "--from-seq", "7", "--to-seq", "7"));
        assertTrue(out.contains("rate             n/a: a single instant\n"), out);
        assertFalse(out.contains("1,000,000,000"), out);
    }

    private static Path cycleFile(final Path journal) throws Exception
    {
        try (java.util.stream.Stream<Path> files = Files.list(journal))
        {
            return files.filter(p -> p.getFileName().toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
    }
}
