package dev.bourse.bench.readmodels;

import dev.bourse.engine.EventSink;
import dev.bourse.journal.ChronicleJournal;
import dev.bourse.journal.InMemoryJournal;
import dev.bourse.readmodels.JournalSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The journal of one benchmark phase: in memory, or a Chronicle journal in a temporary directory deleted at close. */
final class BenchJournal implements AutoCloseable
{
    private final EventSink sink;
    private final JournalSource source;
    private final ChronicleJournal chronicle;
    private final Path directory;

    private BenchJournal(final EventSink sink, final JournalSource source, final ChronicleJournal chronicle, final Path directory)
    {
        this.sink = sink;
        this.source = source;
        this.chronicle = chronicle;
        this.directory = directory;
    }

    static BenchJournal create(final String kind, final Path parent) throws IOException
    {
        switch (kind)
        {
            case "memory":
            {
                final InMemoryJournal journal = new InMemoryJournal();
                return new BenchJournal(journal, JournalSource.of(journal), null, null);
            }
            case "chronicle":
            {
                final Path base = parent == null ? Path.of(System.getProperty("java.io.tmpdir")) : parent;
                Files.createDirectories(base);
                final Path directory = Files.createTempDirectory(base, "bench-read-models-");
                final ChronicleJournal journal = ChronicleJournal.open(new ChronicleJournal.Context().dir(directory.resolve("journal")));
                return new BenchJournal(journal, JournalSource.of(journal), journal, directory);
            }
            default:
                throw new IllegalArgumentException("--journal must be chronicle or memory, not '" + kind + "'");
        }
    }

    EventSink sink()
    {
        return sink;
    }

    JournalSource source()
    {
        return source;
    }

    @Override
    public void close()
    {
        if (chronicle != null)
        {
            chronicle.close();
        }
        if (directory != null)
        {
            try (Stream<Path> files = Files.walk(directory))
            {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
            catch (final IOException e)
            {
                throw new UncheckedIOException("cannot delete " + directory, e);
            }
        }
    }
}
