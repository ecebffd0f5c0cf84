package dev.bourse.readmodels;

/**
 * What the admin API needs of the exchange it runs in: carry out an operator's action as a
 * journaled command (with an audit record naming the operator before it) and say what became of
 * it, and the FIX sessions. The exchange's process implements it; a query side running in a
 * process of its own has none, and its admin API answers 404. Called from HTTP threads: an
 * implementation is thread-safe and may block (briefly) until the journal has the answer.
 */
public interface AdminBackend
{
    /**
     * What became of an action: {@code status} 200 with the journal position (and engine sequence)
     * of the entry that carried it out and the fields of its result as JSON members, or a 4xx/5xx
     * status with an error code and a specific message.
     *
     * @param resultMembers JSON object members without braces (e.g. {@code "balance":"12.5"}); empty for none
     */
    record Outcome(int status, String error, String message, long position, long sequence, String resultMembers)
    {
        public static Outcome ok(final long position, final long sequence, final String resultMembers)
        {
            return new Outcome(200, null, null, position, sequence, resultMembers);
        }

        public static Outcome error(final int status, final String error, final String message)
        {
            return new Outcome(status, error, message, Long.MIN_VALUE, 0, "");
        }
    }

    /** Journals the audit record and the command, and waits (bounded) for the command's entry. */
    Outcome execute(String operator, AdminCommand command);

    /** The FIX sessions, as a JSON array. */
    Outcome sessions();

    /** Logs a session out (audited). */
    Outcome disconnect(String operator, int sessionId);

    /** Resets a logged-out session's sequence numbers (audited). */
    Outcome resetSequence(String operator, int sessionId);
}
