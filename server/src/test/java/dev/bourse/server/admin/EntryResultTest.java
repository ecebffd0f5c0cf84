package dev.bourse.server.admin;

import dev.bourse.engine.EngineConfig;
import dev.bourse.engine.EngineState;
import dev.bourse.engine.MatchingEngine;
import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.JournalEntryReader;
import dev.bourse.protocol.Prices;
import dev.bourse.protocol.sbe.*;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/** What the admin API answers from a command's journal entry. */
class EntryResultTest
{
    private final UnsafeBuffer last = new UnsafeBuffer(new byte[1 << 16]);
    private int lastLength;
    private final MatchingEngine engine = new MatchingEngine(new EngineState(new EngineConfig().maxInstruments(4)
        .preallocatedOrders(64).preallocatedLevels(64).expectedClOrdIdsPerDay(64)), (buffer, offset, length) ->
        {
            last.putBytes(0, buffer, offset, length);
            lastLength = length;
            return true;
        });
    private final CommandWriter writer = new CommandWriter();
    private final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
    private long time = 1;

    private void send(final int length)
    {
        engine.onCommand(command, 0, length);
    }

    private void order(final Side side, final OrdType type, final long cents, final long stopCents, final int quantity)
    {
        send(writer.newOrder(command, 0, ++time, 1, 7, 1, side, type, TimeInForce.GTC, false, StpMode.NONE,
            cents * Prices.SCALE / 100, quantity, "o" + time, stopCents * Prices.SCALE / 100, 0, 0));
    }

    private void addInstrument()
    {
        send(writer.addInstrument(command, 0, ++time, 1, "ACME", Prices.SCALE / 100, 1, 1, 1_000_000, Long.MAX_VALUE / 4,
            100 * Prices.SCALE, 5_000, TradingStatus.OPEN));
    }

    private void fundedAccountTradedAt100()
    {
        send(writer.createAccount(command, 0, ++time, 7, StpMode.NONE));
        send(writer.deposit(command, 0, ++time, 7, 0, 1_000_000_000 * Prices.SCALE, 1));
        send(writer.deposit(command, 0, ++time, 7, 1, 1_000, 2));
        order(Side.SELL, OrdType.LIMIT, 100_00, 0, 1);
        order(Side.BUY, OrdType.LIMIT, 100_00, 0, 1); // last price 100
    }

    /** What the admin API answers from the last entry, the SetTradingPhase stamped {@code at}. */
    private EntryResult phaseChangeAt(final long at)
    {
        final EntryResult result = new EntryResult();
        result.expect(CommandType.SET_TRADING_PHASE, at);
        new JournalEntryReader().read(last, 0, lastLength, result);
        assertTrue(result.found);
        return result;
    }

    @Test
    void aPhaseChangeWhoseAuctionStartsAVolatilityCallNamesEachPhaseOnce()
    {
        addInstrument();
        send(writer.setVolatilityGuards(command, 0, ++time, 1, 200, 0, Duration.ofMinutes(2).toNanos()));
        fundedAccountTradedAt100();
        send(writer.setTradingPhase(command, 0, ++time, 1, TradingPhase.OPENING_CALL, null, 0));
        order(Side.BUY, OrdType.STOP, 0, 100_50, 2);   // a held stop
        order(Side.BUY, OrdType.LIMIT, 101_00, 0, 2);
        order(Side.SELL, OrdType.LIMIT, 101_00, 0, 2);
        order(Side.SELL, OrdType.LIMIT, 104_00, 0, 5);
        final long at = ++time;
        send(writer.setTradingPhase(command, 0, at, 1, TradingPhase.CONTINUOUS, null, 0));
        assertEquals(TradingPhase.VOLATILITY_CALL.value(), engine.state().instrument(1).phase(),
            "the auction at 101 elected the stop, which traded at 104, outside the 2% band");

        final EntryResult result = phaseChangeAt(at);
        final String members = result.members();
        assertTrue(members.contains("\"instrumentId\":1,\"phase\":\"CONTINUOUS\""), members);
        assertTrue(members.contains("\"thenPhase\":\"VOLATILITY_CALL\""), members);
        assertEquals(members.indexOf("\"phase\""), members.lastIndexOf("\"phase\""), "one phase member: " + members);
        assertTrue(members.contains("\"auctionPrice\":\"101\""), members);
    }

    @Test
    void aPhaseChangeCountsTheOrdersItsCallEndedButNotAnElectedStopsRemainder()
    {
        addInstrument();
        fundedAccountTradedAt100();
        order(Side.BUY, OrdType.LIMIT, 96_00, 0, 2);
        send(writer.setTradingPhase(command, 0, ++time, 1, TradingPhase.OPENING_CALL, null, 0));
        order(Side.SELL, OrdType.STOP, 0, 98_00, 5);   // elected by the auction: sells 2 at 96, its remaining 3 canceled
        order(Side.BUY, OrdType.LIMIT, 97_00, 0, 3);
        order(Side.SELL, OrdType.LIMIT, 97_00, 0, 3);
        send(writer.newOrder(command, 0, ++time, 1, 7, 1, Side.BUY, OrdType.LIMIT, TimeInForce.AT_THE_OPEN, false,
            StpMode.NONE, 90 * Prices.SCALE, 1, "opg", 0, 0, 0)); // below the auction price: expires with the call
        final long at = ++time;
        send(writer.setTradingPhase(command, 0, at, 1, TradingPhase.CONTINUOUS, null, 0));

        final EntryResult result = phaseChangeAt(at);
        final String members = result.members();
        assertTrue(members.contains("\"auctionPrice\":\"97\",\"auctionQty\":3"), members);
        // it said "canceledOrders":2, the stop's remainder counted as if the operator had canceled it (an outside probe)
        assertTrue(members.contains("\"expiredOrders\":1"), members);
        assertFalse(members.contains("canceledOrders"), members);
    }

    /**
     * A resume that reopens a halted opening call uncrosses it and expires its at-the-open orders,
     * as the phase change would: the answer names them expiredOrders, by why they ended (an outside
     * probe got "canceledOrders":1, named after the command).
     */
    @Test
    void aResumeOfAHaltedCallNamesTheOrdersItsAuctionExpired()
    {
        addInstrument();
        fundedAccountTradedAt100();
        send(writer.setTradingPhase(command, 0, ++time, 1, TradingPhase.OPENING_CALL, null, 0));
        order(Side.SELL, OrdType.LIMIT, 99_00, 0, 10);
        send(writer.newOrder(command, 0, ++time, 1, 7, 1, Side.BUY, OrdType.LIMIT, TimeInForce.AT_THE_OPEN, false,
            StpMode.NONE, 100 * Prices.SCALE, 12, "opg", 0, 0, 0)); // 10 of 12 trade in the auction, the rest expires
        send(writer.setTradingStatus(command, 0, ++time, 1, TradingStatus.HALTED));
        final long at = ++time;
        send(writer.setTradingStatus(command, 0, at, 1, TradingStatus.OPEN));

        final EntryResult result = new EntryResult();
        result.expect(CommandType.SET_TRADING_STATUS, at);
        new JournalEntryReader().read(last, 0, lastLength, result);
        assertTrue(result.found);
        final String members = result.members();
        assertTrue(members.contains("\"auctionQty\":10"), members);
        assertTrue(members.contains("\"expiredOrders\":1"), members);
        assertFalse(members.contains("canceledOrders"), members);
    }

    @Test
    void anAuctionThatMatchedNothingHasNoPrice()
    {
        addInstrument();
        send(writer.setTradingPhase(command, 0, ++time, 1, TradingPhase.OPENING_CALL, null, 0));
        final long at = ++time;
        send(writer.setTradingPhase(command, 0, at, 1, TradingPhase.CONTINUOUS, null, 0));
        final EntryResult result = phaseChangeAt(at);
        assertTrue(result.members().contains("\"auctionPrice\":null,\"auctionQty\":0"), result.members());
    }
}
