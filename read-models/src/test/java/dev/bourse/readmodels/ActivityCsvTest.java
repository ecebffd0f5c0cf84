package dev.bourse.readmodels;

import dev.bourse.protocol.Prices;
import dev.bourse.readmodels.history.ActivityKind;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The activity report's money columns read as money: a cash deposit's amount is in the balance's units. */
class ActivityCsvTest
{
    @Test
    void aCashDepositsAmountIsMoneyAndAPositionDepositsIsAQuantity()
    {
        final StringBuilder csv = new StringBuilder();
        ActivityReport.csvLine(csv, new ActivityReport.ActivityLine(7, 0, 0, ActivityKind.DEPOSIT, 0, "", 0, (byte)0, 0,
            10_000_000 * Prices.SCALE, 0, 0, "", 10_000_000 * Prices.SCALE, ""));
        ActivityReport.csvLine(csv, new ActivityReport.ActivityLine(8, 0, 0, ActivityKind.WITHDRAW, 0, "", 0, (byte)0, 0,
            25 * Prices.SCALE / 10, 0, 0, "", 99_999_975L * Prices.SCALE / 10, ""));
        ActivityReport.csvLine(csv, new ActivityReport.ActivityLine(9, 0, 0, ActivityKind.DEPOSIT, 0, "", 2, (byte)0, 0,
            100_000, 0, 0, "", 100_000, ""));
        assertEquals("""
            7,0,1970-01-01T00:00:00Z,DEPOSIT,,,,,,10000000,0,0,,10000000,
            8,0,1970-01-01T00:00:00Z,WITHDRAW,,,,,,2.5,0,0,,9999997.5,
            9,0,1970-01-01T00:00:00Z,DEPOSIT,,,2,,,100000,0,0,,100000,
            """, csv.toString());
    }
}
