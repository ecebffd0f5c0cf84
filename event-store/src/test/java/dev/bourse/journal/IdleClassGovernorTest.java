package dev.bourse.journal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The idle class while close behind, competing past the limit, back within a quarter of it; a refusing system asked once. */
class IdleClassGovernorTest
{
    private final List<String> log = new ArrayList<>();

    @Test
    void yieldsWhileCloseBehindCompetesPastTheLimitAndYieldsAgainWithinAQuarter()
    {
        final RecordingScheduling granting = new RecordingScheduling(true);
        final IdleClassGovernor governor = new IdleClassGovernor("follower", granting, 100, log::add);
        governor.start();
        assertTrue(governor.yielding());

        governor.onLag(100);
        assertEquals(List.of("yield"), granting.calls, "at the limit: still yielding");
        governor.onLag(101);
        assertFalse(governor.yielding());
        assertTrue(log.get(0).startsWith("follower: 101 entries behind"), log.toString());
        governor.onLag(26);
        assertFalse(governor.yielding(), "not yet within a quarter");
        governor.onLag(25);
        assertTrue(governor.yielding());
        governor.onLag(-1);
        assertTrue(governor.yielding(), "an unknown lag changes nothing");

        assertEquals(List.of("yield", "compete", "yield"), granting.calls);
        assertEquals(2, governor.switches());
    }

    @Test
    void aSystemWithoutTheClassIsReportedOnceAndNeverAskedAgain()
    {
        final RecordingScheduling refusing = new RecordingScheduling(false);
        final IdleClassGovernor governor = new IdleClassGovernor("follower", refusing, 10, log::add);
        governor.start();
        governor.onLag(1_000);
        governor.onLag(0);

        assertEquals(List.of("yield"), refusing.calls);
        assertEquals(1, log.size());
        assertTrue(log.get(0).contains("cannot run it in the idle scheduling class"), log.toString());
        assertFalse(governor.yielding());
        assertEquals(0, governor.switches());
    }

    @Test
    void theLimitMustBePositive()
    {
        assertThrows(IllegalArgumentException.class, () -> new IdleClassGovernor("follower", new RecordingScheduling(true), 0, log::add));
    }
}
