package dev.bourse.engine;

/** Free list of orders (engine thread only): after warm-up, placing an order allocates nothing. */
final class OrderPool
{
    private Order[] free;
    private int size;

    OrderPool(final int preallocate)
    {
        free = new Order[Math.max(16, preallocate)];
        for (int i = 0; i < preallocate; i++)
        {
            free[size++] = new Order();
        }
    }

    Order acquire()
    {
        if (size == 0)
        {
            return new Order();
        }
        final Order order = free[--size];
        free[size] = null;
        return order;
    }

    void release(final Order order)
    {
        order.reset();
        if (size == free.length)
        {
            final Order[] grown = new Order[free.length * 2];
            System.arraycopy(free, 0, grown, 0, size);
            free = grown;
        }
        free[size++] = order;
    }
}
