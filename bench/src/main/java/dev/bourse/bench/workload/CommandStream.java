package dev.bourse.bench.workload;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The neutral command stream both our engine and the exchange-core peer replay. A little-endian
 * binary file: a 64-byte header, then fixed 32-byte records. Prices are in ticks (the peer uses
 * them as they are; our engine multiplies by {@link #TICK_SIZE}); quantities are whole units;
 * order ids are assigned by the generator and equal our engine's ids as long as every new order is
 * accepted, which the generator guarantees (funded accounts, prices inside the band).
 *
 * <pre>
 * header  0 magic "BRSCMD01"      8 int version (1)      12 int instruments   16 int accounts
 *        20 int restingTarget     24 long prefillCount   32 long timedCount   40 long seed
 *        48 int minPrice          52 int maxPrice        56 int referencePrice 60 int reserved
 * record  0 byte type (1 GTC, 2 IOC, 3 CANCEL, 4 MOVE)   1 byte side (0 buy, 1 sell)
 *         2 short reserved        4 int instrument (1..)   8 int account (1..)
 *        12 int quantity (new: order quantity; move: the order's unchanged total quantity; cancel: 0)
 *        16 long orderId (new: the id it gets; cancel/move: its target)
 *        24 long price (ticks; cancel: 0)
 * </pre>
 * Records 0..prefillCount-1 build the resting book and are not timed; the rest are the timed load.
 */
public final class CommandStream
{
    public static final long MAGIC = 0x3130444D43535242L; // "BRSCMD01" little-endian
    public static final int VERSION = 1;
    public static final int HEADER_LENGTH = 64;
    public static final int RECORD_LENGTH = 32;

    public static final byte GTC = 1;
    public static final byte IOC = 2;
    public static final byte CANCEL = 3;
    public static final byte MOVE = 4;
    public static final byte BUY = 0;
    public static final byte SELL = 1;

    /** Our engine's raw price per tick: 0.01 in {@code Prices.SCALE} units. */
    public static final long TICK_SIZE = 100;

    public final int instruments;
    public final int accounts;
    public final int restingTarget;
    public final long prefillCount;
    public final long timedCount;
    public final long seed;
    public final int minPrice;
    public final int maxPrice;
    public final int referencePrice;
    private final ByteBuffer records;

    private CommandStream(final ByteBuffer header, final ByteBuffer records)
    {
        if (header.getLong(0) != MAGIC || header.getInt(8) != VERSION)
        {
            throw new IllegalArgumentException("not a bench command stream (bad magic or version)");
        }
        instruments = header.getInt(12);
        accounts = header.getInt(16);
        restingTarget = header.getInt(20);
        prefillCount = header.getLong(24);
        timedCount = header.getLong(32);
        seed = header.getLong(40);
        minPrice = header.getInt(48);
        maxPrice = header.getInt(52);
        referencePrice = header.getInt(56);
        this.records = records.order(ByteOrder.LITTLE_ENDIAN);
        if ((long)records.capacity() != (prefillCount + timedCount) * RECORD_LENGTH)
        {
            throw new IllegalArgumentException("stream length does not match its header");
        }
    }

    /** Maps a stream file read-only. */
    public static CommandStream open(final Path file) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final long size = channel.size();
            if (size < HEADER_LENGTH || size - HEADER_LENGTH > Integer.MAX_VALUE)
            {
                throw new IllegalArgumentException("bad stream file size " + size + ": " + file);
            }
            final ByteBuffer header = channel.map(FileChannel.MapMode.READ_ONLY, 0, HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            final ByteBuffer records = channel.map(FileChannel.MapMode.READ_ONLY, HEADER_LENGTH, size - HEADER_LENGTH);
            return new CommandStream(header, records);
        }
    }

    /** Wraps an in-memory stream (header + records). */
    public static CommandStream wrap(final ByteBuffer whole)
    {
        final ByteBuffer header = whole.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        final ByteBuffer records = whole.duplicate().position(HEADER_LENGTH).slice();
        return new CommandStream(header, records);
    }

    public long count()
    {
        return prefillCount + timedCount;
    }

    public byte type(final long index)
    {
        return records.get(at(index));
    }

    public byte side(final long index)
    {
        return records.get(at(index) + 1);
    }

    public int instrument(final long index)
    {
        return records.getInt(at(index) + 4);
    }

    public int account(final long index)
    {
        return records.getInt(at(index) + 8);
    }

    public int quantity(final long index)
    {
        return records.getInt(at(index) + 12);
    }

    public long orderId(final long index)
    {
        return records.getLong(at(index) + 16);
    }

    public long price(final long index)
    {
        return records.getLong(at(index) + 24);
    }

    private static int at(final long index)
    {
        return (int)(index * RECORD_LENGTH);
    }

    /** Appends records to a buffer and writes the header last, once the counts are known. */
    public static final class Writer
    {
        private ByteBuffer buffer = ByteBuffer.allocate(HEADER_LENGTH + RECORD_LENGTH * 1024).order(ByteOrder.LITTLE_ENDIAN);
        private long count;

        public void add(
            final byte type, final byte side, final int instrument, final int account, final int quantity,
            final long orderId, final long price)
        {
            if (buffer.remaining() < RECORD_LENGTH)
            {
                final long grown = Math.min((long)buffer.capacity() * 2, Integer.MAX_VALUE - 8);
                if (grown - buffer.capacity() < RECORD_LENGTH)
                {
                    throw new IllegalStateException("stream too large for one buffer");
                }
                final ByteBuffer bigger = ByteBuffer.allocate((int)grown).order(ByteOrder.LITTLE_ENDIAN);
                buffer.flip();
                bigger.put(buffer);
                buffer = bigger;
            }
            if (count == 0)
            {
                buffer.position(HEADER_LENGTH);
            }
            buffer.put(type).put(side).putShort((short)0).putInt(instrument).putInt(account).putInt(quantity)
                .putLong(orderId).putLong(price);
            count++;
        }

        public long count()
        {
            return count;
        }

        /** The finished stream: header followed by the records. */
        public ByteBuffer finish(
            final int instruments, final int accounts, final int restingTarget, final long prefillCount, final long seed,
            final int minPrice, final int maxPrice, final int referencePrice)
        {
            if (count == 0)
            {
                buffer.position(HEADER_LENGTH);
            }
            final ByteBuffer whole = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            whole.flip();
            whole.putLong(0, MAGIC).putInt(8, VERSION).putInt(12, instruments).putInt(16, accounts)
                .putInt(20, restingTarget).putLong(24, prefillCount).putLong(32, count - prefillCount).putLong(40, seed)
                .putInt(48, minPrice).putInt(52, maxPrice).putInt(56, referencePrice).putInt(60, 0);
            return whole;
        }
    }

    /** Writes a finished stream to a file. */
    public static void write(final ByteBuffer whole, final Path file) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING))
        {
            final ByteBuffer source = whole.duplicate();
            while (source.hasRemaining())
            {
                channel.write(source);
            }
        }
    }
}
