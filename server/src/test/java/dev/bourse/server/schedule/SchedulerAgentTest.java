package dev.bourse.server.schedule;

import dev.bourse.protocol.JournalEventListener;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The scheduler's thread reads each journal entry once for its two journal-fed sources, through
 * {@link SchedulerAgent.Sources}, which forwards the events each source listens to. A source that
 * starts listening to another event must be forwarded it too: this fails until it is.
 */
class SchedulerAgentTest
{
    private static Set<String> listened(final Class<?> type)
    {
        final Set<String> names = new TreeSet<>();
        for (final Method m : JournalEventListener.class.getMethods())
        {
            try
            {
                if (type.getDeclaredMethod(m.getName(), m.getParameterTypes()) != null)
                {
                    names.add(m.getName());
                }
            }
            catch (final NoSuchMethodException ignored)
            {
                // not listened to
            }
        }
        return names;
    }

    @Test
    void theCombinedFeedForwardsEveryEventEitherSourceListensTo()
    {
        final Set<String> sources = new TreeSet<>(listened(VolatilityCallEnds.class));
        sources.addAll(listened(GtdExpiryTimes.class));
        assertEquals(sources, listened(SchedulerAgent.Sources.class), "forwarded by SchedulerAgent.Sources");
        assertTrue(Arrays.asList(JournalEventListener.class.getMethods()).size() > sources.size());
    }
}
