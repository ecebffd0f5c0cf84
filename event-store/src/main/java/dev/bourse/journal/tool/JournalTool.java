package dev.bourse.journal.tool;

import dev.bourse.engine.EngineConfig;
import dev.bourse.engine.EngineReplayer;
import dev.bourse.engine.EngineState;
import dev.bourse.journal.ChronicleJournal;
import dev.bourse.journal.JournalTailer;
import dev.bourse.protocol.JournalEntryReader;
import dev.bourse.protocol.JournalEventListener;
import dev.bourse.protocol.Prices;
import dev.bourse.protocol.sbe.*;
import org.agrona.DirectBuffer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * {@code ./exchange journal dump|stats|verify --journal DIR}: read a journal directory without changing it.
 * Longer than most classes here: the three subcommands and the event printer they share are its
 * nested classes, as picocli commands usually are; nothing here is on the order path.
 */
@Command(name = "journal", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class,
    description = "Reads a journal directory (read-only): a human-readable dump, statistics, or a verification.",
    subcommands = {JournalTool.Dump.class, JournalTool.Stats.class, JournalTool.Verify.class})
public final class JournalTool implements Callable<Integer>
{
    static final int PROBLEM = 1;
    static final int USAGE = 2;
    private static final Pattern INSTRUMENT = Pattern.compile("\\binstrumentId=(\\d+)");
    private static final Pattern ACCOUNT = Pattern.compile("\\b(?:accountId|makerAccountId|takerAccountId)=(\\d+)");
    /** Fields in price units (4 decimals), printed as decimals: prices, notionals and a tick size. */
    private static final Pattern PRICE = Pattern.compile(
        "\\b(price|oldPrice|holdPrice|referencePrice|stopPrice|triggerPrice|tickSize|cumNotional|makerCumNotional|takerCumNotional"
            + "|maxNotional)=(-?\\d+)");
    /** A cash balance's fields (instrument 0 is cash, in price units); other instruments' balances are quantities. */
    private static final Pattern CASH = Pattern.compile("\\b(amount|balance)=(-?\\d+)");

    /** The event types --type takes: what {@link JournalEventListener} has a callback for, sorted. */
    private static final java.util.List<String> EVENT_TYPES = eventTypeNames();

    private static java.util.List<String> eventTypeNames()
    {
        final java.util.List<String> names = new java.util.ArrayList<>();
        for (final java.lang.reflect.Method method : JournalEventListener.class.getMethods())
        {
            final String name = method.getName();
            if (name.startsWith("on") && !name.equals("onUnknownEvent") && method.getParameterCount() == 2)
            {
                names.add(name.substring(2));
            }
        }
        names.sort(null);
        return java.util.List.copyOf(names);
    }

    private static boolean isEventType(final String type)
    {
        for (final String name : EVENT_TYPES)
        {
            if (name.equalsIgnoreCase(type))
            {
                return true;
            }
        }
        return false;
    }

    public static void main(final String[] args)
    {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs with the given streams; returns the exit code (0 fine, 1 a problem found, 2 bad usage or directory). */
    public static int run(final PrintStream out, final PrintStream err, final String... args)
    {
        final CommandLine commandLine = new CommandLine(new JournalTool());
        commandLine.setOut(new java.io.PrintWriter(out, true));
        commandLine.setErr(new java.io.PrintWriter(err, true));
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) ->
        {
            err.println("journal: " + e.getMessage());
            return USAGE;
        });
        try
        {
            return commandLine.execute(args);
        }
        catch (final InternalError e)
        {
            // the JVM's answer to reading a mapped file past its end: a journal file cut short (a full disk, a copy stopped midway)
            err.println("journal: FAILED: a journal file ends before its data does (truncated or damaged): " + e.getMessage());
            return PROBLEM;
        }
    }

    @Override
    public Integer call()
    {
        new CommandLine(this).usage(System.out);
        return USAGE;
    }

    /** The journal directory every subcommand reads. */
    static class JournalDirectory
    {
        @Option(names = "--journal", required = true, paramLabel = "DIR", description = "The journal directory (data.dir/journal).")
        Path journal;

        ChronicleJournal open()
        {
            if (!Files.isDirectory(journal))
            {
                throw new IllegalArgumentException(journal + ": no such directory");
            }
            try
            {
                if (!ChronicleJournal.holdsJournal(journal))
                {
                    throw new IllegalArgumentException(journal + ": not a journal (no Chronicle Queue .cq4 files in it)");
                }
            }
            catch (final IOException e)
            {
                throw new IllegalArgumentException(journal + ": cannot be read (" + e.getMessage() + ")");
            }
            return ChronicleJournal.openForReading(journal);
        }
    }

    /** The journal and the filters dump and stats take (verify checks the whole journal, so it takes none). */
    static final class Selection extends JournalDirectory
    {
        @Option(names = "--from-seq", defaultValue = "1", description = "First engine sequence to include (default ${DEFAULT-VALUE}).")
        long fromSeq;

        @Option(names = "--to-seq", defaultValue = "" + Long.MAX_VALUE, description = "Last engine sequence to include.")
        long toSeq;

        @Option(names = "--type", description = "Only events of this type, e.g. Trade, OrderAccepted, BalanceChanged.")
        String type;

        @Option(names = "--instrument", description = "Only events that carry this instrument id.")
        Integer instrument;

        @Option(names = "--account", description = "Only events that carry this account id (as owner, maker or taker).")
        Long account;

        @Override
        ChronicleJournal open()
        {
            if (type != null && !isEventType(type))
            {
                throw new IllegalArgumentException("--type " + type + ": no such event type; one of " + String.join(", ", EVENT_TYPES));
            }
            if (fromSeq < 1 || toSeq < 1)
            {
                throw new IllegalArgumentException("--from-seq and --to-seq are engine sequences, 1 or more");
            }
            if (toSeq < fromSeq)
            {
                throw new IllegalArgumentException("--to-seq " + toSeq + " is below --from-seq " + fromSeq + ": nothing could match");
            }
            return super.open();
        }

        boolean matches(final long sequence, final String eventType, final String text)
        {
            if (sequence < fromSeq || sequence > toSeq)
            {
                return false;
            }
            if (type != null && !type.equalsIgnoreCase(eventType))
            {
                return false;
            }
            if (instrument != null && !contains(INSTRUMENT.matcher(text), instrument))
            {
                return false;
            }
            return account == null || contains(ACCOUNT.matcher(text), account);
        }

        private static boolean contains(final Matcher m, final long value)
        {
            while (m.find())
            {
                if (Long.parseLong(m.group(1)) == value)
                {
                    return true;
                }
            }
            return false;
        }
    }

    /** One entry's events as text, in a form filters and people can read. */
    static final class EventText implements JournalEventListener
    {
        interface Sink
        {
            void event(EntryHeaderDecoder header, String type, String fields);
        }

        private final Sink sink;

        EventText(final Sink sink)
        {
            this.sink = sink;
        }

        private void emit(final EntryHeaderDecoder header, final Object decoder)
        {
            final String text = decoder.toString();
            final int open = text.indexOf('[');
            final int close = text.indexOf(']');
            final String type = open >= 0 && close > open ? text.substring(open + 1, close) : decoder.getClass().getSimpleName();
            final int colon = text.indexOf("):");
            String fields = decimals(PRICE, colon >= 0 ? text.substring(colon + 2) : text);
            if (decoder instanceof BalanceChangedDecoder balance && balance.instrumentId() == 0)
            {
                fields = decimals(CASH, fields);
            }
            fields = fields.replace('|', ' ');
            sink.event(header, type, fields);
        }

        private static String decimals(final Pattern pattern, final String fields)
        {
            final Matcher m = pattern.matcher(fields);
            final StringBuilder formatted = new StringBuilder();
            while (m.find())
            {
                m.appendReplacement(formatted, m.group(1) + "=" + Prices.toString(Long.parseLong(m.group(2))));
            }
            m.appendTail(formatted);
            return formatted.toString();
        }

        @Override public void onOrderAccepted(final EntryHeaderDecoder h, final OrderAcceptedDecoder e) { emit(h, e); }
        @Override public void onOrderRejected(final EntryHeaderDecoder h, final OrderRejectedDecoder e) { emit(h, e); }
        @Override public void onTrade(final EntryHeaderDecoder h, final TradeDecoder e) { emit(h, e); }
        @Override public void onOrderCanceled(final EntryHeaderDecoder h, final OrderCanceledDecoder e) { emit(h, e); }
        @Override public void onOrderReplaced(final EntryHeaderDecoder h, final OrderReplacedDecoder e) { emit(h, e); }
        @Override public void onCancelRejected(final EntryHeaderDecoder h, final CancelRejectedDecoder e) { emit(h, e); }
        @Override public void onMassCancelDone(final EntryHeaderDecoder h, final MassCancelDoneDecoder e) { emit(h, e); }
        @Override public void onOrderStatusReport(final EntryHeaderDecoder h, final OrderStatusReportDecoder e) { emit(h, e); }
        @Override public void onInstrumentAdded(final EntryHeaderDecoder h, final InstrumentAddedDecoder e) { emit(h, e); }
        @Override public void onInstrumentAmended(final EntryHeaderDecoder h, final InstrumentAmendedDecoder e) { emit(h, e); }
        @Override public void onTradingStatusChanged(final EntryHeaderDecoder h, final TradingStatusChangedDecoder e) { emit(h, e); }
        @Override public void onReferencePriceChanged(final EntryHeaderDecoder h, final ReferencePriceChangedDecoder e) { emit(h, e); }
        @Override public void onAccountCreated(final EntryHeaderDecoder h, final AccountCreatedDecoder e) { emit(h, e); }
        @Override public void onBalanceChanged(final EntryHeaderDecoder h, final BalanceChangedDecoder e) { emit(h, e); }
        @Override public void onCommandRejected(final EntryHeaderDecoder h, final CommandRejectedDecoder e) { emit(h, e); }
        @Override public void onDayEnded(final EntryHeaderDecoder h, final DayEndedDecoder e) { emit(h, e); }
        @Override public void onAuditRecorded(final EntryHeaderDecoder h, final AuditRecordedDecoder e) { emit(h, e); }
        @Override public void onOrderRested(final EntryHeaderDecoder h, final OrderRestedDecoder e) { emit(h, e); }
        @Override public void onOrderElected(final EntryHeaderDecoder h, final OrderElectedDecoder e) { emit(h, e); }
        @Override public void onTradingPhaseChanged(final EntryHeaderDecoder h, final TradingPhaseChangedDecoder e) { emit(h, e); }
        @Override public void onAuctionIndication(final EntryHeaderDecoder h, final AuctionIndicationDecoder e) { emit(h, e); }
        @Override public void onAuctionUncrossed(final EntryHeaderDecoder h, final AuctionUncrossedDecoder e) { emit(h, e); }
        @Override public void onVolatilityGuardsChanged(final EntryHeaderDecoder h, final VolatilityGuardsChangedDecoder e) { emit(h, e); }
        @Override public void onOrdersExpired(final EntryHeaderDecoder h, final OrdersExpiredDecoder e) { emit(h, e); }
        @Override public void onBlockChanged(final EntryHeaderDecoder h, final BlockChangedDecoder e) { emit(h, e); }

        @Override
        public void onUnknownEvent(final EntryHeaderDecoder h, final int templateId, final int version)
        {
            sink.event(h, "Unknown", "templateId=" + templateId + " version=" + version);
        }
    }

    /** Walks every entry; returns the number of entries. */
    static long walk(final ChronicleJournal journal, final EntryVisitor visitor)
    {
        long entries = 0;
        try (JournalTailer tailer = journal.tailerFromStart())
        {
            final long[] count = {0};
            int n;
            do
            {
                n = tailer.poll((position, buffer, offset, length) ->
                {
                    count[0]++;
                    visitor.entry(position, buffer, offset, length);
                }, 4096);
            }
            while (n > 0);
            entries = count[0];
        }
        return entries;
    }

    interface EntryVisitor
    {
        void entry(long position, DirectBuffer buffer, int offset, int length);
    }

    @Command(name = "dump", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class,
        description = "One line per event: engine sequence, command time (UTC), command type, session, event type and fields.")
    static final class Dump implements Callable<Integer>
    {
        @Mixin
        Selection selection;

        @Override
        public Integer call()
        {
            final PrintStream out = System.out;
            final JournalEntryReader reader = new JournalEntryReader();
            final long[] shown = {0};
            final EventText text = new EventText((h, type, fields) ->
            {
                if (selection.matches(h.sequence(), type, fields))
                {
                    shown[0]++;
                    out.println("seq=" + h.sequence() + " " + Instant.ofEpochSecond(0, h.timestamp()) + " " + h.commandType()
                        + " session=" + h.sessionId() + " | " + type + " " + fields);
                }
            });
            final long[] damage = {0, 0}; // problems seen, the previous entry's sequence
            try (ChronicleJournal journal = selection.open())
            {
                walk(journal, (position, buffer, offset, length) ->
                {
                    final int status = reader.read(buffer, offset, length, text);
                    if (status != JournalEntryReader.OK)
                    {
                        damage[0]++;
                        out.println("position=" + position + " | undecodable entry (" + status + "), " + length + " bytes");
                        return;
                    }
                    final long sequence = reader.header().sequence();
                    if (damage[1] != 0 && sequence != damage[1] + 1)
                    {
                        damage[0]++;
                        out.println("position=" + position + " | gap: sequence " + sequence + " follows " + damage[1]);
                    }
                    damage[1] = sequence;
                });
            }
            return damage[0] == 0 ? 0 : PROBLEM;
        }
    }

    @Command(name = "stats", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class,
        description = "Entries, events per type, commands per type, first and last sequence and time, rates over the journal's time span, bytes.")
    static final class Stats implements Callable<Integer>
    {
        @Mixin
        Selection selection;

        @Override
        public Integer call()
        {
            final PrintStream out = System.out;
            final JournalEntryReader reader = new JournalEntryReader();
            final Map<String, long[]> events = new TreeMap<>();
            final Map<String, long[]> commands = new TreeMap<>();
            final long[] totals = new long[6]; // entries, events, bytes, first seq, last seq, undecodable
            final long[] times = {Long.MAX_VALUE, Long.MIN_VALUE};
            final long[] previous = {0};
            final long[] gaps = {0};
            totals[3] = Long.MAX_VALUE;
            final EventText text = new EventText((h, type, fields) ->
            {
                if (selection.matches(h.sequence(), type, fields))
                {
                    events.computeIfAbsent(type, k -> new long[1])[0]++;
                    totals[1]++;
                }
            });
            try (ChronicleJournal journal = selection.open())
            {
                walk(journal, (position, buffer, offset, length) ->
                {
                    if (reader.readHeader(buffer, offset, length) != JournalEntryReader.OK)
                    {
                        totals[5]++;
                        return;
                    }
                    final EntryHeaderDecoder h = reader.header();
                    final long sequence = h.sequence();
                    if (previous[0] != 0 && sequence != previous[0] + 1)
                    {
                        totals[5]++; // a gap: counted with the undecodable, both are damage
                        gaps[0]++;
                    }
                    previous[0] = sequence;
                    if (sequence < selection.fromSeq || sequence > selection.toSeq)
                    {
                        return;
                    }
                    final String command = h.commandType().name();
                    final long timestamp = h.timestamp();
                    final long before = totals[1];
                    reader.read(buffer, offset, length, text);
                    if (totals[1] == before && (selection.type != null || selection.instrument != null || selection.account != null))
                    {
                        return; // no event of this entry matched the filters
                    }
                    commands.computeIfAbsent(command, k -> new long[1])[0]++;
                    totals[0]++;
                    totals[2] += length;
                    totals[3] = Math.min(totals[3], sequence);
                    totals[4] = Math.max(totals[4], sequence);
                    times[0] = Math.min(times[0], timestamp);
                    times[1] = Math.max(times[1], timestamp);
                });
            }
            out.printf("entries          %,d%n", totals[0]);
            out.printf("events           %,d%n", totals[1]);
            out.printf("bytes            %,d (%,.1f per entry)%n", totals[2], totals[0] == 0 ? 0.0 : (double)totals[2] / totals[0]);
            if (totals[0] > 0)
            {
                final double seconds = Math.max(1e-9, (times[1] - times[0]) / 1e9);
                out.printf("sequences        %d .. %d%n", totals[3], totals[4]);
                out.printf("time             %s .. %s (%.3f s)%n", Instant.ofEpochSecond(0, times[0]),
                    Instant.ofEpochSecond(0, times[1]), seconds);
                out.printf("rate             %,.0f entries/s, %,.0f events/s over that span%n", totals[0] / seconds,
                    totals[1] / seconds);
            }
            if (totals[5] - gaps[0] > 0)
            {
                out.printf("undecodable      %,d entries (run verify)%n", totals[5] - gaps[0]);
            }
            if (gaps[0] > 0)
            {
                out.printf("gaps             %,d in the sequence (run verify)%n", gaps[0]);
            }
            out.println("commands by type");
            commands.forEach((k, v) -> out.printf("  %-22s %,12d%n", k, v[0]));
            out.println("events by type");
            events.forEach((k, v) -> out.printf("  %-22s %,12d%n", k, v[0]));
            return totals[5] == 0 ? 0 : PROBLEM;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class,
        description = {
            "Checks the whole journal: continuous sequences, every entry decodes, a full replay succeeds; prints its digest.",
            "Continuity: each entry's engine sequence is the previous one + 1, no gap, no duplicate. The replay runs the "
                + "engine's recovery over every entry. Chronicle Queue keeps no per-entry checksum, so a CRC32C of every entry is "
                + "computed and a digest of them all printed: two copies of a journal are identical if their digests are. It "
                + "takes no filters (a part of a journal cannot be checked for continuity or replayed on its own).",
            "Exit code 0 if all is well, 1 with the first problem otherwise, 2 for a bad directory or option."})
    static final class Verify implements Callable<Integer>
    {
        @Mixin
        JournalDirectory selection;

        @Option(names = "--max-instruments", defaultValue = "65536", description = "Engine size for the replay (default ${DEFAULT-VALUE}).")
        int maxInstruments;

        @Option(names = "--no-replay", description = "Skip the full replay (continuity and decoding only).")
        boolean noReplay;

        @Override
        public Integer call()
        {
            final PrintStream out = System.out;
            final JournalEntryReader reader = new JournalEntryReader();
            final CRC32C entryCrc = new CRC32C();
            final CRC32C digest = new CRC32C();
            final long[] state = {0, 0, 0}; // entries, last sequence, first sequence
            final String[] problem = {null};
            final byte[] bytes = new byte[1 << 16];
            if (maxInstruments < 1)
            {
                throw new IllegalArgumentException("--max-instruments " + maxInstruments + ": must be at least 1");
            }
            try (ChronicleJournal journal = selection.open())
            {
                walk(journal, (position, buffer, offset, length) ->
                {
                    if (problem[0] != null)
                    {
                        return;
                    }
                    final int status = reader.validate(buffer, offset, length);
                    if (status != JournalEntryReader.OK)
                    {
                        problem[0] = "entry at position " + position + " (after sequence " + state[1] + ") does not decode as a "
                            + "bourse journal entry (status " + status + ")";
                        return;
                    }
                    reader.readHeader(buffer, offset, length);
                    final long sequence = reader.header().sequence();
                    if (state[0] == 0)
                    {
                        state[2] = sequence;
                        if (sequence != 1)
                        {
                            out.println("note: the journal starts at sequence " + sequence
                                + " (earlier roll cycles were removed by retention)");
                        }
                    }
                    else if (sequence != state[1] + 1)
                    {
                        problem[0] = (sequence <= state[1] ? "duplicate or out-of-order" : "gap:") + " sequence " + sequence
                            + " follows " + state[1] + " at position " + position;
                        return;
                    }
                    state[0]++;
                    state[1] = sequence;
                    final byte[] copy = length <= bytes.length ? bytes : new byte[length];
                    buffer.getBytes(offset, copy, 0, length);
                    entryCrc.reset();
                    entryCrc.update(copy, 0, length);
                    final long crc = entryCrc.getValue();
                    for (int i = 0; i < 4; i++)
                    {
                        digest.update((int)(crc >>> (8 * i)) & 0xFF);
                    }
                });
                if (problem[0] != null)
                {
                    out.println("FAILED: " + problem[0]);
                    return PROBLEM;
                }
                if (state[0] == 0)
                {
                    out.println("FAILED: the journal has no entries");
                    return PROBLEM;
                }
                out.printf("sequence         %d .. %d, %,d entries, continuous%n", state[2], state[1], state[0]);
                out.printf("entries decode   all%n");
                out.printf("digest           %08x (CRC32C of every entry's CRC32C, in order)%n", digest.getValue());
                if (!noReplay && state[2] == 1)
                {
                    // up to the last entry the pass above checked: a running exchange appends behind it
                    final long start = System.nanoTime();
                    final long last = state[1];
                    final EngineReplayer replayer = new EngineReplayer(new EngineState(
                        new EngineConfig().maxInstruments(maxInstruments).conclude()));
                    final long[] replayed = {0};
                    try (JournalTailer replay = journal.tailerFromStart())
                    {
                        while (replayer.state().lastSequence() < last && replay.poll((position, buffer, offset, length) ->
                        {
                            if (replayer.state().lastSequence() < last && replayer.apply(buffer, offset, length))
                            {
                                replayed[0]++;
                            }
                        }, 1_000) > 0)
                        {
                            // applied in the handler
                        }
                    }
                    if (replayer.state().lastSequence() != last)
                    {
                        out.println("FAILED: replay ended at sequence " + replayer.state().lastSequence() + ", the journal at " + last);
                        return PROBLEM;
                    }
                    out.printf("replay           ok, %,d entries in %.2f s%n", replayed[0], (System.nanoTime() - start) / 1e9);
                }
                else if (!noReplay)
                {
                    out.println("replay           skipped: a replay needs the journal from sequence 1 (use the snapshots)");
                }
            }
            catch (final IllegalArgumentException e)
            {
                throw e; // the directory itself: a usage error, exit code 2
            }
            catch (final RuntimeException e)
            {
                out.println("FAILED: " + e.getMessage());
                return PROBLEM;
            }
            out.println("OK");
            return 0;
        }
    }
}
