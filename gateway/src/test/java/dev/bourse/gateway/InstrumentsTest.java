package dev.bourse.gateway;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class InstrumentsTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);

    @Test
    void findsEverySymbolAmongThousandsAndNothingElse()
    {
        final Instruments instruments = new Instruments();
        final Map<String, Integer> expected = new HashMap<>();
        for (int id = 0; id < 5_000; id++)
        {
            final String symbol = "SYM" + id;
            add(instruments, id * 3 + 1, symbol);
            expected.put(symbol, id * 3 + 1);
        }
        assertEquals(5_000, instruments.count());
        expected.forEach((symbol, id) -> assertEquals(id, find(instruments, symbol), symbol));
        assertEquals(-1, find(instruments, "SYM5000"));
        assertEquals(-1, find(instruments, "SYM"));
        assertEquals(-1, find(instruments, "SYM00"));
        assertEquals(-1, find(instruments, ""));
        assertArrayEquals("SYM42".getBytes(StandardCharsets.US_ASCII), instruments.symbol(42 * 3 + 1));
    }

    @Test
    void instrumentsAreLearnedFromARecoveredEngineStateWithTheirPhases()
    {
        // what a restarted gateway knows when journal retention removed the cycle that listed them
        final dev.bourse.engine.EngineHarness h = new dev.bourse.engine.EngineHarness();
        h.addInstrument(1, "ACME");
        h.addInstrument(5, "BETA");
        h.setTradingPhase(5, dev.bourse.protocol.sbe.TradingPhase.OPENING_CALL);
        final Instruments instruments = new Instruments();
        instruments.learn(h.state);
        assertEquals(1, find(instruments, "ACME"));
        assertEquals(5, find(instruments, "BETA"));
        assertEquals(dev.bourse.protocol.sbe.TradingPhase.OPENING_CALL.value(), instruments.phase(5));
        assertEquals(dev.bourse.protocol.sbe.TradingPhase.CONTINUOUS.value(), instruments.phase(1));
    }

    @Test
    void aSymbolListedTwiceKeepsItsFirstIdAndItsSymbolIsKnownUnderBoth()
    {
        final Instruments instruments = new Instruments();
        add(instruments, 1, "AAPL");
        add(instruments, 2, "MSFT");
        add(instruments, 7, "AAPL");
        assertEquals(1, find(instruments, "AAPL"));
        assertEquals(2, find(instruments, "MSFT"));
        assertEquals(2, instruments.count());
        assertArrayEquals("AAPL".getBytes(StandardCharsets.US_ASCII), instruments.symbol(7));
    }

    @Test
    void aSymbolOfSixteenCharactersIsReadWithoutATerminator()
    {
        final Instruments instruments = new Instruments();
        add(instruments, 3, "ABCDEFGHIJKLMNOP");
        assertEquals(3, find(instruments, "ABCDEFGHIJKLMNOP"));
        assertEquals(-1, find(instruments, "ABCDEFGHIJKLMNO"));
    }

    private void add(final Instruments instruments, final int id, final String symbol)
    {
        buffer.setMemory(0, 32, (byte)0);
        buffer.putStringWithoutLengthAscii(0, symbol);
        instruments.add(id, buffer, 0);
    }

    private int find(final Instruments instruments, final String symbol)
    {
        buffer.setMemory(0, 32, (byte)'x');
        buffer.putStringWithoutLengthAscii(8, symbol);
        return instruments.find(buffer, 8, symbol.length());
    }
}
