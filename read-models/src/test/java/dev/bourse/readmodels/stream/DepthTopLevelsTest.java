package dev.bourse.readmodels.stream;

import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.Prices;
import dev.bourse.protocol.sbe.CancelReason;
import dev.bourse.protocol.sbe.OrdType;
import dev.bourse.protocol.sbe.Side;
import dev.bourse.protocol.sbe.StpMode;
import dev.bourse.protocol.sbe.TimeInForce;
import dev.bourse.readmodels.DepthSide;
import dev.bourse.readmodels.MarketView;
import dev.bourse.readmodels.StreamSnapshotsAccess;
import dev.bourse.readmodels.Workload;
import org.agrona.collections.LongHashSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The depth channel is the top N levels of each side, in its snapshot and in its updates alike: a
 * client that applies the snapshot and then every update holds the server's top N after each
 * journal entry. The snapshot was cut at 1,000 levels while updates went out for every level
 * wherever it was, so a client got lone levels from below the cut and never the ones that moved up
 * into it when better ones went (an outside tester: 1,100 bid levels, the 200 best canceled).
 */
class DepthTopLevelsTest
{
    private static final long TICK = Prices.SCALE / 100;
    private static final long MID = 100 * Prices.SCALE;
    private static final byte BUY = 1;
    private static final byte SELL = 2;

    private final CommandWriter writer = new CommandWriter();

    @Test
    void theTestersBookDeeperThanTheLimit()
    {
        final int limit = StreamLimits.DEPTH_LEVELS;
        final StreamSourceFixture fixture = new StreamSourceFixture();
        final Workload workload = fixture.workload;
        final List<Long> bidIds = new ArrayList<>();
        for (int k = 0; k < 1_100; k++)
        {
            bidIds.add(order(workload, 1 + k % 7, Side.BUY, TimeInForce.GTC, 60 * Prices.SCALE + k * TICK, 10));
        }
        final ClientBook client = subscribe(fixture, limit);
        assertEquals(limit, client.size(BUY), "the snapshot is the top " + limit);
        assertEquals(limit, levelsIn(StreamSnapshotsAccess.builder().build(fixture.models, StreamChannels.DEPTH, 1, Integer.MAX_VALUE)),
            "the query server's snapshot has as many levels a side as the updates keep");

        for (int k = 1_099; k >= 900; k--)
        {
            final long id = bidIds.get(k);
            workload.submit(b -> writer.cancelOrder(b, 0, 0, 1, accountOf(bidIds, id), id, "x" + id, "o" + id));
            final List<String> updates = client.entry(fixture, limit);
            assertEquals(k >= 1_000 ? 2 : 1, updates.size(), "the canceled level goes, and the 1,001st comes in while there is one: " + updates);
        }
        assertEquals(900, client.size(BUY), "all 900 levels left");

        for (int k = 0; k < 200; k++)
        {
            order(workload, 1 + k % 7, Side.BUY, TimeInForce.GTC, 59 * Prices.SCALE - k * TICK, 5);
            final List<String> updates = client.entry(fixture, limit);
            assertEquals(k < 100 ? 1 : 0, updates.size(), "a level far below: sent only while it is in the top " + limit);
        }
        order(workload, 1, Side.BUY, TimeInForce.GTC, 75 * Prices.SCALE, 5);
        assertEquals(2, client.entry(fixture, limit).size(), "a new best bid comes in and pushes the 1,000th out");
        assertEquals(limit, client.size(BUY));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 8})
    void randomAddsAndCancelsAcrossTheLimitKeepTheClientEqualToTheTopLevels(final int limit)
    {
        final StreamSourceFixture fixture = new StreamSourceFixture(limit);
        final Workload workload = fixture.workload;
        final SplittableRandom random = new SplittableRandom(42);
        final List<Long> ids = new ArrayList<>();
        final List<Long> accounts = new ArrayList<>();
        for (int step = 0; step < 200; step++)
        {
            randomCommand(workload, random, ids, accounts, step);
        }
        ClientBook client = subscribe(fixture, limit);
        int crossed = 0;
        for (int step = 200; step < 6_000; step++)
        {
            if (step % 1_500 == 0)
            {
                fixture.source.interest(new LongHashSet()); // the client leaves; a few entries unwatched; a new one
                for (int i = 0; i < 20; i++)
                {
                    randomCommand(workload, random, ids, accounts, step);
                }
                client = subscribe(fixture, limit);
            }
            final String before = deepTops(fixture, limit);
            randomCommand(workload, random, ids, accounts, step);
            client.entry(fixture, limit);
            if (!before.equals(deepTops(fixture, limit)))
            {
                crossed++;
            }
        }
        assertTrue(crossed > 500, "levels went in and out of the top levels of a side deeper than them often: " + crossed);
    }

    /** One random command on instrument 1: mostly orders and cancels near the middle, some sweeps, replaces, mass cancels. */
    private void randomCommand(final Workload workload, final SplittableRandom random, final List<Long> ids,
        final List<Long> accounts, final int step)
    {
        final int k = random.nextInt(100);
        final long account = 1 + random.nextInt(7);
        if (k < 45 || ids.isEmpty())
        {
            final Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
            final long offset = (1 + random.nextInt(random.nextInt(10) == 0 ? 60 : 20)) * TICK;
            final long id = order(workload, account, side, TimeInForce.GTC, side == Side.BUY ? MID - offset : MID + offset,
                1 + random.nextInt(20));
            ids.add(id);
            accounts.add(account);
        }
        else if (k < 80)
        {
            final int pick = random.nextInt(ids.size());
            final long id = ids.get(pick);
            workload.submit(b -> writer.cancelOrder(b, 0, 0, 1, accounts.get(pick), id, "c" + step, "o" + id));
        }
        else if (k < 90)
        {
            final int pick = random.nextInt(ids.size());
            final long id = ids.get(pick);
            final long price = MID + (random.nextBoolean() ? 1 : -1) * (1 + random.nextInt(20)) * TICK;
            workload.submit(b -> writer.replaceOrder(b, 0, 0, 1, accounts.get(pick), id, price, 1 + random.nextInt(20),
                "r" + step, "o" + id));
        }
        else if (k < 98)
        {
            final Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
            final long through = (5 + random.nextInt(15)) * TICK;
            order(workload, account, side, TimeInForce.IOC, side == Side.BUY ? MID + through : MID - through, 20 + random.nextInt(100));
        }
        else
        {
            workload.submit(b -> writer.massCancel(b, 0, 0, 1, account, 1, random.nextBoolean() ? Side.BUY : null, false,
                CancelReason.MASS_CANCEL, "m" + step));
        }
    }

    private long order(final Workload workload, final long account, final Side side, final TimeInForce timeInForce,
        final long price, final long quantity)
    {
        final long clOrd = workload.state.lastOrderId() + 1;
        workload.submit(b -> writer.newOrder(b, 0, 0, 1, account, 1, side, OrdType.LIMIT, timeInForce, false, StpMode.NONE,
            price, quantity, "o" + clOrd));
        return workload.state.lastOrderId();
    }

    private static long accountOf(final List<Long> bidIds, final long id)
    {
        return 1 + bidIds.indexOf(id) % 7;
    }

    private static MarketView market(final StreamSourceFixture fixture)
    {
        return fixture.models.findMarket(1);
    }

    private static ClientBook subscribe(final StreamSourceFixture fixture, final int limit)
    {
        fixture.updates(StreamChannels.key(StreamChannels.DEPTH, 1), (buffer, index) -> ""); // the models catch up
        final LongHashSet interest = new LongHashSet();
        interest.add(StreamChannels.key(StreamChannels.DEPTH, 1));
        fixture.source.interest(interest);
        final ClientBook client = new ClientBook();
        client.sides.put(BUY, top(market(fixture).bids(), limit));
        client.sides.put(SELL, top(market(fixture).asks(), limit));
        return client;
    }

    /** The server's top levels of a side: price to "quantity orders". */
    private static TreeMap<Long, String> top(final DepthSide depth, final int limit)
    {
        final TreeMap<Long, String> levels = new TreeMap<>();
        for (int rank = 0; rank < Math.min(limit, depth.size()); rank++)
        {
            levels.put(depth.price(rank), depth.quantity(rank) + " " + depth.orders(rank));
        }
        return levels;
    }

    /** The prices of the top levels of each side deeper than them (the levels' values left out). */
    private static String deepTops(final StreamSourceFixture fixture, final int limit)
    {
        final DepthSide bids = market(fixture).bids();
        final DepthSide asks = market(fixture).asks();
        return (bids.size() > limit ? top(bids, limit).keySet().toString() : "") + " " +
            (asks.size() > limit ? top(asks, limit).keySet().toString() : "");
    }

    private static int levelsIn(final String snapshot)
    {
        final String bids = snapshot.substring(snapshot.indexOf("\"bids\""), snapshot.indexOf("\"asks\""));
        return bids.split("\"price\"").length - 1;
    }

    /** The levels that differ: "+price value" the server has and the client not, "-price value" the other way round. */
    private static List<String> difference(final TreeMap<Long, String> server, final TreeMap<Long, String> client)
    {
        final List<String> differences = new ArrayList<>();
        server.forEach((price, value) ->
        {
            if (!value.equals(client.get(price)))
            {
                differences.add("+" + price + " " + value);
            }
        });
        client.forEach((price, value) ->
        {
            if (!value.equals(server.get(price)))
            {
                differences.add("-" + price + " " + value);
            }
        });
        return differences;
    }

    /** A client of the depth channel: the snapshot, then every update applied as read-models.md says. */
    private static final class ClientBook
    {
        final Map<Byte, TreeMap<Long, String>> sides = new TreeMap<>();

        int size(final byte side)
        {
            return sides.get(side).size();
        }

        /** Applies the updates of the new journal entry and checks the copy against the server's top levels. */
        List<String> entry(final StreamSourceFixture fixture, final int limit)
        {
            final List<String> updates = fixture.updates(StreamChannels.key(StreamChannels.DEPTH, 1), (buffer, index) ->
                buffer.getByte(index + StreamRing.DEPTH_SIDE) + " " + buffer.getLong(index + StreamRing.DEPTH_PRICE) + " " +
                buffer.getLong(index + StreamRing.DEPTH_QUANTITY) + " " + buffer.getLong(index + StreamRing.DEPTH_ORDERS));
            final HashSet<String> levels = new HashSet<>();
            for (final String update : updates)
            {
                final String[] f = update.split(" ");
                assertTrue(levels.add(f[0] + " " + f[1]), "one update per level per entry: " + updates);
                final TreeMap<Long, String> side = sides.get(Byte.parseByte(f[0]));
                final long price = Long.parseLong(f[1]);
                final String value = f[2] + " " + f[3];
                if (f[3].equals("0"))
                {
                    assertTrue(side.remove(price) != null, "a removal of a level the client does not hold: " + update);
                }
                else
                {
                    assertFalse(value.equals(side.put(price, value)), "an update that changes nothing: " + update);
                }
            }
            final MarketView market = market(fixture);
            assertEquals(List.of(), difference(top(market.bids(), limit), sides.get(BUY)), "bids: server minus client, after " + updates);
            assertEquals(List.of(), difference(top(market.asks(), limit), sides.get(SELL)), "asks: server minus client, after " + updates);
            return updates;
        }
    }
}
