package dev.bourse.engine.reference;

import dev.bourse.engine.EngineConfig;
import dev.bourse.engine.EngineState;
import dev.bourse.engine.EventSink;
import dev.bourse.engine.EventText;
import dev.bourse.engine.MatchingEngine;
import dev.bourse.protocol.CommandWriter;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The engine against the independently written {@link ReferenceExchange}: the same seeded
 * random command stream into both, and every journal entry must be byte-identical. A mismatch
 * is reported with the seed, the command index, the command and both entries as text.
 * {@code -Dbourse.differential.commands=2000000} runs a bigger stream per seed.
 */
class DifferentialTest
{
    static final int COMMANDS = Integer.getInteger("bourse.differential.commands", 200_000);
    static final int MAX_INSTRUMENTS = 64;
    /** Odd seeds run with a live-order limit the book reaches now and then (TOO_MANY_ORDERS). */
    static final long SMALL_LIMIT = 250;
    static final long NO_LIMIT = 10_000_000;
    static final long BOOK_TARGET = 2_000;

    static long maxLiveOrders(final long seed)
    {
        return seed % 2 == 1 ? SMALL_LIMIT : NO_LIMIT;
    }

    /** Even seeds cut stop cascades short (2 elections per command), so the leftover rule is exercised. */
    static int maxElections(final long seed)
    {
        return seed % 2 == 0 ? 2 : 100;
    }

    static EngineConfig config(final long maxLiveOrders, final int maxElections)
    {
        return new EngineConfig()
            .maxInstruments(MAX_INSTRUMENTS)
            .maxLiveOrders(maxLiveOrders)
            .maxStopElectionsPerCommand(maxElections)
            .preallocatedOrders(4_096)
            .preallocatedLevels(1_024)
            .expectedClOrdIdsPerDay(1 << 16)
            .conclude();
    }

    /** Keeps the engine's latest entry. */
    static final class LastEntry implements EventSink
    {
        final UnsafeBuffer entry = new UnsafeBuffer(new byte[1 << 16]);
        int length;
        long count;

        @Override
        public boolean onEntry(final DirectBuffer buffer, final int offset, final int length)
        {
            if (length > entry.capacity())
            {
                entry.wrap(new byte[length * 2]);
            }
            entry.putBytes(0, buffer, offset, length);
            this.length = length;
            count++;
            return true;
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void engineWritesTheSameJournalAsTheReference(final long baseSeed)
    {
        // -Dbourse.seed-offset=N explores other streams (a long run looking for trouble); the parity rules stay the base seed's
        final long seed = baseSeed + 2 * Long.getLong("bourse.seed-offset", 0);
        final long maxLiveOrders = maxLiveOrders(seed);
        final ReferenceExchange reference = new ReferenceExchange(MAX_INSTRUMENTS, maxLiveOrders, maxElections(seed));
        final RandomCommands commands = new RandomCommands(seed, reference, MAX_INSTRUMENTS, BOOK_TARGET);
        final LastEntry sink = new LastEntry();
        final MatchingEngine engine = new MatchingEngine(new EngineState(config(maxLiveOrders, maxElections(seed))), sink);
        final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
        final Stats stats = new Stats();

        for (int i = 0; i < COMMANDS; i++)
        {
            final int length = commands.next(command);
            assertTrue(length > 0, "generator produced no command at " + i);
            final long before = sink.count;
            engine.onCommand(command, 0, length);
            final byte[] expected = reference.onCommand(command, 0, length);
            if (sink.count != before + 1 || engine.isHalted())
            {
                fail(report(seed, i, command, length, null, expected) + "\nengine wrote " + (sink.count - before) +
                    " entries; halted: " + engine.haltReason());
            }
            final byte[] actual = Arrays.copyOf(sink.entry.byteArray(), sink.length);
            if (!Arrays.equals(expected, actual))
            {
                fail(report(seed, i, command, length, actual, expected));
            }
            stats.add(actual);
            stats.book(reference.liveOrders.size());
        }
        System.out.println("differential seed " + seed + ": " + COMMANDS + " commands, " + stats);
        stats.assertCoverage(maxLiveOrders == SMALL_LIMIT, maxElections(seed) < 10);
    }

    private static String report(
        final long seed, final int index, final UnsafeBuffer command, final int length, final byte[] engine, final byte[] reference)
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("engine and reference differ: seed ").append(seed).append(", command index ").append(index).append('\n');
        sb.append("command: ").append(CommandText.describe(command, 0, length)).append('\n');
        sb.append("--- engine\n").append(render(engine));
        sb.append("--- reference\n").append(render(reference));
        return sb.toString();
    }

    static String render(final byte[] entry)
    {
        if (entry == null)
        {
            return "(no entry)\n";
        }
        final EventText text = new EventText();
        try
        {
            final List<String> events = text.events(new UnsafeBuffer(entry), 0, entry.length);
            final StringBuilder sb = new StringBuilder(text.header()).append('\n');
            for (final String e : events)
            {
                sb.append("  ").append(e).append('\n');
            }
            return sb.toString();
        }
        catch (final RuntimeException e)
        {
            return "(unreadable entry: " + e.getMessage() + ")\n";
        }
    }
}
