package dev.bourse.cluster.service;

import dev.bourse.journal.ChronicleJournal;
import dev.bourse.journal.ChronicleTailer;
import dev.bourse.journal.JournalException;
import dev.bourse.journal.JournalHandler;
import dev.bourse.journal.JournalTailer;
import org.agrona.DirectBuffer;

import java.util.Arrays;

/**
 * A sparse map from engine sequence to journal position over this node's own journal, so a resend
 * or a restart finds an entry without reading the journal from its start. It follows the journal
 * with its own tailer: all of it once at start, then the new entries in the service's background
 * work, off the order path. Positions are opaque (only ever handed back to
 * {@link ChronicleJournal#tailerAfter}); one is kept every {@link #INTERVAL} sequences.
 */
final class JournalIndex implements JournalHandler, AutoCloseable
{
    static final int INTERVAL = 256;
    private static final int SEQUENCE_OFFSET = 8;

    private final ChronicleJournal journal;
    private final ChronicleTailer tailer;
    // 8,192 marks cover two million sequences before the arrays first grow.
    private long[] sequences = new long[8192];
    private long[] positions = new long[8192];
    private int size;
    private long firstSequence;
    private long lastSequence;
    private long previousPosition = JournalTailer.START;

    JournalIndex(final ChronicleJournal journal)
    {
        this.journal = journal;
        this.tailer = journal.tailerFromStart();
    }

    /** Reads whatever the journal holds beyond what is indexed; returns the entries read. */
    int catchUp(final int limit)
    {
        return tailer.poll(this, limit);
    }

    /** Indexes the whole journal (at start). Fails if its sequences are not continuous. */
    void catchUpFully()
    {
        while (tailer.poll(this, 65_536) > 0)
        {
            // indexing
        }
    }

    @Override
    public void onEntry(final long position, final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < SEQUENCE_OFFSET + Long.BYTES)
        {
            throw new JournalException("journal entry at position " + position + " is too short to be an entry");
        }
        final long sequence = buffer.getLong(offset + SEQUENCE_OFFSET);
        if (lastSequence != 0 && sequence != lastSequence + 1)
        {
            throw new JournalException("journal " + journal.context().dir() + " is not continuous: sequence " + sequence
                + " follows " + lastSequence);
        }
        if (firstSequence == 0)
        {
            firstSequence = sequence;
        }
        if (size == 0 || sequence % INTERVAL == 0)
        {
            // Keep the position *before* the entry: tailerAfter(it) delivers this entry first.
            if (size == sequences.length)
            {
                sequences = Arrays.copyOf(sequences, size * 2);
                positions = Arrays.copyOf(positions, size * 2);
            }
            sequences[size] = sequence;
            positions[size] = previousPosition;
            size++;
        }
        lastSequence = sequence;
        previousPosition = position;
    }

    /** First sequence in the journal (0 if empty): retention may have removed older ones. */
    long firstSequence()
    {
        return firstSequence;
    }

    /** Last sequence indexed (0 if none). */
    long lastSequence()
    {
        return lastSequence;
    }

    /**
     * A tailer whose next entry is {@code sequence}, or a nearby earlier one (the caller skips
     * ahead). Needs {@code sequence <= } the journal's last sequence.
     */
    ChronicleTailer tailerNear(final long sequence)
    {
        int low = 0;
        int high = size - 1;
        int found = -1;
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            if (sequences[mid] <= sequence)
            {
                found = mid;
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }
        return found < 0 ? journal.tailerFromStart() : journal.tailerAfter(positions[found], false);
    }

    @Override
    public void close()
    {
        tailer.close();
    }
}
