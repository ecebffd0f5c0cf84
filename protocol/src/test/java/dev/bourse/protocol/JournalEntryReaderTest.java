package dev.bourse.protocol;

import dev.bourse.protocol.sbe.*;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reader is the boundary every journal consumer reads external bytes through: it must refuse, never overrun. */
class JournalEntryReaderTest
{
    private final JournalEntryReader reader = new JournalEntryReader();

    @Test
    void walksAWellFormedEntryEventByEvent()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final int length = sampleEntry(buffer);
        final List<String> seen = new ArrayList<>();
        final int status = reader.read(buffer, 0, length, new JournalEventListener()
        {
            public void onEntryStart(final EntryHeaderDecoder header)
            {
                seen.add("start " + header.sequence());
            }

            public void onOrderAccepted(final EntryHeaderDecoder header, final OrderAcceptedDecoder event)
            {
                seen.add("accepted " + event.orderId());
            }

            public void onTrade(final EntryHeaderDecoder header, final TradeDecoder event)
            {
                seen.add("trade " + event.tradeId() + " " + event.quantity());
            }

            public void onEntryEnd(final EntryHeaderDecoder header)
            {
                seen.add("end");
            }
        });
        assertEquals(JournalEntryReader.OK, status);
        assertEquals(List.of("start 42", "accepted 7", "trade 9 5", "end"), seen);
    }

    @Test
    void refusesTruncatedForeignAndMiscountedEntriesWithoutCallingTheListener()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final int length = sampleEntry(buffer);
        final JournalEventListener failing = new JournalEventListener()
        {
            public void onEntryStart(final EntryHeaderDecoder header)
            {
                throw new AssertionError("listener called for a malformed entry");
            }
        };
        for (int cut = 0; cut < length; cut++)
        {
            assertTrue(reader.read(buffer, 0, cut, failing) != JournalEntryReader.OK, "cut at " + cut);
        }
        assertEquals(JournalEntryReader.TRUNCATED, reader.read(buffer, 0, 3, failing));

        final UnsafeBuffer foreign = new UnsafeBuffer(new byte[512]);
        foreign.putBytes(0, buffer, 0, length);
        foreign.putShort(4, (short)999);
        assertEquals(JournalEntryReader.WRONG_SCHEMA, reader.read(foreign, 0, length, failing));

        foreign.putBytes(0, buffer, 0, length);
        foreign.putShort(2, (short)OrderAcceptedDecoder.TEMPLATE_ID);
        assertEquals(JournalEntryReader.NOT_AN_ENTRY, reader.read(foreign, 0, length, failing));

        foreign.putBytes(0, buffer, 0, length);
        new EntryHeaderEncoder().wrap(foreign, MessageHeaderEncoder.ENCODED_LENGTH).eventCount(1);
        assertEquals(JournalEntryReader.BAD_EVENT_COUNT, reader.read(foreign, 0, length, failing));
        new EntryHeaderEncoder().wrap(foreign, MessageHeaderEncoder.ENCODED_LENGTH).eventCount(-1);
        assertEquals(JournalEntryReader.BAD_EVENT_COUNT, reader.read(foreign, 0, length, failing));
    }

    @Test
    void randomMutationsOfEntriesNeverThrowOrReadPastTheEnd()
    {
        final SplittableRandom random = new SplittableRandom(2026);
        final UnsafeBuffer original = new UnsafeBuffer(new byte[512]);
        final int length = sampleEntry(original);
        final byte[] bytes = new byte[1024];
        final UnsafeBuffer mutated = new UnsafeBuffer(bytes);
        final ReadEveryField listener = new ReadEveryField();
        int accepted = 0;
        for (int i = 0; i < 300_000; i++)
        {
            java.util.Arrays.fill(bytes, (byte)0);
            mutated.putBytes(0, original, 0, length);
            int mutatedLength = length;
            final int mutations = 1 + random.nextInt(4);
            for (int m = 0; m < mutations; m++)
            {
                if (mutatedLength < 2)
                {
                    break;
                }
                switch (random.nextInt(5))
                {
                    case 0 -> bytes[random.nextInt(mutatedLength)] ^= (byte)(1 << random.nextInt(8));
                    case 1 -> bytes[random.nextInt(mutatedLength)] = (byte)random.nextInt(256);
                    case 2 -> mutatedLength = random.nextInt(mutatedLength + 1);
                    case 3 -> mutatedLength = Math.min(bytes.length, mutatedLength + random.nextInt(64));
                    default -> mutated.putShort(random.nextInt(Math.max(1, mutatedLength - 1)), (short)random.nextInt(65_536));
                }
            }
            // Random garbage is placed only inside [0, mutatedLength): the reader must stay inside it too,
            // which the slice buffer enforces by throwing on any access beyond its capacity.
            final UnsafeBuffer slice = new UnsafeBuffer(bytes, 0, mutatedLength);
            if (reader.read(slice, 0, mutatedLength, listener) == JournalEntryReader.OK)
            {
                accepted++;
            }
        }
        assertTrue(accepted > 0, "some harmless mutations should still read");
        assertTrue(listener.events > 0);
    }

    @Test
    void randomBytesNeverThrow()
    {
        final SplittableRandom random = new SplittableRandom(99);
        final ReadEveryField listener = new ReadEveryField();
        for (int i = 0; i < 200_000; i++)
        {
            final byte[] bytes = new byte[random.nextInt(0, 200)];
            for (int j = 0; j < bytes.length; j++)
            {
                bytes[j] = (byte)random.nextInt(256);
            }
            if (bytes.length >= 8 && random.nextBoolean())
            {
                // Make it look like an entry so the walk gets past the header checks.
                final UnsafeBuffer b = new UnsafeBuffer(bytes);
                b.putShort(2, (short)EntryHeaderDecoder.TEMPLATE_ID);
                b.putShort(4, (short)EntryHeaderDecoder.SCHEMA_ID);
            }
            reader.read(new UnsafeBuffer(bytes), 0, bytes.length, listener);
        }
    }

    /** An entry: sequence 42 with an OrderAccepted and a Trade. */
    static int sampleEntry(final UnsafeBuffer buffer)
    {
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        int position = 0;
        final EntryHeaderEncoder entry = new EntryHeaderEncoder().wrapAndApplyHeader(buffer, position, header);
        entry.sequence(42).timestamp(1_000).sessionId(3).commandType(CommandType.NEW_ORDER).eventCount(2).msgSeqNum(0);
        position += MessageHeaderEncoder.ENCODED_LENGTH + entry.encodedLength();
        final OrderAcceptedEncoder accepted = new OrderAcceptedEncoder().wrapAndApplyHeader(buffer, position, header);
        accepted.orderId(7).accountId(1).instrumentId(1).sessionId(3).side(Side.BUY).ordType(OrdType.LIMIT)
            .timeInForce(TimeInForce.GTC).stpMode(StpMode.NONE).price(1_000_000).quantity(10).holdPrice(1_000_000);
        position += MessageHeaderEncoder.ENCODED_LENGTH + accepted.encodedLength();
        final TradeEncoder trade = new TradeEncoder().wrapAndApplyHeader(buffer, position, header);
        trade.tradeId(9).instrumentId(1).takerSide(Side.BUY).price(1_000_000).quantity(5);
        position += MessageHeaderEncoder.ENCODED_LENGTH + trade.encodedLength();
        return position;
    }

    /** Touches every field of every event, as a real consumer might. */
    private static final class ReadEveryField implements JournalEventListener
    {
        long events;

        public void onOrderAccepted(final EntryHeaderDecoder header, final OrderAcceptedDecoder event)
        {
            events += event.toString().length();
        }

        public void onTrade(final EntryHeaderDecoder header, final TradeDecoder event)
        {
            events += event.toString().length();
        }

        public void onOrderCanceled(final EntryHeaderDecoder header, final OrderCanceledDecoder event)
        {
            events += event.toString().length();
        }

        public void onOrderReplaced(final EntryHeaderDecoder header, final OrderReplacedDecoder event)
        {
            events += event.toString().length();
        }

        public void onOrderRejected(final EntryHeaderDecoder header, final OrderRejectedDecoder event)
        {
            events += event.toString().length();
        }

        public void onAuditRecorded(final EntryHeaderDecoder header, final AuditRecordedDecoder event)
        {
            events += event.toString().length();
        }

        public void onInstrumentAdded(final EntryHeaderDecoder header, final InstrumentAddedDecoder event)
        {
            events += event.toString().length();
        }

        public void onEntryEnd(final EntryHeaderDecoder header)
        {
            events += header.toString().length();
        }
    }
}
