package dev.bourse.readmodels;

import dev.bourse.protocol.auth.Credential;
import dev.bourse.protocol.auth.CredentialStore;
import dev.bourse.protocol.auth.PasswordHash;
import org.agrona.concurrent.ShutdownSignalBarrier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code read-models --journal DIR [--port P]}: the read side as its own process on the same
 * journal files as the engine, so the query side scales apart from the write side.
 */
@Command(name = "read-models", mixinStandardHelpOptions = true,
    description = "Project the journal into read models and serve the HTTP/JSON query API.")
public final class ReadModelsMain implements Callable<Integer>
{
    /**
     * Opens the journal directory read-only. The Chronicle journal lands in event-store in
     * parallel; until then nothing can read a journal directory and this says so. The server
     * module (or this class, at merge) replaces it with the Chronicle tailer's source.
     */
    static volatile Function<Path, JournalSource> journalOpener = dir ->
    {
        throw new IllegalArgumentException("read models: no on-disk journal reader is available in this build " +
            "(the Chronicle journal is not wired in yet)");
    };

    @Option(names = "--journal", required = true, paramLabel = "DIR", description = "Journal directory (read only).")
    Path journal;

    @Option(names = "--port", paramLabel = "P", description = "HTTP port (default: ${DEFAULT-VALUE}).")
    int port = ReadModelsContext.DEFAULT_PORT;

    @Option(names = "--bind", paramLabel = "ADDRESS", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String bind = "0.0.0.0";

    @Option(names = "--checkpoints", paramLabel = "DIR",
        description = "Checkpoint directory: resume from it after a restart (default: none, rebuild from the start).")
    Path checkpoints;

    @Option(names = "--users", paramLabel = "FILE",
        description = "Credentials: one 'username accountId pbkdf2-hash' per line, # comments (default: none).")
    Path users;

    @Option(names = "--http-threads", paramLabel = "N", description = "HTTP threads (default: ${DEFAULT-VALUE}).")
    int httpThreads = 4;

    private final PrintWriter err;

    ReadModelsMain(final PrintWriter err)
    {
        this.err = err;
    }

    public static void main(final String[] args)
    {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true), true));
    }

    /** Runs the command; with {@code block} false (tests) it starts and stops at once. */
    static int run(final String[] args, final PrintWriter out, final PrintWriter err, final boolean block)
    {
        final ReadModelsMain main = new ReadModelsMain(err);
        main.block = block;
        final CommandLine commandLine = new CommandLine(main).setOut(out).setErr(err);
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) ->
        {
            // Startup errors are one line, never a stack trace.
            err.println(e instanceof IllegalArgumentException || e instanceof IOException ? e.getMessage() : "read models: " + e);
            return 1;
        });
        return commandLine.execute(args);
    }

    private boolean block = true;

    @Override
    public Integer call() throws Exception
    {
        if (!Files.isDirectory(journal))
        {
            throw new IllegalArgumentException("read models: journal directory " + journal + " does not exist");
        }
        final CredentialStore credentials = users == null ? new CredentialStore() : loadUsers(users);
        if (checkpoints != null)
        {
            try
            {
                Files.createDirectories(checkpoints);
            }
            catch (final IOException e)
            {
                throw new IllegalArgumentException("read models: cannot create checkpoint directory " + checkpoints);
            }
            if (!Files.isWritable(checkpoints))
            {
                throw new IllegalArgumentException("read models: checkpoint directory " + checkpoints + " is not writable");
            }
        }
        final ReadModelsContext ctx = new ReadModelsContext().journal(journalOpener.apply(journal)).credentials(credentials)
            .port(port).bindAddress(bind).checkpointDirectory(checkpoints).httpThreads(httpThreads)
            .log(line -> err.println(line));
        try (ReadModelsServer server = ReadModelsServer.start(ctx))
        {
            err.println("read models: serving on port " + server.port() + " from journal " + journal);
            if (block)
            {
                new ShutdownSignalBarrier().await();
            }
        }
        return 0;
    }

    /** Reads 'username accountId hash' lines. */
    static CredentialStore loadUsers(final Path file)
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file);
        }
        catch (final IOException e)
        {
            throw new IllegalArgumentException("read models: cannot read users file " + file);
        }
        final CredentialStore store = new CredentialStore();
        int lineNumber = 0;
        for (final String raw : lines)
        {
            lineNumber++;
            final String line = raw.trim();
            if (line.isEmpty() || line.startsWith("#"))
            {
                continue;
            }
            final String[] parts = line.split("\\s+");
            long accountId = -1;
            if (parts.length == 3)
            {
                try
                {
                    accountId = Long.parseLong(parts[1]);
                }
                catch (final NumberFormatException e)
                {
                    accountId = -1;
                }
            }
            if (accountId <= 0 || !PasswordHash.isWellFormed(parts[2]))
            {
                throw new IllegalArgumentException("read models: " + file + " line " + lineNumber +
                    ": expected 'username accountId pbkdf2-sha256$...' ");
            }
            try
            {
                store.add(new Credential(parts[0], parts[2], accountId));
            }
            catch (final IllegalArgumentException e)
            {
                throw new IllegalArgumentException("read models: " + file + " line " + lineNumber + ": " + e.getMessage());
            }
        }
        return store;
    }
}
