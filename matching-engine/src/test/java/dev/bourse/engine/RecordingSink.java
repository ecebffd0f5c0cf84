package dev.bourse.engine;

import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;

/** An in-memory journal for tests: keeps a copy of every entry. */
public final class RecordingSink implements EventSink
{
    private final List<byte[]> entries = new ArrayList<>();
    private boolean failNext;

    @Override
    public boolean onEntry(final DirectBuffer buffer, final int offset, final int length)
    {
        if (failNext)
        {
            return false;
        }
        final byte[] copy = new byte[length];
        buffer.getBytes(offset, copy);
        entries.add(copy);
        return true;
    }

    public List<byte[]> entries()
    {
        return entries;
    }

    public byte[] last()
    {
        return entries.get(entries.size() - 1);
    }

    /** Makes every later append fail, as a full disk would. */
    public void failFromNowOn()
    {
        failNext = true;
    }
}
