package dev.bourse.marketdata;

import io.aeron.Subscription;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Malformed and truncated fragments, on both streams: counted and dropped, never an exception,
 * and the subscriber still ends exact once clean data follows.
 */
class FragmentFuzzTest
{
    @Test
    void malformedFragmentsAreRejectedCleanly()
    {
        final List<byte[]> incrementals = new ArrayList<>();
        final List<byte[]> snapshots = new ArrayList<>();
        try (FeedFixture feed = new FeedFixture(256 * 1024, 5_000_000L))
        {
            final Subscription inc = feed.aeron.addSubscription("aeron:ipc", MarketDataPublisher.Context.DEFAULT_INCREMENTAL_STREAM_ID);
            final Subscription snap = feed.aeron.addSubscription("aeron:ipc", MarketDataPublisher.Context.DEFAULT_SNAPSHOT_STREAM_ID);
            feed.pollers.add(() ->
            {
                inc.poll((b, o, l, h) -> incrementals.add(copy(b, o, l)), 64);
                snap.poll((b, o, l, h) -> snapshots.add(copy(b, o, l)), 64);
            });
            feed.pump(inc::isConnected, 10_000, "connected");
            final RandomWorkload workload = new RandomWorkload(feed.engine, 4, 10, 3);
            workload.setup();
            for (int i = 0; i < 3_000; i++)
            {
                workload.step();
            }
            feed.pump(() -> feed.published() && snapshots.size() > 20, 10_000, "feed captured");
            feed.pump(() -> inc.poll((b, o, l, h) -> incrementals.add(copy(b, o, l)), 64) == 0, 10_000, "drained");
        }

        final Random random = new Random(42);
        final MarketDataSubscriber subscriber = new MarketDataSubscriber(new MarketDataSubscriber.Context(), null);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64 * 1024]);
        long truncated = 0;
        for (int round = 0; round < 100_000; round++)
        {
            final boolean snapshotStream = random.nextInt(4) == 0;
            final List<byte[]> source = snapshotStream ? snapshots : incrementals;
            final byte[] original = source.get(random.nextInt(source.size()));
            buffer.putBytes(0, original);
            int length = original.length;
            switch (random.nextInt(4))
            {
                case 0:
                    // truncated: always detected (messages are whole or refused)
                    length = random.nextInt(original.length);
                    truncated++;
                    break;
                case 1:
                    for (int flips = 1 + random.nextInt(4); flips > 0; flips--)
                    {
                        buffer.putByte(random.nextInt(original.length), (byte)random.nextInt(256));
                    }
                    break;
                case 2:
                    length = 1 + random.nextInt(2048);
                    for (int i = 0; i < length; i++)
                    {
                        buffer.putByte(i, (byte)random.nextInt(256));
                    }
                    break;
                default:
                    // garbage inside the header of a message: lengths and ids
                    buffer.putShort(random.nextInt(Math.max(1, Math.min(8, original.length - 1))), (short)random.nextInt());
                    break;
            }
            final int fragmentLength = length;
            assertDoesNotThrow(() ->
            {
                if (snapshotStream)
                {
                    subscriber.onSnapshotFragment(buffer, 0, fragmentLength, null);
                }
                else
                {
                    subscriber.onIncrementalFragment(buffer, 0, fragmentLength, null);
                }
            });
        }
        assertTrue(subscriber.malformedFragments() >= truncated * 9 / 10,
            "malformed " + subscriber.malformedFragments() + " of " + truncated + " truncated");
        assertEquals(0, subscriber.errors(), "validation catches what decoding would trip on");

        // clean data afterwards: the same stream from the start gives the same books as a clean subscriber
        final MarketDataSubscriber clean = new MarketDataSubscriber(new MarketDataSubscriber.Context(), null);
        final MarketDataSubscriber fuzzedThenFed = new MarketDataSubscriber(new MarketDataSubscriber.Context(), null);
        for (final byte[] fragment : incrementals)
        {
            final UnsafeBuffer b = new UnsafeBuffer(fragment);
            clean.onIncrementalFragment(b, 0, fragment.length, null);
            fuzzedThenFed.onIncrementalFragment(new UnsafeBuffer(new byte[] {1, 2, 3}), 0, 3, null);
            fuzzedThenFed.onIncrementalFragment(b, 0, fragment.length, null);
        }
        assertTrue(clean.isSynced());
        assertTrue(fuzzedThenFed.isSynced());
        BookAssert.assertSameBooks("interleaved garbage", clean.books(), fuzzedThenFed.books());
    }

    private static byte[] copy(final org.agrona.DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }
}
