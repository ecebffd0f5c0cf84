package dev.bourse.readmodels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Path segments are percent-decoded as RFC 3986 says: a '+' is a '+' (a symbol may hold one). */
class PathSegmentTest
{
    @Test
    void aPlusInAPathIsAPlusWhereAQueryStringsIsASpace()
    {
        assertEquals("X+Y", Params.decodePathSegment("X+Y"));
        assertEquals("X+Y", Params.decodePathSegment("X%2BY"));
        assertEquals("X Y", Params.decodePathSegment("X%20Y"));
        assertEquals("X Y", Params.decode("X+Y"), "in a query string '+' stays a space (HTML forms)");
        assertThrows(BadRequest.class, () -> Params.decodePathSegment("X%2"));
    }
}
