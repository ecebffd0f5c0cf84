package dev.bourse.journal.tool;

import dev.bourse.protocol.sbe.MessageHeaderDecoder;
import org.agrona.DirectBuffer;

import java.lang.reflect.Method;

/**
 * Says in words where a journaled entry and the one the engine makes of its command first differ:
 * which event, and which field with both values when the event types agree. Runs once, on the
 * failure path, so it looks the SBE decoders' field offsets up by reflection ({@link EventDecoders})
 * instead of a table kept by hand.
 */
final class EntryDifference
{
    /** Where a message header holds its schema version (blockLength, templateId, schemaId, version: 2 bytes each). */
    static final int VERSION_OFFSET = 6;

    private EntryDifference()
    {
    }

    /**
     * The first event that differs, else the entry header's first differing field (its event count
     * differs whenever an event is missing, so the events are looked at first: they say more).
     */
    static String describe(
        final DirectBuffer journaled, final int journaledOffset, final int journaledLength,
        final DirectBuffer produced, final int producedLength)
    {
        final MessageHeaderDecoder a = new MessageHeaderDecoder();
        final MessageHeaderDecoder b = new MessageHeaderDecoder();
        final int aEnd = journaledOffset + journaledLength;
        final String header = difference(journaled, journaledOffset, aEnd, produced, 0, producedLength, "its header");
        int pa = journaledOffset + MessageHeaderDecoder.ENCODED_LENGTH + a.wrap(journaled, journaledOffset).blockLength();
        int pb = MessageHeaderDecoder.ENCODED_LENGTH + b.wrap(produced, 0).blockLength();
        for (int index = 1; ; index++)
        {
            final boolean aHas = pa + MessageHeaderDecoder.ENCODED_LENGTH <= aEnd;
            final boolean bHas = pb + MessageHeaderDecoder.ENCODED_LENGTH <= producedLength;
            if (!aHas || !bHas)
            {
                if (aHas)
                {
                    return "event " + index + ", " + event(journaled, pa) + ", is in the journal, not in what the engine writes";
                }
                if (bHas)
                {
                    return "the engine writes event " + index + ", " + event(produced, pb) + ", which the journal does not have";
                }
                return header != null ? header
                    : "they differ in length (" + journaledLength + " bytes journaled, " + producedLength + " written)";
            }
            a.wrap(journaled, pa);
            b.wrap(produced, pb);
            final String event = difference(journaled, pa, aEnd, produced, pb, producedLength, "event " + index);
            if (event != null)
            {
                return event;
            }
            pa += MessageHeaderDecoder.ENCODED_LENGTH + a.blockLength();
            pb += MessageHeaderDecoder.ENCODED_LENGTH + b.blockLength();
        }
    }

    /** How the messages at {@code pa} and {@code pb} differ, or null if they do not (schema versions aside). */
    private static String difference(
        final DirectBuffer journaled, final int pa, final int aEnd, final DirectBuffer produced, final int pb, final int bEnd,
        final String where)
    {
        final MessageHeaderDecoder a = new MessageHeaderDecoder().wrap(journaled, pa);
        final MessageHeaderDecoder b = new MessageHeaderDecoder().wrap(produced, pb);
        if (a.templateId() != b.templateId())
        {
            return where + " is " + event(journaled, pa) + " in the journal, " + event(produced, pb) + " when re-executed";
        }
        final int length = MessageHeaderDecoder.ENCODED_LENGTH + Math.max(a.blockLength(), b.blockLength());
        for (int i = 0; i < length; i++)
        {
            if (i == VERSION_OFFSET || i == VERSION_OFFSET + 1)
            {
                continue; // an older release's entry says its own schema version; the engine writes today's
            }
            if (pa + i >= aEnd || pb + i >= bEnd || journaled.getByte(pa + i) != produced.getByte(pb + i))
            {
                return where + " (" + EventDecoders.name(a.templateId()) + ") differs: "
                    + field(journaled, pa, produced, pb, i - MessageHeaderDecoder.ENCODED_LENGTH);
            }
        }
        return null;
    }

    /** The event's type, with its reason when it is a refusal (the reason is what tells why the engine thinks otherwise). */
    private static String event(final DirectBuffer buffer, final int headerOffset)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, headerOffset);
        final String name = EventDecoders.name(header.templateId());
        final Object reason = value(buffer, headerOffset, "reason");
        return reason == null || !name.endsWith("Rejected") ? name : name + " (reason " + reason + ")";
    }

    /** Names the field at {@code blockOffset} of both events and gives both values. */
    private static String field(
        final DirectBuffer journaled, final int pa, final DirectBuffer produced, final int pb, final int blockOffset)
    {
        if (blockOffset < 0)
        {
            return "its message header";
        }
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(journaled, pa);
        final Class<?> decoder = EventDecoders.decoder(header.templateId());
        if (decoder == null)
        {
            return "at byte " + blockOffset;
        }
        for (final Method offsetMethod : decoder.getMethods())
        {
            final String method = offsetMethod.getName();
            if (!method.endsWith("EncodingOffset") || offsetMethod.getParameterCount() != 0)
            {
                continue;
            }
            final String name = method.substring(0, method.length() - "EncodingOffset".length());
            try
            {
                final int offset = (int)offsetMethod.invoke(null);
                final int length = (int)decoder.getMethod(name + "EncodingLength").invoke(null);
                if (blockOffset >= offset && blockOffset < offset + length)
                {
                    final Object was = value(journaled, pa, name);
                    final Object is = value(produced, pb, name);
                    final int at = MessageHeaderDecoder.ENCODED_LENGTH + offset;
                    if (was == null || is == null || was.equals(is))
                    {
                        // no value, or the same one read from different bytes (a version's null, a damaged
                        // field read as its null): the bytes say what differs (an outside tester got
                        // "msgSeqNum=-2147483648 in the journal, msgSeqNum=-2147483648 when re-executed")
                        return name + " as bytes: " + hex(journaled, pa + at, length) + " in the journal, "
                            + hex(produced, pb + at, length) + " when re-executed"
                            + (was != null && was.equals(is) ? " (both read as " + JournalTool.decimals(name + "=" + was) + ")" : "");
                    }
                    return JournalTool.decimals(name + "=" + was) + " in the journal, " + JournalTool.decimals(name + "=" + is)
                        + " when re-executed";
                }
            }
            catch (final ReflectiveOperationException | ClassCastException e)
            {
                // not a field's offset method
            }
        }
        return "at byte " + blockOffset;
    }

    /** The bytes as hex, first byte first; "(past its end)" for bytes beyond the buffer. */
    private static String hex(final DirectBuffer buffer, final int offset, final int length)
    {
        final StringBuilder out = new StringBuilder("0x");
        for (int i = 0; i < length; i++)
        {
            if (offset + i >= buffer.capacity())
            {
                return out.append(" (past its end)").toString();
            }
            out.append(String.format("%02x", buffer.getByte(offset + i) & 0xFF));
        }
        return out.toString();
    }

    /** A field's value through the generated decoder, or null if it has no plain getter (or the bytes are no valid value). */
    private static Object value(final DirectBuffer buffer, final int headerOffset, final String field)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, headerOffset);
        final Class<?> type = EventDecoders.decoder(header.templateId());
        if (type == null)
        {
            return null;
        }
        try
        {
            final Object decoder = type.getConstructor().newInstance();
            type.getMethod("wrap", DirectBuffer.class, int.class, int.class, int.class)
                .invoke(decoder, buffer, headerOffset + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
            final Method getter = type.getMethod(field);
            final Object value = getter.invoke(decoder);
            return value instanceof Number || value instanceof Enum ? value : null;
        }
        catch (final ReflectiveOperationException | RuntimeException e)
        {
            return null;
        }
    }
}
