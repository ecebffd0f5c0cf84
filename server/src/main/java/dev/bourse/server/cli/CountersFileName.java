package dev.bourse.server.cli;

/** Where the server keeps its counters, inside data.dir. */
public final class CountersFileName
{
    public static final String NAME = "counters.dat";

    private CountersFileName()
    {
    }
}
