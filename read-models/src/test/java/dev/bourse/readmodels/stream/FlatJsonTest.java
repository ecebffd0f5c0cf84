package dev.bourse.readmodels.stream;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The stream's request reader is a boundary that reads a client's bytes: well-formed requests
 * read as written, and anything else (mutated, truncated, random) is refused with an
 * {@link IllegalArgumentException} naming where, never another exception.
 */
class FlatJsonTest
{
    private static final String[] VALID = {
        "{\"op\":\"subscribe\",\"channel\":\"depth\",\"instrument\":\"AAPL\"}",
        "{\"op\":\"subscribe\",\"channel\":\"fills\",\"account\":\"1001\"}",
        "{\"op\":\"auth\",\"username\":\"al\\\"ice\",\"password\":\"p\\u00e9\\n\\\\\"}",
        " { \"op\" : \"ping\" , \"n\" : -1.5e+3 , \"z\" : -0 , \"i\" : 7 , \"s\" : \"7\" } ",
        "{}",
    };

    @Test
    void wellFormedRequestsReadAsWritten()
    {
        assertEquals(Map.of("op", "subscribe", "channel", "depth", "instrument", "AAPL"), FlatJson.parse(VALID[0]));
        final Map<String, String> auth = FlatJson.parse(VALID[2]);
        assertEquals("al\"ice", auth.get("username"));
        assertEquals("p\u00e9\n\\", auth.get("password"));
        final Map<String, String> mixed = FlatJson.parse(VALID[3]);
        assertEquals("-1.5e+3", mixed.get("n"));
        assertEquals("-0", mixed.get("z"));
        assertEquals("7", mixed.get("i"));
        assertEquals("7", mixed.get("s"));
        // the same text, told apart: an instrument given as a number is an id, never a symbol
        assertEquals(java.util.Set.of("n", "z", "i"), FlatJson.read(VALID[3]).numbers());
        assertEquals(Map.of(), FlatJson.parse(VALID[4]));
    }

    @Test
    void malformedRequestsSayWhatIsWrong()
    {
        assertRefused("{\"op\":\"a\",\"op\":\"b\"}", "given twice");
        // read as a missing value, a null passed for a field not given ("account":null: "none was given")
        assertRefused("{\"op\":\"subscribe\",\"account\":null}", "field 'account' is null");
        assertRefused("{\"op\":{\"x\":1}}", "nested");
        assertRefused("{\"op\":[1]}", "nested");
        assertRefused("{\"op\":\"ping\"} x", "text after the object");
        assertRefused("{\"op\":\"\\u-001\"}", "bad \\u escape");
        assertRefused("{\"op\":\"\\u+0ff\"}", "bad \\u escape");
        assertRefused("{\"op\":\"\\u00\"}", "escape");
        assertRefused("{\"op\":\"\\q\"}", "bad escape");
        assertRefused("{\"op\":\"a\u0001\"}", "control character");
        assertRefused("{\"op\":", "unexpected end");
        assertRefused("", "unexpected end");
        final StringBuilder many = new StringBuilder("{");
        for (int i = 0; i <= FlatJson.MAX_FIELDS; i++)
        {
            many.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":1");
        }
        assertRefused(many.append('}').toString(), "more than " + FlatJson.MAX_FIELDS + " fields");
    }

    /**
     * A field is a string or a number (an outside tester): true and false were read as the strings
     * "true" and "false", so {"op":true} was an unknown op and {"username":true} a wrong password.
     */
    @Test
    void booleansAreRefusedLikeNull()
    {
        assertRefused("{\"op\":true}", "field 'op' is true (a string or a number is wanted)");
        assertRefused("{\"op\":false}", "field 'op' is false (a string or a number is wanted)");
        assertRefused("{\"op\":\"auth\",\"username\":true,\"password\":\"x\"}", "field 'username' is true");
        assertRefused("{\"op\":\"subscribe\",\"instrument\": false }", "field 'instrument' is false");
        // the strings themselves are text like any other
        assertEquals(Map.of("op", "true"), FlatJson.parse("{\"op\":\"true\"}"));
    }

    /**
     * Numbers follow JSON's grammar (RFC 8259), refused saying where otherwise (an outside tester:
     * "instrument":01 was accepted).
     */
    @Test
    void numbersFollowJsonGrammar()
    {
        // {"n": is five characters: the number starts at 5
        assertRefused("{\"n\":01}", "bad number at 6 (no leading zeros)");
        assertRefused("{\"n\":00}", "bad number at 6 (no leading zeros)");
        assertRefused("{\"n\":-01}", "bad number at 7 (no leading zeros)");
        assertRefused("{\"n\":1.}", "bad number at 7 (a digit after '.' expected)");
        assertRefused("{\"n\":1.e5}", "bad number at 7 (a digit after '.' expected)");
        assertRefused("{\"n\":1e}", "bad number at 7 (a digit in the exponent expected)");
        assertRefused("{\"n\":1e+}", "bad number at 8 (a digit in the exponent expected)");
        assertRefused("{\"n\":-}", "bad number at 6 (a digit expected)");
        assertRefused("{\"n\":-.5}", "bad number at 6 (a digit expected)");
        assertRefused("{\"n\":1.5.2}", "bad number at 8");
        assertRefused("{\"n\":1e2e3}", "bad number at 8");
        assertRefused("{\"n\":1-2}", "bad number at 6");
        assertRefused("{\"n\":.5}", "expected a value at 5");
        assertRefused("{\"n\":+1}", "expected a value at 5");
        assertRefused("{\"n\":-", "bad number at 6 (a digit expected)");
        for (final String valid : new String[]{"0", "-0", "10", "1.5", "-1e3", "1E+2", "0.5", "-0.0e-0", "123456789", "1e05"})
        {
            final FlatJson.Fields fields = FlatJson.read("{\"n\":" + valid + "}");
            assertEquals(Map.of("n", valid), fields.values(), valid);
            assertEquals(java.util.Set.of("n"), fields.numbers(), valid);
            assertEquals(Map.of("n", valid, "s", "x"), FlatJson.parse("{ \"n\" : " + valid + " , \"s\":\"x\"}"), valid);
        }
    }

    @Test
    void mutatedTruncatedAndRandomTextIsReadOrRefusedNeverThrownOtherwise()
    {
        final Random random = new Random(20261203L);
        final String alphabet = "{}[]\":,\\u0123456789abcdefABCDEF-+.eE truenullfalse\t\n\u0000\u00ff\uffff\ud800";
        for (int i = 0; i < 200_000; i++)
        {
            final String text;
            switch (i % 3)
            {
                case 0:
                {
                    // a valid request with a few characters replaced, inserted or removed
                    final StringBuilder sb = new StringBuilder(VALID[random.nextInt(VALID.length)]);
                    for (int m = 1 + random.nextInt(3); m > 0 && sb.length() > 0; m--)
                    {
                        final int at = random.nextInt(sb.length());
                        final char c = alphabet.charAt(random.nextInt(alphabet.length()));
                        switch (random.nextInt(3))
                        {
                            case 0: sb.setCharAt(at, c); break;
                            case 1: sb.insert(at, c); break;
                            default: sb.deleteCharAt(at); break;
                        }
                    }
                    text = sb.toString();
                    break;
                }
                case 1:
                {
                    final String valid = VALID[random.nextInt(VALID.length)];
                    text = valid.substring(0, random.nextInt(valid.length() + 1));
                    break;
                }
                default:
                {
                    final char[] chars = new char[random.nextInt(40)];
                    for (int c = 0; c < chars.length; c++)
                    {
                        chars[c] = alphabet.charAt(random.nextInt(alphabet.length()));
                    }
                    text = new String(chars);
                }
            }
            try
            {
                final Map<String, String> fields = FlatJson.parse(text);
                assertTrue(fields.size() <= FlatJson.MAX_FIELDS, text);
            }
            catch (final IllegalArgumentException expected)
            {
                assertNotNull(expected.getMessage(), text);
            }
            catch (final RuntimeException e)
            {
                fail("'" + text + "' threw " + e, e);
            }
        }
    }

    private static void assertRefused(final String text, final String words)
    {
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> FlatJson.parse(text), text);
        assertTrue(refused.getMessage().contains(words), text + ": " + refused.getMessage());
    }
}
