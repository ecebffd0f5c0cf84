package dev.bourse.server.cli;

import dev.bourse.protocol.auth.PasswordHash;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;

@Command(
    name = "hash-password",
    description = "Reads a password (from the terminal, or one line of standard input) and prints the value for user.NAME.password-hash.",
    mixinStandardHelpOptions = true, versionProvider = dev.bourse.journal.tool.BourseVersion.class)
public final class HashPasswordCommand implements Callable<Integer>
{
    @Option(names = "--iterations", paramLabel = "N", defaultValue = "" + PasswordHash.DEFAULT_ITERATIONS,
        description = "PBKDF2 iterations, 1000 to 10000000 (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Override
    public Integer call() throws Exception
    {
        // the flags first: a bad one was only named after a password was typed, or, with none, not at all ("no password given")
        if (iterations < 1_000 || iterations > 10_000_000)
        {
            System.err.println("hash-password: --iterations " + iterations + ": must be between 1000 and 10000000");
            return 2;
        }
        final Console console = System.console();
        final char[] password;
        if (console != null)
        {
            password = console.readPassword("password: ");
        }
        else
        {
            final String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            password = line == null ? new char[0] : line.toCharArray();
        }
        if (password == null || password.length == 0)
        {
            System.err.println("hash-password: no password given");
            return 2;
        }
        if (PasswordHash.holdsNul(password))
        {
            System.err.println("hash-password: a password cannot hold a NUL character");
            return 2;
        }
        System.out.println(PasswordHash.hash(password, iterations));
        Arrays.fill(password, '\0');
        return 0;
    }
}
