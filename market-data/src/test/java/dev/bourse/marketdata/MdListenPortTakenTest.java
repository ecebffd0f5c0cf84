package dev.bourse.marketdata;

import io.aeron.Aeron;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A second md-listen on a host whose unicast endpoint another media driver's subscriber binds
 * already stops with one line saying so (an outside probe saw a RegistrationException stack trace).
 */
class MdListenPortTakenTest
{
    @TempDir
    Path dir;

    @Test
    void aTakenUdpPortIsOneClearLine() throws Exception
    {
        final int port;
        try (DatagramSocket probe = new DatagramSocket(0))
        {
            port = probe.getLocalPort();
        }
        final String channel = "aeron:udp?endpoint=localhost:" + port;
        try (MediaDriver first = MediaDriver.launch(driver(dir.resolve("first")));
            MediaDriver second = MediaDriver.launch(driver(dir.resolve("second")));
            Aeron holder = Aeron.connect(new Aeron.Context().aeronDirectoryName(first.aeronDirectoryName()));
            Subscription taken = holder.addSubscription(channel, 1001))
        {
            final ByteArrayOutputStream err = new ByteArrayOutputStream();
            final PrintStream before = System.err;
            final int exit;
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            try
            {
                exit = new CommandLine(new MdListen()).execute("--aeron-dir", second.aeronDirectoryName(), "--channel", channel,
                    "--seconds", "1");
            }
            finally
            {
                System.setErr(before);
            }
            final String said = err.toString(StandardCharsets.UTF_8);
            assertEquals(2, exit, said);
            assertTrue(said.contains("the UDP port is taken on this host"), said);
            assertFalse(said.contains("\tat "), "no stack trace: " + said);
        }
    }

    private static MediaDriver.Context driver(final Path dir)
    {
        return new MediaDriver.Context().aeronDirectoryName(dir.toString()).threadingMode(ThreadingMode.SHARED)
            .dirDeleteOnStart(true).dirDeleteOnShutdown(true);
    }
}
