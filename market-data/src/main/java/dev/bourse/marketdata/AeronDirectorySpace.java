package dev.bourse.marketdata;

import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.aeron.driver.Configuration;
import io.aeron.driver.MediaDriver;
import io.aeron.logbuffer.LogBufferDescriptor;
import org.agrona.BitUtil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

/**
 * Refuses an embedded media driver a directory whose filesystem cannot hold what it maps: its
 * {@code cnc.dat} (command buffers, counters, error log: about 47 MiB with Aeron's defaults,
 * whatever the term length) and loss report, and the feed's two publications, each three terms
 * and a metadata page. Started on a 8 MiB tmpfs, the driver died of SIGBUS zeroing cnc.dat, an
 * InternalError with a stack trace after the whole recovery (an outside probe); a publication's log
 * that fills later would take the same way. Sizes come from the driver's context, not a guess.
 */
final class AeronDirectorySpace
{
    /** The feed's publications: the incremental stream and the snapshot stream. */
    private static final int PUBLICATIONS = 2;

    private AeronDirectorySpace()
    {
    }

    /** The bytes the driver of {@code driver} maps in its directory for publications on {@code channels}. */
    static long neededBytes(final MediaDriver.Context driver, final int termLength, final String... channels)
    {
        final long cnc = BitUtil.align(128L + driver.conductorBufferLength() + driver.toClientsBufferLength()
            + Configuration.countersMetadataBufferLength(driver.counterValuesBufferLength()) + driver.counterValuesBufferLength()
            + driver.errorBufferLength(), driver.filePageSize());
        long logs = 0;
        for (int i = 0; i < PUBLICATIONS; i++)
        {
            final int term = i < channels.length ? termLengthOf(channels[i], termLength) : termLength;
            logs += LogBufferDescriptor.computeLogLength(term, driver.filePageSize());
        }
        return cnc + BitUtil.align(driver.lossReportBufferLength(), driver.filePageSize()) + logs;
    }

    /**
     * @param free usable bytes of a path's filesystem, -1 when unknown
     * @throws IllegalStateException one line naming md.aeron-dir, its free and needed MiB
     */
    static void refuseIfTooSmall(final String directory, final long neededBytes, final ToLongFunction<Path> free)
    {
        final Path dir = Path.of(directory).toAbsolutePath();
        final Path existing = nearestExisting(dir);
        final long usable = existing == null ? -1 : free.applyAsLong(existing);
        if (usable < 0)
        {
            return;
        }
        final long available = usable + leftByAnEarlierDriver(dir); // the driver deletes its directory when it starts
        if (available < neededBytes)
        {
            throw new IllegalStateException("md.aeron-dir: " + directory + " has only " + (available >> 20) + " MiB free, below the "
                + ((neededBytes + (1 << 20) - 1) >> 20) + " MiB the embedded media driver maps there (cnc.dat and two "
                + "publications of 3 x md.term-length, docs/CONFIGURATION.md); give it a larger filesystem or a smaller md.term-length");
        }
    }

    static void refuseIfTooSmall(final String directory, final long neededBytes)
    {
        refuseIfTooSmall(directory, neededBytes, AeronDirectorySpace::usableBytes);
    }

    /** The configured term length, or a channel's own {@code term-length} where it sets one. */
    private static int termLengthOf(final String channel, final int termLength)
    {
        final String value = channel == null ? null : ChannelUri.parse(channel).get(CommonContext.TERM_LENGTH_PARAM_NAME);
        return value == null ? termLength : (int)org.agrona.SystemUtil.parseSize(CommonContext.TERM_LENGTH_PARAM_NAME, value);
    }

    private static Path nearestExisting(final Path dir)
    {
        Path p = dir;
        while (p != null && !Files.exists(p))
        {
            p = p.getParent();
        }
        return p;
    }

    private static long leftByAnEarlierDriver(final Path dir)
    {
        if (!Files.isDirectory(dir))
        {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir, 3))
        {
            return files.filter(Files::isRegularFile).mapToLong(f ->
            {
                try
                {
                    return Files.size(f);
                }
                catch (final IOException e)
                {
                    return 0;
                }
            }).sum();
        }
        catch (final IOException | UncheckedIOException e)
        {
            return 0;
        }
    }

    private static long usableBytes(final Path path)
    {
        try
        {
            return Files.getFileStore(path).getUsableSpace();
        }
        catch (final IOException e)
        {
            return -1;
        }
    }
}
