package dev.bourse.cluster.service;

import dev.bourse.cluster.sbe.MembersCheckEncoder;
import dev.bourse.cluster.sbe.MessageHeaderDecoder;
import dev.bourse.cluster.sbe.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** A node whose cluster.members differs from the leader's says so once, and again only when it changes. */
class MembersCheckTest
{
    private static final String OURS = "0=localhost:9000,1=localhost:9100,2=localhost:9200";

    private final List<String> log = new ArrayList<>();
    private final long[] gauge = {-1};
    private final MembersCheck check = new MembersCheck(OURS, log::add, value -> gauge[0] = value);
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();

    private void leaderSays(final int leader, final String members)
    {
        leaderSays(leader, members, false);
    }

    private void leaderSays(final int leader, final String members, final boolean history)
    {
        new MembersCheckEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).leaderMemberId(leader).members(members);
        header.wrap(buffer, 0);
        assertTrue(MembersCheck.isOneOf(header));
        check.onMessage(buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version(), 0, history);
    }

    @Test
    void aDifferentListIsAnErrorLineOnceAndAgreementIsSaidWhenItReturns()
    {
        leaderSays(2, OURS);
        assertTrue(log.isEmpty(), "the same list: nothing to say");
        assertEquals(0, gauge[0]);

        final String theirs = "0=localhost:9000,1=localhost:9150,2=localhost:9200";
        leaderSays(2, theirs);
        assertEquals(1, log.size());
        assertTrue(log.get(0).contains("ERROR cluster.members differs from the leader's: leader node 2 has " + theirs
            + ", this node (0) has " + OURS), log.get(0));
        leaderSays(2, theirs);
        assertEquals(1, log.size(), "said once while it stays so");
        assertEquals(1, gauge[0], "and shown for as long: a monitor that reads no logs saw a healthy node (an outside tester)");

        leaderSays(1, theirs);
        assertEquals(2, log.size(), "a new leader with the other list is said again");

        leaderSays(1, OURS);
        assertTrue(log.get(2).contains("agrees with the leader's (node 1) again"), log.toString());
        assertEquals(0, gauge[0]);
    }

    /** A node restarted with a wrong list named past leaders in turn while it replayed, then said nothing (an outside tester). */
    @Test
    void checksReadFromTheLogsHistoryAreNotComparedAndTheFirstLiveOneIsSaid()
    {
        final String theirs = "0=localhost:9000,1=localhost:9150,2=localhost:9200";
        assertTrue(MembersCheck.isHistory(1_000, 1_000 + 20_001, 10_000));
        assertFalse(MembersCheck.isHistory(1_000, 1_000 + 20_000, 10_000));
        assertFalse(MembersCheck.isHistory(1_000, 900, 10_000), "a clock a little behind the leader's");
        leaderSays(2, theirs, true);
        leaderSays(1, theirs, true);
        leaderSays(0, theirs, true);
        assertTrue(log.isEmpty(), "past terms' leaders: " + log);
        leaderSays(0, theirs);
        assertEquals(1, log.size(), "the live leader's, once the node reads the live log: " + log);
        assertTrue(log.get(0).contains("leader node 0 has " + theirs), log.get(0));
    }

    @Test
    void aHeartbeatAnnouncesOncePerIntervalDecidedFromItsOwnTimeAlone()
    {
        int due = 0;
        for (long t = 7; t < 100_000; t += 250)
        {
            due += MembersCheck.isDue(t, 250, 10_000) ? 1 : 0;
        }
        assertEquals(10, due, "one per 10,000 of log time, the first at once");
        // a late heartbeat still announces once for the window it enters, never twice
        assertFalse(MembersCheck.isDue(10_900, 250, 10_000));
        assertTrue(MembersCheck.isDue(20_100, 250, 10_000));
        assertFalse(MembersCheck.isDue(20_350, 250, 10_000));
        assertTrue(MembersCheck.isDue(45_000, 15_000, 10_000), "a heartbeat after a long gap");
    }

    @Test
    void nothingToCompareWithoutAList()
    {
        final MembersCheck none = new MembersCheck(null, log::add, value -> { });
        new MembersCheckEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).leaderMemberId(0).members("x");
        header.wrap(buffer, 0);
        none.onMessage(buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version(), 1, false);
        assertTrue(log.isEmpty());
    }
}
