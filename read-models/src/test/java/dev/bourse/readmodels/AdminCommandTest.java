package dev.bourse.readmodels;

import dev.bourse.protocol.Prices;
import dev.bourse.protocol.sbe.TradingStatus;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The admin log names amounts and prices in decimals, as an operator typed them. */
class AdminCommandTest
{
    @Test
    void cashAndPricesAreDecimalsAndSharesAreCounted()
    {
        assertTrue(new AdminCommand.Transfer(2001, 0, Prices.parse("1000000"), true).toString().contains("amount=1000000,"));
        assertTrue(new AdminCommand.Transfer(2001, 3, 500, false).toString().contains("amount=500,"), "shares, not a price");
        final String added = new AdminCommand.AddInstrument(4, "AMZN", Prices.parse("0.05"), 1, 1, 1000, Prices.parse("1000000"),
            Prices.parse("180.25"), 1000, TradingStatus.OPEN).toString();
        assertTrue(added.contains("tickSize=0.05,") && added.contains("referencePrice=180.25,"), added);
        assertTrue(new AdminCommand.SetReferencePrice(4, Prices.parse("181")).toString().contains("referencePrice=181]"));
    }

    /** An amend names only what it changes: the fields it keeps said 0 (lotSize=0, a lot size nobody touched). */
    @Test
    void anAmendSaysKeptForWhatItDoesNotChange()
    {
        assertEquals("AmendInstrument[instrumentId=4, tickSize=kept, lotSize=10, minQuantity=kept, maxQuantity=kept, "
            + "maxNotional=kept, referencePrice=180.5, priceBandBps=kept]",
            new AdminCommand.AmendInstrument(4, 0, 10, 0, 0, 0, Prices.parse("180.5"), 0).toString());
    }
}
