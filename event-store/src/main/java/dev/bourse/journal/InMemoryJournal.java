package dev.bourse.journal;

import dev.bourse.engine.EventSink;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * A journal kept in memory: for tests and tools that need the journal's contract (one writer,
 * any number of tailers on other threads) without disk. Not for production: it copies each
 * entry and keeps everything. Positions are entry numbers from 0.
 */
public final class InMemoryJournal implements EventSink
{
    private final List<byte[]> entries = new ArrayList<>();
    private volatile boolean failing;

    @Override
    public boolean onEntry(final DirectBuffer buffer, final int offset, final int length)
    {
        if (failing)
        {
            return false;
        }
        final byte[] copy = new byte[length];
        buffer.getBytes(offset, copy);
        synchronized (entries)
        {
            entries.add(copy);
        }
        return true;
    }

    /** From now on every append fails, as on a full disk. */
    public void failAppends()
    {
        failing = true;
    }

    public int size()
    {
        synchronized (entries)
        {
            return entries.size();
        }
    }

    /** A tailer from the first entry. */
    public JournalTailer tailer()
    {
        return tailerAfter(-1);
    }

    /** A tailer that delivers entries after {@code position} (-1: from the start). */
    public JournalTailer tailerAfter(final long position)
    {
        return new Tailer(position);
    }

    /** A tailer that starts after the current last entry. */
    public JournalTailer tailerAtEnd()
    {
        return new Tailer(size() - 1L);
    }

    private final class Tailer implements JournalTailer
    {
        private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
        private long position;
        private long lastSequence;

        Tailer(final long position)
        {
            this.position = position;
        }

        @Override
        public int poll(final JournalHandler handler, final int limit)
        {
            int delivered = 0;
            while (delivered < limit)
            {
                final byte[] entry;
                synchronized (entries)
                {
                    if (position + 1 >= entries.size())
                    {
                        break;
                    }
                    entry = entries.get((int)(position + 1));
                }
                position++;
                view.wrap(entry);
                // sequence sits right after the 8-byte message header (EntryHeader's first field)
                lastSequence = view.getLong(8);
                handler.onEntry(position, view, 0, entry.length);
                delivered++;
            }
            return delivered;
        }

        /** Back to just after the entry of {@code afterSequence} (for tests: scans back, allocating a view). */
        @Override
        public boolean rewind(final long afterSequence)
        {
            if (afterSequence == lastSequence)
            {
                return true;
            }
            synchronized (entries)
            {
                for (long at = Math.min(position, entries.size() - 1L); at >= 0; at--)
                {
                    final long sequence = new UnsafeBuffer(entries.get((int)at)).getLong(8);
                    if (sequence == afterSequence)
                    {
                        position = at;
                        lastSequence = sequence;
                        return true;
                    }
                    if (sequence < afterSequence)
                    {
                        return false;
                    }
                }
            }
            return false;
        }

        @Override
        public long position()
        {
            return position;
        }

        @Override
        public long lastSequence()
        {
            return lastSequence;
        }

        @Override
        public void close()
        {
        }
    }
}
