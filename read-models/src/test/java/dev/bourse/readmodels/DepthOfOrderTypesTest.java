package dev.bourse.readmodels;

import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.Prices;
import dev.bourse.protocol.sbe.OrdType;
import dev.bourse.protocol.sbe.Side;
import dev.bourse.protocol.sbe.StpMode;
import dev.bourse.protocol.sbe.TimeInForce;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The projected book shows what the market-data feed shows: an iceberg only its peak, a held stop
 * nothing until it is elected and rests, a GTD order like any other limit. The engine says when an
 * order rests and with what showing (OrderRested); a projection that guessed from the order type
 * would leak an iceberg's hidden quantity and show stops that are not on the book.
 */
class DepthOfOrderTypesTest
{
    private static final long MID = 100 * Prices.SCALE;
    private static final long TICK = Prices.SCALE / 100;
    private static final int INSTRUMENT = 1;

    private final CommandWriter writer = new CommandWriter();
    private final Workload workload = new Workload(7);
    private int clOrdId;

    @Test
    void anIcebergShowsItsPeakAndRefillsAfterItIsTakenOut()
    {
        order(1, Side.SELL, OrdType.LIMIT, TimeInForce.GTC, MID + TICK, 1_000, 0, 100);
        assertEquals(List.of((MID + TICK) + " x 100 (1)"), asks());

        order(2, Side.BUY, OrdType.LIMIT, TimeInForce.IOC, MID + TICK, 150, 0, 0);
        // 100 of the first peak, then 50 of the refilled one: 50 of the peak still shows
        assertEquals(List.of((MID + TICK) + " x 50 (1)"), asks());

        order(3, Side.BUY, OrdType.LIMIT, TimeInForce.IOC, MID + TICK, 850, 0, 0);
        assertEquals(List.of(), asks());
    }

    @Test
    void aHeldStopIsNotOnTheBookUntilItIsElectedAndRests()
    {
        order(4, Side.SELL, OrdType.LIMIT, TimeInForce.GTC, MID + 10 * TICK, 500, 0, 0);
        order(1, Side.BUY, OrdType.STOP_LIMIT, TimeInForce.GTC, MID + 5 * TICK, 40, MID + 2 * TICK, 0);
        assertEquals(List.of(), bids());

        // a trade at MID + 2 ticks elects the stop: it rests at its limit
        order(2, Side.SELL, OrdType.LIMIT, TimeInForce.GTC, MID + 2 * TICK, 10, 0, 0);
        order(3, Side.BUY, OrdType.LIMIT, TimeInForce.IOC, MID + 2 * TICK, 10, 0, 0);
        assertEquals(List.of((MID + 5 * TICK) + " x 40 (1)"), bids());
    }

    @Test
    void aGoodTillDateOrderRestsLikeAnyLimit()
    {
        order(1, Side.BUY, OrdType.LIMIT, TimeInForce.GTD, MID - TICK, 30, 0, 0, Long.MAX_VALUE / 2);
        assertEquals(List.of((MID - TICK) + " x 30 (1)"), bids());
    }

    private void order(
        final long account, final Side side, final OrdType type, final TimeInForce tif, final long price, final long quantity,
        final long stopPrice, final long displayQty)
    {
        order(account, side, type, tif, price, quantity, stopPrice, displayQty, 0);
    }

    private void order(
        final long account, final Side side, final OrdType type, final TimeInForce tif, final long price, final long quantity,
        final long stopPrice, final long displayQty, final long expireTime)
    {
        final String id = "d" + clOrdId++;
        workload.submit(buffer -> writer.newOrder(buffer, 0, 0, 1, account, INSTRUMENT, side, type, tif, false, StpMode.NONE,
            price, quantity, id, stopPrice, displayQty, expireTime));
    }

    private List<String> bids()
    {
        return levels(workload.project().findMarket(INSTRUMENT).bids());
    }

    private List<String> asks()
    {
        return levels(workload.project().findMarket(INSTRUMENT).asks());
    }

    private static List<String> levels(final DepthSide side)
    {
        final List<String> levels = new ArrayList<>();
        for (int rank = 0; rank < side.size(); rank++)
        {
            levels.add(side.price(rank) + " x " + side.quantity(rank) + " (" + side.orders(rank) + ")");
        }
        return levels;
    }
}
