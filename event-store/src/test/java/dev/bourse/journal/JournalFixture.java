package dev.bourse.journal;

import dev.bourse.engine.EngineConfig;
import dev.bourse.engine.EngineSnapshot;
import dev.bourse.engine.EngineState;
import dev.bourse.engine.EventSink;
import dev.bourse.engine.MatchingEngine;
import dev.bourse.engine.reference.RandomCommands;
import dev.bourse.engine.reference.ReferenceExchange;
import dev.bourse.protocol.CommandWriter;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Drives an engine with the differential test's random command streams into a sink. */
final class JournalFixture
{
    static final int MAX_INSTRUMENTS = 64;

    static EngineConfig config()
    {
        return new EngineConfig()
            .maxInstruments(MAX_INSTRUMENTS)
            .maxLiveOrders(10_000_000)
            .preallocatedOrders(1_024)
            .preallocatedLevels(256)
            .expectedClOrdIdsPerDay(1 << 12)
            .conclude();
    }

    private final ReferenceExchange reference = new ReferenceExchange(MAX_INSTRUMENTS, 10_000_000);
    private final RandomCommands commands;
    private final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
    MatchingEngine engine;

    JournalFixture(final long seed, final EventSink sink)
    {
        commands = new RandomCommands(seed, reference, MAX_INSTRUMENTS, 2_000);
        engine = new MatchingEngine(new EngineState(config()), sink);
    }

    /** Sends {@code count} random commands; the engine must not halt. */
    void run(final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final int length = commands.next(command);
            reference.onCommand(command, 0, length);
            engine.onCommand(command, 0, length);
            if (engine.isHalted())
            {
                throw new AssertionError("engine halted: " + engine.haltReason());
            }
        }
        engine.onEndOfBatch();
    }

    /** Goes on with the same command stream on another engine (one recovered from the journal). */
    void continueWith(final MatchingEngine engine)
    {
        this.engine = engine;
    }

    byte[] stateBytes()
    {
        return EngineSnapshot.toBytes(engine.state());
    }

    /** Every entry a tailer delivers, as byte arrays, with their positions. */
    static final class Collector implements JournalHandler
    {
        final List<byte[]> entries = new ArrayList<>();
        final List<Long> positions = new ArrayList<>();

        @Override
        public void onEntry(final long position, final DirectBuffer buffer, final int offset, final int length)
        {
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            entries.add(copy);
            positions.add(position);
        }

        Collector drain(final JournalTailer tailer)
        {
            while (tailer.poll(this, 1000) > 0)
            {
                // draining
            }
            return this;
        }
    }

    static void deleteRecursively(final Path dir) throws IOException
    {
        if (Files.exists(dir))
        {
            try (Stream<Path> paths = Files.walk(dir))
            {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
