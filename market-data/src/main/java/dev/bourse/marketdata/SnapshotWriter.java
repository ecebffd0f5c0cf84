package dev.bourse.marketdata;

import dev.bourse.protocol.md.sbe.*;

/**
 * Stages snapshot-stream messages: a cycle's start and each instrument's whole book, split into
 * parts that each fill at most one fragment. A book is staged in one go, so all its parts
 * describe the same point of the incremental stream.
 */
final class SnapshotWriter
{
    private static final int ORDER_ENTRY_LENGTH = BookSnapshotEncoder.OrdersEncoder.sbeBlockLength();

    private final FragmentBatch batch;
    private final SnapshotStartEncoder start = new SnapshotStartEncoder();
    private final BookSnapshotEncoder snapshot = new BookSnapshotEncoder();
    private final int ordersPerPart;

    SnapshotWriter(final FragmentBatch batch)
    {
        this.batch = batch;
        final int fixed = MessageHeaderEncoder.ENCODED_LENGTH + BookSnapshotEncoder.BLOCK_LENGTH +
            BookSnapshotEncoder.OrdersEncoder.sbeHeaderSize();
        this.ordersPerPart = Math.min(65_535, (batch.maxPayload() - fixed) / ORDER_ENTRY_LENGTH);
        if (ordersPerPart < 1)
        {
            throw new IllegalArgumentException("snapshot payload too small: " + batch.maxPayload());
        }
    }

    int ordersPerPart()
    {
        return ordersPerPart;
    }

    void start(final long cycle, final int instrumentCount, final long incrementalSequence, final long timestamp)
    {
        final int offset = batch.reserve(MessageHeaderEncoder.ENCODED_LENGTH + SnapshotStartEncoder.BLOCK_LENGTH);
        start.wrapAndApplyHeader(batch.buffer, offset, batch.header)
            .sequence(batch.takeSequence())
            .timestamp(timestamp)
            .cycle(cycle)
            .instrumentCount(instrumentCount)
            .incrementalSequence(incrementalSequence);
        batch.closeFragment();
    }

    void book(final OrderBook book, final long cycle, final long incrementalSequence, final long timestamp)
    {
        final int orderCount = book.orderCount;
        final int partCount = Math.max(1, (orderCount + ordersPerPart - 1) / ordersPerPart);
        BookSideLevels side = book.bids;
        int rank = 0;
        BookOrder order = side.size() > 0 ? side.level(0).head : null;
        for (int part = 0; part < partCount; part++)
        {
            final int inPart = Math.min(ordersPerPart, orderCount - part * ordersPerPart);
            final int length = MessageHeaderEncoder.ENCODED_LENGTH + BookSnapshotEncoder.BLOCK_LENGTH +
                BookSnapshotEncoder.OrdersEncoder.sbeHeaderSize() + inPart * ORDER_ENTRY_LENGTH;
            final int offset = batch.reserve(length);
            snapshot.wrapAndApplyHeader(batch.buffer, offset, batch.header)
                .sequence(batch.takeSequence())
                .timestamp(timestamp)
                .cycle(cycle)
                .incrementalSequence(incrementalSequence)
                .instrumentId(book.instrumentId)
                .tickSize(book.tickSize)
                .lotSize(book.lotSize)
                .status(MdTradingStatus.get(book.status))
                .putSymbol(book.symbol, 0)
                .part(part)
                .partCount(partCount)
                .orderCount(orderCount)
                .phase(MdTradingPhase.get(book.phase))
                .indicativePrice(book.indicativePrice)
                .indicativeQty(book.indicativeQty)
                .imbalanceQty(book.imbalanceQty)
                .imbalanceSide(MdSide.get(book.imbalanceSide));
            final BookSnapshotEncoder.OrdersEncoder orders = snapshot.ordersCount(inPart);
            for (int i = 0; i < inPart; i++)
            {
                while (order == null)
                {
                    rank++;
                    if (rank < side.size())
                    {
                        order = side.level(rank).head;
                    }
                    else if (side == book.bids)
                    {
                        side = book.asks;
                        rank = -1;
                    }
                    else
                    {
                        throw new IllegalStateException("book of instrument " + book.instrumentId + " has fewer orders than its count");
                    }
                }
                orders.next()
                    .orderId(order.orderId)
                    .side(MdSide.get(order.side))
                    .price(order.price)
                    .quantity(order.quantity);
                order = order.next;
            }
            batch.closeFragment();
        }
    }
}
