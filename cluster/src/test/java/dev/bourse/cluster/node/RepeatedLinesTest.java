package dev.bourse.cluster.node;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RepeatedLinesTest
{
    private long now;
    private final List<String> printed = new ArrayList<>();
    private final RepeatedLines lines = new RepeatedLines(printed::add, () -> now, TimeUnit.SECONDS.toNanos(10));

    @Test
    void aRepeatedLineIsPrintedOnceAWindowWithItsCount()
    {
        for (int i = 0; i <= 200; i++)
        {
            lines.accept("port in use");
            now += TimeUnit.MILLISECONDS.toNanos(50);
        }
        // a line every 50 ms for 10 s: the first, then at 10 s its 200 repeats since
        assertEquals(List.of("port in use", "port in use (200 times since it was last printed)"), printed);
        lines.accept("port in use");
        lines.flush();
        assertEquals("port in use (1 time since it was last printed)", printed.get(2));
        lines.flush();
        assertEquals(3, printed.size(), "nothing new to report");
    }

    @Test
    void differentLinesAreEachPrinted()
    {
        lines.accept("a");
        lines.accept("b");
        lines.accept("a");
        lines.accept("c");
        assertEquals(List.of("a", "b", "c"), printed);
        lines.flush();
        assertEquals(List.of("a", "b", "c", "a (1 time since it was last printed)"), printed);
    }

    @Test
    void aLineForgottenForOthersReportsItsRepeatsAsItGoes()
    {
        lines.accept("first");
        lines.accept("first");
        for (int i = 0; i < 64; i++)
        {
            lines.accept("other " + i);
        }
        assertEquals(List.of("first (1 time since it was last printed)", "other 63"), printed.subList(printed.size() - 2, printed.size()),
            "its count printed as the 65th line pushes it out");
        lines.accept("first");
        assertEquals("first", printed.get(printed.size() - 1), "printed afresh once forgotten");
    }
}
