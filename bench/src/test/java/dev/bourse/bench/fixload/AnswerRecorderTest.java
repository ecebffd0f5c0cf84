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
        assertEquals(1, interval[FixLoadClient.NEW].getTotalCount(), "a reject's latency counts too");
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
}
