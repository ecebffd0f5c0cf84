package dev.bourse.journal.tool;

import dev.bourse.journal.EntryDecoding;
import dev.bourse.journal.JournalFiles;
import dev.bourse.engine.EngineConfig;
import dev.bourse.engine.EngineState;
import dev.bourse.journal.ChronicleJournal;
import dev.bourse.journal.JournalTailer;
import dev.bourse.journal.SnapshotStore;
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
@Command(name = "journal", synopsisHeading = "Usage: exchange ", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class,
    description = "Reads a journal directory (read-only): a human-readable dump, statistics, or a verification.",
    subcommands = {JournalTool.Dump.class, JournalTool.Stats.class, JournalTool.Verify.class})
public final class JournalTool implements Callable<Integer>
{
    static final int PROBLEM = 1;
    static final int USAGE = 2;
    static final String CHRONICLE_LOG_LEVEL = "org.slf4j.simpleLogger.log.net.openhft";
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
        quietChronicle();
        System.exit(run(System.out, System.err, args));
    }

    /**
     * Chronicle Queue logs a WARN, naming its exception classes, for what these tools report
     * themselves in one line (a damaged file, a missing metadata file) or for nothing wrong (a
     * minutely journal's roll cycle taken from its metadata). The tools only read, so its log
     * says nothing an operator needs. slf4j-simple reads this property when the first logger is
     * made, so it is set before any Chronicle class loads; a level given on the command line wins.
     */
    static void quietChronicle()
    {
        if (System.getProperty(CHRONICLE_LOG_LEVEL) == null)
        {
            System.setProperty(CHRONICLE_LOG_LEVEL, "off");
        }
    }

    /** Runs with the given streams; returns the exit code (0 fine, 1 a problem found, 2 bad usage or directory). */
    public static int run(final PrintStream out, final PrintStream err, final String... args)
    {
        final CommandLine commandLine = new CommandLine(new JournalTool());
        commandLine.setOut(new java.io.PrintWriter(out, true));
        commandLine.setErr(new java.io.PrintWriter(err, true));
        OneLineUsageErrors.install(commandLine, "./exchange ");
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) ->
        {
            if (e instanceof Damaged)
            {
                out.println("FAILED: " + e.getMessage());
                return PROBLEM;
            }
            err.println("journal: " + e.getMessage());
            return USAGE;
        });
        try
        {
            return commandLine.execute(args);
        }
        catch (final InternalError e)
        {
            // the JVM's answer to reading a mapped file past its end: a journal file cut short (a full disk, a copy
            // stopped midway); its own text speaks of unsafe memory access, which tells an operator nothing
            out.println("FAILED: a journal file ends before its data does (cut short or damaged)");
            return PROBLEM;
        }
    }

    @Override
    public Integer call()
    {
        new CommandLine(this).usage(System.out);
        return USAGE;
    }

    /** A journal found damaged before it could be read: exit code 1, like any problem found. */
    static final class Damaged extends RuntimeException
    {
        Damaged(final String message)
        {
            super(message, null, false, false);
        }
    }

    /** The journal directory every subcommand reads. */
    static class JournalDirectory
    {
        @Option(names = "--journal", required = true, paramLabel = "DIR", description = "The journal directory (data.dir/journal).")
        Path journal;

        ChronicleJournal open()
        {
            if (Files.isRegularFile(journal))
            {
                throw new IllegalArgumentException(journal + ": is a file, not a journal directory (give data.dir/journal)");
            }
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
            final String damaged = JournalFiles.damagedHeader(journal);
            if (damaged != null)
            {
                throw new Damaged(damaged);
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

        @Option(names = "--instrument", paramLabel = "ID|SYMBOL",
            description = "Only events that carry this instrument, by id or symbol (a symbol names the instrument the newest snapshot"
                + " beside the journal, or else the journal, added under it); 0: cash, the deposits' and withdrawals' BalanceChanged.")
        String instrumentArgument;

        /** The instrument selected: its id, or -1 for a symbol neither the snapshot nor the journal adds. */
        private Integer instrument;
        /** The journal's InstrumentAdded events read, "id=symbol" (only with --instrument: for the answer to a typo). */
        private final java.util.List<String> definitions = new java.util.ArrayList<>();
        private boolean instrumentSeen;

        @Option(names = "--account", description = "Only events that carry this account id (as owner, maker or taker).")
        Long account;

        @Override
        ChronicleJournal open()
        {
            if (instrumentArgument != null)
            {
                instrument = parseInstrument(instrumentArgument);
                final int named = instrument == -1 ? SnapshotSymbols.idOf(journal, instrumentArgument) : -1;
                if (named > 0)
                {
                    instrument = named; // a snapshot names it: retention may have removed the journal's InstrumentAdded
                    instrumentSeen = true;
                }
            }
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
            final ChronicleJournal journal = super.open();
            if (instrument != null && instrument == -1)
            {
                // Resolved before the walk, not as it meets the InstrumentAdded: the operator's ADD_INSTRUMENT audit record
                // comes just before it and carries the id, so the symbol left it out where the id kept it (an outside probe)
                try
                {
                    instrument = idAddedAs(journal, instrumentArgument);
                }
                catch (final RuntimeException | Error e)
                {
                    journal.close();
                    throw e;
                }
            }
            return journal;
        }

        /**
         * The id the journal added {@code symbol} under, -1 if none: a first pass that decodes only
         * InstrumentAdded events. The engine refuses a symbol in use, and no instrument is removed or
         * renamed (InstrumentAmended carries no symbol), so one journal adds a symbol once; were it
         * added again, the last one is taken, the one the newest state (a snapshot's answer) names.
         */
        private static int idAddedAs(final ChronicleJournal journal, final String symbol)
        {
            final int[] found = {-1};
            final EventText text = new EventText((h, type, fields) ->
            {
                final int id = addedId(fields);
                if (id > 0 && symbol.equals(addedSymbol(fields)))
                {
                    found[0] = id;
                }
            });
            final JournalEventListener adds = new JournalEventListener()
            {
                @Override
                public void onInstrumentAdded(final EntryHeaderDecoder header, final InstrumentAddedDecoder event)
                {
                    text.onInstrumentAdded(header, event);
                }
            };
            final JournalEntryReader reader = new JournalEntryReader();
            try (JournalTailer tailer = journal.tailerFromStart())
            {
                while (tailer.poll((position, buffer, offset, length) -> reader.read(buffer, offset, length, adds), 4096) > 0)
                {
                    // read in the listener; what does not decode is the walk's to say
                }
            }
            return found[0];
        }

        /** An InstrumentAdded's id, as dump prints its fields; -1 if there is none. */
        private static int addedId(final String fields)
        {
            final Matcher id = INSTRUMENT.matcher(fields);
            return id.find() ? Integer.parseInt(id.group(1)) : -1;
        }

        /** An InstrumentAdded's symbol, as dump prints its fields (the last field). */
        private static String addedSymbol(final String fields)
        {
            return fields.substring(fields.lastIndexOf(" symbol=") + " symbol=".length());
        }

        /**
         * An id as it is; a symbol (the admin API and the query API take both) is looked for in the
         * snapshots, then in the journal before it is walked.
         */
        private static Integer parseInstrument(final String value)
        {
            if (value.chars().allMatch(Character::isDigit) && !value.isEmpty() && value.length() <= 9)
            {
                return Integer.valueOf(value);
            }
            if (value.isEmpty() || value.chars().anyMatch(c -> c <= ' ' || c > '~'))
            {
                throw new IllegalArgumentException("--instrument " + value + ": an instrument id or symbol");
            }
            return -1;
        }

        /**
         * On stderr, when the range asked for begins before the journal's first entry and retention
         * removed what came before it: a range wholly before it printed nothing and exited 0, as a
         * range with no events does (an outside probe).
         */
        void noteTrimmed(final ChronicleJournal journal, final java.io.PrintWriter err)
        {
            final long first = journal.firstSequence();
            if (first > 1 && fromSeq < first)
            {
                err.println("note: the journal starts at sequence " + first + " (earlier roll cycles were removed by retention)"
                    + (toSeq < first ? ": nothing of --from-seq " + fromSeq + " --to-seq " + toSeq + " is here" : ""));
            }
        }

        /** Whether an instrument was asked for: then every InstrumentAdded is read, in the range or not. */
        boolean readsDefinitions()
        {
            return instrumentArgument != null;
        }

        /**
         * After the walk: a line naming the instrument asked for that the journal never added and
         * nothing matched, with the instruments it did add; null if there is none to say. A typo
         * ({@code APPL}) looked just like an instrument with no events (an outside probe).
         */
        String unknownInstrument(final long matched)
        {
            if (instrumentArgument == null || instrumentSeen || matched > 0 || (instrument != null && instrument == 0))
            {
                return null; // 0 is cash (the BalanceChanged of deposits and withdrawals): no InstrumentAdded names it
            }
            // the snapshots' instruments too: retention may have removed the InstrumentAdded of most of them
            final java.util.Set<String> known = new java.util.LinkedHashSet<>(SnapshotSymbols.all(journal));
            known.addAll(definitions);
            return "--instrument " + instrumentArgument + ": this journal adds no instrument " +
                (instrument != null && instrument != -1 ? "with id " : "named ") + instrumentArgument +
                (known.isEmpty() ? " (it adds none)" : "; it has " + String.join(", ", known.stream().limit(50).toList())
                    + (known.size() > 50 ? ", ..." : ""));
        }

        boolean matches(final long sequence, final String eventType, final String text)
        {
            if (instrumentArgument != null && "InstrumentAdded".equals(eventType))
            {
                final int added = addedId(text);
                if (added >= 0)
                {
                    if (definitions.size() < 50)
                    {
                        definitions.add(added + "=" + addedSymbol(text));
                    }
                    instrumentSeen |= instrument == added;
                }
            }
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
            if (decoder instanceof AuditRecordedDecoder audit && audit.auditType() == AuditType.OPERATOR)
            {
                // an operator's action is a command type: named, as the audit log's query names it
                fields = fields.replace("detail=" + audit.detail(), "detail=" + audit.detail() + "(" + actionName(audit.detail()) + ")");
            }
            fields = fields.replace('|', ' ');
            sink.event(header, type, fields);
        }

        static String actionName(final int commandType)
        {
            try
            {
                return commandType >= 0 && commandType <= Short.MAX_VALUE ? CommandType.get((short)commandType).name() : "unknown";
            }
            catch (final IllegalArgumentException e)
            {
                return "unknown";
            }
        }

        static String decimals(final Pattern pattern, final String fields)
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

    /** Prices, notionals and the like in {@code fields} ("name=value ...") as decimals, as dump prints them. */
    static String decimals(final String fields)
    {
        return EventText.decimals(PRICE, fields);
    }

    /**
     * Walks every entry; returns the number of entries. A journal that, read in order, ends before
     * the last entry its index held when the walk began (a damaged document header or an emptied
     * file in between hides what follows) is {@link Damaged}: a crash probe's tools read 166 of
     * 2,013 entries as the whole journal. A running exchange's appends during the walk are no alarm.
     */
    static long walk(final ChronicleJournal journal, final EntryVisitor visitor)
    {
        final long indexed = journal.lastPosition();
        final long[] count = {0};
        final long[] last = {-1};
        final long[] lastSequence = {0};
        final JournalEntryReader header = new JournalEntryReader();
        try (JournalTailer tailer = journal.tailerFromStart())
        {
            int n;
            do
            {
                n = tailer.poll((position, buffer, offset, length) ->
                {
                    count[0]++;
                    last[0] = position;
                    if (header.readHeader(buffer, offset, length) == JournalEntryReader.OK)
                    {
                        lastSequence[0] = header.header().sequence();
                    }
                    visitor.entry(position, buffer, offset, length);
                }, 4096);
            }
            while (n > 0);
        }
        catch (final dev.bourse.journal.JournalException e)
        {
            // a document damaged in the middle of a cycle: said by the last good sequence, as the start says it, not by
            // Chronicle's index alone (an outside tester); damage, so exit 1, after what could be read
            throw new Damaged("the journal cannot be read past position " + last[0] + " (" + (count[0] == 0 ? "its first entry"
                : "after sequence " + lastSequence[0]) + "): " + e.getMessage() + ": restore it from a copy");
        }
        if (count[0] > 0 && indexed > last[0])
        {
            throw new Damaged("read in order the journal ends at position " + last[0] + " (entry " + count[0] + " of the walk), though"
                + " it holds entries after it (a damaged document or file in between): restore it from a copy");
        }
        return count[0];
    }

    interface EntryVisitor
    {
        void entry(long position, DirectBuffer buffer, int offset, int length);
    }

    @Command(name = "dump", synopsisHeading = "Usage: exchange ", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class,
        description = "One line per event: engine sequence, command time (UTC), command type, session, event type and fields.")
    static final class Dump implements Callable<Integer>
    {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Selection selection;

        @Override
        public Integer call()
        {
            final PrintStream out = System.out;
            final JournalEntryReader reader = new JournalEntryReader();
            final dev.bourse.protocol.EntryEnums enums = new dev.bourse.protocol.EntryEnums();
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
                selection.noteTrimmed(journal, spec.commandLine().getErr());
                walk(journal, (position, buffer, offset, length) ->
                {
                    final int status = reader.read(buffer, offset, length, text);
                    if (status != JournalEntryReader.OK)
                    {
                        damage[0]++;
                        out.println("position=" + position + " | undecodable entry (" + status + "), " + length + " bytes");
                        return;
                    }
                    final String badEnum = enums.problem(buffer, offset, length);
                    if (badEnum != null)
                    {
                        damage[0]++; // printed as it reads (SBE_UNKNOWN), then said: verify and the start refuse it
                        out.println("position=" + position + " | undecodable entry: " + badEnum);
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
            final String unknown = selection.unknownInstrument(shown[0]);
            if (unknown != null)
            {
                throw new IllegalArgumentException(unknown); // one line, exit status 2, as any bad input
            }
            return damage[0] == 0 ? 0 : PROBLEM;
        }
    }

    @Command(name = "stats", synopsisHeading = "Usage: exchange ", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class,
        description = "Entries, events per type, commands per type, first and last sequence and time, rates over the journal's time span, bytes.")
    static final class Stats implements Callable<Integer>
    {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Selection selection;

        @Override
        public Integer call()
        {
            final PrintStream out = System.out;
            final EntryDecoding decoding = new EntryDecoding();
            final JournalEntryReader reader = decoding.reader();
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
            Damaged damaged = null;
            try (ChronicleJournal journal = selection.open())
            {
                selection.noteTrimmed(journal, spec.commandLine().getErr());
                try
                {
                    walk(journal, (position, buffer, offset, length) ->
                    {
                        // the whole entry, as verify decodes it: a header that reads is not enough (an entry whose events
                        // did not decode was counted, its zeroed time stretching the span back to 1970: an outside probe)
                        if (decoding.problem(buffer, offset, length) != null)
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
                            if (selection.readsDefinitions() && h.commandType() == dev.bourse.protocol.sbe.CommandType.ADD_INSTRUMENT)
                            {
                                reader.read(buffer, offset, length, text); // out of range, but it may name the instrument asked for
                            }
                            return;
                        }
                        final String command = h.commandType().name();
                        final long timestamp = h.timestamp();
                        final long before = totals[1];
                        reader.read(buffer, offset, length, text);
                        if (totals[1] == before && (selection.type != null || selection.instrumentArgument != null || selection.account != null))
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
                catch (final Damaged e)
                {
                    damaged = e; // the counts of what could be read first, then the verdict, as dump prints what it read
                }
            }
            final String unknown = selection.unknownInstrument(totals[1]);
            if (unknown != null)
            {
                throw new IllegalArgumentException(unknown); // one line, exit status 2, as any bad input
            }
            out.printf("entries          %,d%n", totals[0]);
            out.printf("events           %,d%n", totals[1]);
            out.printf("bytes            %,d (%s per entry)%n", totals[2], totals[0] == 0 ? "0" : Rate.ratio(totals[2], totals[0]));
            if (totals[0] > 0)
            {
                final long span = times[1] - times[0];
                out.printf("sequences        %d .. %d%n", totals[3], totals[4]);
                out.printf("time             %s .. %s (%s s)%n", Instant.ofEpochSecond(0, times[0]),
                    Instant.ofEpochSecond(0, times[1]), Rate.seconds(span));
                out.println("rate             " + (span <= 0 ? "n/a: a single instant"
                    : Rate.of(totals[0], span, "entries") + ", " + Rate.of(totals[1], span, "events") + " over that span"));
            }
            if (totals[5] - gaps[0] > 0)
            {
                out.printf("undecodable      %,d entries (run verify)%n", totals[5] - gaps[0]);
            }
            if (gaps[0] > 0)
            {
                out.printf("gaps             %,d in the sequence (run verify)%n", gaps[0]);
            }
            // as wide as the longest name there (VolatilityGuardsChanged stood a column out of line at 22)
            final String row = "  %-" + java.util.stream.Stream.concat(commands.keySet().stream(), events.keySet().stream())
                .mapToInt(k -> String.valueOf(k).length()).max().orElse(22) + "s %,12d%n";
            out.println("commands by type");
            commands.forEach((k, v) -> out.printf(row, k, v[0]));
            out.println("events by type");
            events.forEach((k, v) -> out.printf(row, k, v[0]));
            if (damaged != null)
            {
                out.println("FAILED: " + damaged.getMessage());
                return PROBLEM;
            }
            return totals[5] == 0 ? 0 : PROBLEM;
        }
    }

    @Command(name = "verify", synopsisHeading = "Usage: exchange ", mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class,
        description = {
            "Checks the whole journal: continuous sequences, every entry decodes, and a replay that re-executes the order "
                + "commands and compares; prints its digest.",
            "Continuity: each entry's engine sequence is the previous one + 1, no gap, no duplicate. The replay walks every "
                + "entry on one engine state. An entry holds events, not its command, but an accepted new order, a replace "
                + "and a user cancel say all of theirs: their command is written again from the entry, run through a fresh "
                + "matching engine (deterministic: time rides on the command) and the entry it makes must equal the journaled "
                + "one byte for byte, or the first difference is reported (sequence, event, field and both values). Every "
                + "other entry (rejects, operator and phase commands, expiries) is folded as recovery folds it, which finds "
                + "one that does not fit the state (an unknown order, say) but not a changed value in it.",
            "A journal that retention trimmed (its first sequence above 1) is replayed from a snapshot: the oldest one "
                + "from just before its first entry on, in --snapshots or data.dir/snapshots beside the journal; with none, "
                + "the replay is skipped with a note and the other checks decide the exit code.",
            "Chronicle Queue keeps no per-entry checksum, so a CRC32C of every entry is computed and a digest of them all "
                + "printed: two copies of a journal are identical if their digests are. It takes no filters (a part of a "
                + "journal cannot be checked for continuity or replayed on its own).",
            "Exit code 0 if all is well, 1 with the first problem otherwise, 2 for a bad directory or option."})
    static final class Verify implements Callable<Integer>
    {
        /** The replay's engine refuses no order for capacity: the exchange already decided, under its own limit. */
        private static final long MAX_LIVE_ORDERS = 1L << 31;

        @Mixin
        JournalDirectory selection;

        @Option(names = "--max-instruments", defaultValue = "65536", description = "Engine size for the replay (default ${DEFAULT-VALUE}).")
        int maxInstruments;

        @Option(names = "--no-replay", description = "Skip the replay (continuity and decoding only).")
        boolean noReplay;

        @Option(names = "--snapshots", paramLabel = "DIR",
            description = "Snapshot directory for a journal retention trimmed (default: snapshots beside the journal, if there).")
        Path snapshots;

        @Override
        public Integer call()
        {
            final PrintStream out = System.out;
            final EntryDecoding decoding = new EntryDecoding(); // as the start decodes, so the two agree
            final CRC32C entryCrc = new CRC32C();
            final CRC32C digest = new CRC32C();
            final long[] state = {0, 0, 0}; // entries, last sequence, first sequence
            final String[] problem = {null};
            final byte[] bytes = new byte[1 << 16];
            if (maxInstruments < 1)
            {
                throw new IllegalArgumentException("--max-instruments " + maxInstruments + ": must be at least 1");
            }
            if (snapshots != null && !Files.isDirectory(snapshots))
            {
                throw new IllegalArgumentException("--snapshots " + snapshots + ": no such directory");
            }
            try (ChronicleJournal journal = selection.open())
            {
                walk(journal, (position, buffer, offset, length) ->
                {
                    if (problem[0] != null)
                    {
                        return;
                    }
                    final String undecodable = decoding.problem(buffer, offset, length);
                    if (undecodable != null)
                    {
                        problem[0] = "entry at position " + position + " (after sequence " + state[1] + ") does not decode as a "
                            + "bourse journal entry: " + undecodable;
                        return;
                    }
                    final long sequence = decoding.reader().header().sequence();
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
                    out.println("FAILED: " + JournalFiles.whyNoEntries(selection.journal));
                    return PROBLEM;
                }
                final String missing = missingBehindSnapshots(journal);
                if (missing != null)
                {
                    out.println("FAILED: " + missing);
                    return PROBLEM;
                }
                out.printf("sequence         %d .. %d, %,d entries, continuous%n", state[2], state[1], state[0]);
                out.printf("entries decode   all%n");
                out.printf("digest           %08x (CRC32C of every entry's CRC32C, in order)%n", digest.getValue());
                if (!noReplay)
                {
                    final String failure = replay(journal, state[2], state[1], out);
                    if (failure != null)
                    {
                        out.println("FAILED: " + failure);
                        return PROBLEM;
                    }
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

        /**
         * Replays sequences {@code first .. last} (a running exchange appends behind the last one the
         * walk checked); prints the replay line, returns the problem found or null.
         */
        private String replay(final ChronicleJournal journal, final long first, final long last, final PrintStream out)
        {
            final EngineConfig config = new EngineConfig().maxInstruments(maxInstruments).maxLiveOrders(MAX_LIVE_ORDERS).conclude();
            EngineState initial = new EngineState(config);
            String from = "";
            if (first != 1)
            {
                final SnapshotChoice choice = SnapshotChoice.find(snapshotDir(), first, last, config);
                if (choice.loaded() == null)
                {
                    out.println("replay           skipped: it needs the state before sequence " + first + ", and " + choice.why());
                    out.println("note: continuity and decoding were checked; the replay was not (not a failure)");
                    return null;
                }
                initial = choice.loaded().state();
                from = " from " + choice.loaded().info().file().getFileName() + " (sequence " + initial.lastSequence() + ")";
            }
            final long start = System.nanoTime();
            final Reexecution check = new Reexecution(initial);
            final String[] problem = {null};
            try (JournalTailer replay = journal.tailerFromStart())
            {
                while (problem[0] == null && check.state().lastSequence() < last && replay.poll((position, buffer, offset, length) ->
                {
                    if (problem[0] == null && check.state().lastSequence() < last)
                    {
                        problem[0] = check.check(buffer, offset, length);
                    }
                }, 1_000) > 0)
                {
                    // checked in the handler
                }
            }
            if (problem[0] != null)
            {
                return problem[0];
            }
            if (check.state().lastSequence() != last)
            {
                return "replay ended at sequence " + check.state().lastSequence() + ", the journal at " + last;
            }
            out.printf("replay           ok%s, %,d entries in %s s: %,d re-executed and identical byte for byte, %,d folded%n", from,
                check.reexecuted() + check.folded(), Rate.seconds(System.nanoTime() - start), check.reexecuted(), check.folded());
            return null;
        }

        /**
         * What a start refuses: a snapshot that loads and is further on than the whole journal (a crash
         * probe's zeroed tail, at an entry boundary, read as a shorter journal and verified OK). The
         * snapshots are listed before the journal's end is read, so one a running exchange takes
         * meanwhile is not mistaken for one.
         */
        private String missingBehindSnapshots(final ChronicleJournal journal)
        {
            final Path dir = snapshotDir();
            if (dir == null)
            {
                return null;
            }
            final java.util.List<SnapshotStore.Info> infos = SnapshotStore.list(dir);
            // read again: the tool's own lastSequence is the journal's end when it opened it, and a running exchange
            // snapshots past that while the replay runs ("journal entries are missing" for a healthy journal)
            final long journalLast = journal.currentLastSequence();
            final EngineConfig config = new EngineConfig().maxInstruments(maxInstruments).maxLiveOrders(MAX_LIVE_ORDERS).conclude();
            final SnapshotStore.Info ahead = SnapshotChoice.aheadOf(dir, infos, journalLast, config);
            return ahead == null ? null : "the journal ends at sequence " + journalLast + ", but snapshot " + ahead.file()
                + " was taken at sequence " + ahead.sequence() + ": journal entries are missing (restore the journal from a copy;"
                + " a start refuses it too)";
        }

        /** --snapshots, else data.dir/snapshots beside the journal if it is there, else null. */
        private Path snapshotDir()
        {
            if (snapshots != null)
            {
                return snapshots;
            }
            final Path parent = selection.journal.toAbsolutePath().getParent();
            final Path beside = parent == null ? null : parent.resolve("snapshots");
            return beside != null && Files.isDirectory(beside) ? beside : null;
        }
    }
}
