package dev.bourse.readmodels.stream;

import dev.bourse.protocol.Prices;
import dev.bourse.readmodels.Json;

import java.time.Instant;

/**
 * A candle's fields as the candles channel writes them, in its snapshot and its updates alike, so a
 * client that applies the updates holds what a new snapshot shows. A candle without trades (the
 * trading day's before its first trade) has no prices: open, high, low, close and vwap are null.
 */
public final class CandleJson
{
    private static final String[] INTERVALS = {"1s", "1m", "1h", "1d"};
    /** The interval of the trading day's candle (its daily statistics). */
    public static final int DAY = 3;

    private CandleJson()
    {
    }

    /** Writes the fields into the object {@code json} has open. */
    public static Json fields(final Json json, final int interval, final long start, final long open, final long high,
        final long low, final long close, final long volume, final long notional, final long count)
    {
        json.name("interval").value(INTERVALS[interval])
            .name("start").value(Instant.ofEpochSecond(0, start).toString()).name("startNanos").value(start);
        price(json.name("open"), open, count);
        price(json.name("high"), high, count);
        price(json.name("low"), low, count);
        price(json.name("close"), close, count);
        json.name("volume").value(volume).name("notional").price(notional);
        price(json.name("vwap"), Prices.average(notional, volume), count);
        return json.name("count").value(count);
    }

    private static void price(final Json json, final long price, final long count)
    {
        if (count == 0)
        {
            json.nullValue();
        }
        else
        {
            json.price(price);
        }
    }
}
