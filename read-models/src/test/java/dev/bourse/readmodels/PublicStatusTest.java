package dev.bourse.readmodels;

import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.Prices;
import dev.bourse.protocol.sbe.OrdType;
import dev.bourse.protocol.sbe.Side;
import dev.bourse.protocol.sbe.StpMode;
import dev.bourse.protocol.sbe.TimeInForce;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static dev.bourse.readmodels.ApiClient.longField;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The public {@code status} answer counts the orders on the public books, not the live orders: a
 * held stop order is live but not public, and a count anyone may read gave each one away the
 * moment it was entered or canceled (an outside probe).
 */
class PublicStatusTest
{
    @Test
    void aHeldStopIsNotCountedAndARestingOrderIs() throws Exception
    {
        final Workload workload = new Workload(11);
        final CommandWriter writer = new CommandWriter();
        try (ReadModelsServer server = ReadModelsServer.start(new ReadModelsContext().journal(JournalSource.of(workload.journal))
            .port(0).bindAddress("127.0.0.1")))
        {
            final ApiClient api = new ApiClient(server.port());
            RestartAndRebuildTest.awaitPosition(server, workload.journal.size() - 1);
            final String before = api.get("/api/v1/status", null).body();
            final long booked = longField(before, "bookOrders");
            assertFalse(before.contains("liveOrders"), before);

            workload.submit(buffer -> writer.newOrder(buffer, 0, 0, 1, 1, 1, Side.SELL, OrdType.STOP, TimeInForce.GTC, false,
                StpMode.NONE, 0, 5, "held-stop", 55 * Prices.SCALE, 0, 0));
            RestartAndRebuildTest.awaitPosition(server, workload.journal.size() - 1);
            assertEquals(1, workload.state.liveOrders(), "the stop is held");
            final HttpResponse<String> withStop = api.get("/api/v1/status", null);
            assertEquals(200, withStop.statusCode());
            assertEquals(booked, longField(withStop.body(), "bookOrders"), withStop.body());

            workload.submit(buffer -> writer.newOrder(buffer, 0, 0, 1, 2, 1, Side.BUY, OrdType.LIMIT, TimeInForce.GTC, false,
                StpMode.NONE, 60 * Prices.SCALE, 5, "resting"));
            RestartAndRebuildTest.awaitPosition(server, workload.journal.size() - 1);
            assertEquals(booked + 1, longField(api.get("/api/v1/status", null).body(), "bookOrders"));
        }
    }
}
