package dev.bourse.gateway.store;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * MsgSeqNum -> an int the store chose (where the message is), for the numbers from {@link #low}
 * to the last one put; -1 for any other. Single-threaded; numbers are put in ascending order.
 * <p>
 * Held in pages of {@value #PAGE_NUMBERS} numbers off the heap (a heap array would be garbage on
 * the gateway thread), found through a ring of page references indexed by the page number's low
 * bits. So:
 * <ul>
 *   <li>growing never copies the numbers: it takes one more page (a ring that doubled and copied
 *       every entry stalled the gateway thread 50 ms at 2 million numbers); only the ring of
 *       references doubles, a few hundred references at that size;</li>
 *   <li>dropping the oldest numbers ({@link #dropBelow}) moves a bound and hands whole pages back
 *       to a spare stack for the next ones, so a store that rolls a segment of millions of
 *       messages rewrites nothing and, once warm, allocates nothing;</li>
 *   <li>a page no number was put in stays unallocated, so a jump in the numbers costs no memory.</li>
 * </ul>
 */
final class SequenceIndex implements AutoCloseable
{
    private static final int ABSENT = -1;
    private static final int PAGE_BITS = 12;
    static final int PAGE_NUMBERS = 1 << PAGE_BITS;
    private static final int PAGE_MASK = PAGE_NUMBERS - 1;
    private static final int PAGE_BYTES = PAGE_NUMBERS * Integer.BYTES;

    /** Page {@code p} is at {@code pages[p & pagesMask]} while {@code firstPage <= p <= high's page}; null where none was needed. */
    private UnsafeBuffer[] pages = new UnsafeBuffer[4];
    private int pagesMask = 3;
    private int firstPage;
    private UnsafeBuffer[] spares = new UnsafeBuffer[4];
    private int spareCount;
    private int pagesAllocated;
    /** The lowest number that may be present (0 while nothing was put since the last clear). */
    private int low;
    /** The highest number put (0 while none). */
    private int high;

    void clear()
    {
        if (high != 0)
        {
            releasePages(firstPage, high >>> PAGE_BITS);
        }
        low = 0;
        high = 0;
    }

    /** Forgets every number below {@code seq}. */
    void dropBelow(final int seq)
    {
        if (seq > high)
        {
            clear();
        }
        else if (seq > low)
        {
            low = seq;
            final int newFirstPage = seq >>> PAGE_BITS;
            if (newFirstPage > firstPage)
            {
                releasePages(firstPage, newFirstPage - 1);
                firstPage = newFirstPage;
            }
        }
    }

    /** Records {@code value} (not negative) for {@code seq}, which is above every number put before (else it is ignored). */
    void put(final int seq, final int value)
    {
        if (seq < 1 || (high != 0 && seq <= high))
        {
            return;
        }
        final int page = seq >>> PAGE_BITS;
        if (high == 0)
        {
            low = seq;
            firstPage = page;
        }
        if ((long)page - firstPage + 1 > pages.length)
        {
            growRing(page - firstPage + 1);
        }
        UnsafeBuffer entries = pages[page & pagesMask];
        if (entries == null)
        {
            entries = takePage();
            pages[page & pagesMask] = entries;
        }
        entries.putInt((seq & PAGE_MASK) * Integer.BYTES, value); // numbers skipped read as absent: a page starts all -1
        high = seq;
    }

    /** The value put for {@code seq}, or -1. */
    int get(final int seq)
    {
        if (high == 0 || seq < low || seq > high)
        {
            return ABSENT;
        }
        final UnsafeBuffer entries = pages[(seq >>> PAGE_BITS) & pagesMask];
        return entries == null ? ABSENT : entries.getInt((seq & PAGE_MASK) * Integer.BYTES);
    }

    /** Pages allocated so far (spares included): what the index holds off the heap, in pages. */
    int pagesAllocated()
    {
        return pagesAllocated;
    }

    private void growRing(final int needed)
    {
        int capacity = pages.length;
        while (capacity < needed)
        {
            capacity <<= 1;
        }
        final UnsafeBuffer[] grown = new UnsafeBuffer[capacity];
        if (high != 0)
        {
            for (int p = firstPage, last = high >>> PAGE_BITS; p <= last; p++)
            {
                grown[p & (capacity - 1)] = pages[p & pagesMask];
            }
        }
        pages = grown;
        pagesMask = capacity - 1;
    }

    private UnsafeBuffer takePage()
    {
        final UnsafeBuffer page;
        if (spareCount > 0)
        {
            page = spares[--spareCount];
            spares[spareCount] = null;
        }
        else
        {
            page = new UnsafeBuffer(ByteBuffer.allocateDirect(PAGE_BYTES));
            pagesAllocated++;
        }
        page.setMemory(0, PAGE_BYTES, (byte)0xFF);
        return page;
    }

    private void releasePages(final int from, final int to)
    {
        for (int p = from; p <= to; p++)
        {
            final UnsafeBuffer page = pages[p & pagesMask];
            if (page != null)
            {
                pages[p & pagesMask] = null;
                if (spareCount == spares.length)
                {
                    final UnsafeBuffer[] grown = new UnsafeBuffer[spares.length * 2];
                    System.arraycopy(spares, 0, grown, 0, spareCount);
                    spares = grown;
                }
                spares[spareCount++] = page;
            }
        }
    }

    @Override
    public void close()
    {
        clear();
        for (int i = 0; i < spareCount; i++)
        {
            BufferUtil.free(spares[i].byteBuffer());
            spares[i] = null;
        }
        spareCount = 0;
    }
}
