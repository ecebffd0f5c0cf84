package dev.bourse.readmodels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The activity report's text fields: no spreadsheet formula runs, and every value comes back exactly. */
class ActivityCsvTest
{
    @Test
    void aLeadingQuoteIsAddedToFormulasAndToValuesThatStartWithOneSoNoTwoValuesCollide()
    {
        assertEquals("\"'=1+2\"", clOrdIdField("=1+2"));
        assertEquals("\"''=1+2\"", clOrdIdField("'=1+2"), "a value starting with ' keeps it, behind the added one");
        assertEquals("\"'-5\"", clOrdIdField("-5"));
        assertEquals("\"''\"", clOrdIdField("'"));
        assertEquals("plain", clOrdIdField("plain"));
    }

    /** The cl_ord_id column (the sixth) of a line with that ClOrdID. */
    private static String clOrdIdField(final String clOrdId)
    {
        final StringBuilder csv = new StringBuilder();
        ActivityReport.csvLine(csv, new ActivityReport.ActivityLine(1, 0, 0, 1, 7, clOrdId, 1, (byte)1, 0, 1, 1, 0, "", 0, ""));
        final String line = csv.toString();
        int start = 0;
        for (int comma = 0; comma < 5; comma++)
        {
            start = line.indexOf(',', start) + 1;
        }
        final int end = line.charAt(start) == '"' ? line.indexOf('"', start + 1) + 1 : line.indexOf(',', start);
        return line.substring(start, end);
    }
}
