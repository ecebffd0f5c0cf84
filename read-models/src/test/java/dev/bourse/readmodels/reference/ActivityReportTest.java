package dev.bourse.readmodels.reference;

import dev.bourse.readmodels.Workload;

import dev.bourse.protocol.sbe.CancelReason;
import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The activity report of every account, against the account's other models: lines in journal
 * order; one ORDER_ACCEPTED per order; one FILL per execution, agreeing with the public trade
 * print and its aggressor side; cancels name their reason; replaces say whether priority was kept.
 */
class ActivityReportTest
{
    private static final Set<String> CANCEL_REASONS = Set.of(CancelReason.values()).stream()
        .filter(r -> r != CancelReason.NULL_VAL && r != CancelReason.SBE_UNKNOWN).map(Enum::name)
        .collect(java.util.stream.Collectors.toSet());

    @Test
    void everyAccountsReportAgreesWithItsOrdersAndExecutions()
    {
        final ReferenceModels models = new Workload(31).run(8_000).reference();
        final java.util.Map<Long, TradeRecord> trades = new java.util.HashMap<>();
        for (final MarketView market : models.markets().values())
        {
            market.trades().forEach(trade -> trades.put(trade.tradeId(), trade));
        }
        int fills = 0;
        for (final AccountView account : models.accounts().values())
        {
            long sequence = 0;
            int accepted = 0;
            final Iterator<OrderChange> executions = account.executions().iterator();
            for (final ActivityLine line : account.activity())
            {
                assertTrue(line.sequence() >= sequence, "journal order");
                sequence = line.sequence();
                if (line instanceof OrderChange change)
                {
                    final OrderRecord order = models.order(line.orderId());
                    assertSame(order, change.order());
                    assertEquals(account.accountId(), order.accountId(), "an order line of another account");
                    assertEquals(order.instrumentId(), line.instrumentId());
                }
                switch (line.kind())
                {
                    case Activity.ORDER_ACCEPTED:
                        accepted++;
                        assertEquals("", line.detail());
                        break;
                    case Activity.FILL:
                    {
                        assertSame(executions.next(), line, "the account's next execution");
                        // Against the public trade print: same figures, and the maker is the side that did not aggress.
                        final OrderChange fill = (OrderChange)line;
                        final TradeRecord trade = trades.get(fill.tradeId());
                        assertEquals(trade.price(), line.price());
                        assertEquals(trade.quantity(), line.quantity());
                        assertEquals(trade.sequence(), line.sequence());
                        assertEquals(trade.takerSide() == 0 ? "AUCTION" : line.side() != trade.takerSide() ? "MAKER" : "TAKER",
                            line.detail());
                        fills++;
                        break;
                    }
                    case Activity.ORDER_CANCELED:
                        assertTrue(CANCEL_REASONS.contains(line.detail()), line.detail());
                        assertNotEquals("EXPIRED", line.detail(), "an expiry is an ORDER_EXPIRED line");
                        assertEquals(0, line.leavesQty());
                        break;
                    case Activity.ORDER_EXPIRED:
                        assertEquals("EXPIRED", line.detail());
                        assertEquals(0, line.leavesQty());
                        break;
                    case Activity.ORDER_REPLACED:
                        assertTrue(Set.of("KEPT_PRIORITY", "LOST_PRIORITY").contains(line.detail()), line.detail());
                        break;
                    default:
                        assertTrue(line instanceof Activity, "only an order's own changes are OrderChanges");
                }
            }
            assertFalse(executions.hasNext(), "an execution missing from the report of " + account.accountId());
            final long orders = account.activity().stream().filter(l -> l instanceof OrderChange).map(l -> l.orderId())
                .distinct().count();
            assertEquals(orders, accepted, "one ORDER_ACCEPTED per order of " + account.accountId());
        }
        assertTrue(fills > 100, "the workload trades");
    }
}
