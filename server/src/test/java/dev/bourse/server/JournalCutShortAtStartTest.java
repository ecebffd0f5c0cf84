package dev.bourse.server;

import dev.bourse.journal.JournalFiles;
import dev.bourse.server.config.ExchangeConfig;
import dev.bourse.server.config.Settings;
import io.aeron.CommonContext;
import org.agrona.IoUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An outside tester's {@code truncate -s 4000000} of the newest cycle file: the start printed
 * Chronicle's warnings, then "start: journal refers to unknown order 0 at sequence 12402", naming
 * neither the journal nor the cut, and had grown the file back to 335,544,320 bytes, so that
 * {@code journal verify} then said something else. It is now refused before Chronicle opens the
 * directory, in one line, exit code 2, the file left as it was; a journal as a normal run or a
 * kill leaves it still starts.
 */
class JournalCutShortAtStartTest
{

    @TempDir
    Path temp;

    private final String aeronDir = CommonContext.getAeronDirectoryName() + "-cut-" + UUID.randomUUID();

    @AfterEach
    void deleteAeronDir()
    {
        IoUtil.delete(Path.of(aeronDir).toFile(), true);
    }

    private Path configFile(final Path dataDir) throws Exception
    {
        final Map<String, String> overrides = ExampleConfig.isolated(dataDir, aeronDir);
        overrides.put("schedule.gtd-expiry-interval", "0s");
        return Files.writeString(temp.resolve("exchange.properties"), ExampleConfig.text(overrides));
    }

    private static ExchangeConfig read(final Path file) throws Exception
    {
        return ExchangeConfig.read(Settings.parse(file.toString(), Files.readString(file)));
    }

    private static List<Path> cycleFiles(final Path journal) throws Exception
    {
        try (Stream<Path> files = Files.list(journal))
        {
            return files.filter(p -> p.getFileName().toString().endsWith(".cq4")).sorted().toList();
        }
    }

    @Test
    void aCycleFileCutShortIsRefusedInOneLineAndLeftAsItWasWhereANormalOrKilledJournalStarts() throws Exception
    {
        final Path dataDir = temp.resolve("data");
        final Path file = configFile(dataDir);
        final ExchangeConfig config = read(file);
        final Path journal = config.journal().dir();
        try (ExchangeServer running = ExchangeServer.start(config, line -> { }))
        {
            assertTrue(running.journal().lastSequence() > 0, "the bootstrap journaled its instruments and accounts");
            // what a SIGKILL would leave at this moment: the files as the running exchange has them
            assertNull(JournalFiles.damagedHeader(journal));
        }
        assertNull(JournalFiles.damagedHeader(journal), "stopped normally");
        try (ExchangeServer again = ExchangeServer.start(config, line -> { }))
        {
            assertTrue(again.journal().lastSequence() > 0);
        }

        final Path newest = cycleFiles(journal).get(cycleFiles(journal).size() - 1);
        final long cut = 40_000; // past the file's header, before what its header says was written
        try (FileChannel channel = FileChannel.open(newest, StandardOpenOption.WRITE))
        {
            channel.truncate(cut);
        }
        final StringWriter err = new StringWriter();
        final picocli.CommandLine commandLine = dev.bourse.server.cli.Main.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        final int code = commandLine.execute("start", "--config", file.toString());
        final String said = err.toString();
        assertEquals(2, code, said);
        assertTrue(said.startsWith("start: journal " + journal + ": " + newest.getFileName() + " ends before its data does (cut short"
            + " or damaged): it is " + cut + " bytes long, but its header says its last document starts at byte "), said);
        assertTrue(said.contains("./exchange journal verify"), said);
        assertEquals(1, said.split("\n").length, said);
        assertFalse(said.contains("\tat "), said);
        assertFalse(said.contains("unknown order"), said);
        assertEquals(cut, Files.size(newest), "the refused start left the file as it was (it had grown it back to 335,544,320 bytes)");
    }
}
