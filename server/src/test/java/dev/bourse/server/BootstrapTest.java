package dev.bourse.server;

import dev.bourse.engine.EngineConfig;
import dev.bourse.engine.EngineState;
import dev.bourse.engine.MatchingEngine;
import dev.bourse.protocol.Prices;
import dev.bourse.server.config.ExchangeConfig;
import dev.bourse.server.config.Settings;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class BootstrapTest
{
    @Test
    void firstStartCreatesAndFundsEverythingAndARestartRepeatsNothing() throws Exception
    {
        final ExchangeConfig config = ExchangeConfig.read(Settings.parse("test", """
            instruments = XYZ, ABC
            instrument.XYZ.reference-price = 10
            instrument.ABC.id = 7
            instrument.ABC.reference-price = 2.5
            accounts = 1, 2
            account.1.cash = 1000.50
            account.1.position.ABC = 300
            account.2.stp = cancel-both
            """));
        final EngineState state = new EngineState(new EngineConfig().conclude());
        final long[] rejects = new long[1];
        final MatchingEngine engine = new MatchingEngine(state, (buffer, offset, length) -> true, new dev.bourse.engine.EngineListener()
        {
            @Override
            public void onCommand(final int commandType, final int rejectReason)
            {
                rejects[0] += rejectReason == 0 ? 0 : 1;
            }
        });
        long[] clock = {0};
        final List<String> notes = new ArrayList<>();
        final List<byte[]> first = Bootstrap.commands(config, state, () -> ++clock[0], notes);
        assertEquals(2 + 2 + 2, first.size(), "2 instruments, 2 accounts, 1 cash and 1 position deposit");
        assertEquals(List.of("instrument.XYZ", "instrument.ABC", "account.1", "account.2"), Bootstrap.notApplied(config, state),
            "before the engine took them, nothing is applied");
        for (final byte[] command : first)
        {
            engine.onCommand(new UnsafeBuffer(command), 0, command.length);
        }
        assertEquals(List.of(), Bootstrap.notApplied(config, state));
        assertEquals(0, rejects[0]);
        assertEquals("ABC", state.instrument(7).symbol());
        assertEquals(Prices.parse("1000.5"), state.account(1).cash());
        assertEquals(300, state.account(1).positionQuantity(7));
        assertEquals(dev.bourse.protocol.sbe.StpMode.CANCEL_BOTH.value(), state.account(2).stpMode());

        assertTrue(Bootstrap.commands(config, state, () -> ++clock[0], notes).isEmpty());
        assertTrue(notes.isEmpty(), notes.toString());
    }

    /**
     * An instrument left out of the configuration moves the default ids after it: the notes say
     * which id the journal gives each symbol and what to set (a crash probe found only a note about
     * settings not applied, which named neither).
     */
    @Test
    void aRemovedInstrumentsMovedIdsAreNamedWithTheFix() throws Exception
    {
        final EngineState state = new EngineState(new EngineConfig().conclude());
        final MatchingEngine engine = new MatchingEngine(state, (buffer, offset, length) -> true, new dev.bourse.engine.EngineListener()
        {
        });
        final List<String> notes = new ArrayList<>();
        final ExchangeConfig before = ExchangeConfig.read(Settings.parse("test", """
            instruments = AAA, BBB, CCC
            instrument.AAA.reference-price = 10
            instrument.BBB.reference-price = 10
            instrument.CCC.reference-price = 10
            """));
        for (final byte[] command : Bootstrap.commands(before, state, () -> 1, notes))
        {
            engine.onCommand(new UnsafeBuffer(command), 0, command.length);
        }
        assertEquals("CCC", state.instrument(3).symbol());
        final ExchangeConfig after = ExchangeConfig.read(Settings.parse("test", """
            instruments = AAA, CCC
            instrument.AAA.reference-price = 10
            instrument.CCC.reference-price = 10
            """));
        assertTrue(Bootstrap.commands(after, state, () -> 2, notes).isEmpty());
        assertEquals(2, notes.size(), notes.toString());
        assertTrue(notes.get(0).startsWith("instrument id 2 is BBB in the journal but CCC in the configuration"), notes.get(0));
        assertTrue(notes.get(0).contains("set instrument.CCC.id = 3, its id in the journal"), notes.get(0));
        assertTrue(notes.get(1).startsWith("instrument BBB (id 2) is in the journal but not in the configuration"), notes.get(1));
        assertTrue(notes.get(1).contains("close it with ./exchange admin instrument close BBB"), notes.get(1));

        // once the operator closed it, the note no longer asks to (a probe got the advice after the close)
        final UnsafeBuffer close = new UnsafeBuffer(new byte[dev.bourse.protocol.CommandWriter.MAX_COMMAND_LENGTH]);
        final int length = new dev.bourse.protocol.CommandWriter().setTradingStatus(close, 0, 3, 2,
            dev.bourse.protocol.sbe.TradingStatus.CLOSED);
        engine.onCommand(close, 0, length);
        notes.clear();
        Bootstrap.commands(after, state, () -> 4, notes);
        assertEquals("instrument BBB (id 2) is in the journal but not in the configuration: it stays listed, closed", notes.get(1));
    }

    /**
     * A limit changed in the file for an instrument the journal has is named in a note with the value
     * in force (an outside probe lowered max-qty to 5 and heard nothing while orders of 100000 were
     * taken). The reference price and the status, which trading and operators move, are not compared.
     */
    @Test
    void aConfiguredLimitOtherThanTheJournalsIsNamedWithTheValueInForce() throws Exception
    {
        final EngineState state = new EngineState(new EngineConfig().conclude());
        final MatchingEngine engine = new MatchingEngine(state, (buffer, offset, length) -> true, new dev.bourse.engine.EngineListener()
        {
        });
        final List<String> notes = new ArrayList<>();
        final ExchangeConfig before = ExchangeConfig.read(Settings.parse("test", """
            instruments = AAPL
            instrument.AAPL.reference-price = 10
            instrument.AAPL.max-qty = 100000
            """));
        for (final byte[] command : Bootstrap.commands(before, state, () -> 1, notes))
        {
            engine.onCommand(new UnsafeBuffer(command), 0, command.length);
        }
        final ExchangeConfig after = ExchangeConfig.read(Settings.parse("test", """
            instruments = AAPL
            instrument.AAPL.reference-price = 12
            instrument.AAPL.max-qty = 5
            instrument.AAPL.band-bps = 700
            """));
        assertTrue(Bootstrap.commands(after, state, () -> 2, notes).isEmpty());
        assertEquals(1, notes.size(), notes.toString());
        assertTrue(notes.get(0).startsWith("instrument AAPL (id 1) exists in the journal, where max-qty is 100000 (configured 5), band-bps is "),
            notes.get(0));
        assertTrue(notes.get(0).contains("(configured 700)") && notes.get(0).endsWith("./exchange admin instrument amend AAPL (OPERATIONS.md)"),
            notes.get(0));
        assertFalse(notes.get(0).contains("reference"), notes.get(0));
    }
}
