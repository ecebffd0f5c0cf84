package dev.bourse.server.cli;

import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a user reads when a command fails on a file: the file and what is wrong, in words. */
class UserErrorsTest
{
    @Test
    void aMissingFileIsSaidInWordsNotAsAJavaClassName()
    {
        assertEquals("/nonexistent: no such file or directory",
            UserErrors.describe(new UncheckedIOException(new NoSuchFileException("/nonexistent"))));
    }

    @Test
    void aFullDiskSaysWhereAsTheWrapperDidNotTheKernelsReasonAlone()
    {
        // a refused start said "start: No space left on device" for a full gateway.session-dir (an outside probe)
        final String where = "cannot open FIX session store /full/sessions/ALICE: No space left on device";
        assertEquals(where, UserErrors.describe(new UncheckedIOException(where, new java.io.IOException("No space left on device"))));
        assertEquals("No space left on device",
            UserErrors.describe(new RuntimeException(new java.io.IOException("No space left on device"))), "a wrapper that adds nothing");
    }

    @Test
    void aClusterUdpPortInUseNamesTheEndpointAndTheKeys()
    {
        // the exception a media driver raised when a member's consensus port was taken (seen in a probe)
        final String said = UserErrors.describe(new RuntimeException("start failed", new io.aeron.exceptions.AeronException(
            "ERROR - channel error - Address already in use (at java.base/sun.nio.ch.Net.bind0(Native Method)): "
                + "aeron:udp?endpoint=localhost:31001|term-length=64k")));
        org.junit.jupiter.api.Assertions.assertTrue(said.startsWith("cannot bind UDP localhost:31001: the address is in use"), said);
        org.junit.jupiter.api.Assertions.assertTrue(said.contains("cluster.members"), said);
    }

    @Test
    void aJournalPositionTheReadModelsCannotFindIsSaidWithTheirCure()
    {
        // a cluster node whose journal was wiped but whose read models were kept said only the journal's bare line (an outside probe)
        final dev.bourse.journal.JournalException missing = new dev.bourse.journal.JournalException("journal /d/journal has no entry at position 42");
        final String said = UserErrors.describe(new IllegalStateException(
            dev.bourse.readmodels.ReadModelsServer.notInJournal("their checkpoint in /d/read-models", missing), missing));
        assertEquals("read models: their checkpoint in /d/read-models is past what the journal holds (journal /d/journal has no entry at"
            + " position 42): the journal was wiped or replaced after the read models last ran. They are rebuilt from the journal: delete"
            + " the read models' directory (data.dir/read-models, the history store with it) and start again", said);
        assertEquals("journal /d/journal has no entry at position 42", UserErrors.describe(new RuntimeException(missing)),
            "a wrapper that adds nothing");
    }

    @Test
    void anEntryRecoveryCannotReplayNamesTheJournalAndVerifyNotOnlyTheReplaysBareLine()
    {
        // an outside probe's zeroed and cut-short journals: the start said only "journal refers to unknown order 0 at sequence 12402"
        final IllegalStateException bare = new IllegalStateException("journal refers to unknown order 0 at sequence 12402");
        final String explained = "the journal /d/journal holds an entry it cannot replay at position 42 (after sequence 12401): "
            + bare.getMessage() + ". The journal is the system of record: restore it from a copy (./exchange journal verify says where"
            + " it breaks)";
        assertEquals(explained, UserErrors.describe(new dev.bourse.journal.JournalException(explained, bare)));
        assertEquals(explained, UserErrors.describe(new RuntimeException(new dev.bourse.journal.JournalException(explained, bare))));
        assertEquals(bare.getMessage(), UserErrors.describe(new RuntimeException("start failed: " + bare.getMessage(), bare)),
            "a wrapper of no journal's is not taken for an explanation");
    }
}
