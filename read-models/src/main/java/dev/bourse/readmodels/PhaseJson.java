package dev.bourse.readmodels;

import dev.bourse.protocol.TradingPhases;
import dev.bourse.protocol.sbe.TradingPhase;

/**
 * The trading-phase fields of an instrument's JSON, the same in the API's answers and in the
 * {@code status} stream: {@code phase}, {@code auction} (during a call: what its auction would do
 * now, else null) and {@code lastAuction} (null before the first).
 */
public final class PhaseJson
{
    private PhaseJson()
    {
    }

    /** Writes the three fields into an open object. */
    public static Json fields(final Json json, final byte phase, final long indicativePrice, final long indicativeQty,
        final long imbalanceQty, final byte imbalanceSide, final byte auctionCall, final long auctionPrice, final long auctionQty,
        final long auctionTimestamp)
    {
        json.name("phase").value(TradingPhase.get(phase).name());
        json.name("auction");
        if (TradingPhases.isCall(phase))
        {
            json.beginObject().name("indicativePrice").price(indicativePrice).name("matchedQty").value(indicativeQty)
                .name("imbalanceQty").value(imbalanceQty).name("imbalanceSide").value(side(imbalanceSide)).endObject();
        }
        else
        {
            json.nullValue();
        }
        json.name("lastAuction");
        if (auctionCall == 0)
        {
            json.nullValue();
        }
        else
        {
            // an auction that matched nothing found no price: null, not "0"
            json.beginObject().name("call").value(TradingPhase.get(auctionCall).name()).name("price");
            if (auctionQty > 0)
            {
                json.price(auctionPrice);
            }
            else
            {
                json.nullValue();
            }
            json.name("quantity").value(auctionQty).name("timestamp").value(auctionTimestamp).endObject();
        }
        return json;
    }

    /** Of a market view. */
    static Json fields(final Json json, final MarketView m)
    {
        return fields(json, m.phase, m.indicativePrice, m.indicativeQty, m.imbalanceQty, m.imbalanceSide, m.auctionCall,
            m.auctionPrice, m.auctionQty, m.auctionTimestamp);
    }

    private static String side(final byte side)
    {
        final String name = QueryApi.side(side);
        return name.isEmpty() ? "NONE" : name;
    }
}
