package dev.bourse.server;

import dev.bourse.engine.EngineState;
import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.Prices;
import dev.bourse.protocol.sbe.TradingPhase;
import dev.bourse.server.config.ExchangeConfig;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Turns the configured instruments and accounts into engine commands, for what the recovered
 * state does not have yet: on the first start everything is created and funded; on a restart
 * nothing is repeated (deposits in particular are made only when the account is created). Goes
 * through the ring like any other command, so the journal is the complete record of set-up too.
 */
public final class Bootstrap
{
    private Bootstrap()
    {
    }

    /** Encoded commands, in order. {@code notes} receives what differs from the configuration and is left alone. */
    public static List<byte[]> commands(
        final ExchangeConfig config, final EngineState state, final LongSupplier clock, final List<String> notes)
    {
        final CommandWriter writer = new CommandWriter();
        final MutableDirectBuffer buffer = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
        final List<byte[]> commands = new ArrayList<>();
        for (final ExchangeConfig.Instrument i : config.instruments())
        {
            final dev.bourse.engine.Instrument existing = state.instrument(i.id());
            if (existing == null)
            {
                add(commands, buffer, writer.addInstrument(buffer, 0, clock.getAsLong(), i.id(), i.symbol(), i.tickSize(),
                    i.lotSize(), i.minQuantity(), i.maxQuantity(), i.maxNotional(), i.referencePrice(), i.priceBandBps(),
                    i.status()));
            }
            else if (!existing.symbol().equals(i.symbol()))
            {
                final int journaled = idOf(state, i.symbol());
                notes.add("instrument id " + i.id() + " is " + existing.symbol() + " in the journal but " + i.symbol()
                    + " in the configuration: ids never change once journaled, and an id left out defaults to the"
                    + " instrument's place in 'instruments =' (removing or reordering one moves the ids after it); "
                    + (journaled > 0 ? "set instrument." + i.symbol() + ".id = " + journaled + ", its id in the journal"
                    : "give instrument." + i.symbol() + ".id an id the journal does not use")
                    + ". Nothing of " + i.symbol() + "'s configuration is applied until then");
            }
            else
            {
                final String differences = differences(existing, i);
                if (!differences.isEmpty())
                {
                    notes.add("instrument " + i.symbol() + " (id " + i.id() + ") exists in the journal, where " + differences
                        + ": the configuration's settings are not applied to an existing instrument; change them at runtime with"
                        + " ./exchange admin instrument amend " + i.symbol() + " (OPERATIONS.md)");
                }
            }
        }
        final java.util.Set<String> configured = new java.util.HashSet<>();
        config.instruments().forEach(i -> configured.add(i.symbol()));
        for (int id = 1; id < state.config().maxInstruments(); id++)
        {
            final dev.bourse.engine.Instrument journaled = state.instrument(id);
            if (journaled != null && !configured.contains(journaled.symbol()))
            {
                // closing is advised only while it is not closed: an operator who closed it has done what the note asks
                notes.add("instrument " + journaled.symbol() + " (id " + id + ") is in the journal but not in the configuration: "
                    + (journaled.phase() == (byte)TradingPhase.CLOSED.value() ? "it stays listed, closed"
                    : "it stays listed with its orders (close it with ./exchange admin instrument close " + journaled.symbol() + ")"));
            }
        }
        for (final ExchangeConfig.Account a : config.accounts())
        {
            if (state.account(a.id()) != null)
            {
                continue;
            }
            add(commands, buffer, writer.createAccount(buffer, 0, clock.getAsLong(), a.id(), a.stpMode()));
            if (a.cash() > 0)
            {
                add(commands, buffer, writer.deposit(buffer, 0, clock.getAsLong(), a.id(), 0, a.cash(), 0));
            }
            for (final var position : a.positions().entrySet())
            {
                if (position.getValue() > 0)
                {
                    add(commands, buffer, writer.deposit(buffer, 0, clock.getAsLong(), a.id(), position.getKey(),
                        position.getValue(), 0));
                }
            }
        }
        return commands;
    }

    /**
     * The limits the configuration sets otherwise than the journal, "max-qty is 100000 (configured 5), ...",
     * or "": every one an operator may have changed in the file meaning to change the instrument
     * (only tick and lot were compared, so a max-qty lowered to 5 in the file was ignored in
     * silence while the exchange took orders of 100000: an outside probe). The reference price and
     * the status are left out: trading and operators move them, and the journal's are the ones in force.
     */
    static String differences(final dev.bourse.engine.Instrument journaled, final ExchangeConfig.Instrument configured)
    {
        final StringBuilder text = new StringBuilder();
        difference(text, "tick", Prices.toString(journaled.tickSize()), Prices.toString(configured.tickSize()));
        difference(text, "lot", Long.toString(journaled.lotSize()), Long.toString(configured.lotSize()));
        difference(text, "min-qty", Long.toString(journaled.minQuantity()), Long.toString(configured.minQuantity()));
        difference(text, "max-qty", Long.toString(journaled.maxQuantity()), Long.toString(configured.maxQuantity()));
        difference(text, "max-notional", Prices.toString(journaled.maxNotional()), Prices.toString(configured.maxNotional()));
        difference(text, "band-bps", Integer.toString(journaled.priceBandBps()), Integer.toString(configured.priceBandBps()));
        return text.toString();
    }

    private static void difference(final StringBuilder text, final String key, final String journaled, final String configured)
    {
        if (!journaled.equals(configured))
        {
            text.append(text.length() == 0 ? "" : ", ").append(key).append(" is ").append(journaled)
                .append(" (configured ").append(configured).append(')');
        }
    }

    /**
     * The configured instruments and accounts the engine does not have after the bootstrap ran: it
     * refused their commands (the configuration's checks should have caught the value first).
     *
     * @return the configuration keys' prefixes, empty if all were applied.
     */
    public static List<String> notApplied(final ExchangeConfig config, final EngineState state)
    {
        final List<String> missing = new ArrayList<>();
        for (final ExchangeConfig.Instrument i : config.instruments())
        {
            if (state.instrument(i.id()) == null)
            {
                missing.add("instrument." + i.symbol());
            }
        }
        for (final ExchangeConfig.Account a : config.accounts())
        {
            if (state.account(a.id()) == null)
            {
                missing.add("account." + a.id());
            }
        }
        return missing;
    }

    private static int idOf(final EngineState state, final String symbol)
    {
        for (int id = 1; id < state.config().maxInstruments(); id++)
        {
            final dev.bourse.engine.Instrument instrument = state.instrument(id);
            if (instrument != null && instrument.symbol().equals(symbol))
            {
                return id;
            }
        }
        return 0;
    }

    /** One line for an exchange that does not start because the engine refused part of its configuration. */
    public static String refusedMessage(final List<String> notApplied, final java.nio.file.Path journalDir)
    {
        return "the engine refused the configuration's " + String.join(", ", notApplied) + " (its reason: ./exchange journal dump"
            + " --journal " + journalDir + " --type CommandRejected); the exchange does not start";
    }

    private static void add(final List<byte[]> commands, final MutableDirectBuffer buffer, final int length)
    {
        if (length <= 0)
        {
            throw new IllegalStateException("configuration value does not encode");
        }
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        commands.add(bytes);
    }
}
