package dev.bourse.engine;

import org.junit.jupiter.api.Test;

import static dev.bourse.engine.EngineHarness.px;
import static org.junit.jupiter.api.Assertions.*;

class SmokeTest
{
    @Test
    void tradesAndReplays()
    {
        final EngineHarness h = new EngineHarness();
        h.addInstrument(1, "ACME");
        h.fundedAccount(10, 1);
        h.fundedAccount(20, 1);
        System.out.println(h.sell(10, 1, px(101), 50, "s1"));
        System.out.println(h.buy(20, 1, px(102), 80, "b1"));
        System.out.println(h.lastHeader());
        assertArrayEquals(EngineSnapshot.toBytes(h.state), EngineSnapshot.toBytes(h.replay()));
    }
}
