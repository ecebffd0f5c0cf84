package dev.bourse.peer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads the bench command stream (the layout is documented in bench's {@code CommandStream};
 * this module cannot depend on bench, whose classpath carries Disruptor 4).
 */
final class PeerStream
{
    static final long MAGIC = 0x3130444D43535242L;
    static final int HEADER_LENGTH = 64;
    static final int RECORD_LENGTH = 32;
    static final byte GTC = 1;
    static final byte IOC = 2;
    static final byte CANCEL = 3;
    static final byte MOVE = 4;
    static final byte BUY = 0;

    final int instruments;
    final int accounts;
    final long prefillCount;
    final long timedCount;
    final int maxPrice;
    private final ByteBuffer records;

    private PeerStream(final ByteBuffer header, final ByteBuffer records)
    {
        if (header.getLong(0) != MAGIC || header.getInt(8) != 1)
        {
            throw new IllegalArgumentException("not a bench command stream (bad magic or version)");
        }
        instruments = header.getInt(12);
        accounts = header.getInt(16);
        prefillCount = header.getLong(24);
        timedCount = header.getLong(32);
        maxPrice = header.getInt(52);
        this.records = records.order(ByteOrder.LITTLE_ENDIAN);
    }

    static PeerStream open(final Path file) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final long size = channel.size();
            final ByteBuffer header = channel.map(FileChannel.MapMode.READ_ONLY, 0, HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            return new PeerStream(header, channel.map(FileChannel.MapMode.READ_ONLY, HEADER_LENGTH, size - HEADER_LENGTH));
        }
    }

    byte type(final long i)
    {
        return records.get(at(i));
    }

    byte side(final long i)
    {
        return records.get(at(i) + 1);
    }

    int instrument(final long i)
    {
        return records.getInt(at(i) + 4);
    }

    int account(final long i)
    {
        return records.getInt(at(i) + 8);
    }

    int quantity(final long i)
    {
        return records.getInt(at(i) + 12);
    }

    long orderId(final long i)
    {
        return records.getLong(at(i) + 16);
    }

    long price(final long i)
    {
        return records.getLong(at(i) + 24);
    }

    private static int at(final long i)
    {
        return (int)(i * RECORD_LENGTH);
    }
}
