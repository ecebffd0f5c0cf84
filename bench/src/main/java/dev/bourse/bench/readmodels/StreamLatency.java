package dev.bourse.bench.readmodels;

import dev.bourse.bench.workload.WorkloadSpec;
import dev.bourse.readmodels.ReadModelsContext;
import dev.bourse.readmodels.ReadModelsServer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static dev.bourse.bench.readmodels.ReadModelsCommand.line;
import static dev.bourse.bench.readmodels.ReadModelsCommand.percentiles;

/**
 * Latency of the live streams: {@code subscribers} WebSocket clients follow the trades of one
 * instrument while an engine thread grows the journal at {@code rate} events/s, each command
 * stamped with the wall clock; every client records the time from the journal entry's timestamp
 * to its receipt of the message (same host, same clock). Public only because Jetty calls its
 * listener by reflection.
 */
public final class StreamLatency
{
    private final WorkloadSpec spec;
    private final BenchStores stores;
    private final Path dir;
    private final int subscribers;
    private final long rate;
    private final double warmupSeconds;
    private final double seconds;
    private final EpochNanoClock clock = new SystemEpochNanoClock();
    private final Recorder recorder = new Recorder(TimeUnit.MINUTES.toMicros(1), 3);
    private final AtomicLong received = new AtomicLong();
    private volatile boolean measuring;

    StreamLatency(final WorkloadSpec spec, final BenchStores stores, final Path dir, final int subscribers, final long rate,
        final double warmupSeconds, final double seconds)
    {
        this.spec = spec;
        this.stores = stores;
        this.dir = dir;
        this.subscribers = subscribers;
        this.rate = rate;
        this.warmupSeconds = warmupSeconds;
        this.seconds = seconds;
    }

    void run() throws Exception
    {
        try (BenchJournal journal = BenchJournal.create("chronicle", dir))
        {
            final long timed = 50_000 + (long)(rate * (warmupSeconds + seconds + 30));
            final JournalLoad load = new JournalLoad(spec.withTimedCount(timed), journal.sink(), clock);
            load.run(50_000);
            // every subscriber comes from 127.0.0.1: the per-address cap must leave room for all of them
            final dev.bourse.readmodels.http.HttpLimits limits = dev.bourse.readmodels.http.HttpLimits.DEFAULTS;
            final ReadModelsContext ctx = new ReadModelsContext().journal(journal.source()).port(0).bindAddress("127.0.0.1")
                .httpLimits(limits.withAdmission(Math.max(limits.maxConnections(), subscribers + 16), limits.writeTimeoutMs()))
                .store(stores.fresh());
            final WebSocketClient client = new WebSocketClient();
            client.start();
            try (ReadModelsServer server = ReadModelsServer.start(ctx))
            {
                final CountDownLatch snapshots = new CountDownLatch(subscribers);
                final List<Session> sessions = new ArrayList<>();
                for (int i = 0; i < subscribers; i++)
                {
                    sessions.add(client.connect(new Subscriber(snapshots), URI.create("ws://127.0.0.1:" + server.port() + "/ws"))
                        .get(30, TimeUnit.SECONDS));
                }
                for (final Session session : sessions)
                {
                    session.sendText("{\"op\":\"subscribe\",\"channel\":\"trades\",\"instrument\":\"1\"}", Callback.NOOP);
                }
                if (!snapshots.await(60, TimeUnit.SECONDS))
                {
                    throw new IllegalStateException("not every subscriber got its snapshot");
                }
                line("ws: %d WebSocket subscribers to the trades of instrument 1; journal grows at %,d events/s", subscribers, rate);
                final Thread writer = new Thread(() -> load.paced(rate), "journal-writer");
                writer.start();
                LockSupport.parkNanos((long)(warmupSeconds * 1e9));
                recorder.reset();
                received.set(0);
                // a slow subscriber skipped to a snapshot misses messages its p99 then never sees: the window's count goes with it
                final long skipsBefore = server.streams().slowSkips();
                final long overflowsBefore = server.streams().ringOverflows();
                measuring = true;
                LockSupport.parkNanos((long)(seconds * 1e9));
                measuring = false;
                final long skipped = server.streams().slowSkips() - skipsBefore;
                final long overflows = server.streams().ringOverflows() - overflowsBefore;
                final Histogram histogram = recorder.getIntervalHistogram();
                load.stop();
                writer.join();
                line("  %,d messages received (%,.0f/s in all): latency from the journal entry: %s", received.get(),
                    received.get() / seconds, percentiles(histogram));
                line("  streams: %,d sent, %,d skipped to a snapshot, %,d ring overflows", server.streams().messagesSent(),
                    server.streams().slowSkips(), server.streams().ringOverflows());
                line("RESULT ws subscribers=%d p99.us=%d skipped=%d overflows=%d", subscribers, histogram.getValueAtPercentile(99),
                    skipped, overflows);
                for (final Session session : sessions)
                {
                    session.close();
                }
            }
            finally
            {
                client.stop();
            }
        }
    }

    /** One client: records the latency of every trade update. */
    public final class Subscriber implements Session.Listener.AutoDemanding
    {
        private final CountDownLatch snapshots;

        Subscriber(final CountDownLatch snapshots)
        {
            this.snapshots = snapshots;
        }

        @Override
        public void onWebSocketText(final String message)
        {
            final long now = clock.nanoTime();
            if (message.startsWith("{\"type\":\"snapshot\""))
            {
                snapshots.countDown();
                return;
            }
            final int at = message.indexOf("\"ts\":");
            if (at < 0 || !measuring)
            {
                return;
            }
            long ts = 0;
            for (int i = at + 5; i < message.length() && Character.isDigit(message.charAt(i)); i++)
            {
                ts = ts * 10 + (message.charAt(i) - '0');
            }
            received.incrementAndGet();
            recorder.recordValue(Math.max(1, Math.min(TimeUnit.MINUTES.toMicros(1), (now - ts) / 1_000)));
        }
    }
}
