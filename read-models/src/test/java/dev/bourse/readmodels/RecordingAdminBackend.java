package dev.bourse.readmodels;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An admin backend for HTTP tests: every command is carried out (position and sequence 7) and kept. */
final class RecordingAdminBackend implements AdminBackend
{
    final List<AdminCommand> commands = new CopyOnWriteArrayList<>();

    @Override
    public Outcome execute(final String operator, final AdminCommand command)
    {
        commands.add(command);
        return Outcome.ok(7, 7, "");
    }

    @Override
    public Outcome sessions()
    {
        return Outcome.ok(7, 7, "\"sessions\":[]");
    }

    @Override
    public Outcome disconnect(final String operator, final int sessionId)
    {
        return Outcome.ok(7, 7, "");
    }

    @Override
    public Outcome resetSequence(final String operator, final int sessionId)
    {
        return Outcome.ok(7, 7, "");
    }
}
