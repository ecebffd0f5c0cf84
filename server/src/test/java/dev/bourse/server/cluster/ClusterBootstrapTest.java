package dev.bourse.server.cluster;

import dev.bourse.engine.EngineConfig;
import dev.bourse.engine.EngineState;
import dev.bourse.engine.MatchingEngine;
import dev.bourse.server.config.ExchangeConfig;
import dev.bourse.server.config.Settings;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster's bootstrap journals a configuration once, into a cluster with no instruments and no
 * accounts; a node whose configuration later has more is told so and adds nothing when it leads
 * (an outside probe saw an extra instrument and account, with its cash, appear at a failover).
 */
class ClusterBootstrapTest
{
    private static ExchangeConfig config(final String text) throws Exception
    {
        return ExchangeConfig.read(Settings.parse("test", "cluster.members = 0=localhost:9000\ncluster.node-id = 0\n" + text));
    }

    @Test
    void theFirstLeaderJournalsTheConfigurationAndALaterOneWithMoreAddsNothing() throws Exception
    {
        final EngineState state = new EngineState(new EngineConfig().conclude());
        final MatchingEngine engine = new MatchingEngine(state, (buffer, offset, length) -> true, new dev.bourse.engine.EngineListener()
        {
        });
        final List<String> notes = new ArrayList<>();
        final ExchangeConfig first = config("instruments = XYZ\ninstrument.XYZ.reference-price = 10\naccounts = 1\naccount.1.cash = 100\n");
        final List<byte[]> commands = ClusterBootstrap.commands(first, state, () -> 1, notes);
        assertEquals(3, commands.size(), "the instrument, the account, its cash");
        for (final byte[] command : commands)
        {
            engine.onCommand(new UnsafeBuffer(command), 0, command.length);
        }
        assertTrue(notes.isEmpty(), notes.toString());

        final ExchangeConfig more = config("instruments = XYZ, ZZZ\ninstrument.XYZ.reference-price = 10\ninstrument.ZZZ.reference-price = 5\n"
            + "accounts = 1, 1005\naccount.1.cash = 100\naccount.1005.cash = 777\n");
        assertEquals(List.of(), ClusterBootstrap.commands(more, state, () -> 2, notes), "nothing added once the cluster has its configuration");
        assertEquals(1, notes.size(), notes.toString());
        assertTrue(notes.get(0).startsWith("warning: this node's configuration has instrument.ZZZ, account.1005, which the cluster does not:"
            + " not added."), notes.get(0));
        assertNull(state.instrument(2));
        assertNull(state.account(1005));

        notes.clear();
        assertEquals(List.of(), ClusterBootstrap.commands(first, state, () -> 3, notes), "the same configuration: nothing to do");
        assertTrue(notes.isEmpty(), notes.toString());
    }
}
