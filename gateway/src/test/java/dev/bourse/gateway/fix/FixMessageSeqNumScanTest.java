package dev.bourse.gateway.fix;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The MsgSeqNum of a message whose parse stopped at a fault before it: found by a scan of the rest
 * of the message, so the session rejects it in its turn whatever the order of its header fields.
 */
class FixMessageSeqNumScanTest
{
    private final FixMessage msg = new FixMessage();

    private int parse(final String fields)
    {
        final String body = fields.replace('|', '\u0001');
        final String head = "8=FIX.4.4\u00019=" + body.length() + "\u0001" + body;
        int sum = 0;
        for (final byte b : head.getBytes(StandardCharsets.ISO_8859_1))
        {
            sum += b;
        }
        final byte[] bytes = (head + String.format("10=%03d\u0001", sum & 0xFF)).getBytes(StandardCharsets.ISO_8859_1);
        return msg.parse(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    @Test
    void aRepeatedFieldBeforeMsgSeqNumStillLeavesItReadable()
    {
        assertEquals(FixMessage.REPEATED_TAG, parse("35=1|49=M749|49=M749|56=BOURSE|34=7|52=20260101-00:00:00.000|112=d|"));
        assertEquals(49, msg.errorTag());
        assertFalse(msg.has(FixTags.MSG_SEQ_NUM), "not parsed as a field: the parse stopped before it");
        assertEquals(7, msg.msgSeqNum());
    }

    @Test
    void anEmptyFieldOrABadTagBeforeMsgSeqNumStillLeavesItReadable()
    {
        assertEquals(FixMessage.EMPTY_VALUE, parse("35=1|49=A|56=B|9999=|34=12|112=d|"));
        assertEquals(9999, msg.errorTag());
        assertEquals(12, msg.msgSeqNum());
        assertEquals(FixMessage.INVALID_TAG, parse("35=1|49=A|5x6=B|34=13|112=d|"));
        assertEquals(13, msg.msgSeqNum());
    }

    @Test
    void aMsgSeqNumReadBeforeTheFaultIsTheOneParsed()
    {
        assertEquals(FixMessage.REPEATED_TAG, parse("35=1|49=A|56=B|34=3|34=4|112=d|"));
        assertEquals(34, msg.errorTag());
        assertEquals(3, msg.msgSeqNum());
        assertEquals(FixMessage.OK, parse("35=1|49=A|56=B|34=5|112=d|"));
        assertEquals(5, msg.msgSeqNum());
    }

    @Test
    void noMsgSeqNumOrAnUnparsableOneIsNoValue()
    {
        assertEquals(FixMessage.REPEATED_TAG, parse("35=1|49=A|49=A|56=B|112=d|"));
        assertEquals(FixMessage.NO_VALUE, msg.msgSeqNum());
        parse("35=1|49=A|49=A|56=B|34=x|112=d|");
        assertEquals(FixMessage.NO_VALUE, msg.msgSeqNum());
        parse("35=1|49=A|49=A|56=B|134=9|112=d|");
        assertEquals(FixMessage.NO_VALUE, msg.msgSeqNum(), "another tag ending in 34 is not MsgSeqNum");
    }

    @Test
    void aScanDoesNotOutliveItsMessage()
    {
        parse("35=1|49=A|49=A|56=B|34=8|112=d|");
        assertEquals(8, msg.msgSeqNum());
        parse("35=1|49=A|49=A|56=B|112=d|");
        assertEquals(FixMessage.NO_VALUE, msg.msgSeqNum());
    }

    @Test
    void aFaultBeforeMsgTypeIsNotScanned()
    {
        // the message is garbled (FIX's rule): its number is not read, so not taken
        parse("35=|49=A|56=B|34=9|112=d|");
        assertEquals(FixMessage.NO_VALUE, msg.msgSeqNum());
    }
}
