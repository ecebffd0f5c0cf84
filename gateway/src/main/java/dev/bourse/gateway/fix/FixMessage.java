package dev.bourse.gateway.fix;

import org.agrona.DirectBuffer;

/**
 * A parsed FIX message: a flyweight over a framed message holding each field's tag and value
 * position. Reused for every message (no allocation); values are read in place.
 * <p>
 * Longer than most classes here: the parse and its structural checks (nine rejects of FIX 4.4's
 * framing, each naming its tag), then the typed reads in place. The checks need the field table
 * the reads use, and a reader beside it would only hand that table across for every field.
 */
public final class FixMessage
{
    public static final int OK = 0;
    /** A field is not {@code tag=value}, or the tag is not a positive number of at most 9 digits. */
    public static final int INVALID_TAG = 1;
    /** A tag with an empty value. */
    public static final int EMPTY_VALUE = 2;
    /** More fields than {@link #MAX_FIELDS}. */
    public static final int TOO_MANY_FIELDS = 3;
    /** MsgType (35) is not the third field. */
    public static final int MSG_TYPE_NOT_THIRD = 4;
    /** A field the gateway reads appears twice: which one counts would be a guess. */
    public static final int REPEATED_TAG = 5;
    /** A standard header field after a body field: FIX puts the whole header first (SessionRejectReason 14). */
    public static final int HEADER_TAG_AFTER_BODY = 6;
    /**
     * A data field (RawData (96), XmlData (213), ...) whose value is not as long as the length field
     * before it says (SessionRejectReason 6 on the data field).
     */
    public static final int DATA_LENGTH_MISMATCH = 7;
    /**
     * A data field without its length field right before it, or with a length that is not a whole
     * number above 0 (a fuzzing probe's {@code 95=-3|96=abc}, and a 96 alone, were read as text):
     * SessionRejectReason 6 on the data field.
     */
    public static final int DATA_WITHOUT_LENGTH = 8;
    /**
     * A repeating group whose NumInGroup field is not a whole number, or is not how many times its
     * first field comes (SessionRejectReason 16 on the NumInGroup field). Checked for the groups a
     * client may send and the gateway ignores ({@link #GROUPS}).
     */
    public static final int WRONG_GROUP_COUNT = 9;

    public static final int MAX_FIELDS = 128;
    public static final long NO_VALUE = Long.MIN_VALUE;

    /**
     * The tags the gateway reads, none of which is a member of a repeating group in the messages it
     * accepts: a second occurrence is a client's error (SessionRejectReason 13), not a group. Other
     * tags may repeat, as group members (Parties, TradingSessions, ...) do.
     */
    private static final int[] SINGLE_TAGS = {
        8, 9, 10, 34, 35, 43, 49, 52, 56, 97, 122, // header and trailer
        7, 16, 36, 45, 98, 108, 112, 123, 141, 371, 373, 553, 554, // session (not 372: a Logon's NoMsgTypes group repeats it)
        11, 18, 38, 40, 41, 44, 54, 55, 58, 59, 60, 99, 111, 126, 432, 530, // orders
    };
    /** The tags of {@link #SINGLE_TAGS} below 1024 as a bit set, and those above (checked by a scan). */
    private static final long[] SINGLE_BELOW_1024 = new long[16];
    private static final int[] SINGLE_ABOVE_1024 = {2964, 8013};

    /** FIX 4.4's standard header, the NoHops group's members included; all below 1024. */
    private static final int[] HEADER_TAGS = {
        8, 9, 35, 49, 56, 115, 128, 90, 91, 34, 50, 142, 57, 143, 116, 144, 129, 145, 43, 97, 52, 122, 212, 213, 347, 369,
        627, 628, 629, 630,
    };
    private static final long[] HEADER = new long[16];

    /**
     * FIX 4.4's data fields and the length field that must come right before each: a data value
     * may hold SOH, so its end is where the length says, not the next SOH (an outside probe's
     * RawData with an SOH in it was refused as an "invalid tag number").
     */
    private static final int[][] DATA_FIELDS = {
        {93, 89}, {90, 91}, {95, 96}, {212, 213}, {348, 349}, {350, 351}, {352, 353}, {354, 355}, {356, 357}, {358, 359},
        {360, 361}, {362, 363}, {364, 365}, {444, 445}, {618, 619}, {621, 622},
    };
    /**
     * FIX 4.4's repeating groups that the messages taken here may carry (and the gateway ignores):
     * the NumInGroup field and the field each entry starts with. Nested ones (PartySubIDs in
     * Parties) count over the whole message: the occurrences of the first field equal the sum of
     * the declared counts.
     */
    private static final int[][] GROUPS = {
        {453, 448}, {802, 523}, {627, 628}, {386, 336}, {78, 79}, {232, 233}, {711, 311}, {454, 455}, {555, 600}, {384, 372},
    };
    /** For a NumInGroup tag, 1 + its index in {@link #GROUPS}; 0 for every other tag. All below 1024. */
    private static final byte[] GROUP_OF_COUNT = new byte[1024];
    /** For the tag a group's entries start with, 1 + its index in {@link #GROUPS}; 0 for every other tag. */
    private static final byte[] GROUP_OF_FIRST = new byte[1024];

    /** For a data field's tag, its length field's tag; 0 for every other tag. All below 1024. */
    private static final short[] LENGTH_TAG_OF = new short[1024];

    static
    {
        for (final int[] pair : DATA_FIELDS)
        {
            LENGTH_TAG_OF[pair[1]] = (short)pair[0];
        }
        for (int i = 0; i < GROUPS.length; i++)
        {
            GROUP_OF_COUNT[GROUPS[i][0]] = (byte)(i + 1);
            GROUP_OF_FIRST[GROUPS[i][1]] = (byte)(i + 1);
        }
        for (final int tag : SINGLE_TAGS)
        {
            SINGLE_BELOW_1024[tag >>> 6] |= 1L << tag;
        }
        for (final int tag : HEADER_TAGS)
        {
            HEADER[tag >>> 6] |= 1L << tag;
        }
    }

    private final long[] seen = new long[16];
    private final int[] tags = new int[MAX_FIELDS];
    private final int[] offsets = new int[MAX_FIELDS];
    private final int[] lengths = new int[MAX_FIELDS];
    private int count;
    private DirectBuffer buffer;
    private int errorTag;
    private int offset;
    private int length;
    /** MsgSeqNum's value found after the field parsing stopped at ({@link #stopped}); -1: none. */
    private int scannedSeqOffset = -1;
    private int scannedSeqLength;
    /** A data field whose length field is missing or not a whole number above 0 ({@link #dataLength}). */
    private static final int NO_DATA_LENGTH = -2;
    /** Per group of {@link #GROUPS}: the counts declared and the entries found ({@link #wrongGroupCount}). */
    private final long[] groupCounts = new long[GROUPS.length];
    private final long[] groupEntries = new long[GROUPS.length];
    /** The message has a NumInGroup field of {@link #GROUPS}: its counts are checked. */
    private boolean hasGroups;
    /**
     * Whether the body's single fields are checked: in the messages the gateway acts on (session
     * and order messages) only. In a MarketDataRequest or a NewOrderList, which it does not take,
     * Symbol and ClOrdID repeat in groups, and the answer is a BusinessMessageReject for the
     * unsupported type, not a session Reject (a probe's 35=V with two symbols got "tag appears more
     * than once"). The header's and CheckSum are single in every message.
     */
    private boolean bodySinglesChecked;

    /**
     * Splits a framed message (see {@link FixFramer}) into fields.
     *
     * @return {@link #OK} or a problem; {@link #errorTag()} names the field when known.
     */
    public int parse(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        count = 0;
        errorTag = 0;
        scannedSeqOffset = -1;
        scannedSeqLength = 0;
        hasGroups = false;
        bodySinglesChecked = true;
        java.util.Arrays.fill(seen, 0L);
        final int end = offset + length;
        int i = offset;
        // a header field after the body is reported, but the fields are still read: its MsgSeqNum may come late too
        boolean inBody = false;
        int outOfOrderTag = 0;
        while (i < end)
        {
            int tag = 0;
            int digits = 0;
            byte b;
            while (i < end && (b = buffer.getByte(i)) != '=')
            {
                if (b < '0' || b > '9' || digits == 9)
                {
                    return stopped(i, outOfOrderTag, INVALID_TAG, 0);
                }
                tag = tag * 10 + (b - '0');
                digits++;
                i++;
            }
            if (i >= end || tag == 0)
            {
                return stopped(i, outOfOrderTag, INVALID_TAG, 0);
            }
            i++;
            final int valueStart = i;
            final int dataLength = dataLength(tag);
            if (dataLength == NO_DATA_LENGTH)
            {
                return stopped(i, outOfOrderTag, DATA_WITHOUT_LENGTH, tag);
            }
            if (dataLength >= 0)
            {
                i = valueStart + dataLength;
                if (dataLength == 0 || i >= end || buffer.getByte(i) != FixFramer.SOH)
                {
                    return stopped(i, outOfOrderTag, DATA_LENGTH_MISMATCH, tag);
                }
            }
            while (i < end && buffer.getByte(i) != FixFramer.SOH)
            {
                i++;
            }
            if (i >= end)
            {
                return stopped(i, outOfOrderTag, INVALID_TAG, 0);
            }
            if (i == valueStart)
            {
                return stopped(i, outOfOrderTag, EMPTY_VALUE, tag);
            }
            if (count == MAX_FIELDS)
            {
                return stopped(i, outOfOrderTag, TOO_MANY_FIELDS, 0);
            }
            if (repeatsASingleTag(tag))
            {
                return stopped(i, outOfOrderTag, REPEATED_TAG, tag);
            }
            if (!isHeaderTag(tag))
            {
                inBody = true;
            }
            else if (inBody && outOfOrderTag == 0)
            {
                outOfOrderTag = tag;
            }
            tags[count] = tag;
            offsets[count] = valueStart;
            lengths[count] = i - valueStart;
            count++;
            i++;
            hasGroups |= tag < 1024 && GROUP_OF_COUNT[tag] != 0;
            if (count == 3 && tag == 35)
            {
                bodySinglesChecked = actedOn(buffer, offsets[2], lengths[2]);
            }
        }
        if (count < 4 || tags[2] != 35)
        {
            errorTag = 35;
            return MSG_TYPE_NOT_THIRD;
        }
        if (hasGroups)
        {
            final int wrongCount = wrongGroupCount();
            if (wrongCount != 0)
            {
                return fault(outOfOrderTag, WRONG_GROUP_COUNT, wrongCount);
            }
        }
        return fault(outOfOrderTag, OK, 0);
    }

    /** The NumInGroup tag of a group whose count is not a whole number or not what the message holds; 0 if none. */
    private int wrongGroupCount()
    {
        final long[] declared = groupCounts;
        final long[] found = groupEntries;
        java.util.Arrays.fill(declared, 0);
        java.util.Arrays.fill(found, 0);
        for (int k = 0; k < count; k++)
        {
            final int tag = tags[k];
            if (tag >= 1024)
            {
                continue;
            }
            final int counted = GROUP_OF_COUNT[tag];
            if (counted != 0)
            {
                final long n = parseLong(buffer, offsets[k], lengths[k]);
                if (n == NO_VALUE || n < 0 || n > MAX_FIELDS)
                {
                    return tag;
                }
                declared[counted - 1] += n;
            }
            final int first = GROUP_OF_FIRST[tag];
            if (first != 0)
            {
                found[first - 1]++;
            }
        }
        for (int g = 0; g < GROUPS.length; g++)
        {
            if (declared[g] != found[g])
            {
                return GROUPS[g][0];
            }
        }
        return 0;
    }

    /**
     * The declared length of a data field's value when the field right before it is its length
     * field with a whole number; else -1 (the value then ends at the next SOH, as any other).
     */
    private int dataLength(final int tag)
    {
        if (tag >= 1024 || LENGTH_TAG_OF[tag] == 0)
        {
            return -1;
        }
        if (count == 0 || tags[count - 1] != LENGTH_TAG_OF[tag])
        {
            return NO_DATA_LENGTH;
        }
        final long declared = parseLong(buffer, offsets[count - 1], lengths[count - 1]);
        return declared == NO_VALUE || declared <= 0 ? NO_DATA_LENGTH : (int)Math.min(declared, length);
    }

    /** Whether a message of this MsgType has its body's single fields checked ({@link #bodySinglesChecked}). */
    private static boolean actedOn(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length != 1)
        {
            return true; // a MsgType of two characters: checked as strictly as any
        }
        final byte type = buffer.getByte(offset);
        return FixTags.isSessionMessage(type) || FixTags.isOrderMessage(type);
    }

    /**
     * Parsing stopped at {@code position} with a fault: the fields after it are not read, but the
     * session still needs the message's MsgSeqNum to reject it in its turn and take its number (a
     * SenderCompID twice before 34 dropped the message as garbled, where the same fault after 34
     * got its Reject). So unless 34 was read already, the rest of the message is scanned for the
     * first {@code SOH 34=} and its value is kept for {@link #msgSeqNum()}. Only once MsgType (35)
     * was read as the third field: a message that fails before that stays garbled, its number not
     * taken, as FIX's garbled-message rule says. No allocation.
     */
    private int stopped(final int position, final int outOfOrderTag, final int problem, final int problemTag)
    {
        if (count >= 3 && tags[2] == FixTags.MSG_TYPE && indexOf(FixTags.MSG_SEQ_NUM) < 0)
        {
            scanMsgSeqNum(position);
        }
        return fault(outOfOrderTag, problem, problemTag);
    }

    private void scanMsgSeqNum(final int from)
    {
        final DirectBuffer buffer = this.buffer;
        final int end = offset + length;
        for (int k = Math.max(from, offset); k + 3 < end; k++)
        {
            if (buffer.getByte(k) == FixFramer.SOH && buffer.getByte(k + 1) == '3' && buffer.getByte(k + 2) == '4' &&
                buffer.getByte(k + 3) == '=')
            {
                final int valueStart = k + 4;
                int v = valueStart;
                while (v < end && buffer.getByte(v) != FixFramer.SOH)
                {
                    v++;
                }
                if (v < end)
                {
                    scannedSeqOffset = valueStart;
                    scannedSeqLength = v - valueStart;
                }
                return;
            }
        }
    }

    /**
     * The MsgSeqNum (34) as {@link #getLong} reads it, or {@link #NO_VALUE}: from the fields read,
     * or, when parsing stopped at a fault before it, from the rest of the message ({@link #stopped}).
     */
    public long msgSeqNum()
    {
        final int i = indexOf(FixTags.MSG_SEQ_NUM);
        if (i >= 0)
        {
            return parseLong(buffer, offsets[i], lengths[i]);
        }
        return scannedSeqOffset < 0 ? NO_VALUE : parseLong(buffer, scannedSeqOffset, scannedSeqLength);
    }

    /** The first fault in the message's order: a header field after the body if one came before {@code problem}. */
    private int fault(final int outOfOrderTag, final int problem, final int problemTag)
    {
        if (outOfOrderTag != 0)
        {
            errorTag = outOfOrderTag;
            return HEADER_TAG_AFTER_BODY;
        }
        errorTag = problemTag;
        return problem;
    }

    private static boolean isHeaderTag(final int tag)
    {
        return tag < 1024 && (HEADER[tag >>> 6] & (1L << tag)) != 0;
    }

    private boolean repeatsASingleTag(final int tag)
    {
        if (tag < 1024)
        {
            final int word = tag >>> 6;
            final long bit = 1L << tag;
            if ((SINGLE_BELOW_1024[word] & bit) == 0)
            {
                return false;
            }
            if (!bodySinglesChecked && tag != 10 && !isHeaderTag(tag))
            {
                return false;
            }
            final boolean repeated = (seen[word] & bit) != 0;
            seen[word] |= bit;
            return repeated;
        }
        for (final int single : SINGLE_ABOVE_1024)
        {
            if (tag == single)
            {
                return indexOf(tag) >= 0;
            }
        }
        return false;
    }

    public int errorTag()
    {
        return errorTag;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    public int offset()
    {
        return offset;
    }

    public int length()
    {
        return length;
    }

    public int fieldCount()
    {
        return count;
    }

    public int tagAt(final int index)
    {
        return tags[index];
    }

    public int valueOffsetAt(final int index)
    {
        return offsets[index];
    }

    public int valueLengthAt(final int index)
    {
        return lengths[index];
    }

    /** Index of the first field with this tag, or -1. */
    public int indexOf(final int tag)
    {
        for (int i = 0; i < count; i++)
        {
            if (tags[i] == tag)
            {
                return i;
            }
        }
        return -1;
    }

    public boolean has(final int tag)
    {
        return indexOf(tag) >= 0;
    }

    /** True if every byte is visible ASCII, {@code !} to {@code ~}: no space, no control character. */
    public static boolean isVisibleAscii(final DirectBuffer buffer, final int offset, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            final byte b = buffer.getByte(offset + i);
            if (b <= ' ' || b > '~')
            {
                return false;
            }
        }
        return true;
    }

    /** True if the tag's value is one character among {@code values} (an enumeration such as {@link FixTags#FIX44_SIDES}). */
    public boolean isOneOf(final int tag, final String values)
    {
        return valueLength(tag) == 1 && values.indexOf(getChar(tag)) >= 0;
    }

    /** True if the tag appears more than once. */
    public boolean repeated(final int tag)
    {
        final int first = indexOf(tag);
        if (first < 0)
        {
            return false;
        }
        for (int i = first + 1; i < count; i++)
        {
            if (tags[i] == tag)
            {
                return true;
            }
        }
        return false;
    }

    public int valueOffset(final int tag)
    {
        final int i = indexOf(tag);
        return i < 0 ? -1 : offsets[i];
    }

    public int valueLength(final int tag)
    {
        final int i = indexOf(tag);
        return i < 0 ? 0 : lengths[i];
    }

    /** A non-negative decimal integer value (at most 18 digits), or {@link #NO_VALUE} if absent or not one. */
    public long getLong(final int tag)
    {
        final int i = indexOf(tag);
        if (i < 0)
        {
            return NO_VALUE;
        }
        return parseLong(buffer, offsets[i], lengths[i]);
    }

    /**
     * A quantity (FIX's Qty, a float) that is a whole number: digits, then optionally a point and
     * only zeros ({@code 10}, {@code 10.0}, {@code 10.}); else {@link #NO_VALUE}. Shares trade in
     * whole units here, and FIX clients that format every Qty as a float send {@code 10.0}.
     */
    public long getWholeQuantity(final int tag)
    {
        final int i = indexOf(tag);
        if (i < 0)
        {
            return NO_VALUE;
        }
        final int offset = offsets[i];
        int length = lengths[i];
        for (int k = 0; k < length; k++)
        {
            if (buffer.getByte(offset + k) == '.')
            {
                for (int z = k + 1; z < length; z++)
                {
                    if (buffer.getByte(offset + z) != '0')
                    {
                        return NO_VALUE;
                    }
                }
                length = k;
                break;
            }
        }
        return parseLong(buffer, offset, length);
    }

    /** True if the value is a minus sign and digits (a negative whole number, which {@link #getLong} does not take). */
    public boolean isNegativeWholeNumber(final int tag)
    {
        final int i = indexOf(tag);
        return i >= 0 && lengths[i] > 1 && buffer.getByte(offsets[i]) == '-' &&
            parseLong(buffer, offsets[i] + 1, lengths[i] - 1) != NO_VALUE;
    }

    /** The one-character value, or 0 if absent or longer than one character. */
    public byte getChar(final int tag)
    {
        final int i = indexOf(tag);
        if (i < 0 || lengths[i] != 1)
        {
            return 0;
        }
        return buffer.getByte(offsets[i]);
    }

    /** True if the value equals the ASCII text. */
    public boolean valueEquals(final int tag, final byte[] ascii)
    {
        final int i = indexOf(tag);
        if (i < 0 || lengths[i] != ascii.length)
        {
            return false;
        }
        for (int k = 0; k < ascii.length; k++)
        {
            if (buffer.getByte(offsets[i] + k) != ascii[k])
            {
                return false;
            }
        }
        return true;
    }

    /** Whether a value contains a character (multi-valued char fields such as ExecInst). */
    public boolean valueContains(final int tag, final byte c)
    {
        final int i = indexOf(tag);
        if (i < 0)
        {
            return false;
        }
        for (int k = 0; k < lengths[i]; k++)
        {
            if (buffer.getByte(offsets[i] + k) == c)
            {
                return true;
            }
        }
        return false;
    }

    /** MsgType's first byte (its value length is {@link #msgTypeLength()}). */
    public byte msgType()
    {
        return buffer.getByte(offsets[2]);
    }

    public int msgTypeLength()
    {
        return lengths[2];
    }

    /** True when MsgType is one FIX 4.4 defines, or a user-defined one (starting with U); see {@link FixMsgTypes}. */
    public boolean isFix44MsgType()
    {
        return FixMsgTypes.isFix44(buffer, offsets[2], lengths[2]);
    }

    public static long parseLong(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length <= 0 || length > 18)
        {
            return NO_VALUE;
        }
        long value = 0;
        for (int k = 0; k < length; k++)
        {
            final byte b = buffer.getByte(offset + k);
            if (b < '0' || b > '9')
            {
                return NO_VALUE;
            }
            value = value * 10 + (b - '0');
        }
        return value;
    }

    /** Allocating: for tests and logs. */
    public String valueAsString(final int tag)
    {
        final int i = indexOf(tag);
        if (i < 0)
        {
            return null;
        }
        final byte[] bytes = new byte[lengths[i]];
        buffer.getBytes(offsets[i], bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
