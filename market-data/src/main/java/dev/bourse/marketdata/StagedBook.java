package dev.bourse.marketdata;

import dev.bourse.protocol.md.sbe.BookSnapshotDecoder;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/** One instrument's snapshot being assembled from its parts; reused from cycle to cycle. */
final class StagedBook
{
    int instrumentId;
    int partCount;
    int nextPart;
    private long tickSize;
    private long lotSize;
    private byte status;
    private int version;
    private byte phase;
    private long indicativePrice;
    private long indicativeQty;
    private long imbalanceQty;
    private byte imbalanceSide;
    private final UnsafeBuffer symbolBuffer = new UnsafeBuffer(new byte[16]);
    private long incrementalSequence;
    private final LongArrayList orderIds = new LongArrayList();
    private final LongArrayList prices = new LongArrayList();
    private final LongArrayList quantities = new LongArrayList();
    private byte[] sides = new byte[64];

    void reset(final BookSnapshotDecoder s)
    {
        instrumentId = s.instrumentId();
        tickSize = s.tickSize();
        lotSize = s.lotSize();
        status = (byte)s.statusRaw();
        version = s.actingVersion();
        if (version >= 2)
        {
            phase = (byte)s.phaseRaw();
            indicativePrice = s.indicativePrice();
            indicativeQty = s.indicativeQty();
            imbalanceQty = s.imbalanceQty();
            imbalanceSide = (byte)s.imbalanceSideRaw();
        }
        symbolBuffer.putBytes(0, s.buffer(), s.offset() + BookSnapshotDecoder.symbolEncodingOffset(), 16);
        incrementalSequence = s.incrementalSequence();
        partCount = s.partCount();
        nextPart = 0;
        orderIds.clear();
        prices.clear();
        quantities.clear();
    }

    void add(final long orderId, final byte side, final long price, final long quantity)
    {
        final int index = orderIds.size();
        if (index == sides.length)
        {
            sides = Arrays.copyOf(sides, index * 2);
        }
        sides[index] = side;
        orderIds.addLong(orderId);
        prices.addLong(price);
        quantities.addLong(quantity);
    }

    /**
     * Defines this instrument in {@code books} as the snapshot shows it, orders in their queue order.
     *
     * @return false if an order did not fit (the snapshot contradicts itself).
     */
    boolean install(final OrderBooks books)
    {
        final OrderBook book = books.define(instrumentId, tickSize, lotSize, status);
        book.symbol(symbolBuffer, 0);
        if (version >= 2)
        {
            book.phase(phase);
            book.indication(indicativePrice, indicativeQty, imbalanceQty, imbalanceSide);
        }
        book.snapshotSequence = incrementalSequence;
        boolean consistent = true;
        for (int o = 0; o < orderIds.size(); o++)
        {
            consistent &= books.add(instrumentId, orderIds.getLong(o), sides[o], prices.getLong(o), quantities.getLong(o));
        }
        return consistent;
    }
}
