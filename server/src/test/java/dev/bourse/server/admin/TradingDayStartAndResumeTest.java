package dev.bourse.server.admin;

import dev.bourse.protocol.JournalEventListener;
import dev.bourse.protocol.sbe.EntryHeaderDecoder;
import dev.bourse.protocol.sbe.TradeDecoder;
import dev.bourse.protocol.sbe.TradingPhaseChangedDecoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import quickfix.field.ExecType;
import quickfix.field.MsgType;
import quickfix.field.Side;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.bourse.server.admin.OpsExchange.awaitTrue;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The trading day where it meets a start and an operator, on a whole exchange: a new exchange
 * started before its day's opening call waits in the post-close (its instruments are added
 * trading, and traded until the call); an operator's resume in the closing call goes back into the
 * closing call, where it went through continuous trading first, uncrossing the halted call's book;
 * a halted opening call resumed into continuous trading reports its auction as the opening one.
 * The schedule's zone is chosen so that it is about noon there now.
 */
class TradingDayStartAndResumeTest
{
    @TempDir
    Path temp;

    private OpsExchange exchange;
    private FixClient alice;
    private FixClient bob;

    @AfterEach
    void tearDown()
    {
        for (final AutoCloseable c : new AutoCloseable[]{alice, bob, exchange})
        {
            try
            {
                if (c != null)
                {
                    c.close();
                }
            }
            catch (final Exception ignored)
            {
            }
        }
    }

    /** A segment of AAPL alone with these times, every day of the week, in a zone where it is about noon now. */
    private static Map<String, String> schedule(final String... steps)
    {
        final Map<String, String> settings = new HashMap<>();
        settings.put("schedule.enabled", "true");
        settings.put("schedule.time-zone", ZoneOffset.ofHours(12 - ZonedDateTime.now(ZoneOffset.UTC).getHour()).getId());
        settings.put("schedule.trading-days", "mon, tue, wed, thu, fri, sat, sun");
        settings.put("schedule.segments", "main");
        settings.put("schedule.segment.main.instruments", "AAPL");
        for (int i = 0; i < steps.length; i += 2)
        {
            settings.put("schedule.segment.main." + steps[i], steps[i + 1]);
        }
        return settings;
    }

    @Test
    void aNewExchangeStartedBeforeItsDaysOpeningCallTradesNothingUntilThen() throws Exception
    {
        exchange = new OpsExchange(temp.resolve("data"),
            schedule("opening-call", "18:00", "open", "19:00", "closing-call", "20:00", "close", "21:00"));
        awaitTrue(() -> exchange.phase("AAPL").contains("\"POST_CLOSE\""), "yesterday's close caught up (phase " + exchange.phase("AAPL") + ")");
        alice = new FixClient(exchange.server.gatewayPort(), "ALICE", "alice", "alice-demo").loggedOn();
        alice.send(FixClient.limitOrder("B1", Side.BUY, "AAPL", "190", 1));
        assertEquals(ExecType.REJECTED, alice.next(MsgType.EXECUTION_REPORT).getChar(ExecType.FIELD), "closed until the call");
        assertEquals(List.of("CONTINUOUS>POST_CLOSE"), phases());
    }

    @Test
    void aResumeInTheClosingCallGoesBackIntoItWithoutAnAuction() throws Exception
    {
        exchange = new OpsExchange(temp.resolve("data"), schedule("closing-call", "06:00", "close", "18:00"));
        awaitTrue(() -> exchange.phase("AAPL").contains("\"CLOSING_CALL\""), "the closing call caught up (phase " + exchange.phase("AAPL") + ")");
        alice = new FixClient(exchange.server.gatewayPort(), "ALICE", "alice", "alice-demo").loggedOn();
        bob = new FixClient(exchange.server.gatewayPort(), "BOB", "bob", "bob-demo").loggedOn();
        bob.send(FixClient.limitOrder("S1", Side.SELL, "AAPL", "189", 5));
        assertEquals(ExecType.NEW, bob.next(MsgType.EXECUTION_REPORT).getChar(ExecType.FIELD));
        alice.send(FixClient.limitOrder("B1", Side.BUY, "AAPL", "190", 5));
        assertEquals(ExecType.NEW, alice.next(MsgType.EXECUTION_REPORT).getChar(ExecType.FIELD), "a call: the book crosses");

        assertEquals(200, exchange.admin("instruments/AAPL/halt", null).status());
        final OpsExchange.Answer resume = exchange.admin("instruments/AAPL/resume", null);
        assertEquals(200, resume.status(), resume.body());
        awaitTrue(() -> exchange.phase("AAPL").contains("\"CLOSING_CALL\""), "back in the closing call (phase " + exchange.phase("AAPL") + ")");
        final List<String> phases = phases();
        assertEquals(List.of("CONTINUOUS>CLOSING_CALL", "HALTED>CLOSING_CALL"), phases, "straight from the halt into the call");
        assertEquals(0, trades(), "the crossed book waits for the closing auction");
    }

    /** AAPL's phase changes in the journal, in order, each as {@code FROM>TO}. */
    private List<String> phases()
    {
        final List<String> phases = new ArrayList<>();
        exchange.readJournal(new JournalEventListener()
        {
            @Override
            public void onTradingPhaseChanged(final EntryHeaderDecoder header, final TradingPhaseChangedDecoder event)
            {
                if (event.instrumentId() == 1)
                {
                    phases.add(event.previousPhase().name() + ">" + event.phase().name());
                }
            }
        });
        return phases;
    }

    private int trades()
    {
        final int[] trades = {0};
        exchange.readJournal(new JournalEventListener()
        {
            @Override
            public void onTrade(final EntryHeaderDecoder header, final TradeDecoder event)
            {
                trades[0]++;
            }
        });
        return trades[0];
    }

    /**
     * A halted opening call lifted into continuous trading uncrosses, and that auction opens the
     * instrument (ENGINE-RULES.md): its fills say so with TradingSessionSubID (625) 2, where an outside
     * tester found 6, the intraday auctions' value, because the engine names the call it ends HALTED.
     */
    @Test
    void theAuctionThatLiftsAHaltedOpeningCallIsTheOpeningAuction() throws Exception
    {
        exchange = new OpsExchange(temp.resolve("data"));
        final OpsExchange.Answer call = exchange.admin("instruments/AAPL/phase", "phase=opening-call");
        assertEquals(200, call.status(), call.body());
        alice = new FixClient(exchange.server.gatewayPort(), "ALICE", "alice", "alice-demo").loggedOn();
        bob = new FixClient(exchange.server.gatewayPort(), "BOB", "bob", "bob-demo").loggedOn();

        bob.send(FixClient.limitOrder("S1", Side.SELL, "AAPL", "189", 5));
        assertEquals(ExecType.NEW, bob.next(MsgType.EXECUTION_REPORT).getChar(ExecType.FIELD));
        alice.send(FixClient.limitOrder("B1", Side.BUY, "AAPL", "191", 5));
        assertEquals(ExecType.NEW, alice.next(MsgType.EXECUTION_REPORT).getChar(ExecType.FIELD), "a call: no trade yet");

        final OpsExchange.Answer halt = exchange.admin("instruments/AAPL/halt", null);
        assertEquals(200, halt.status(), halt.body());
        final OpsExchange.Answer resume = exchange.admin("instruments/AAPL/resume", null);
        assertEquals(200, resume.status(), resume.body());

        final quickfix.Message fill = alice.next(MsgType.EXECUTION_REPORT);
        assertEquals(ExecType.TRADE, fill.getChar(ExecType.FIELD), fill.toString());
        assertEquals("2", fill.getString(625), "the auction that opens the instrument: " + fill);
        final quickfix.Message other = bob.next(MsgType.EXECUTION_REPORT);
        assertEquals("2", other.getString(625), other.toString());
    }
}
