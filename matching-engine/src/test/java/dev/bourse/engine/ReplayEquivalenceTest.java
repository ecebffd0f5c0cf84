package dev.bourse.engine;

import dev.bourse.engine.reference.RandomCommands;
import dev.bourse.engine.reference.ReferenceExchange;
import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.EntryEnums;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/**
 * State = fold(events), over the differential test's random streams: the live engine's state,
 * the state rebuilt by {@link EngineReplayer} from its journal entries, and an engine restored
 * from a snapshot halfway and then fed the rest of the commands all stay byte-identical
 * ({@link EngineSnapshot#toBytes}), and the restored engine writes the same entries as the
 * original. Every entry also passes the start's whole-journal check of its enum fields
 * ({@link EntryEnums}): an entry the engine writes that it refused would stop the next start.
 */
class ReplayEquivalenceTest
{
    private static final int COMMANDS = Integer.getInteger("bourse.replay.commands", 200_000);
    private static final int CHECK_EVERY = 20_000;
    private static final int MAX_INSTRUMENTS = 64;

    private static EngineConfig config(final long maxLiveOrders)
    {
        return new EngineConfig()
            .maxInstruments(MAX_INSTRUMENTS)
            .maxLiveOrders(maxLiveOrders)
            .preallocatedOrders(1_024)
            .preallocatedLevels(256)
            .expectedClOrdIdsPerDay(1 << 12)
            .conclude();
    }

    /** Keeps the latest entry (as large as the engine's: a day end over thousands of orders writes hundreds of KB). */
    private static final class LastEntry implements EventSink
    {
        final org.agrona.ExpandableArrayBuffer entry = new org.agrona.ExpandableArrayBuffer(1 << 16);
        int length;
        long count;

        @Override
        public boolean onEntry(final DirectBuffer buffer, final int offset, final int length)
        {
            entry.putBytes(0, buffer, offset, length);
            this.length = length;
            count++;
            return true;
        }

        byte[] bytes()
        {
            return Arrays.copyOf(entry.byteArray(), length);
        }
    }

    private static EngineState roundTrip(final EngineState state)
    {
        final byte[] bytes = EngineSnapshot.toBytes(state);
        final EngineState read = EngineSnapshot.read(new BufferStateIO.Input(new UnsafeBuffer(bytes), 0, bytes.length), state.config());
        assertArrayEquals(bytes, EngineSnapshot.toBytes(read), "snapshot read back differs from what was written");
        return read;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12})
    void liveStateEqualsReplayedAndRestoredState(final long seed)
    {
        final long maxLiveOrders = seed % 2 == 1 ? 250 : 10_000_000;
        final ReferenceExchange reference = new ReferenceExchange(MAX_INSTRUMENTS, maxLiveOrders);
        final RandomCommands commands = new RandomCommands(seed, reference, MAX_INSTRUMENTS, 2_000);
        final LastEntry liveSink = new LastEntry();
        final MatchingEngine live = new MatchingEngine(new EngineState(config(maxLiveOrders)), liveSink);
        EngineReplayer replayer = new EngineReplayer(new EngineState(config(maxLiveOrders)));
        LastEntry restoredSink = null;
        MatchingEngine restored = null;
        final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
        final EntryEnums enums = new EntryEnums();

        for (int i = 0; i < COMMANDS; i++)
        {
            if (i == COMMANDS / 2)
            {
                // halfway: restore an engine from a snapshot of the live one, and round-trip the replayed state too
                restoredSink = new LastEntry();
                restored = new MatchingEngine(roundTrip(live.state()), restoredSink);
                replayer = new EngineReplayer(roundTrip(replayer.state()));
            }
            final int length = commands.next(command);
            reference.onCommand(command, 0, length);
            live.onCommand(command, 0, length);
            assertFalse(live.isHalted(), () -> "engine halted: " + live.haltReason());
            final byte[] entry = liveSink.bytes();
            final String problem = enums.problem(new UnsafeBuffer(entry), 0, entry.length);
            if (problem != null)
            {
                fail("entry " + i + " would stop the next start: " + problem);
            }
            assertTrue(replayer.apply(new UnsafeBuffer(entry), 0, entry.length), "entry " + i + " skipped by the replayer");
            if (restored != null)
            {
                restored.onCommand(command, 0, length);
                assertArrayEquals(entry, restoredSink.bytes(), "restored engine wrote a different entry for command " + i);
            }
            if ((i + 1) % CHECK_EVERY == 0 || i == COMMANDS - 1)
            {
                final byte[] expected = EngineSnapshot.toBytes(live.state());
                assertArrayEquals(expected, EngineSnapshot.toBytes(replayer.state()),
                    "seed " + seed + ": replayed state differs from live state after command " + i);
                if (restored != null)
                {
                    assertArrayEquals(expected, EngineSnapshot.toBytes(restored.state()),
                        "seed " + seed + ": state restored from a snapshot differs from live state after command " + i);
                }
            }
        }
        assertEquals(COMMANDS, live.state().lastSequence());
        assertTrue(live.state().lastTradeId() > 10_000, "the stream traded: " + live.state().lastTradeId());
    }
}
