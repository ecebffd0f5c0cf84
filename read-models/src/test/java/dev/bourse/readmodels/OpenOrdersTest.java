package dev.bourse.readmodels;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An account's open orders keep acceptance order through removals at either end and in the middle. */
class OpenOrdersTest
{
    @Test
    void ordersStayInAcceptanceOrderWhateverIsRemoved()
    {
        final OpenOrders open = new OpenOrders();
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
        assertFalse(new OpenOrders().remove(orders.get(1)), "nor from a list it is not in");
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

    private static OrderRecord order(final long id)
    {
        return new OrderRecord(id, 1, 1, 1, (byte)1, (byte)2, (byte)0, false, (byte)0, id, id);
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
