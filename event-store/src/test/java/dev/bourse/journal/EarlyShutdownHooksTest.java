package dev.bourse.journal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class EarlyShutdownHooksTest
{
    /** register() passes over a class it cannot find: a library upgrade that renames one must fail here, not in silence. */
    @Test
    void everyClassNamedIsOnTheClasspath()
    {
        for (final String name : EarlyShutdownHooks.CLASSES)
        {
            assertDoesNotThrow(() -> Class.forName(name, false, EarlyShutdownHooksTest.class.getClassLoader()), name);
        }
        EarlyShutdownHooks.register();
    }
}
