package dev.bourse.bench.cluster;

import dev.bourse.journal.ChronicleJournal;
import dev.bourse.journal.ChronicleTailer;
import dev.bourse.protocol.ClOrdIds;
import dev.bourse.protocol.JournalEntryReader;
import dev.bourse.protocol.JournalEventListener;
import dev.bourse.protocol.sbe.EntryHeaderDecoder;
import dev.bourse.protocol.sbe.OrderAcceptedDecoder;
import dev.bourse.protocol.sbe.OrderRejectedDecoder;
import dev.bourse.protocol.sbe.TradeDecoder;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;

import java.nio.file.Path;
import java.util.BitSet;
import java.util.zip.CRC32C;

/**
 * What one node's journal says about the orders of a {@link dev.bourse.bench.fixload.FixLoadClient}
 * (ClOrdID {@code x<id>}): how often each was accepted, and the journal's digest as
 * {@code journal verify} computes it (CRC32C over the entries' CRC32Cs). Used after a failover to
 * check that every order the client saw acknowledged is in every surviving journal, exactly once.
 */
public final class JournalOrders
{
    private final Long2LongHashMap acceptedById = new Long2LongHashMap(0);
    private String digest;
    private long entries;
    private long trades;

    private JournalOrders()
    {
    }

    /** Reads the whole journal in {@code journalDir} (read only; the node may be running). */
    public static JournalOrders read(final Path journalDir)
    {
        final JournalOrders orders = new JournalOrders();
        final JournalEntryReader reader = new JournalEntryReader();
        final CRC32C entryCrc = new CRC32C();
        final CRC32C digest = new CRC32C();
        final byte[] copy = new byte[1 << 16];
        final JournalEventListener accepted = new JournalEventListener()
        {
            @Override
            public void onOrderAccepted(final EntryHeaderDecoder header, final OrderAcceptedDecoder e)
            {
                final long id = loadId(e.buffer(), e.offset() + OrderAcceptedDecoder.clOrdIdEncodingOffset());
                if (id >= 0)
                {
                    orders.acceptedById.put(id, orders.acceptedById.get(id) + 1);
                }
            }

            @Override
            public void onOrderRejected(final EntryHeaderDecoder header, final OrderRejectedDecoder e)
            {
            }

            @Override
            public void onTrade(final EntryHeaderDecoder header, final TradeDecoder e)
            {
                orders.trades++;
            }
        };
        try (ChronicleJournal journal = ChronicleJournal.openForReading(journalDir); ChronicleTailer tailer = journal.tailerFromStart())
        {
            while (tailer.poll((position, buffer, offset, length) ->
            {
                final byte[] bytes = length <= copy.length ? copy : new byte[length];
                buffer.getBytes(offset, bytes, 0, length);
                entryCrc.reset();
                entryCrc.update(bytes, 0, length);
                final long crc = entryCrc.getValue();
                for (int i = 0; i < 4; i++)
                {
                    digest.update((int)(crc >>> (8 * i)) & 0xFF);
                }
                orders.entries++;
                reader.read(buffer, offset, length, accepted);
            }, 10_000) > 0)
            {
                // reading
            }
        }
        orders.digest = String.format("%08x", digest.getValue());
        return orders;
    }

    /** {@code x<digits>} as a number, -1 for any other ClOrdID. */
    private static long loadId(final DirectBuffer buffer, final int offset)
    {
        final int length = ClOrdIds.length(buffer, offset);
        if (length < 2 || buffer.getByte(offset) != 'x')
        {
            return -1;
        }
        long id = 0;
        for (int i = 1; i < length; i++)
        {
            final byte b = buffer.getByte(offset + i);
            if (b < '0' || b > '9')
            {
                return -1;
            }
            id = id * 10 + (b - '0');
        }
        return id;
    }

    /** Acknowledged orders (ids set in {@code acknowledged}) this journal does not hold. */
    public long missing(final BitSet acknowledged)
    {
        long missing = 0;
        for (int id = acknowledged.nextSetBit(0); id >= 0; id = acknowledged.nextSetBit(id + 1))
        {
            if (acceptedById.get(id) == 0)
            {
                missing++;
            }
        }
        return missing;
    }

    /** Orders accepted more than once. */
    public long duplicates()
    {
        long duplicates = 0;
        final Long2LongHashMap.ValueIterator counts = acceptedById.values().iterator();
        while (counts.hasNext())
        {
            if (counts.nextValue() > 1)
            {
                duplicates++;
            }
        }
        return duplicates;
    }

    public String digest()
    {
        return digest;
    }

    /** Trades the journal holds (each once, as the market-data feed's tape should show them). */
    public long trades()
    {
        return trades;
    }

    public long entries()
    {
        return entries;
    }
}
