package dev.bourse.server.admin;

import dev.bourse.protocol.JournalEventListener;
import dev.bourse.protocol.sbe.AuditRecordedDecoder;
import dev.bourse.protocol.sbe.AuditType;
import dev.bourse.protocol.sbe.CommandType;
import dev.bourse.protocol.sbe.EntryHeaderDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.bourse.server.admin.OpsExchange.awaitTrue;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Admin actions end to end against a real exchange: each is answered with the journal position of
 * the entry that carried it out (or the engine's specific refusal), each is preceded in the journal
 * by an audit record naming the operator, compliance reads them in the audit log, and a restart
 * replays them.
 */
class AdminApiIntegrationTest
{
    @TempDir
    Path temp;

    @Test
    void adminActionsGoThroughTheJournalWithTheOperatorsName() throws Exception
    {
        final OpsExchange exchange = new OpsExchange(temp.resolve("data"));
        running = exchange;
        {
            final OpsExchange.Answer created = exchange.admin("accounts", "id=2001&stp=cancel-both");
            assertEquals(200, created.status(), created.body());
            assertTrue(created.body().contains("\"command\":\"CREATE_ACCOUNT\""), created.body());
            final long createdAt = position(created.body());

            final OpsExchange.Answer deposit = exchange.admin("accounts/2001/deposit", "amount=1000.50");
            assertEquals(200, deposit.status(), deposit.body());
            assertTrue(deposit.body().contains("\"balance\":\"1000.5"), deposit.body());
            assertTrue(position(deposit.body()) > createdAt, "positions grow: " + deposit.body());

            final OpsExchange.Answer tooMuch = exchange.admin("accounts/2001/withdraw", "amount=5000");
            assertEquals(409, tooMuch.status(), tooMuch.body());
            assertTrue(tooMuch.body().contains("INSUFFICIENT_FUNDS"), tooMuch.body());
            assertEquals(200, exchange.admin("accounts/2001/withdraw", "amount=0.5").status());

            final OpsExchange.Answer twice = exchange.admin("accounts", "id=2001");
            assertEquals(409, twice.status(), twice.body());
            assertTrue(twice.body().contains("ACCOUNT_EXISTS"), twice.body());

            final OpsExchange.Answer added = exchange.admin("instruments",
                "id=6&symbol=NEWCO&tick=0.01&lot=1&referencePrice=10.00&bandBps=1000");
            assertEquals(200, added.status(), added.body());
            assertTrue(added.body().contains("\"symbol\":\"NEWCO\""), added.body());
            awaitTrue(() -> get(exchange, "/api/v1/instruments/NEWCO") == 200, "the read models know NEWCO");

            final OpsExchange.Answer halted = exchange.admin("instruments/NEWCO/halt", null);
            assertEquals(200, halted.status(), halted.body());
            assertTrue(halted.body().contains("HALTED"), halted.body());
            // reopening through an auction: a reopening call collects orders, continuous trading uncrosses it
            final OpsExchange.Answer call = exchange.admin("instruments/NEWCO/phase", "phase=reopening-call&expected=halted");
            assertEquals(200, call.status(), call.body());
            assertTrue(call.body().contains("\"phase\":\"REOPENING_CALL\""), call.body());
            awaitTrue(() -> bodyOf(exchange, "/api/v1/instruments/NEWCO").contains("\"phase\":\"REOPENING_CALL\""),
                "the query API shows the call");
            assertRefused(exchange.admin("instruments/NEWCO/phase", "phase=continuous&expected=halted"), 422, "TRADING_PHASE_MISMATCH");
            assertRefused(exchange.admin("instruments/NEWCO/phase", "phase=volatility-call"), 400, "only the engine");
            assertRefused(exchange.admin("instruments/NEWCO/phase", "phase=lunch"), 400, "reopening-call");
            final OpsExchange.Answer reopened = exchange.admin("instruments/NEWCO/phase", "phase=continuous");
            assertEquals(200, reopened.status(), reopened.body());
            assertTrue(reopened.body().contains("\"phase\":\"CONTINUOUS\""), reopened.body());
            exchange.admin("instruments/6/halt", null);
            assertEquals(200, exchange.admin("instruments/6/resume", null).status());
            final OpsExchange.Answer reference = exchange.admin("instruments/NEWCO/reference-price", "price=11.50");
            assertEquals(200, reference.status(), reference.body());
            assertTrue(reference.body().contains("\"referencePrice\":\"11.5"), reference.body());
            final OpsExchange.Answer guards =
                exchange.admin("instruments/NEWCO/guards", "dynamicBandBps=500&staticBandBps=1000&interruptionMs=5000");
            assertEquals(200, guards.status(), guards.body());
            assertTrue(guards.body().contains("\"staticBandBps\":1000,\"interruptionMs\":5000"), guards.body());
            awaitTrue(() -> bodyOf(exchange, "/api/v1/instruments/NEWCO")
                .contains("\"dynamicBandBps\":500,\"staticBandBps\":1000,\"interruptionMs\":5000"),
                "the query API shows the guards");

            // clear 4xx for bad input, before anything reaches the engine
            assertRefused(exchange.admin("instruments/NEWCO/reference-price", "price=abc"), 400, "price");
            assertRefused(exchange.admin("accounts/2001/deposit", ""), 400, "amount is required");
            assertRefused(exchange.admin("instruments/NOPE/halt", null), 404, "no instrument 'NOPE'");
            assertRefused(exchange.admin("accounts/2001/explode", null), 404, "deposit, withdraw");
            assertRefused(exchange.get("/api/v1/admin/accounts", "ops", OpsExchange.OPS_PASSWORD), 405, "POST");
            assertRefused(exchange.admin("accounts/99999/deposit", "amount=1"), 404, "UNKNOWN_ACCOUNT");
            // a symbol of digits would be read as an id in every path ("2" halted instrument 2: an outside probe)
            assertRefused(exchange.admin("instruments", "id=7&symbol=2&tick=0.01&referencePrice=10.00"), 400, "all digits");
            assertRefused(exchange.admin("instruments", "id=7&symbol=Q8&tick=0.01&referencePrice=5&lot=2&minQty=3"), 400,
                "minQty 3 is not a whole number of lots (2)");
            // no path could name these afterwards, and the configuration refuses them (an outside probe)
            for (final String symbol : new String[] {"X%2FY", "%2541", "A.B", "C%2CD"})
            {
                assertRefused(exchange.admin("instruments", "id=7&symbol=" + symbol + "&tick=0.01&referencePrice=10.00"), 400,
                    "without spaces or any of");
            }
            // and digits of another script are no number: fullwidth 6 is not instrument 6, nor any symbol
            assertRefused(exchange.admin("instruments/%EF%BC%96/halt", null), 404, "no instrument");

            final OpsExchange.Answer eod = exchange.admin("end-of-day", null);
            assertEquals(200, eod.status(), eod.body());
            assertTrue(eod.body().contains("\"expiredOrders\":"), eod.body());

            // the journal holds an OPERATOR audit record naming ops before each action
            final List<String> audited = new ArrayList<>();
            exchange.readJournal(new JournalEventListener()
            {
                @Override
                public void onAuditRecorded(final EntryHeaderDecoder header, final AuditRecordedDecoder event)
                {
                    if (event.auditType() == AuditType.OPERATOR)
                    {
                        audited.add(event.username().trim() + " " + CommandType.get((short)event.detail()) + " " +
                            event.accountId() + " " + event.instrumentId());
                    }
                }
            });
            assertTrue(audited.contains("ops CREATE_ACCOUNT 2001 0"), audited.toString());
            assertTrue(audited.contains("ops DEPOSIT 2001 0"), audited.toString());
            assertTrue(audited.contains("ops ADD_INSTRUMENT 0 6"), audited.toString());
            assertTrue(audited.contains("ops SET_TRADING_STATUS 0 6"), audited.toString());
            assertTrue(audited.contains("ops SET_TRADING_PHASE 0 6"), audited.toString());
            assertTrue(audited.contains("ops END_OF_DAY 0 0"), audited.toString());

            // compliance reads them in the audit log
            final long head = exchange.server.journal().lastSequence();
            final OpsExchange.Answer log = exchange.get("/api/v1/audit?limit=1000&timeoutMs=10000&waitForSequence=" + head, "audit",
                OpsExchange.AUDIT_PASSWORD);
            assertEquals(200, log.status(), log.body());
            assertTrue(log.body().contains("\"username\":\"ops\",\"type\":\"OPERATOR\",\"action\":\"CREATE_ACCOUNT\",\"accountId\":2001"),
                log.body());
            assertTrue(log.body().contains("\"action\":\"ADD_INSTRUMENT\",\"accountId\":0,\"instrumentId\":6"), log.body());

        }
        // ./exchange admin drives the same API
        final Path passwordFile = temp.resolve("ops.password");
        java.nio.file.Files.writeString(passwordFile, OpsExchange.OPS_PASSWORD + "\n");
        final String url = "http://127.0.0.1:" + exchange.server.queryPort();
        final String cliOut = cli("admin", "--url", url, "--password-file", passwordFile.toString(), "account", "create", "3001");
        assertTrue(cliOut.startsWith("0 {\"position\":") && cliOut.contains("\"command\":\"CREATE_ACCOUNT\""), cliOut);
        assertTrue(cli("admin", "account", "deposit", "3001", "12.5", "--url", url, "--password-file", passwordFile.toString())
            .contains("\"balance\":\"12.5"));
        assertTrue(cli("admin", "account", "withdraw", "3001", "99", "--url", url, "--password-file", passwordFile.toString())
            .startsWith("1 "), "a refusal exits 1");
        assertTrue(cli("admin", "instrument", "halt", "--help").contains("Halts trading"));
        assertTrue(cli("admin", "instrument", "phase", "--help").contains("reopening-call"));

        // a restart replays it all: the account and the instrument are there, the balance too
        final OpsExchange restarted = exchange.restart();
        running = restarted;
        awaitTrue(() -> get(restarted, "/api/v1/instruments/NEWCO") == 200, "NEWCO after the restart");
        final OpsExchange.Answer again = restarted.admin("accounts/2001/withdraw", "amount=1000");
        assertEquals(200, again.status(), again.body());
        assertTrue(again.body().contains("\"balance\":\"0"), again.body());
    }

    private OpsExchange running;

    @org.junit.jupiter.api.AfterEach
    void close()
    {
        if (running != null)
        {
            running.close();
        }
    }

    private static String bodyOf(final OpsExchange exchange, final String path)
    {
        try
        {
            return exchange.get(path, null, null).body();
        }
        catch (final Exception e)
        {
            return "";
        }
    }

    private static int get(final OpsExchange exchange, final String path)
    {
        try
        {
            return exchange.get(path, null, null).status();
        }
        catch (final Exception e)
        {
            return -1;
        }
    }

    /** Runs {@code ./exchange ARGS} in this JVM: its exit code, a space, and what it printed. */
    static String cli(final String... args)
    {
        final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        final java.io.PrintStream saved = System.out;
        final java.io.PrintStream savedErr = System.err;
        final java.io.PrintStream capture = new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        try
        {
            final int code = dev.bourse.server.cli.Main.commandLine().execute(args);
            return code + " " + out.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
        finally
        {
            System.setOut(saved);
            System.setErr(savedErr);
        }
    }

    static void assertRefused(final OpsExchange.Answer answer, final int status, final String words)
    {
        assertEquals(status, answer.status(), answer.body());
        assertTrue(answer.body().contains(words), answer.body());
    }

    static long position(final String body)
    {
        final Matcher m = Pattern.compile("\"position\":(-?\\d+)").matcher(body);
        assertTrue(m.find(), body);
        return Long.parseLong(m.group(1));
    }
}
