package dev.bourse.protocol;

import dev.bourse.protocol.sbe.EntryHeaderDecoder;
import dev.bourse.protocol.sbe.MessageHeaderDecoder;
import dev.bourse.protocol.sbe.MetaAttribute;
import org.agrona.DirectBuffer;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds an enum field of a journal entry whose value is none of its type's values. Zeroed or
 * overwritten bytes can still frame as an entry: an outside probe's OrderCanceled read
 * {@code side=SBE_UNKNOWN reason=SBE_UNKNOWN}, and {@code journal verify} passed it. Such an entry
 * does not decode, whatever {@link JournalEntryReader} makes of its framing.
 *
 * <p>The fields are found once, by reflection on the generated decoders that
 * {@link JournalEventListener} names (and the entry header), so a field the schema gains is
 * checked with no change here. A field is checked only where the event's version has it and
 * its block holds it; NULL_VAL passes only for a field the schema says is optional.
 * Run it on an entry {@link JournalEntryReader#validate} accepted. Not thread-safe (one
 * flyweight); allocates only to say what is wrong.
 */
public final class EntryEnums
{
    private static final Field[][] BY_TEMPLATE = fieldsByTemplate();

    private final MessageHeaderDecoder messageHeader = new MessageHeaderDecoder();
    private final EntryHeaderDecoder entryHeader = new EntryHeaderDecoder();

    /** One enum field of one message: where it is, from which version, and the values it may hold. */
    private record Field(String message, String name, String type, int offset, int sinceVersion, boolean[] valid)
    {
    }

    /**
     * @return null if every enum field holds one of its type's values, else what is wrong, e.g.
     *     {@code "event 1 (OrderCanceled) has side=0, not a Side value"}.
     */
    public String problem(final DirectBuffer buffer, final int offset, final int length)
    {
        messageHeader.wrap(buffer, offset);
        final int headerBlock = messageHeader.blockLength();
        final int headerBody = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final String inHeader = check(buffer, headerBody, headerBlock, messageHeader.templateId(), messageHeader.version(), 0);
        if (inHeader != null)
        {
            return inHeader;
        }
        entryHeader.wrap(buffer, headerBody, headerBlock, messageHeader.version());
        final int events = entryHeader.eventCount();
        int position = headerBody + headerBlock;
        for (int i = 1; i <= events; i++)
        {
            messageHeader.wrap(buffer, position);
            final int blockLength = messageHeader.blockLength();
            final int body = position + MessageHeaderDecoder.ENCODED_LENGTH;
            final String inEvent = check(buffer, body, blockLength, messageHeader.templateId(), messageHeader.version(), i);
            if (inEvent != null)
            {
                return inEvent;
            }
            position = body + blockLength;
        }
        return null;
    }

    private static String check(
        final DirectBuffer buffer, final int body, final int blockLength, final int templateId, final int version, final int event)
    {
        final Field[] fields = templateId < BY_TEMPLATE.length ? BY_TEMPLATE[templateId] : null;
        if (fields == null)
        {
            return null; // a template this release does not know: readers skip it, as before
        }
        for (final Field field : fields)
        {
            if (version < field.sinceVersion() || field.offset() >= blockLength)
            {
                continue; // written before the field existed
            }
            final int value = buffer.getByte(body + field.offset()) & 0xFF;
            if (!field.valid()[value])
            {
                return (event == 0 ? "its header" : "event " + event + " (" + field.message() + ")") + " has " + field.name() + "="
                    + value + ", not a " + field.type() + " value";
            }
        }
        return null;
    }

    private static Field[][] fieldsByTemplate()
    {
        final List<Class<?>> decoders = new ArrayList<>();
        decoders.add(EntryHeaderDecoder.class);
        for (final Method method : JournalEventListener.class.getMethods())
        {
            final Class<?>[] parameters = method.getParameterTypes();
            if (parameters.length == 2 && parameters[0] == EntryHeaderDecoder.class && !decoders.contains(parameters[1]))
            {
                decoders.add(parameters[1]);
            }
        }
        Field[][] byTemplate = new Field[0][];
        for (final Class<?> decoder : decoders)
        {
            try
            {
                final int templateId = decoder.getField("TEMPLATE_ID").getInt(null);
                if (templateId >= byTemplate.length)
                {
                    byTemplate = java.util.Arrays.copyOf(byTemplate, templateId + 1);
                }
                byTemplate[templateId] = enumFields(decoder);
            }
            catch (final ReflectiveOperationException e)
            {
                throw new IllegalStateException("the generated decoder " + decoder.getName() + " is not as expected", e);
            }
        }
        return byTemplate;
    }

    private static Field[] enumFields(final Class<?> decoder) throws ReflectiveOperationException
    {
        final String message = decoder.getSimpleName().replace("Decoder", "");
        final List<Field> fields = new ArrayList<>();
        for (final Method getter : decoder.getMethods())
        {
            final Class<?> type = getter.getReturnType();
            if (!type.isEnum() || getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                || type.getPackage() != decoder.getPackage() || type == MetaAttribute.class)
            {
                continue;
            }
            final String name = getter.getName();
            if ((int)decoder.getMethod(name + "EncodingLength").invoke(null) != 1)
            {
                continue; // every enum of the schema is one byte; another would need reading as its width
            }
            final boolean optional = "optional".equals(
                decoder.getMethod(name + "MetaAttribute", MetaAttribute.class).invoke(null, MetaAttribute.PRESENCE));
            final boolean[] valid = new boolean[256];
            for (final Object constant : type.getEnumConstants())
            {
                final String constantName = ((Enum<?>)constant).name();
                final int value = ((Number)type.getMethod("value").invoke(constant)).intValue() & 0xFF;
                if (constantName.equals("NULL_VAL") ? optional : !constantName.equals("SBE_UNKNOWN"))
                {
                    valid[value] = true;
                }
            }
            fields.add(new Field(message, name, type.getSimpleName(), (int)decoder.getMethod(name + "EncodingOffset").invoke(null),
                (int)decoder.getMethod(name + "SinceVersion").invoke(null), valid));
        }
        fields.sort(java.util.Comparator.comparingInt(Field::offset));
        return fields.toArray(new Field[0]);
    }
}
