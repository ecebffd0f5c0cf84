package dev.bourse.readmodels.stream;

import dev.bourse.protocol.sbe.CancelReason;
import dev.bourse.protocol.sbe.OrdType;
import dev.bourse.protocol.sbe.Side;
import dev.bourse.protocol.sbe.StpMode;
import dev.bourse.protocol.sbe.TimeInForce;
import dev.bourse.protocol.sbe.TradingStatus;
import dev.bourse.readmodels.Json;
import dev.bourse.readmodels.Liquidity;
import dev.bourse.readmodels.OrderRecord;
import dev.bourse.readmodels.PhaseJson;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;

/** The JSON text of stream messages, from the ring's binary form (on the publisher thread, once per message). */
final class StreamJson
{
    private StreamJson()
    {
    }

    private static Json header(final String type, final long key, final long sequence, final long position, final long timestamp)
    {
        final int channel = StreamChannels.type(key);
        final Json json = new Json().beginObject().name("type").value(type).name("channel").value(StreamChannels.name(channel))
            .name(StreamChannels.isPrivate(channel) ? "accountId" : "instrumentId").value(StreamChannels.id(key))
            .name("seq").value(sequence).name("position").value(position);
        if (timestamp != 0)
        {
            json.name("ts").value(timestamp);
        }
        return json;
    }

    static String side(final byte side)
    {
        return side == Side.BUY.value() ? "BUY" : side == Side.SELL.value() ? "SELL" : "";
    }

    /** A trade's taker side: NONE for an auction's trade, which has none (as the market-data feed's aggressor side). */
    static String takerSide(final byte side)
    {
        final String name = side(side);
        return name.isEmpty() ? "NONE" : name;
    }

    static String update(final DirectBuffer b, final int i)
    {
        final long key = b.getLong(i + StreamRing.KEY);
        final Json json = header("update", key, b.getLong(i + StreamRing.SEQUENCE), b.getLong(i + StreamRing.POSITION),
            b.getLong(i + StreamRing.TIMESTAMP)).name("data").beginObject();
        switch (StreamChannels.type(key))
        {
            case StreamChannels.TRADES:
                json.name("tradeId").value(b.getLong(i + StreamRing.TRADE_ID))
                    .name("timestamp").value(b.getLong(i + StreamRing.TIMESTAMP))
                    .name("price").price(b.getLong(i + StreamRing.TRADE_PRICE))
                    .name("quantity").value(b.getLong(i + StreamRing.TRADE_QUANTITY))
                    .name("takerSide").value(takerSide(b.getByte(i + StreamRing.TRADE_TAKER_SIDE)));
                break;
            case StreamChannels.DEPTH:
                json.name("side").value(side(b.getByte(i + StreamRing.DEPTH_SIDE)))
                    .name("price").price(b.getLong(i + StreamRing.DEPTH_PRICE))
                    .name("quantity").value(b.getLong(i + StreamRing.DEPTH_QUANTITY))
                    .name("orders").value(b.getLong(i + StreamRing.DEPTH_ORDERS));
                break;
            case StreamChannels.BBO:
                level(json, "bid", b.getLong(i + StreamRing.BID_PRICE), b.getLong(i + StreamRing.BID_QUANTITY));
                level(json, "ask", b.getLong(i + StreamRing.ASK_PRICE), b.getLong(i + StreamRing.ASK_QUANTITY));
                break;
            case StreamChannels.CANDLES:
            {
                CandleJson.fields(json, b.getByte(i + StreamRing.CANDLE_INTERVAL), b.getLong(i + StreamRing.CANDLE_START),
                    b.getLong(i + StreamRing.CANDLE_OPEN), b.getLong(i + StreamRing.CANDLE_HIGH),
                    b.getLong(i + StreamRing.CANDLE_LOW), b.getLong(i + StreamRing.CANDLE_CLOSE),
                    b.getLong(i + StreamRing.CANDLE_VOLUME), b.getLong(i + StreamRing.CANDLE_NOTIONAL),
                    b.getLong(i + StreamRing.CANDLE_COUNT));
                break;
            }
            case StreamChannels.STATUS:
                json.name("status").value(TradingStatus.get(b.getByte(i + StreamRing.STATUS_STATUS)).name())
                    .name("referencePrice").price(b.getLong(i + StreamRing.STATUS_REFERENCE_PRICE));
                PhaseJson.fields(json, b.getByte(i + StreamRing.STATUS_PHASE), b.getLong(i + StreamRing.STATUS_INDICATIVE_PRICE),
                    b.getLong(i + StreamRing.STATUS_INDICATIVE_QTY), b.getLong(i + StreamRing.STATUS_IMBALANCE_QTY),
                    b.getByte(i + StreamRing.STATUS_IMBALANCE_SIDE), b.getByte(i + StreamRing.STATUS_AUCTION_CALL),
                    b.getLong(i + StreamRing.STATUS_AUCTION_PRICE), b.getLong(i + StreamRing.STATUS_AUCTION_QTY),
                    b.getLong(i + StreamRing.STATUS_AUCTION_TIMESTAMP));
                break;
            case StreamChannels.ORDERS:
            {
                final long cum = b.getLong(i + StreamRing.ORDER_CUM);
                final byte status = b.getByte(i + StreamRing.ORDER_STATUS);
                final String orig = StreamRing.getId(b, i + StreamRing.ORDER_ORIG_CL_ORD_ID);
                // the same fields, in the same order, as the snapshot's and open-orders' (OrderJson)
                json.name("orderId").value(b.getLong(i + StreamRing.ORDER_ID))
                    .name("accountId").value(b.getLong(i + StreamRing.ORDER_ACCOUNT))
                    .name("clOrdId").value(StreamRing.getId(b, i + StreamRing.ORDER_CL_ORD_ID))
                    .name("origClOrdId").value(orig.isEmpty() ? null : orig)
                    .name("instrumentId").value(b.getInt(i + StreamRing.ORDER_INSTRUMENT))
                    .name("side").value(side(b.getByte(i + StreamRing.ORDER_SIDE)))
                    .name("ordType").value(OrdType.get(b.getByte(i + StreamRing.ORDER_TYPE)).name())
                    .name("timeInForce").value(TimeInForce.get(b.getByte(i + StreamRing.ORDER_TIME_IN_FORCE)).name())
                    .name("postOnly").value(b.getByte(i + StreamRing.ORDER_POST_ONLY) == 1)
                    .name("stpMode").value(StpMode.get(b.getByte(i + StreamRing.ORDER_STP_MODE)).name())
                    .name("price").price(b.getLong(i + StreamRing.ORDER_PRICE))
                    .name("quantity").value(b.getLong(i + StreamRing.ORDER_QUANTITY))
                    .name("leavesQty").value(b.getLong(i + StreamRing.ORDER_LEAVES))
                    .name("cumQty").value(cum)
                    .name("avgPx").price(dev.bourse.protocol.Prices.average(b.getLong(i + StreamRing.ORDER_CUM_NOTIONAL), cum))
                    .name("status").value(OrderRecord.statusName(status));
                // what the order's type adds, where it applies, as in the API's order answers
                final long stopPrice = b.getLong(i + StreamRing.ORDER_STOP_PRICE);
                final long displayQty = b.getLong(i + StreamRing.ORDER_DISPLAY_QTY);
                final long expireTime = b.getLong(i + StreamRing.ORDER_EXPIRE_TIME);
                if (stopPrice != 0)
                {
                    json.name("stopPrice").price(stopPrice);
                }
                if (displayQty != 0)
                {
                    json.name("displayQty").value(displayQty);
                }
                if (expireTime != 0)
                {
                    json.name("expireTime").value(expireTime);
                }
                if (OrderRecord.isCanceled(status))
                {
                    json.name("cancelReason").value(CancelReason.get(b.getByte(i + StreamRing.ORDER_CANCEL_REASON)).name());
                }
                json.name("createdTimestamp").value(b.getLong(i + StreamRing.ORDER_CREATED))
                    .name("updatedTimestamp").value(b.getLong(i + StreamRing.ORDER_UPDATED));
                break;
            }
            case StreamChannels.FILLS:
                json.name("tradeId").value(b.getLong(i + StreamRing.FILL_TRADE_ID))
                    .name("timestamp").value(b.getLong(i + StreamRing.TIMESTAMP))
                    .name("orderId").value(b.getLong(i + StreamRing.FILL_ORDER_ID))
                    .name("clOrdId").value(StreamRing.getId(b, i + StreamRing.FILL_CL_ORD_ID))
                    .name("instrumentId").value(b.getInt(i + StreamRing.FILL_INSTRUMENT))
                    .name("side").value(side(b.getByte(i + StreamRing.FILL_SIDE)))
                    .name("price").price(b.getLong(i + StreamRing.FILL_PRICE))
                    .name("quantity").value(b.getLong(i + StreamRing.FILL_QUANTITY))
                    .name("liquidity").value(Liquidity.name(b.getByte(i + StreamRing.FILL_LIQUIDITY)))
                    .name("leavesQty").value(b.getLong(i + StreamRing.FILL_LEAVES))
                    .name("cumQty").value(b.getLong(i + StreamRing.FILL_CUM));
                break;
            default:
                break;
        }
        return json.endObject().endObject().toString();
    }

    private static void level(final Json json, final String name, final long price, final long quantity)
    {
        if (quantity == 0)
        {
            json.name(name).nullValue();
        }
        else
        {
            json.name(name).beginObject().name("price").price(price).name("quantity").value(quantity).endObject();
        }
    }

    static String snapshot(final DirectBuffer b, final int i, final int length)
    {
        final long key = b.getLong(i + StreamRing.KEY);
        final String data = b.getStringWithoutLengthUtf8(i + StreamRing.BODY, length - StreamRing.BODY);
        final Json json = header("snapshot", key, b.getLong(i + StreamRing.SEQUENCE), b.getLong(i + StreamRing.POSITION), 0)
            .name("data");
        return json.raw(data).endObject().toString();
    }

    static String control(final String type, final int channel, final long id, final String extraName, final String extraValue)
    {
        final Json json = new Json().beginObject().name("type").value(type);
        if (channel != 0)
        {
            json.name("channel").value(StreamChannels.name(channel))
                .name(StreamChannels.isPrivate(channel) ? "accountId" : "instrumentId").value(id);
        }
        if (extraName != null)
        {
            json.name(extraName).value(extraValue);
        }
        return json.endObject().toString();
    }

    /** A control message with one numeric member, a number in JSON like every other id. */
    static String control(final String type, final String name, final long value)
    {
        return new Json().beginObject().name("type").value(type).name(name).value(value).endObject().toString();
    }

    static String error(final String code, final String message)
    {
        return new Json().beginObject().name("type").value("error").name("code").value(code).name("message").value(message)
            .endObject().toString();
    }

    static byte[] utf8(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
