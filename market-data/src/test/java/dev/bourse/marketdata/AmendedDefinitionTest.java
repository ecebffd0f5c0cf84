package dev.bourse.marketdata;

import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.sbe.TradingStatus;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** An AmendInstrument's new tick and lot reach subscribers: the feed sends the definition again. */
class AmendedDefinitionTest
{
    @Test
    void subscribersSeeTheAmendedTickAndLot()
    {
        try (FeedFixture feed = new FeedFixture(256 * 1024, 20_000_000L))
        {
            final CommandWriter writer = new CommandWriter();
            final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
            feed.engine.onCommand(command, 0, writer.addInstrument(command, 0, 1, 1, "ACME", RandomWorkload.TICK, 1, 1, 1_000_000,
                Long.MAX_VALUE / 4, RandomWorkload.MID, 5_000, TradingStatus.OPEN));
            final MarketDataSubscriber subscriber = feed.subscriber(null);
            feed.pollers.add(() -> subscriber.poll(64));
            feed.pump(() -> feed.current(subscriber) && subscriber.book(1) != null, 10_000, "the subscriber has ACME");
            assertEquals(RandomWorkload.TICK, subscriber.book(1).tickSize());

            feed.engine.onCommand(command, 0, writer.amendInstrument(command, 0, 2, 1, RandomWorkload.TICK * 5, 10, 0, 0, 0, 0, 0));
            feed.pump(() -> feed.current(subscriber) && subscriber.book(1).tickSize() == RandomWorkload.TICK * 5, 10_000,
                "the subscriber has the amended tick");
            assertEquals(10, subscriber.book(1).lotSize());
            assertEquals(RandomWorkload.TICK * 5, feed.publisher.books().book(1).tickSize());
        }
    }
}
