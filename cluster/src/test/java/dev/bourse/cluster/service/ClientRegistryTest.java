package dev.bourse.cluster.service;

import dev.bourse.engine.BufferStateIO;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class ClientRegistryTest
{
    @Test
    void aClientKeepsItsCommandIdsAcrossSessions()
    {
        final ClientRegistry registry = new ClientRegistry(10);
        final ClientRegistry.Client client = registry.hello(100, 7, 1_000);
        client.lastCommandId = 42;
        assertSame(client, registry.forSession(100));
        registry.sessionClosed(100);
        assertNull(registry.forSession(100));
        assertEquals(42, registry.hello(101, 7, 2_000).lastCommandId, "a reconnecting client continues");
    }

    @Test
    void whenFullTheClientIdleLongestWithoutASessionMakesRoom()
    {
        final ClientRegistry registry = new ClientRegistry(2);
        registry.hello(1, 11, 100);
        registry.hello(2, 12, 50);
        assertNull(registry.hello(3, 13, 200), "both clients have sessions: no room");
        registry.sessionClosed(1);
        registry.sessionClosed(2);
        assertNotNull(registry.hello(3, 13, 300));
        assertNull(registry.get(12), "client 12 was idle longest");
        assertNotNull(registry.get(11));
    }

    @Test
    void snapshotRoundTripIsCanonical()
    {
        final ClientRegistry registry = new ClientRegistry(10);
        registry.hello(5, 70, 1).lastCommandId = 3;
        registry.hello(4, 60, 2).lastCommandId = 9;
        registry.hello(6, 60, 3);
        final BufferStateIO.Output out = new BufferStateIO.Output();
        registry.write(out);
        final ClientRegistry copy = new ClientRegistry(10);
        copy.read(new BufferStateIO.Input(out.buffer(), 0, out.length()));
        assertEquals(9, copy.forSession(6).lastCommandId);
        assertEquals(3, copy.forSession(5).lastCommandId);
        final BufferStateIO.Output again = new BufferStateIO.Output();
        copy.write(again);
        assertArrayEquals(out.toByteArray(), again.toByteArray());
    }
}
