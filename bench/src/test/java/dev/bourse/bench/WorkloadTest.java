package dev.bourse.bench;

import dev.bourse.bench.engine.EngineBenchmark;
import dev.bourse.bench.engine.EngineRun;
import dev.bourse.bench.workload.CommandStream;
import dev.bourse.bench.workload.WorkloadGenerator;
import dev.bourse.bench.workload.WorkloadSpec;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class WorkloadTest
{
    private static final WorkloadSpec TINY = new WorkloadSpec("tiny", 3, 20, 200, 50_000, 7);

    @Test
    void theSameSpecGivesTheSameBytes()
    {
        final ByteBuffer first = new WorkloadGenerator(TINY).generate();
        final ByteBuffer second = new WorkloadGenerator(TINY).generate();
        assertEquals(first, second);
        assertNotEquals(first, new WorkloadGenerator(TINY.withTimedCount(50_001)).generate());
    }

    @Test
    void theMixIsExchangeCoresWithinTheRegulationsSwap()
    {
        final WorkloadGenerator generator = new WorkloadGenerator(WorkloadSpec.single(200_000));
        final CommandStream stream = CommandStream.wrap(generator.generate());
        final long[] counts = generator.typeCounts();
        final double n = stream.timedCount;
        assertEquals(0.03, counts[CommandStream.IOC] / n, 0.005, "IOC share");
        assertEquals(0.82, counts[CommandStream.MOVE] / n, 0.01, "move share");
        assertEquals(0.15, (counts[CommandStream.GTC] + counts[CommandStream.CANCEL]) / n, 0.01, "GTC + cancel share");
        assertEquals(1_000, stream.prefillCount);
        assertTrue(generator.book().trades() > 10_000, "the mix trades: " + generator.book().trades());
        System.out.println("resting " + generator.book().liveOrders(1) + " trades " + generator.book().trades() + " mix " + java.util.Arrays.toString(counts));
        assertEquals(1_000, generator.book().liveOrders(1), 150, "about 1,000 resting: " + generator.book().liveOrders(1));
    }

    @Test
    void ourEngineAcceptsEveryCommandAndEndsWithTheGeneratorsBook()
    {
        final WorkloadGenerator generator = new WorkloadGenerator(TINY);
        final CommandStream stream = CommandStream.wrap(generator.generate());
        final EngineRun run = new EngineRun(stream);
        run.applyDirect(0, stream.timedCount);
        assertEquals(0, run.rejects.rejects(), run.rejects.lastReject());
        final StringBuilder expected = new StringBuilder();
        generator.book().dump(expected);
        assertEquals(expected.toString(), run.bookDump());
    }

    @Test
    void theRingReplayEndsWithTheSameBookAsTheDirectOne()
    {
        final WorkloadGenerator generator = new WorkloadGenerator(TINY);
        final CommandStream stream = CommandStream.wrap(generator.generate());
        final EngineBenchmark.Run run = new EngineBenchmark(stream, "sleeping", 1024).throughput(true);
        assertEquals(0, run.rejects);
        assertEquals(stream.timedCount, run.commands);
        final StringBuilder expected = new StringBuilder();
        generator.book().dump(expected);
        assertEquals(expected.toString(), run.book);
    }

    @Test
    void aStreamSurvivesTheFileRoundTrip(@org.junit.jupiter.api.io.TempDir final Path dir) throws Exception
    {
        final ByteBuffer bytes = new WorkloadGenerator(TINY).generate();
        final Path file = dir.resolve("tiny.cmds");
        CommandStream.write(bytes, file);
        final CommandStream stream = CommandStream.open(file);
        assertEquals(TINY.instruments, stream.instruments);
        assertEquals(TINY.timedCount, stream.timedCount);
        assertEquals(bytes.capacity() > 0, Files.size(file) == bytes.remaining());
        final CommandStream inMemory = CommandStream.wrap(bytes);
        for (long i = 0; i < stream.count(); i += 997)
        {
            assertEquals(inMemory.orderId(i), stream.orderId(i));
            assertEquals(inMemory.price(i), stream.price(i));
        }
    }
}
