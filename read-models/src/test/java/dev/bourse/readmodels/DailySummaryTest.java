package dev.bourse.readmodels;

import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.Prices;
import dev.bourse.protocol.sbe.OrdType;
import dev.bourse.protocol.sbe.Side;
import dev.bourse.protocol.sbe.StpMode;
import dev.bourse.protocol.sbe.TimeInForce;
import dev.bourse.protocol.sbe.TradingStatus;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The daily summary gives no price for an instrument that had orders but no trade that day (not "0"). */
class DailySummaryTest
{
    @Test
    void anInstrumentWithOrdersButNoTradeHasNullPrices() throws Exception
    {
        final Workload workload = new Workload(3).run(2_000);
        final CommandWriter writer = new CommandWriter();
        workload.submit(b -> writer.addInstrument(b, 0, 0, 99, "QUIET", Prices.SCALE / 100, 1, 1, 1_000_000, Long.MAX_VALUE / 4,
            100 * Prices.SCALE, 5_000, TradingStatus.OPEN));
        workload.submit(b -> writer.newOrder(b, 0, 0, 1, 1, 99, Side.BUY, OrdType.LIMIT, TimeInForce.DAY, false, StpMode.NONE,
            99 * Prices.SCALE, 1, "quiet-1", 0, 0, 0));
        try (ReadModelsServer server = ReadModelsServer.start(new ReadModelsContext().journal(JournalSource.of(workload.journal))
            .port(0).bindAddress("127.0.0.1")))
        {
            RestartAndRebuildTest.awaitPosition(server, workload.journal.size() - 1);
            final ApiClient api = new ApiClient(server.port());
            final String stats = api.get("/api/v1/instruments/1/stats", null).body();
            final String date = ApiClient.stringField(stats, "date");
            final String summary = api.get("/api/v1/daily-summary?date=" + date, null).body();
            final int quiet = summary.indexOf("\"instrumentId\":99,");
            assertTrue(quiet >= 0, "the quiet instrument is in the summary: " + summary);
            final String entry = summary.substring(quiet, summary.indexOf('}', quiet));
            assertTrue(entry.contains("\"open\":null,\"high\":null,\"low\":null,\"last\":null") && entry.contains("\"trades\":0"), entry);
            assertTrue(summary.contains("\"instrumentId\":1,\"symbol\"") && !summary.substring(0, quiet).contains("\"open\":null"),
                "instruments that traded keep their prices: " + summary);
        }
    }
}
