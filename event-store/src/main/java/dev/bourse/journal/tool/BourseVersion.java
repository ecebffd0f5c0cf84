package dev.bourse.journal.tool;

import picocli.CommandLine;

/** What {@code -V/--version} prints for every bourse command: one place, so none prints an empty line. */
public final class BourseVersion implements CommandLine.IVersionProvider
{
    /** The project's version when the jar's manifest does not say (a build from the source tree). */
    private static final String SOURCE_VERSION = "0.1.0-SNAPSHOT";

    @Override
    public String[] getVersion()
    {
        final String manifest = BourseVersion.class.getPackage().getImplementationVersion();
        return new String[] {"bourse " + (manifest != null ? manifest : SOURCE_VERSION) + " (Java " + Runtime.version() + ")"};
    }
}
