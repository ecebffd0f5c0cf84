package dev.bourse.gateway;

import dev.bourse.gateway.store.SessionStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Which inbound MsgSeqNum counts as received for good, as commands go to the journal and come back. */
class InboundProgressTest
{
    @TempDir
    Path dir;

    @Test
    void theFirstCommandNotYetJournaledHoldsTheReceivedNumberBack()
    {
        try (SessionStore store = SessionStore.open(dir, "ALICE", 1 << 16))
        {
            store.initialise(1, "alice");
            final InboundProgress progress = new InboundProgress();
            store.nextInSeq(3);                 // 2 was a heartbeat
            progress.update(store);
            assertEquals(3, store.receivedInSeq());
            progress.commandSubmitted(3);       // an order
            store.nextInSeq(4);
            progress.commandSubmitted(4);       // another
            store.nextInSeq(6);                 // and 5, a heartbeat
            progress.update(store);
            assertEquals(3, store.receivedInSeq(), "3 is read but not journaled");
            progress.commandJournaled(3);
            progress.update(store);
            assertEquals(4, store.receivedInSeq());
            progress.commandJournaled(4);
            progress.update(store);
            assertEquals(6, store.receivedInSeq(), "everything handled");
        }
    }

    @Test
    void farMoreCommandsInFlightThanTrackedStillNeverOverstateWhatWasReceived()
    {
        try (SessionStore store = SessionStore.open(dir, "ALICE", 1 << 16))
        {
            store.initialise(1, "alice");
            final InboundProgress progress = new InboundProgress();
            final int n = InboundProgress.MAX_TRACKED + 100;
            for (int seq = 2; seq < 2 + n; seq++)
            {
                progress.commandSubmitted(seq);
                store.nextInSeq(seq + 1);
            }
            progress.update(store);
            assertEquals(2, store.receivedInSeq());
            progress.commandJournaled(1 + InboundProgress.MAX_TRACKED);     // every tracked one
            progress.update(store);
            assertEquals(2 + InboundProgress.MAX_TRACKED, store.receivedInSeq(), "the first untracked one stands for the rest");
            progress.commandJournaled(1 + n - 1);
            progress.update(store);
            assertEquals(2 + InboundProgress.MAX_TRACKED, store.receivedInSeq(), "still one in flight");
            progress.commandJournaled(1 + n);
            progress.update(store);
            assertEquals(2 + n, store.receivedInSeq());
            assertEquals(0, progress.outstanding());
        }
    }
}
