package dev.bourse.readmodels.stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** A channel key holds its type and 56 bits of id: a longer id gets no channel, never another account's. */
class StreamChannelsTest
{
    @Test
    void anIdBeyondFiftySixBitsHasNoChannelRatherThanAnotherAccountsChannel()
    {
        final long alice = 1001;
        final long aliased = (1L << 56) + 1001; // an outside probe's account that received alice's fills
        assertEquals(StreamChannels.NO_CHANNEL, StreamChannels.key(StreamChannels.FILLS, aliased));
        assertEquals(StreamChannels.NO_CHANNEL, StreamChannels.key(StreamChannels.ORDERS, -1));
        final long key = StreamChannels.key(StreamChannels.FILLS, alice);
        assertNotEquals(StreamChannels.NO_CHANNEL, key);
        assertEquals(alice, StreamChannels.id(key));
        assertEquals(StreamChannels.FILLS, StreamChannels.type(key));
        assertEquals((1L << 56) - 1, StreamChannels.id(StreamChannels.key(StreamChannels.ORDERS, (1L << 56) - 1)));
    }
}
