package dev.bourse.bench;

import com.sun.jna.Platform;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLongArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TimerSlackTest
{
    @Test
    void setsTheCallingThreadsSlackOnly() throws InterruptedException
    {
        assumeTrue(Platform.isLinux(), "timer slack is a Linux setting");
        final long before = TimerSlack.get();
        final AtomicLongArray seen = new AtomicLongArray(2);
        final Thread sender = new Thread(() ->
        {
            seen.set(0, TimerSlack.set(1) ? 1 : 0);
            seen.set(1, TimerSlack.get());
        });
        sender.start();
        sender.join();
        assertEquals(1, seen.get(0), "the kernel took the setting");
        assertEquals(1, seen.get(1), "the sending thread's parks now end when asked");
        assertEquals(before, TimerSlack.get(), "other threads keep theirs");
    }
}
