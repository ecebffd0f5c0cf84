package dev.bourse.marketdata;

import dev.bourse.engine.EngineConfig;
import dev.bourse.engine.EngineState;
import dev.bourse.engine.MatchingEngine;
import dev.bourse.journal.InMemoryJournal;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A quiet feed over UDP carries its heartbeat every 100 ms, as over IPC. The embedded driver's own
 * work (over UDP, nearly every duty cycle) was taken for sending, so the heartbeat never came due and
 * a healthy exchange looked dead to md-listen (an outside probe: 6 heartbeats in 9 minutes).
 */
class UdpHeartbeatTest
{
    @Test
    void aQuietUdpFeedCarriesItsHeartbeats() throws Exception
    {
        final int incrementalPort;
        final int snapshotPort;
        try (DatagramSocket a = new DatagramSocket(0); DatagramSocket b = new DatagramSocket(0))
        {
            incrementalPort = a.getLocalPort();
            snapshotPort = b.getLocalPort();
        }
        final String incremental = "aeron:udp?endpoint=localhost:" + incrementalPort;
        final String snapshots = "aeron:udp?endpoint=localhost:" + snapshotPort;
        final InMemoryJournal journal = new InMemoryJournal();
        final EngineState state = new EngineState(new EngineConfig().maxInstruments(8).preallocatedOrders(1024)
            .preallocatedLevels(64).expectedClOrdIdsPerDay(1 << 12));
        new MatchingEngine(state, journal);
        try (MarketDataPublisher publisher = new MarketDataPublisher(new MarketDataPublisher.Context()
                .journalTailer(journal.tailer()).journalHead(journal::size).expectedOrders(1024)
                .incrementalChannel(incremental).snapshotChannel(snapshots)
                .driverIdleStrategy(new YieldingIdleStrategy()).invoked(true)); // as the exchange runs it: the driver in its duty cycle
            MarketDataSubscriber subscriber = new MarketDataSubscriber(new MarketDataSubscriber.Context()
                .aeron(publisher.context().aeron()).incrementalChannel(incremental).snapshotChannel(snapshots)
                .expectedOrders(1024), new MarketDataListener()
                {
                }))
        {
            // connected and past the heartbeat sent on connecting, then 1 s of silence from the journal
            final long connectBy = System.nanoTime() + 30_000_000_000L;
            while (subscriber.incrementalFragments() == 0)
            {
                assertTrue(System.nanoTime() < connectBy, "the subscriber connected");
                publisher.doWork();
                subscriber.poll(16);
            }
            final long before = subscriber.incrementalFragments();
            final long end = System.nanoTime() + 1_000_000_000L;
            while (System.nanoTime() < end)
            {
                publisher.doWork();
                subscriber.poll(16);
                // an idle duty cycle parks, as the exchange's does: on waking the driver nearly always has work
                java.util.concurrent.locks.LockSupport.parkNanos(2_000_000L);
            }
            final long heartbeats = subscriber.incrementalFragments() - before;
            assertTrue(heartbeats >= 5, "heartbeats in a quiet second at 100 ms: " + heartbeats);
        }
    }
}
