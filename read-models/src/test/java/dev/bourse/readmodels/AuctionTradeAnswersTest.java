package dev.bourse.readmodels;

import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.Prices;
import dev.bourse.protocol.auth.CredentialStore;
import dev.bourse.protocol.sbe.OrdType;
import dev.bourse.protocol.sbe.Side;
import dev.bourse.protocol.sbe.StpMode;
import dev.bourse.protocol.sbe.TimeInForce;
import dev.bourse.protocol.sbe.TradingPhase;
import dev.bourse.readmodels.stream.WsClient;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.bourse.readmodels.ApiClient.basic;
import static dev.bourse.readmodels.stream.WsClient.field;
import static org.junit.jupiter.api.Assertions.*;

/**
 * An auction's trades (an uncross: both orders were resting) have no aggressor: the print's
 * {@code takerSide} is NONE, as the market-data feed's aggressor side, and both fills' liquidity
 * is AUCTION, neither maker nor taker (FIX gives them no LastLiquidityInd). Everywhere the query
 * side tells them: the history store's trades, executions and activity report, the hot recent
 * trades (the trades stream's snapshot, and a checkpoint of them), and the trades and fills
 * streams. A continuous trade after it keeps its taker side and MAKER/TAKER.
 */
class AuctionTradeAnswersTest
{
    private static final String ALICE = basic("alice", "alice-secret");
    private static final String BOB = basic("bob", "bob-secret");
    private static final long MID = 100 * Prices.SCALE;
    private static final long TICK = Prices.SCALE / 100;
    private static final Pattern TRADE = Pattern.compile("\\{\"tradeId\":\\d+,[^{}]*\"takerSide\":\"([A-Z]*)\"}");
    private static final Pattern FILL = Pattern.compile("\\{\"tradeId\":\\d+,[^{}]*\"liquidity\":\"([A-Z]*)\"[^{}]*}");

    private final CommandWriter writer = new CommandWriter();
    private Workload workload;
    private ReadModelsServer server;
    private WebSocketClient client;
    private ApiClient api;

    private void start(final String store) throws Exception
    {
        workload = new Workload(7);
        final CredentialStore credentials = new CredentialStore()
            .addPlain("alice", "alice-secret", 1, true)
            .addPlain("bob", "bob-secret", 2, true);
        server = TestPostgres.querySide(workload, credentials, store);
        api = new ApiClient(server.port());
        client = new WebSocketClient();
        client.start();
    }

    @AfterEach
    void stop() throws Exception
    {
        if (client != null)
        {
            client.stop();
        }
        if (server != null)
        {
            server.close();
        }
    }

    /** The history store's part on both stores (they share the projection and the SQL). */
    @ParameterizedTest
    @ValueSource(strings = {"embedded", "postgresql"})
    void anAuctionsTradesHaveNoTakerSideAndItsFillsAreAuctionFills(final String store) throws Exception
    {
        start(store);
        try (WsClient alice = WsClient.connect(client, server.port(), ALICE); WsClient bob = WsClient.connect(client, server.port(), BOB))
        {
            for (final WsClient ws : List.of(alice, bob))
            {
                ws.await(m -> m.contains("\"type\":\"authenticated\""), "authenticated");
                ws.send("{\"op\":\"subscribe\",\"channel\":\"fills\"}");
                ws.await(m -> m.contains("\"type\":\"snapshot\"") && m.contains("\"channel\":\"fills\""), "fills snapshot");
            }
            alice.send("{\"op\":\"subscribe\",\"channel\":\"trades\",\"instrument\":\"I1\"}");
            alice.await(m -> m.contains("\"type\":\"snapshot\"") && m.contains("\"channel\":\"trades\""), "trades snapshot");

            // an opening call: alice bids 30, bob offers 20 across it; the auction into continuous trading matches 20
            phase(TradingPhase.OPENING_CALL);
            order(1, Side.BUY, MID + TICK, 30, TimeInForce.GTC);
            order(2, Side.SELL, MID - TICK, 20, TimeInForce.GTC);
            phase(TradingPhase.CONTINUOUS);
            // then a continuous trade: bob's IOC sell takes 5 of alice's resting rest
            order(2, Side.SELL, MID + TICK, 5, TimeInForce.IOC);
            final long last = workload.journal.size() - 1;
            assertEquals(2, workload.state.lastTradeId(), "one auction trade, one continuous trade");

            // the history store's trades: an auction's print has no taker side
            final String trades = get("/api/v1/instruments/I1/trades?waitFor=" + last + "&timeoutMs=20000", null);
            assertEquals(List.of("NONE", "SELL"), groups(TRADE, trades), trades);
            // ... and each fill of the auction is AUCTION for both accounts, in the executions and in the activity report
            assertEquals(List.of("AUCTION", "MAKER"), groups(FILL, get("/api/v1/accounts/1/executions", ALICE)));
            assertEquals(List.of("AUCTION", "TAKER"), groups(FILL, get("/api/v1/accounts/2/executions", BOB)));
            final String csv = get("/api/v1/accounts/2/activity.csv", BOB);
            assertTrue(csv.contains(",FILL,") && csv.contains(",AUCTION,") && csv.contains(",TAKER,") && !csv.contains(",MAKER,"), csv);

            // the hot recent trades (the trades stream's snapshot), and a checkpoint keeps them so
            alice.send("{\"op\":\"resync\",\"channel\":\"trades\",\"instrument\":\"I1\"}");
            final String snapshot = alice.await(m -> m.contains("\"type\":\"snapshot\"") && m.contains("\"channel\":\"trades\"") &&
                m.contains("\"tradeId\":2,"), "a trades snapshot with both trades");
            assertEquals(List.of("NONE", "SELL"), groups(TRADE, snapshot), snapshot);
            final ReadModels models = workload.project();
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            models.writeTo(new DataOutputStream(bytes));
            final ReadModels restored = new ReadModels();
            restored.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            assertEquals(List.of((byte)0, (byte)Side.SELL.value()),
                restored.findMarket(1).recentTrades(64).stream().map(TradeRecord::takerSide).toList());

            // the streams as it happened
            final List<String> printed = new ArrayList<>();
            for (final String m : updates(alice, "trades", 2))
            {
                printed.add(field(m.substring(m.indexOf("\"data\"")), "takerSide"));
            }
            assertEquals(List.of("NONE", "SELL"), printed);
            assertEquals(List.of("AUCTION", "MAKER"), liquidity(updates(alice, "fills", 2)));
            assertEquals(List.of("AUCTION", "TAKER"), liquidity(updates(bob, "fills", 2)));
        }
        // settlement is unchanged: alice bought 20 in the auction and 5 after it (account 3 did not trade: what she had)
        final long bought = workload.state.account(1).positionQuantity(1) - workload.state.account(3).positionQuantity(1);
        assertEquals(25, bought);
        final String balances = get("/api/v1/accounts/1/balances", ALICE);
        assertTrue(balances.contains("\"quantity\":" + workload.state.account(1).positionQuantity(1) + ","), balances);
    }

    private void phase(final TradingPhase phase)
    {
        workload.submit(b -> writer.setTradingPhase(b, 0, 0, 1, phase, null, 0));
    }

    private void order(final long account, final Side side, final long price, final long quantity, final TimeInForce tif)
    {
        workload.submit(b -> writer.newOrder(b, 0, 0, 1, account, 1, side, OrdType.LIMIT, tif, false, StpMode.NONE, price,
            quantity, "a" + workload.journal.size()));
    }

    private String get(final String path, final String authorization)
    {
        final HttpResponse<String> response = api.get(path, authorization);
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return response.body();
    }

    private static List<String> groups(final Pattern pattern, final String text)
    {
        final List<String> found = new ArrayList<>();
        final Matcher m = pattern.matcher(text);
        while (m.find())
        {
            found.add(m.group(1));
        }
        return found;
    }

    private static List<String> liquidity(final List<String> updates)
    {
        return updates.stream().map(m -> field(m, "liquidity")).toList();
    }

    /** The channel's first {@code count} updates, waiting for them. */
    private static List<String> updates(final WsClient ws, final String channel, final int count) throws InterruptedException
    {
        final long deadline = System.nanoTime() + 20_000_000_000L;
        while (true)
        {
            final List<String> updates = ws.received().stream()
                .filter(m -> m.contains("\"type\":\"update\"") && m.contains("\"channel\":\"" + channel + "\"")).toList();
            if (updates.size() >= count)
            {
                return updates.subList(0, count);
            }
            assertTrue(System.nanoTime() < deadline, "no " + count + " " + channel + " updates: " + updates);
            Thread.sleep(20);
        }
    }
}
