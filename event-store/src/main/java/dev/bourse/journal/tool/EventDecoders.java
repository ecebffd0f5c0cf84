package dev.bourse.journal.tool;

import dev.bourse.protocol.JournalEventListener;
import dev.bourse.protocol.sbe.EntryHeaderDecoder;

import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;

/**
 * The generated decoder of each journal message (the entry header and every event a
 * {@link JournalEventListener} callback takes), by template id, found by reflection so a new event
 * needs no entry here.
 */
final class EventDecoders
{
    private static final Map<Integer, Class<?>> DECODERS = decoders();
    private static final Map<Integer, Integer> BLOCK_LENGTHS = blockLengths();

    private EventDecoders()
    {
    }

    /** The decoder class, or null for a template this release does not know. */
    static Class<?> decoder(final int templateId)
    {
        return DECODERS.get(templateId);
    }

    /** The block length this release writes, or -1 for a template it does not know. */
    static int blockLength(final int templateId)
    {
        return BLOCK_LENGTHS.getOrDefault(templateId, -1);
    }

    /** "OrderAccepted", or "template N". */
    static String name(final int templateId)
    {
        final Class<?> decoder = DECODERS.get(templateId);
        return decoder == null ? "template " + templateId : decoder.getSimpleName().replace("Decoder", "");
    }

    private static Map<Integer, Class<?>> decoders()
    {
        final Map<Integer, Class<?>> decoders = new HashMap<>();
        decoders.put(EntryHeaderDecoder.TEMPLATE_ID, EntryHeaderDecoder.class);
        for (final Method method : JournalEventListener.class.getMethods())
        {
            if (method.getParameterCount() == 2 && method.getParameterTypes()[0] == EntryHeaderDecoder.class)
            {
                final Class<?> decoder = method.getParameterTypes()[1];
                try
                {
                    decoders.put(decoder.getField("TEMPLATE_ID").getInt(null), decoder);
                }
                catch (final ReflectiveOperationException e)
                {
                    // not a generated decoder: left out, named by its template id
                }
            }
        }
        return decoders;
    }

    private static Map<Integer, Integer> blockLengths()
    {
        final Map<Integer, Integer> lengths = new HashMap<>();
        DECODERS.forEach((templateId, decoder) ->
        {
            try
            {
                lengths.put(templateId, decoder.getField("BLOCK_LENGTH").getInt(null));
            }
            catch (final ReflectiveOperationException e)
            {
                // no block length: never rebuilt
            }
        });
        return lengths;
    }
}
