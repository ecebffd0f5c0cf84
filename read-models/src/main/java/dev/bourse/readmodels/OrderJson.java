package dev.bourse.readmodels;

import dev.bourse.protocol.sbe.CancelReason;
import dev.bourse.protocol.sbe.OrdType;
import dev.bourse.protocol.sbe.StpMode;
import dev.bourse.protocol.sbe.TimeInForce;
import dev.bourse.readmodels.history.ActivityKind;

import java.util.List;

/** An order as JSON: the same shape for a live order from the hot projections and an order from the history store. */
final class OrderJson
{
    private OrderJson()
    {
    }

    /**
     * A price, or null for none: a market or stop order has no limit price, and "0" read as a price
     * of zero (the activity CSV leaves the column empty; an outside probe).
     */
    private static Json limitPrice(final Json json, final long price)
    {
        return price == 0 ? json.nullValue() : json.price(price);
    }

    /** @param history the order's changes, or null to leave them out. */
    static Json write(final Json json, final OrderRecord o, final List<OrderEvent> history)
    {
        json.beginObject().name("orderId").value(o.orderId()).name("accountId").value(o.accountId())
            .name("clOrdId").value(o.clOrdId()).name("origClOrdId").value(o.origClOrdId())
            .name("instrumentId").value(o.instrumentId()).name("side").value(QueryApi.side(o.side()))
            .name("ordType").value(OrdType.get(o.ordType()).name()).name("timeInForce").value(TimeInForce.get(o.timeInForce()).name())
            .name("postOnly").value(o.postOnly()).name("stpMode").value(StpMode.get(o.stpMode()).name())
            .name("price");
        limitPrice(json, o.price()).name("quantity").value(o.quantity()).name("leavesQty").value(o.leavesQty())
            .name("cumQty").value(o.cumQty()).name("avgPx").price(dev.bourse.protocol.Prices.average(o.cumNotional(), o.cumQty()))
            .name("status").value(QueryApi.status(o.status()));
        if (o.stopPrice() != 0)
        {
            json.name("stopPrice").price(o.stopPrice());
        }
        if (o.displayQty() != 0)
        {
            json.name("displayQty").value(o.displayQty());
        }
        if (o.expireTime() != 0)
        {
            json.name("expireTime").value(o.expireTime());
        }
        if (OrderRecord.isCanceled(o.status()))
        {
            json.name("cancelReason").value(CancelReason.get(o.cancelReason()).name());
        }
        json.name("createdTimestamp").value(o.createdTimestamp()).name("updatedTimestamp").value(o.updatedTimestamp());
        if (history != null)
        {
            json.name("history").beginArray();
            for (final OrderEvent c : history)
            {
                json.beginObject().name("type").value(ActivityKind.eventName(c.type())).name("sequence").value(c.sequence())
                    .name("timestamp").value(c.timestamp()).name("price");
                limitPrice(json, c.price()).name("quantity").value(c.quantity())
                    .name("leavesQty").value(c.leavesQty()).name("cumQty").value(c.cumQty());
                if (c.type() == ActivityKind.EVENT_FILL)
                {
                    json.name("tradeId").value(c.tradeId());
                }
                else if (ActivityKind.isCancel(c.type()))
                {
                    json.name("reason").value(CancelReason.get(c.reason()).name());
                    if (c.reason() == CancelReason.USER.value())
                    {
                        json.name("clOrdId").value(c.clOrdId()); // the cancel request's
                    }
                }
                else if (c.type() == ActivityKind.EVENT_ELECTED)
                {
                    json.name("ordType").value(OrdType.get((short)c.reason()).name()).name("triggerPrice").price(c.stopPrice());
                }
                else if (c.type() == ActivityKind.EVENT_REPLACED)
                {
                    json.name("keptPriority").value(c.reason() == 1).name("clOrdId").value(c.clOrdId());
                }
                json.endObject();
            }
            json.endArray();
        }
        return json.endObject();
    }
}
