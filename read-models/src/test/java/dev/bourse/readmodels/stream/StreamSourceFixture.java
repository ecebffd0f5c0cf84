package dev.bourse.readmodels.stream;

import dev.bourse.journal.JournalTailer;
import dev.bourse.protocol.CommandWriter;
import dev.bourse.readmodels.ReadModels;
import dev.bourse.readmodels.Workload;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** A StreamSource fed by read models over a workload's journal, its ring read back channel by channel. */
final class StreamSourceFixture
{
    final Workload workload = new Workload(3);
    final CommandWriter writer = new CommandWriter();
    final ReadModels models = new ReadModels();
    final OneToOneRingBuffer ring = new OneToOneRingBuffer(
        new UnsafeBuffer(ByteBuffer.allocateDirect((1 << 16) + RingBufferDescriptor.TRAILER_LENGTH)));
    final StreamSource source;
    private final JournalTailer tailer = workload.journal.tailer();

    StreamSourceFixture()
    {
        this(StreamLimits.DEPTH_LEVELS);
    }

    /** With the depth channel cut at {@code depthLevels} a side. */
    StreamSourceFixture(final int depthLevels)
    {
        source = new StreamSource(ring, depthLevels);
        models.streamListener(source);
    }

    /** Applies the new journal entries and returns the channel's updates they put in the ring, each as {@code format} gives it. */
    List<String> updates(final long channelKey, final BiFunction<DirectBuffer, Integer, String> format)
    {
        return updates(key -> key == channelKey, format);
    }

    /** Applies the new journal entries and returns the updates of the channels {@code channels} accepts, in ring order. */
    List<String> updates(final java.util.function.LongPredicate channels, final BiFunction<DirectBuffer, Integer, String> format)
    {
        while (tailer.poll(models, 1_000) > 0)
        {
        }
        final List<String> updates = new ArrayList<>();
        while (ring.size() > 0) // one read stops at the buffer's end (a padding record there counts as nothing): read on after the wrap
        {
            ring.read((type, buffer, index, length) ->
            {
                if (type == StreamRing.UPDATE && channels.test(buffer.getLong(index + StreamRing.KEY)))
                {
                    updates.add(format.apply(buffer, index));
                }
            });
        }
        return updates;
    }
}
