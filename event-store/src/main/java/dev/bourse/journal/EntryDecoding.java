package dev.bourse.journal;

import dev.bourse.protocol.EntryEnums;
import dev.bourse.protocol.JournalEntryReader;
import org.agrona.DirectBuffer;

/**
 * Whether one journal entry decodes as a bourse journal entry: its framing (the header, each
 * event's template, version and block length, the event count against the bytes) and every enum
 * field holding one of its type's values. What {@code journal verify} and the check at start
 * ask alike, so the two cannot disagree about an entry. One per reading thread.
 */
public final class EntryDecoding
{
    private final JournalEntryReader reader = new JournalEntryReader();
    private final EntryEnums enums = new EntryEnums();

    /**
     * @return null if the entry decodes (its header is then in {@link #reader()}), else what is
     *     wrong, to follow "does not decode as a bourse journal entry: ".
     */
    public String problem(final DirectBuffer buffer, final int offset, final int length)
    {
        final int status = reader.validate(buffer, offset, length);
        if (status != JournalEntryReader.OK)
        {
            return statusText(status) + " (status " + status + ")";
        }
        final String badEnum = enums.problem(buffer, offset, length);
        if (badEnum != null)
        {
            return badEnum;
        }
        reader.readHeader(buffer, offset, length);
        return null;
    }

    /** The reader whose header is that of the last entry {@link #problem} passed. */
    public JournalEntryReader reader()
    {
        return reader;
    }

    static String statusText(final int status)
    {
        switch (status)
        {
            case JournalEntryReader.TRUNCATED: return "cut short";
            case JournalEntryReader.WRONG_SCHEMA: return "not of bourse's schema";
            case JournalEntryReader.NOT_AN_ENTRY: return "it does not start with an entry header";
            case JournalEntryReader.BAD_EVENT_COUNT: return "its events do not fill its length";
            default: return "unreadable";
        }
    }
}
