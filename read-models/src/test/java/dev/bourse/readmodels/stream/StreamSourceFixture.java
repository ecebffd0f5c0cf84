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
    final StreamSource source = new StreamSource(ring);
    private final JournalTailer tailer = workload.journal.tailer();

    StreamSourceFixture()
    {
        models.streamListener(source);
    }

    /** Applies the new journal entries and returns the channel's updates they put in the ring, each as {@code format} gives it. */
    List<String> updates(final long channelKey, final BiFunction<DirectBuffer, Integer, String> format)
    {
        while (tailer.poll(models, 1_000) > 0)
        {
        }
        final List<String> updates = new ArrayList<>();
        ring.read((type, buffer, index, length) ->
        {
            if (type == StreamRing.UPDATE && buffer.getLong(index + StreamRing.KEY) == channelKey)
            {
                updates.add(format.apply(buffer, index));
            }
        });
        return updates;
    }
}
