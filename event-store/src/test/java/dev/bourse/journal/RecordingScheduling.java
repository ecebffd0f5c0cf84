package dev.bourse.journal;

import java.util.ArrayList;
import java.util.List;

/** A {@link FollowerScheduling} for tests: records each call ("yield", "compete") and grants all or none. */
public final class RecordingScheduling implements FollowerScheduling
{
    public final List<String> calls = new ArrayList<>();
    private final boolean grants;

    /** @param grants whether this system has the idle class (every call succeeds) or not (every call fails) */
    public RecordingScheduling(final boolean grants)
    {
        this.grants = grants;
    }

    @Override
    public boolean yieldCores()
    {
        calls.add("yield");
        return grants;
    }

    @Override
    public boolean competeForCores()
    {
        calls.add("compete");
        return grants;
    }
}
