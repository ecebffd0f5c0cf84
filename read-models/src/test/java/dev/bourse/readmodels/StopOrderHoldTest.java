package dev.bourse.readmodels;

import dev.bourse.engine.EngineHarness;
import dev.bourse.protocol.sbe.Side;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.bourse.engine.EngineHarness.px;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The cash a buy stop holds (the band high x quantity, ENGINE-RULES.md) is what the query side shows
 * held, through a replace and a cancel, as the engine holds it. A probe saw it go to 0 at the replace
 * (the read model used the replace's price, 0 for a stop) and -2,090 at the cancel.
 */
class StopOrderHoldTest
{
    @Test
    void aReplacedStopsHoldIsTheEngines()
    {
        final EngineHarness h = new EngineHarness();
        h.addInstrument(1, "ACME");
        h.fundedAccount(10, 1);
        final HarnessProjection projection = new HarnessProjection(h);
        final ReadModels models = projection.models;
        final List<String> accepted = h.stop(10, 1, Side.BUY, px(110), 10, "stop");
        projection.catchUp();
        final long held = h.state.account(10).cashHeld();
        assertTrue(held > 0, "a buy stop holds cash: " + accepted);
        assertEquals(held, models.findAccount(10).cashHeld());

        final long orderId = orderId(accepted);
        h.replaceStop(10, orderId, 0, 10, px(111), "stop2");
        projection.catchUp();
        assertEquals(h.state.account(10).cashHeld(), models.findAccount(10).cashHeld(), "after the replace");
        assertEquals(held, models.findAccount(10).cashHeld(), "the same hold: band high x the same quantity");

        h.cancel(10, orderId, "c1", "stop2");
        projection.catchUp();
        assertEquals(0, h.state.account(10).cashHeld());
        assertEquals(0, models.findAccount(10).cashHeld(), "after the cancel");
    }

    private static long orderId(final List<String> events)
    {
        for (final String line : events)
        {
            final int at = line.indexOf("orderId=");
            if (at >= 0)
            {
                final int end = line.indexOf('|', at);
                return Long.parseLong(line.substring(at + "orderId=".length(), end < 0 ? line.length() : end));
            }
        }
        throw new AssertionError("no orderId in " + events);
    }
}
