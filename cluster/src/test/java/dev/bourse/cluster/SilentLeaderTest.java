package dev.bourse.cluster;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that hears nothing from the cluster for its silence timeout connects again. An outside
 * probe saw a node restarted moments before the leader died win the election: Aeron closes, without
 * telling their clients, the sessions such a node finds, and the gateway waited about 10 s for
 * Aeron's own timeouts. That election cannot be arranged at will; the client's side of it can: its
 * leader goes silent (SIGSTOP) for longer than the timeout, which no Aeron timeout notices.
 */
class SilentLeaderTest extends ClusterUnderLoad
{
    @Test
    void aClientThatHearsNothingForItsSilenceTimeoutConnectsAgainAndLosesNothing() throws Exception
    {
        cluster = new TestCluster(dir, 1);
        cluster.start(0);
        cluster.awaitLeader(-1, 60);
        load = new LoadDriver(cluster.ingressEndpoints(), context -> context.silenceTimeoutNs(TimeUnit.SECONDS.toNanos(1)));
        moreOrders(500, 300, "orders before the silence");
        final long connects = load.client.connects();
        assertNull(load.lastDisconnect(), "no reconnect while the leader talks");

        final AtomicReference<Throwable> pauseFailure = new AtomicReference<>();
        final Thread pauser = new Thread(() ->
        {
            try
            {
                cluster.pause(0, 2_500);
            }
            catch (final Throwable t)
            {
                pauseFailure.set(t);
            }
        }, "pauser");
        pauser.start();
        moreOrders(500, 1_500, "orders across 2.5 s of silence");
        pauser.join();
        assertNull(pauseFailure.get());
        load.drain(60);

        assertNotNull(load.lastDisconnect(), "the client noticed the silence: " + load);
        assertTrue(load.lastDisconnect().startsWith("nothing from the cluster for"), load.lastDisconnect());
        assertTrue(load.client.connects() > connects, "connected again: " + load);
        assertEquals(0, load.duplicates(), "every order acknowledged once: " + load);
        assertEquals(load.sentOrders(), load.ackedOrders(), load.toString());
    }
}
