package dev.bourse.marketdata;

import io.aeron.ChannelUri;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
 * Channel and stream options md-listen cannot use are refused in one line that names the option,
 * with exit status 2, even with a driver there to subscribe through (an outside tester saw an
 * 18-line stack trace for {@code --channel=bogus}, and a listener that waited for ever on a
 * snapshot stream that was its incremental stream).
 */
class MdListenArgumentsTest
{
    @TempDir
    Path dir;

    private MediaDriver driver;

    @BeforeEach
    void launchDriver()
    {
        driver = MediaDriver.launch(new MediaDriver.Context().aeronDirectoryName(dir.resolve("driver").toString())
            .threadingMode(ThreadingMode.SHARED).dirDeleteOnStart(true).dirDeleteOnShutdown(true));
    }

    @AfterEach
    void closeDriver()
    {
        driver.close();
    }

    @Test
    void aChannelThatIsNoAeronUriIsOneLineNamingTheOption()
    {
        final String said = refused("--channel=bogus");
        assertTrue(said.startsWith("md-listen: --channel 'bogus' is not an Aeron channel (Aeron URIs must start with 'aeron:'"),
            said);
    }

    @Test
    void aMalformedSnapshotChannelIsOneLineNamingTheOption()
    {
        // ChannelUri throws IllegalStateException for this one, not IllegalArgumentException
        final String said = refused("--snapshot-channel=aeron:udp?endpoint");
        assertTrue(said.startsWith("md-listen: --snapshot-channel 'aeron:udp?endpoint' is not an Aeron channel"), said);
    }

    @Test
    void theSnapshotWaitIsAnOptionAndMustBePositive()
    {
        final String said = refused("--snapshot-wait-ms=0");
        assertEquals("md-listen: --snapshot-wait-ms must be positive, got 0", said.strip());
        final MdListen command = new MdListen();
        new picocli.CommandLine(command).parseArgs("--snapshot-wait-ms=120000");
        assertEquals(120_000, command.snapshotWarnAfterMs, "an exchange that sends a snapshot every minute");
    }

    @Test
    void theSnapshotStreamMustDifferFromTheIncrementalStreamOnTheSameChannel()
    {
        final String said = refused("--stream-id=1002");
        assertTrue(said.startsWith("md-listen: --snapshot-stream-id must differ from --stream-id on the same channel "
            + "(both 1002 on aeron:ipc)"), said);
        // the same channel in other words (md-listen adds tether=false itself)
        refused("--snapshot-channel=aeron:ipc?tether=false", "--snapshot-stream-id=1001");
    }

    @Test
    void theSameStreamIdOnAnotherChannelIsAnotherStream()
    {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exit = run(err, "--snapshot-channel=aeron:udp?endpoint=localhost:0", "--snapshot-stream-id=1001");
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyIpcChannelIsTheSameMediumWhateverItsAlias()
    {
        final String said = refused("--snapshot-channel=aeron:ipc?alias=snap", "--stream-id=1001", "--snapshot-stream-id=1001");
        assertTrue(said.startsWith("md-listen: --snapshot-stream-id must differ from --stream-id on the same channel "
            + "(both 1001 on aeron:ipc?alias=snap)"), said);
        refused("--channel=aeron:ipc?alias=md|term-length=131072", "--snapshot-channel=aeron:ipc?alias=snap",
            "--stream-id=1001", "--snapshot-stream-id=1001");
    }

    @Test
    void udpChannelsWithOneEndpointAreOneStreamWhateverTheirAlias()
    {
        final String said = refused("--channel=aeron:udp?endpoint=localhost:22150",
            "--snapshot-channel=aeron:udp?endpoint=localhost:22150|alias=x", "--stream-id=1001", "--snapshot-stream-id=1001");
        assertTrue(said.startsWith("md-listen: --snapshot-stream-id must differ from --stream-id on the same channel "
            + "(both 1001 on aeron:udp?endpoint=localhost:22150|alias=x)"), said);
    }

    @Test
    void udpChannelsWithDifferentEndpointsAreDifferentStreams() throws Exception
    {
        final int first;
        final int second;
        try (DatagramSocket a = new DatagramSocket(0); DatagramSocket b = new DatagramSocket(0))
        {
            first = a.getLocalPort();
            second = b.getLocalPort();
        }
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exit = run(err, "--channel=aeron:udp?endpoint=localhost:" + first,
            "--snapshot-channel=aeron:udp?endpoint=localhost:" + second + "|alias=x", "--stream-id=1001", "--snapshot-stream-id=1001");
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void whichStreamAChannelNamesIsMediumEndpointAndControl()
    {
        assertTrue(same("aeron:ipc", "aeron:ipc?alias=snap|tether=false|term-length=65536"));
        assertTrue(same("aeron:udp?endpoint=localhost:22150", "aeron:udp?endpoint=localhost:22150|alias=x|mtu=1408"));
        assertTrue(same("aeron:udp?endpoint=localhost:22150", "aeron-spy:aeron:udp?endpoint=localhost:22150"));
        assertFalse(same("aeron:ipc", "aeron:udp?endpoint=localhost:22150"));
        assertFalse(same("aeron:udp?endpoint=localhost:22150", "aeron:udp?endpoint=localhost:22151"));
        assertFalse(same("aeron:udp?endpoint=localhost:0|control=localhost:40456|control-mode=dynamic",
            "aeron:udp?endpoint=localhost:0|control=localhost:40457|control-mode=dynamic"));
        assertFalse(same("aeron:udp?control=localhost:40456|control-mode=dynamic", "aeron:udp?control=localhost:40456"));
    }

    @Test
    void aUdpChannelWithoutEndpointIsOneLineNamingTheOption()
    {
        assertEquals("md-listen: --channel 'aeron:udp' needs an endpoint (or a control address for multi-destination): "
            + "e.g. aeron:udp?endpoint=239.1.1.1:40456", refused("--channel=aeron:udp"));
        assertEquals("md-listen: --snapshot-channel 'aeron:udp?alias=snap' needs an endpoint (or a control address for "
            + "multi-destination): e.g. aeron:udp?endpoint=239.1.1.1:40456", refused("--snapshot-channel=aeron:udp?alias=snap"));
    }

    private static boolean same(final String a, final String b)
    {
        return FeedChannels.sameMedium(ChannelUri.parse(a), ChannelUri.parse(b))
            && FeedChannels.sameMedium(ChannelUri.parse(b), ChannelUri.parse(a));
    }

    /** Runs md-listen; it must stop at once with exit 2 and one line (returned) on stderr. */
    private String refused(final String... args)
    {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exit = run(err, args);
        final String said = err.toString(StandardCharsets.UTF_8).strip();
        assertEquals(2, exit, said);
        assertFalse(said.contains("\tat "), "no stack trace: " + said);
        assertEquals(1, said.lines().count(), "one line: " + said);
        return said;
    }

    /** md-listen on the test's driver for a second at most (a listener that accepts its arguments then runs). */
    private int run(final ByteArrayOutputStream err, final String... args)
    {
        final String[] all = new String[args.length + 2];
        all[0] = "--aeron-dir=" + driver.aeronDirectoryName();
        all[1] = "--seconds=1";
        System.arraycopy(args, 0, all, 2, args.length);
        final PrintStream before = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try
        {
            return new CommandLine(new MdListen()).execute(all);
        }
        finally
        {
            System.setErr(before);
        }
    }
}
