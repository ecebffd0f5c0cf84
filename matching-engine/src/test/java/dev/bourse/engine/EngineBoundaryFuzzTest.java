package dev.bourse.engine;

import dev.bourse.engine.reference.CommandText;
import dev.bourse.engine.reference.RandomCommands;
import dev.bourse.engine.reference.ReferenceExchange;
import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.JournalEntryReader;
import dev.bourse.protocol.JournalEventListener;
import dev.bourse.protocol.sbe.*;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Hostile bytes at the engine boundary ({@link MatchingEngine#onCommand}): random bytes,
 * truncated commands, wrong schema ids, template ids, versions and block lengths, and fields
 * overwritten with extreme values (zero, negative, overflow-sized, off tick, unknown ids,
 * values outside every enumeration). For each case the engine must not throw or halt, must
 * write exactly one well-formed entry with the next sequence, must give every reject a
 * specific reason, must leave the state untouched when it rejects, and must write the entry the
 * reference model derives from the spec. Seeded; {@code -Dbourse.fuzz.cases=N} scales it.
 */
class EngineBoundaryFuzzTest
{
    private static final int CASES = Integer.getInteger("bourse.fuzz.cases", 150_000);
    /** Added to every seed: {@code -Dbourse.seed-offset=N} explores other streams (a long run looking for trouble). */
    private static final long SEED_OFFSET = Long.getLong("bourse.seed-offset", 0);
    private static final int MAX_INSTRUMENTS = 64;
    private static final int HEADER = MessageHeaderEncoder.ENCODED_LENGTH;
    /** Snapshot bytes before the state proper: magic, format, lastSequence, lastTimestamp. */
    private static final int SNAPSHOT_COUNTERS = 4 + 4 + 8 + 8 + 8; // magic, format, sequence, timestamp, day opened at
    private static final long[] LONGS = {0, 1, -1, 2, 100, 10_000, 1_000_000, Long.MAX_VALUE, Long.MIN_VALUE,
        Long.MAX_VALUE - 1, Long.MIN_VALUE + 1, (1L << 61) - 1, 1L << 61, 1L << 62, Integer.MAX_VALUE, Integer.MIN_VALUE,
        4_294_967_296L, 999_999_999_999L};
    private static final int[] INTS = {0, 1, -1, 2, 3, 4, 5, 25, 63, 64, 65, 100, 255, 256, 65_535, Integer.MAX_VALUE,
        Integer.MIN_VALUE};

    /** Engine and reference side by side, fed the same bytes. */
    private static final class Fixture implements EventSink
    {
        final ReferenceExchange reference = new ReferenceExchange(MAX_INSTRUMENTS, 400);
        final EngineState state = new EngineState(new EngineConfig()
            .maxInstruments(MAX_INSTRUMENTS).maxLiveOrders(400).preallocatedOrders(1_024).preallocatedLevels(256)
            .expectedClOrdIdsPerDay(1 << 12).conclude());
        final MatchingEngine engine = new MatchingEngine(state, this);
        final RandomCommands commands;
        final JournalEntryReader reader = new JournalEntryReader();
        final EntryCheck check = new EntryCheck();
        final UnsafeBuffer endOfDay = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
        byte[] entry;
        int entries;
        final SnapshotBytes snapshot = new SnapshotBytes();
        /** The state after the previous case: the "before" of the next one (one snapshot per case). */
        byte[] lastStateBytes;

        Fixture(final long seed, final int warmUp)
        {
            commands = new RandomCommands(seed, reference, MAX_INSTRUMENTS, 300);
            final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
            for (int i = 0; i < warmUp; i++)
            {
                final int length = commands.next(command);
                engine.onCommand(command, 0, length);
                reference.onCommand(command, 0, length);
            }
            assertFalse(engine.isHalted());
        }

        @Override
        public boolean onEntry(final DirectBuffer buffer, final int offset, final int length)
        {
            entry = new byte[length];
            buffer.getBytes(offset, entry);
            entries++;
            return true;
        }

        /** Sends one case and checks every boundary rule; returns the entry's check. */
        EntryCheck send(final String what, final UnsafeBuffer command, final int length)
        {
            final long sequence = state.lastSequence();
            final byte[] before = lastStateBytes == null ? stateBytes() : lastStateBytes;
            final int entriesBefore = entries;
            try
            {
                // the sequencer shows a command ahead of its turn: that read must change nothing either
                engine.prefetch(command, 0, length);
                engine.onCommand(command, 0, length);
            }
            catch (final Throwable t)
            {
                throw new AssertionError(what + ": engine threw on " + describe(command, length), t);
            }
            assertFalse(engine.isHalted(), () -> what + ": engine halted (" + engine.haltReason() + ") on " + describe(command, length));
            assertEquals(entriesBefore + 1, entries, () -> what + ": not exactly one entry for " + describe(command, length));
            final byte[] expected = reference.onCommand(command, 0, length);

            check.reset();
            final UnsafeBuffer view = new UnsafeBuffer(entry);
            assertEquals(JournalEntryReader.OK, reader.read(view, 0, entry.length, check),
                () -> what + ": malformed entry for " + describe(command, length));
            assertEquals(sequence + 1, reader.header().sequence(), what + ": sequence");
            assertTrue(check.events >= 1, () -> what + ": no event for " + describe(command, length));
            assertFalse(check.rejectWithoutReason, () -> what + ": reject without a reason for " + describe(command, length));
            lastStateBytes = stateBytes();
            if (!check.changesState)
            {
                assertArrayEquals(before, lastStateBytes, () -> what + ": state changed by " + render(entry) + " for " + describe(command, length));
            }
            if (!Arrays.equals(expected, entry))
            {
                fail(what + ": engine and reference differ for " + describe(command, length) + "\n--- engine\n" + render(entry) +
                    "--- reference\n" + render(expected));
            }
            return check;
        }

        /** Ends the day (checked like any case): keeps the ClOrdID set, and so each snapshot, small. */
        void endDay()
        {
            send("end of day", endOfDay, new CommandWriter().endOfDay(endOfDay, 0, 1, 0));
        }

        byte[] stateBytes()
        {
            snapshot.reset();
            EngineSnapshot.write(state, snapshot);
            return snapshot.stateBytes();
        }
    }

    /** Snapshot bytes into one reused buffer (a fresh 64 KiB buffer per case would dominate the run). */
    private static final class SnapshotBytes implements StateOutput
    {
        private final org.agrona.ExpandableArrayBuffer buffer = new org.agrona.ExpandableArrayBuffer(1 << 16);
        private int position;

        void reset()
        {
            position = 0;
        }

        /** The bytes after the per-command counters (sequence and timestamp move on every command). */
        byte[] stateBytes()
        {
            final byte[] bytes = new byte[position - SNAPSHOT_COUNTERS];
            buffer.getBytes(SNAPSHOT_COUNTERS, bytes);
            return bytes;
        }

        @Override
        public void putLong(final long value)
        {
            buffer.putLong(position, value);
            position += Long.BYTES;
        }

        @Override
        public void putInt(final int value)
        {
            buffer.putInt(position, value);
            position += Integer.BYTES;
        }

        @Override
        public void putByte(final byte value)
        {
            buffer.putByte(position, value);
            position++;
        }
    }

    /** Classifies an entry: does it carry a state change, and does every reject name a reason? */
    private static final class EntryCheck implements JournalEventListener
    {
        int events;
        boolean changesState;
        boolean rejectWithoutReason;
        RejectReason commandRejectReason;
        CommandType commandType;

        void reset()
        {
            events = 0;
            changesState = false;
            rejectWithoutReason = false;
            commandRejectReason = null;
            commandType = null;
        }

        @Override
        public void onEntryStart(final EntryHeaderDecoder h)
        {
            commandType = h.commandType();
        }

        @Override
        public void onOrderAccepted(final EntryHeaderDecoder h, final OrderAcceptedDecoder e)
        {
            events++;
            changesState = true;
        }

        @Override
        public void onOrderRejected(final EntryHeaderDecoder h, final OrderRejectedDecoder e)
        {
            events++;
            rejectWithoutReason |= e.reason() == RejectReason.NONE || e.reason() == RejectReason.NULL_VAL;
        }

        @Override
        public void onTrade(final EntryHeaderDecoder h, final TradeDecoder e)
        {
            events++;
            changesState = true;
        }

        @Override
        public void onOrderCanceled(final EntryHeaderDecoder h, final OrderCanceledDecoder e)
        {
            events++;
            changesState = true;
        }

        @Override
        public void onOrderReplaced(final EntryHeaderDecoder h, final OrderReplacedDecoder e)
        {
            events++;
            changesState = true;
        }

        @Override
        public void onCancelRejected(final EntryHeaderDecoder h, final CancelRejectedDecoder e)
        {
            events++;
            rejectWithoutReason |= e.reason() == RejectReason.NONE || e.reason() == RejectReason.NULL_VAL;
        }

        @Override
        public void onMassCancelDone(final EntryHeaderDecoder h, final MassCancelDoneDecoder e)
        {
            events++;
            // carried out (even with nothing to cancel) it records its ClOrdID
            changesState |= e.rejectReason() == RejectReason.NONE;
        }

        @Override
        public void onOrderStatusReport(final EntryHeaderDecoder h, final OrderStatusReportDecoder e)
        {
            events++;
        }

        @Override
        public void onCommandRejected(final EntryHeaderDecoder h, final CommandRejectedDecoder e)
        {
            events++;
            commandRejectReason = e.reason();
            rejectWithoutReason |= e.reason() == RejectReason.NONE || e.reason() == RejectReason.NULL_VAL;
        }

        @Override
        public void onAuditRecorded(final EntryHeaderDecoder h, final AuditRecordedDecoder e)
        {
            events++;
        }

        @Override
        public void onInstrumentAdded(final EntryHeaderDecoder h, final InstrumentAddedDecoder e)
        {
            events++;
            changesState = true;
        }

        @Override
        public void onTradingStatusChanged(final EntryHeaderDecoder h, final TradingStatusChangedDecoder e)
        {
            events++;
            changesState = true;
        }

        @Override
        public void onReferencePriceChanged(final EntryHeaderDecoder h, final ReferencePriceChangedDecoder e)
        {
            events++;
            changesState = true;
        }

        @Override
        public void onInstrumentAmended(final EntryHeaderDecoder h, final InstrumentAmendedDecoder e)
        {
            events++;
            changesState = true;
        }

        @Override
        public void onAccountCreated(final EntryHeaderDecoder h, final AccountCreatedDecoder e)
        {
            events++;
            changesState = true;
        }

        @Override
        public void onBalanceChanged(final EntryHeaderDecoder h, final BalanceChangedDecoder e)
        {
            events++;
            changesState = true;
        }

        @Override
        public void onDayEnded(final EntryHeaderDecoder h, final DayEndedDecoder e)
        {
            events++;
            changesState = true;
        }

        @Override
        public void onOrderRested(final EntryHeaderDecoder h, final OrderRestedDecoder e)
        {
            events++;
            changesState = true;
        }

        @Override
        public void onOrderElected(final EntryHeaderDecoder h, final OrderElectedDecoder e)
        {
            events++;
            changesState = true;
        }

        @Override
        public void onTradingPhaseChanged(final EntryHeaderDecoder h, final TradingPhaseChangedDecoder e)
        {
            events++;
            changesState = true;
        }

        @Override
        public void onAuctionIndication(final EntryHeaderDecoder h, final AuctionIndicationDecoder e)
        {
            events++;
            changesState = true;
        }

        @Override
        public void onAuctionUncrossed(final EntryHeaderDecoder h, final AuctionUncrossedDecoder e)
        {
            events++;
            changesState = true;
        }

        @Override
        public void onVolatilityGuardsChanged(final EntryHeaderDecoder h, final VolatilityGuardsChangedDecoder e)
        {
            events++;
            changesState = true;
        }

        @Override
        public void onOrdersExpired(final EntryHeaderDecoder h, final OrdersExpiredDecoder e)
        {
            // what expired is in the cancels before it; the event itself changes nothing a snapshot holds
            events++;
        }

        @Override
        public void onUnknownEvent(final EntryHeaderDecoder h, final int templateId, final int version)
        {
            events++;
            changesState = true;
        }
    }

    private static String describe(final UnsafeBuffer command, final int length)
    {
        final StringBuilder hex = new StringBuilder();
        for (int i = 0; i < length; i++)
        {
            hex.append(String.format("%02x", command.getByte(i)));
        }
        return CommandText.describe(command, 0, length) + " bytes=" + hex;
    }

    private static String render(final byte[] entry)
    {
        final EventText text = new EventText();
        final StringBuilder sb = new StringBuilder();
        final java.util.List<String> events = text.events(new UnsafeBuffer(entry), 0, entry.length);
        sb.append(text.header()).append('\n');
        for (final String e : events)
        {
            sb.append("  ").append(e).append('\n');
        }
        return sb.toString();
    }

    private static void putHeader(
        final UnsafeBuffer buffer, final int blockLength, final int templateId, final int schemaId, final int version)
    {
        new MessageHeaderEncoder().wrap(buffer, 0).blockLength(blockLength).templateId(templateId).schemaId(schemaId).version(version);
    }

    // ------------------------------------------------------------------ cases

    @Test
    void randomBytesAreMalformedCommands()
    {
        final Fixture f = new Fixture(SEED_OFFSET + 101, 500);
        final Random random = new Random(101);
        final UnsafeBuffer command = new UnsafeBuffer(new byte[256]);
        for (int i = 0; i < CASES / 5; i++)
        {
            final int length = 1 + random.nextInt(200);
            for (int b = 0; b < length; b++)
            {
                command.putByte(b, (byte)random.nextInt(256));
            }
            final EntryCheck check = f.send("random bytes #" + i, command, length);
            // UNSUPPORTED_COMMAND when the random header happens to carry our schema id and a block that fits
            assertTrue(check.commandRejectReason == RejectReason.MALFORMED_COMMAND ||
                check.commandRejectReason == RejectReason.UNSUPPORTED_COMMAND, "reason " + check.commandRejectReason);
            assertEquals(CommandType.UNKNOWN, check.commandType);
        }
    }

    @Test
    void headersOutsideTheSchemaAreRefusedWithASpecificReason()
    {
        final Fixture f = new Fixture(SEED_OFFSET + 102, 500);
        final UnsafeBuffer command = new UnsafeBuffer(new byte[256]);
        // a template id of our schema that is not a command: UNSUPPORTED_COMMAND
        for (final int templateId : new int[]{0, 6, 9, 16, 19, 24, 29, 32, 39, 41, 99, 100, 101, 130, 199, 200, 255, 65_535})
        {
            putHeader(command, 64, templateId, MessageHeaderEncoder.SCHEMA_ID, 1);
            final EntryCheck check = f.send("template " + templateId, command, HEADER + 64);
            assertEquals(RejectReason.UNSUPPORTED_COMMAND, check.commandRejectReason, "template " + templateId);
        }
        // another schema: MALFORMED_COMMAND
        for (final int schemaId : new int[]{0, 1, 7000, 7002, 65_535})
        {
            putHeader(command, NewOrderEncoder.BLOCK_LENGTH, NewOrderEncoder.TEMPLATE_ID, schemaId, 1);
            final EntryCheck check = f.send("schema " + schemaId, command, HEADER + NewOrderEncoder.BLOCK_LENGTH);
            assertEquals(RejectReason.MALFORMED_COMMAND, check.commandRejectReason, "schema " + schemaId);
        }
        // every command truncated at every length, and with a block length shorter than its template's
        final CommandWriter writer = new CommandWriter();
        final int[] templates = {1, 2, 3, 4, 5, 10, 11, 12, 20, 21, 22, 30, 40};
        for (final int templateId : templates)
        {
            final int block = blockLength(templateId);
            for (int length = 1; length < HEADER + block; length++)
            {
                writer.newOrder(command, 0, 1, 1, 1, 1, Side.BUY, OrdType.LIMIT, TimeInForce.DAY, false, StpMode.NONE, 10_000, 1, "T1");
                putHeader(command, block, templateId, MessageHeaderEncoder.SCHEMA_ID, 1);
                final EntryCheck check = f.send("template " + templateId + " truncated to " + length, command, length);
                assertEquals(RejectReason.MALFORMED_COMMAND, check.commandRejectReason);
            }
            // an Audit's or a MassCancel's block may end before its later versions' fields
            final int minimum = templateId == AuditEncoder.TEMPLATE_ID ? AuditEncoder.instrumentIdEncodingOffset()
                : templateId == MassCancelEncoder.TEMPLATE_ID ? MassCancelEncoder.upToOrderIdEncodingOffset() : block;
            for (int shorter = 0; shorter < minimum; shorter += 1 + shorter / 4)
            {
                putHeader(command, shorter, templateId, MessageHeaderEncoder.SCHEMA_ID, 1);
                final EntryCheck check = f.send("template " + templateId + " block " + shorter, command, HEADER + block);
                assertEquals(RejectReason.MALFORMED_COMMAND, check.commandRejectReason);
            }
            // a block length beyond the bytes sent
            putHeader(command, block + 1, templateId, MessageHeaderEncoder.SCHEMA_ID, 1);
            assertEquals(RejectReason.MALFORMED_COMMAND, f.send("template " + templateId + " block past the end", command,
                HEADER + block).commandRejectReason);
        }
    }

    private static int blockLength(final int templateId)
    {
        switch (templateId)
        {
            case 1: return NewOrderEncoder.BLOCK_LENGTH;
            case 2: return CancelOrderEncoder.BLOCK_LENGTH;
            case 3: return ReplaceOrderEncoder.BLOCK_LENGTH;
            case 4: return MassCancelEncoder.BLOCK_LENGTH;
            case 5: return OrderStatusRequestEncoder.BLOCK_LENGTH;
            case 10: return AddInstrumentEncoder.BLOCK_LENGTH;
            case 11: return SetTradingStatusEncoder.BLOCK_LENGTH;
            case 12: return SetReferencePriceEncoder.BLOCK_LENGTH;
            case 15: return AmendInstrumentEncoder.BLOCK_LENGTH;
            case 20: return CreateAccountEncoder.BLOCK_LENGTH;
            case 21: return DepositEncoder.BLOCK_LENGTH;
            case 22: return WithdrawEncoder.BLOCK_LENGTH;
            case 30: return EndOfDayEncoder.BLOCK_LENGTH;
            default: return AuditEncoder.BLOCK_LENGTH;
        }
    }

    /**
     * Realistic commands from the random stream, most of them then damaged: header fields,
     * truncation, or one to three fields overwritten with extreme values. Valid ones keep the
     * book moving so the damaged ones meet live orders, funds and positions.
     */
    @Test
    void damagedCommandsAreRejectedWithAReasonAndChangeNothing()
    {
        final Fixture f = new Fixture(SEED_OFFSET + 103, 2_000);
        final Random random = new Random(103);
        final UnsafeBuffer command = new UnsafeBuffer(new byte[256]);
        int rejected = 0;
        for (int i = 0; i < CASES; i++)
        {
            int length = f.commands.next(command);
            final int k = random.nextInt(100);
            final int blockLength = command.getShort(0) & 0xFFFF;
            if (k < 10)
            {
                // header damage
                final int field = random.nextInt(4);
                final int value = random.nextBoolean() ? INTS[random.nextInt(INTS.length)] & 0xFFFF : random.nextInt(65_536);
                command.putShort(field * 2, (short)value);
            }
            else if (k < 15)
            {
                length = random.nextInt(length);
            }
            else if (k < 20)
            {
                // a longer block (a newer version's extension) with the extra bytes present
                final int extra = 1 + random.nextInt(16);
                for (int b = 0; b < extra; b++)
                {
                    command.putByte(length + b, (byte)random.nextInt(256));
                }
                command.putShort(0, (short)(blockLength + extra));
                command.putShort(6, (short)(random.nextBoolean() ? 2 : 1));
                length += extra;
            }
            else if (k < 90)
            {
                final int fields = 1 + random.nextInt(3);
                for (int n = 0; n < fields; n++)
                {
                    final int width = new int[]{1, 1, 4, 8}[random.nextInt(4)];
                    final int offset = HEADER + 12 + random.nextInt(Math.max(1, blockLength - 12 - width + 1));
                    if (width == 8)
                    {
                        command.putLong(offset, LONGS[random.nextInt(LONGS.length)]);
                    }
                    else if (width == 4)
                    {
                        command.putInt(offset, INTS[random.nextInt(INTS.length)]);
                    }
                    else
                    {
                        command.putByte(offset, (byte)(random.nextBoolean() ? INTS[random.nextInt(INTS.length)] : random.nextInt(256)));
                    }
                }
            }
            if (i % 1_000 == 0)
            {
                f.endDay();
            }
            if (length == 0)
            {
                continue; // a zero-length slot is a documented no-op
            }
            if (!f.send("case " + i, command, length).changesState)
            {
                rejected++;
            }
        }
        assertTrue(rejected > CASES / 2, "most damaged commands are refused: " + rejected);
    }
}
