package dev.bourse.readmodels;

import dev.bourse.readmodels.stream.CandleJson;
import dev.bourse.readmodels.stream.SnapshotBuilder;
import dev.bourse.readmodels.stream.StreamChannels;
import dev.bourse.readmodels.stream.StreamLimits;

/**
 * A stream channel's snapshot from the hot models (on the projection thread): what a client needs
 * before the channel's updates. Fills have no hot state (their history is in the store, read with
 * GET executions): a fills snapshot is empty and only starts the sequence.
 */
final class StreamSnapshots implements SnapshotBuilder
{
    /** The depth channel's levels a side, the same bound its updates keep to. */
    static final int MAX_DEPTH_LEVELS = StreamLimits.DEPTH_LEVELS;

    /** Room kept for what follows the orders (the array's end, "complete" and "total"). */
    private static final int ORDERS_TAIL_BYTES = 64;

    @Override
    public String build(final ReadModels models, final int type, final long id, final int maxBytes)
    {
        if (StreamChannels.isPrivate(type))
        {
            final Json json = new Json().beginObject();
            if (type == StreamChannels.ORDERS)
            {
                json.name("orders").beginArray();
                final AccountView account = models.findAccount(id);
                int included = 0;
                final int total = account == null ? 0 : account.openOrders.size();
                if (account != null)
                {
                    // thousands of live orders can be more than one message holds: the first that fit (OrderID
                    // order), said incomplete, rather than a snapshot the ring refused for ever (an outside tester)
                    for (final OrderRecord order : account.openOrders)
                    {
                        final int mark = json.length();
                        final boolean comma = json.needsComma();
                        OrderJson.write(json, order, null);
                        if (json.length() > maxBytes - ORDERS_TAIL_BYTES)
                        {
                            json.backTo(mark, comma);
                            break;
                        }
                        included++;
                    }
                }
                json.endArray().name("complete").value(included == total).name("total").value(total);
            }
            else
            {
                json.name("fills").beginArray().endArray();
            }
            return json.endObject().toString();
        }
        final MarketView market = models.findMarket((int)id);
        if (market == null)
        {
            return null;
        }
        final Json json = new Json();
        switch (type)
        {
            case StreamChannels.TRADES:
                json.beginObject().name("symbol").value(market.symbol).name("trades").beginArray();
                for (final TradeRecord t : market.recentTrades(MarketView.RECENT_TRADES))
                {
                    json.beginObject().name("tradeId").value(t.tradeId()).name("timestamp").value(t.timestamp())
                        .name("price").price(t.price()).name("quantity").value(t.quantity())
                        .name("takerSide").value(QueryApi.takerSide(t.takerSide())).endObject();
                }
                return json.endArray().endObject().toString();
            case StreamChannels.BBO:
                json.beginObject().name("symbol").value(market.symbol);
                QueryApi.bboSide(json, "bid", market.bids);
                QueryApi.bboSide(json, "ask", market.asks);
                return json.endObject().toString();
            case StreamChannels.DEPTH:
                json.beginObject().name("symbol").value(market.symbol);
                QueryApi.depthSide(json.name("bids"), market.bids, MAX_DEPTH_LEVELS);
                QueryApi.depthSide(json.name("asks"), market.asks, MAX_DEPTH_LEVELS);
                return json.endObject().toString();
            case StreamChannels.CANDLES:
                json.beginObject().name("symbol").value(market.symbol).name("candles").beginArray();
                for (int interval = 0; interval < 4; interval++)
                {
                    final Candle c = market.candle(interval);
                    if (c != null)
                    {
                        CandleJson.fields(json.beginObject(), interval, c.start, c.open, c.high, c.low, c.close, c.volume,
                            c.notional, c.count).endObject();
                    }
                    else if (interval == CandleJson.DAY && models.tradingDay().date() != TradingDay.NO_DATE)
                    {
                        // The trading day before its first trade: its empty candle, as the channel's update at
                        // the entry that began the day (or moved its date) said, and as GET stats says.
                        CandleJson.fields(json.beginObject(), interval, models.tradingDay().dateStartNanos(), 0, 0, 0, 0, 0, 0, 0)
                            .endObject();
                    }
                }
                return json.endArray().endObject().toString();
            case StreamChannels.STATUS:
                return QueryApi.instrument(json, market).toString();
            default:
                return null;
        }
    }
}
