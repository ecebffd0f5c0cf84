package dev.bourse.readmodels;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An account's open orders keep acceptance order through removals at either end and in the middle, in rows that are reused. */
class OpenOrdersTest
{
    /** Two rows per chunk: the orders span chunks, and freed rows are reused. */
    private final RowStore rows = new RowStore(OrderRecord.ROW_BYTES, 2);

    @Test
    void ordersStayInAcceptanceOrderWhateverIsRemoved()
    {
        final OpenOrders open = new OpenOrders(rows);
        final List<OrderRecord> orders = new ArrayList<>();
        for (int id = 1; id <= 6; id++)
        {
            final OrderRecord order = order(id);
            orders.add(order);
            open.add(order);
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), ids(open));

        assertTrue(open.remove(orders.get(2)));
        assertTrue(open.remove(orders.get(0)));
        assertTrue(open.remove(orders.get(5)));
        assertEquals(List.of(2L, 4L, 5L), ids(open));
        assertEquals(3, open.size());

        assertFalse(open.remove(orders.get(0)), "an order already closed is not removed twice");
        assertFalse(new OpenOrders(rows).remove(orders.get(1)), "nor from a list it is not in");
        assertEquals(List.of(2L, 4L, 5L), ids(open));

        final OrderRecord seventh = order(7);
        open.add(seventh);
        assertEquals(List.of(2L, 4L, 5L, 7L), ids(open));
        assertThrows(IllegalStateException.class, () -> open.add(seventh));

        for (final OrderRecord order : List.copyOf(orders))
        {
            open.remove(order);
        }
        open.remove(seventh);
        assertTrue(open.isEmpty());
        assertEquals(List.of(), ids(open));
        open.add(orders.get(3));
        assertEquals(List.of(4L), ids(open), "a closed order's links are cleared, so the list starts afresh");
    }

    @Test
    void aFreedRowIsReusedZeroedAndTheListsAroundItKeepTheirOrder()
    {
        final OpenOrders first = new OpenOrders(rows);
        final OpenOrders second = new OpenOrders(rows);
        final OrderRecord a = order(1);
        final OrderRecord b = order(2);
        final OrderRecord c = order(3);
        first.add(a);
        second.add(b);
        first.add(c);
        final int freedRow = b.row();
        assertTrue(second.remove(b));
        rows.free(freedRow);
        final OrderRecord d = order(4);
        assertEquals(freedRow, d.row(), "the freed row holds the next order");
        assertEquals(0, d.cumQty());
        assertEquals("", d.clOrdId());
        first.add(d);
        assertEquals(List.of(1L, 3L, 4L), ids(first));
        assertEquals(List.of(), ids(second));
        assertFalse(second.remove(d), "an order is only ever removed from the list it is in");
    }

    @Test
    void clOrdIdsAreKeptAsBytesAndReplacesMoveThemToOrig()
    {
        final OrderRecord order = order(9);
        assertEquals("", order.clOrdId());
        assertEquals(null, order.origClOrdId());
        order.clOrdId("ABCDEFGHIJKLMNOPQRST"); // the journal's 20 bytes, all used
        assertEquals("ABCDEFGHIJKLMNOPQRST", order.clOrdId());
        order.clOrdIdBecomesOrig();
        order.clOrdId("x");
        assertEquals("x", order.clOrdId());
        assertEquals("ABCDEFGHIJKLMNOPQRST", order.origClOrdId());
        final org.agrona.concurrent.UnsafeBuffer out = new org.agrona.concurrent.UnsafeBuffer(new byte[24]);
        order.putOrigClOrdId(out, 0);
        assertEquals(20, out.getByte(0));
        assertEquals("ABCDEFGHIJKLMNOPQRST", out.getStringWithoutLengthAscii(1, 20));
    }

    private OrderRecord order(final long id)
    {
        final OrderRecord order = new OrderRecord().wrap(rows, rows.allocate());
        order.init(id, 1, 1, 1, (byte)1, (byte)2, (byte)0, false, (byte)0, id, id);
        return order;
    }

    private static List<Long> ids(final OpenOrders open)
    {
        final List<Long> ids = new ArrayList<>();
        for (final OrderRecord order : open)
        {
            ids.add(order.orderId());
        }
        return ids;
    }
}
