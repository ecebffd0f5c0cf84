package dev.bourse.server.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.*;

/** -V/--version says which bourse it is on every command, not an empty line. */
class VersionTest
{
    @Test
    void everyCommandAndSubcommandPrintsTheVersion()
    {
        check(Main.commandLine());
    }

    private static void check(final CommandLine command)
    {
        if (command.getCommandSpec().mixinStandardHelpOptions())
        {
            final StringWriter out = new StringWriter();
            command.setOut(new PrintWriter(out));
            command.printVersionHelp(new PrintWriter(out));
            assertTrue(out.toString().startsWith("bourse "), command.getCommandSpec().qualifiedName() + ": '" + out + "'");
        }
        command.getSubcommands().values().forEach(VersionTest::check);
    }
}
