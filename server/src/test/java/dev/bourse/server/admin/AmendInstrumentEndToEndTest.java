package dev.bourse.server.admin;

import dev.bourse.protocol.JournalEventListener;
import dev.bourse.protocol.sbe.AuditRecordedDecoder;
import dev.bourse.protocol.sbe.AuditType;
import dev.bourse.protocol.sbe.CommandType;
import dev.bourse.protocol.sbe.EntryHeaderDecoder;
import dev.bourse.protocol.sbe.InstrumentAmendedDecoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import quickfix.Message;
import quickfix.field.ExecType;
import quickfix.field.MsgType;
import quickfix.field.Price;
import quickfix.field.Side;
import quickfix.field.Text;
import quickfix.fix44.NewOrderSingle;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.bourse.server.admin.AdminApiIntegrationTest.assertRefused;
import static dev.bourse.server.admin.OpsExchange.awaitTrue;
import static org.junit.jupiter.api.Assertions.*;

/**
 * An operator amends AAPL's tick and lot through the admin API of a running exchange: the journal
 * holds the OPERATOR audit record and the InstrumentAmended event, the query API shows the new
 * rules, and a trader's FIX order on the old tick is refused while one on the new tick is taken.
 * The amendment survives a restart.
 */
class AmendInstrumentEndToEndTest
{
    @TempDir
    Path temp;

    private OpsExchange exchange;
    private FixClient alice;

    @AfterEach
    void tearDown()
    {
        if (alice != null)
        {
            alice.close();
        }
        if (exchange != null)
        {
            exchange.close();
        }
    }

    @Test
    void anAmendedTickAndLotRefuseOrdersOnTheOldOnesOverFix() throws Exception
    {
        exchange = new OpsExchange(temp.resolve("data"));
        alice = new FixClient(exchange.server.gatewayPort(), "ALICE", "alice", "alice-demo").loggedOn();
        alice.send(order("A1", "180.01", 3));
        assertEquals(ExecType.NEW, nextReport(alice).getChar(ExecType.FIELD), "on the old tick and lot, before the amendment");

        assertRefused(exchange.admin("instruments/AAPL/amend", ""), 400, "at least one of");
        assertRefused(exchange.admin("instruments/AAPL/amend", "tick=0.03"), 422, "BAD_TICK");
        assertRefused(exchange.admin("instruments/AAPL/amend", "minQty=500&maxQty=100"), 422, "QTY_OUT_OF_RANGE");
        final OpsExchange.Answer amended = exchange.admin("instruments/AAPL/amend", "tick=0.05&lot=10");
        assertEquals(200, amended.status(), amended.body());
        assertTrue(amended.body().contains("\"command\":\"AMEND_INSTRUMENT\"") && amended.body().contains("\"tick\":\"0.05\"") &&
            amended.body().contains("\"lot\":10") && amended.body().contains("\"referencePrice\":\"190\""), amended.body());
        assertTrue(amended.body().contains("\"minQty\":10"), "the kept minimum of 1 rose to the new lot: " + amended.body());

        alice.send(order("A2", "180.02", 10));
        final Message offTick = nextReport(alice);
        assertEquals(ExecType.REJECTED, offTick.getChar(ExecType.FIELD), offTick.toString());
        assertTrue(offTick.getString(Text.FIELD).contains("BAD_TICK"), offTick.toString());
        alice.send(order("A3", "180.05", 13)); // at least the minimum (the new lot), not a whole number of lots
        final Message offLot = nextReport(alice);
        assertEquals(ExecType.REJECTED, offLot.getChar(ExecType.FIELD), offLot.toString());
        assertTrue(offLot.getString(Text.FIELD).contains("BAD_LOT"), offLot.toString());
        alice.send(order("A4", "180.05", 10));
        assertEquals(ExecType.NEW, nextReport(alice).getChar(ExecType.FIELD), "on the new tick and lot");

        // the journal: who did it (the OPERATOR record), then what the engine did
        final List<String> audited = new ArrayList<>();
        final List<Long> ticks = new ArrayList<>();
        exchange.readJournal(new JournalEventListener()
        {
            @Override
            public void onAuditRecorded(final EntryHeaderDecoder header, final AuditRecordedDecoder event)
            {
                if (event.auditType() == AuditType.OPERATOR)
                {
                    audited.add(event.username().trim() + " " + CommandType.get((short)event.detail()) + " " + event.instrumentId());
                }
            }

            @Override
            public void onInstrumentAmended(final EntryHeaderDecoder header, final InstrumentAmendedDecoder event)
            {
                assertEquals(CommandType.AMEND_INSTRUMENT, header.commandType());
                ticks.add(event.tickSize());
                assertEquals(10, event.lotSize());
            }
        });
        assertEquals(List.of(500L), ticks, "one amendment journaled (the refused ones are CommandRejected)");
        assertEquals(3, audited.stream().filter(a -> a.startsWith("ops AMEND_INSTRUMENT ")).count(), "every attempt is audited: " + audited);

        // the query side's instrument view follows
        awaitTrue(() -> instrumentView(exchange).matches("(?s).*\"tickSize\":\"?0\\.05\"?[,}].*\"lotSize\":10[,}].*"),
            "the read models show the new tick and lot");

        // ./exchange admin drives the same endpoint
        final Path passwordFile = temp.resolve("ops.password");
        java.nio.file.Files.writeString(passwordFile, OpsExchange.OPS_PASSWORD + "\n");
        final String url = "http://127.0.0.1:" + exchange.server.queryPort();
        final String cliOut = AdminApiIntegrationTest.cli("admin", "instrument", "amend", "AAPL", "--max-qty", "5000", "--url", url,
            "--password-file", passwordFile.toString());
        assertTrue(cliOut.startsWith("0 ") && cliOut.contains("\"maxQty\":5000") && cliOut.contains("\"tick\":\"0.05\""), cliOut);
        assertTrue(AdminApiIntegrationTest.cli("admin", "instrument", "amend", "--help").contains("--max-notional"), "amend has --help");

        // a restart replays it: the old tick is still refused
        alice.close();
        alice = null;
        exchange = exchange.restart();
        alice = new FixClient(exchange.server.gatewayPort(), "ALICE", "alice", "alice-demo").loggedOn();
        alice.send(order("A5", "180.02", 10));
        assertTrue(nextReport(alice).getString(Text.FIELD).contains("BAD_TICK"));
        alice.send(order("A6", "180.05", 6000));
        assertTrue(nextReport(alice).getString(Text.FIELD).contains("QTY_OUT_OF_RANGE"), "the CLI's max-qty survived too");
    }

    private static String instrumentView(final OpsExchange exchange)
    {
        try
        {
            return exchange.get("/api/v1/instruments/AAPL", null, null).body();
        }
        catch (final Exception e)
        {
            return "";
        }
    }

    private static NewOrderSingle order(final String clOrdId, final String price, final int qty)
    {
        return FixClient.limitOrder(clOrdId, Side.BUY, "AAPL", price, qty);
    }

    private static Message nextReport(final FixClient client) throws Exception
    {
        return client.next(MsgType.EXECUTION_REPORT);
    }
}
