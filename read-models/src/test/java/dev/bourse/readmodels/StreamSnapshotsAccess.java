package dev.bourse.readmodels;

import dev.bourse.readmodels.stream.SnapshotBuilder;

/** For tests in other packages: the stream snapshots the query server builds. */
public final class StreamSnapshotsAccess
{
    private StreamSnapshotsAccess()
    {
    }

    public static SnapshotBuilder builder()
    {
        return new StreamSnapshots();
    }
}
