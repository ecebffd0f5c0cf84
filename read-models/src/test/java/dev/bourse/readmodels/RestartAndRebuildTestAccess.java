package dev.bourse.readmodels;

/** For tests in other packages: waits until the projections and the history store reach a position. */
public final class RestartAndRebuildTestAccess
{
    private RestartAndRebuildTestAccess()
    {
    }

    public static void awaitPosition(final ReadModelsServer server, final long position)
    {
        RestartAndRebuildTest.awaitPosition(server, position);
    }
}
