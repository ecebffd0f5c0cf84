package dev.bourse.readmodels;

import dev.bourse.engine.EngineHarness;
import dev.bourse.protocol.sbe.OrdType;
import dev.bourse.protocol.sbe.Side;
import dev.bourse.protocol.sbe.StpMode;
import dev.bourse.protocol.sbe.TimeInForce;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.bourse.engine.EngineHarness.px;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A self-trade (allowed with STP NONE) nets out (ENGINE-RULES.md): no cash or position moves, so it
 * realizes no P&amp;L and leaves the average cost. A probe saw a self-trade at 191 on a position
 * bought at 190 realize 10 and raise the average to 190.01 (the sell leg applied, then the buy leg).
 */
class SelfTradeValuationTest
{
    @Test
    void aSelfTradeRealizesNothingAndLeavesTheAverageCost()
    {
        final EngineHarness h = new EngineHarness();
        h.addInstrument(1, "ACME");
        h.fundedAccount(10, 1);
        final HarnessProjection projection = new HarnessProjection(h);
        final ReadModels models = projection.models;
        projection.catchUp();
        final AccountView account = models.findAccount(10);
        final PositionView before = account.position(1);
        final long quantity = before.quantity();
        final long average = before.averageCost();
        final long pnl = before.realizedPnl();
        final long cash = account.cash;

        h.newOrder(10, 1, Side.SELL, OrdType.LIMIT, TimeInForce.GTC, false, StpMode.NONE, px(101), 10, "s1");
        final List<String> trade = h.newOrder(10, 1, Side.BUY, OrdType.LIMIT, TimeInForce.GTC, false, StpMode.NONE, px(101), 10, "b1");
        assertTrue(trade.stream().anyMatch(e -> e.startsWith("Trade")), trade.toString());
        projection.catchUp();

        final PositionView after = account.position(1);
        assertEquals(quantity, after.quantity());
        assertEquals(average, after.averageCost(), "the average cost");
        assertEquals(pnl, after.realizedPnl(), "no P&L realized");
        assertEquals(cash, account.cash);
        assertEquals(0, after.held());
        assertEquals(0, account.cashHeld());
        assertEquals(h.state.account(10).cashHeld(), account.cashHeld());
    }
}
