package dev.bourse.bench.fixload;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnswerRecorderTest
{
    @Test
    void anAnswerCountsByTheTypeItsMessageWasSentAsFromItsPlannedTime()
    {
        final AnswerRecorder answers = new AnswerRecorder();
        answers.recording(true);
        answers.planned(0, 1_000);
        answers.sending(0, FixLoadClient.CANCEL);
        answers.planned(1, 2_000);
        answers.sending(1, FixLoadClient.NEW);

        answers.onAnswer(0, false, null, 51_000);
        answers.onAnswer(1, true, "rejected: no", 9_000);
        answers.onAnswer(2, false, null, 9_000); // never sent: not an answer of ours

        assertEquals(1, answers.answered(FixLoadClient.CANCEL));
        assertEquals(0, answers.answered(FixLoadClient.NEW));
        assertEquals(1, answers.rejects());
        assertEquals(1, answers.rejectReasons().get("rejected: no").sum());
        assertEquals(2, answers.total());
        assertTrue(answers.sentAs(0, FixLoadClient.CANCEL));
        assertFalse(answers.sentAs(1, FixLoadClient.CANCEL));
        assertFalse(answers.sentAs(2, FixLoadClient.NEW));

        final Histogram[] interval = answers.takeInterval();
        assertEquals(1, interval[FixLoadClient.CANCEL].getTotalCount());
        assertEquals(50_000, interval[FixLoadClient.CANCEL].getMaxValue(), 50);
        assertEquals(0, interval[FixLoadClient.NEW].getTotalCount(), "a reject is counted, not timed");
        assertEquals(0, answers.takeInterval()[FixLoadClient.CANCEL].getTotalCount(), "taking resets the interval");
        assertEquals(1, answers.takeTotal()[FixLoadClient.CANCEL].getTotalCount(), "but not the whole run");
    }

    @Test
    void nothingIsRecordedWhileRecordingIsOffButAnswersStillCount()
    {
        final AnswerRecorder answers = new AnswerRecorder();
        answers.planned(5, 0);
        answers.sending(5, FixLoadClient.REPLACE);
        answers.onAnswer(5, false, null, 10_000);
        assertEquals(1, answers.answered(FixLoadClient.REPLACE));
        assertEquals(0, answers.takeTotal()[FixLoadClient.REPLACE].getTotalCount());
    }

    @Test
    void theWindowCountsOnlyAnswersToMessagesSentInItEachOnceAndRejectsApart()
    {
        final AnswerRecorder answers = new AnswerRecorder();
        for (long id = 0; id < 3; id++) // warm-up: 0..2
        {
            answers.planned(id, 0);
            answers.sending(id, FixLoadClient.NEW);
        }
        answers.recording(true);
        for (long id = 3; id < 7; id++) // measured: 3..6
        {
            answers.planned(id, 0);
            answers.sending(id, FixLoadClient.NEW);
        }
        answers.onAnswer(0, false, null, 1_000); // a warm-up message answered late, inside the window
        answers.onAnswer(1, true, "rejected: late", 1_000);
        answers.onAnswer(3, false, null, 1_000);
        answers.onAnswer(3, false, null, 2_000); // a second answer to the same message
        answers.onAnswer(4, false, null, 1_000);
        answers.onAnswer(5, true, "rejected: no", 1_000);
        answers.recording(false);
        answers.planned(7, 0);
        answers.sending(7, FixLoadClient.NEW); // after the window: the next rate's warm-up
        answers.onAnswer(7, false, null, 1_000);

        assertEquals(4, answers.windowSent());
        assertEquals(2, answers.windowAnswered(), "3 and 4: not the warm-up's 0, nor 3 twice, nor 7 after the window");
        assertEquals(1, answers.windowRejected(), "5: not the warm-up's 1");
        assertEquals(2, answers.takeTotal()[FixLoadClient.NEW].getTotalCount(), "only the window's acks are timed");
        assertEquals(2, answers.rejects(), "every reject still counts in the run's totals");

        answers.onAnswer(6, false, null, 1_000); // late, but the window's own message
        assertEquals(3, answers.windowAnswered());

        answers.recording(true); // the next window starts from zero
        assertEquals(0, answers.windowSent());
        assertEquals(0, answers.windowAnswered());
        assertEquals(0, answers.windowRejected());
    }

    @Test
    void aMessageAnsweredAgainCountsOnceInTheRunsTotals()
    {
        final AnswerRecorder answers = new AnswerRecorder();
        answers.planned(0, 0);
        answers.sending(0, FixLoadClient.NEW);
        answers.planned(1, 0);
        answers.sending(1, FixLoadClient.CANCEL);
        answers.onAnswer(0, false, null, 1_000);
        answers.onAnswer(1, true, "cancel rejected: UNKNOWN_ORDER", 1_000);
        answers.onAnswer(0, false, null, 2_000); // both again: resent by the gateway that took the session over
        answers.onAnswer(1, true, "cancel rejected: UNKNOWN_ORDER", 2_000);

        assertEquals(1, answers.answered(FixLoadClient.NEW));
        assertEquals(1, answers.rejects());
        assertEquals(2, answers.total(), "what the demo's orders column adds up");
    }

    @Test
    void aSessionLevelRejectWhileRecordingCountsAgainstTheWindow()
    {
        final AnswerRecorder answers = new AnswerRecorder();
        answers.sessionReject("j: throttled");
        answers.recording(true);
        answers.sessionReject("3: bad tag");
        assertEquals(1, answers.windowRejected());
        assertEquals(2, answers.rejects());
    }

    @Test
    void aCancelRefusedBecauseItsOrderFilledIsAnAnswerNotAReject()
    {
        final AnswerRecorder answers = new AnswerRecorder();
        answers.recording(true);
        answers.planned(0, 0);
        answers.sending(0, FixLoadClient.CANCEL);
        answers.planned(1, 0);
        answers.sending(1, FixLoadClient.NEW);
        answers.planned(2, 0);
        answers.sending(2, FixLoadClient.REPLACE);
        answers.onAnswer(0, true, "cancel rejected: TOO_LATE_TO_CANCEL", 1_000);
        answers.onAnswer(1, true, "rejected: UNKNOWN_ORDER", 1_000); // a new order is never late
        answers.onAnswer(2, true, "cancel rejected: RATE_LIMITED", 1_000);

        assertEquals(1, answers.windowAnswered());
        assertEquals(1, answers.windowRefused());
        assertEquals(2, answers.windowRejected());
        assertEquals(1, answers.takeTotal()[FixLoadClient.CANCEL].getTotalCount(), "the refusal is the cancel's answer: timed");
        assertTrue(AnswerRecorder.lateRefusal(FixLoadClient.REPLACE, "cancel rejected: REPLACE_BELOW_FILLED"));
        assertFalse(AnswerRecorder.lateRefusal(FixLoadClient.CANCEL, null));
    }
}
