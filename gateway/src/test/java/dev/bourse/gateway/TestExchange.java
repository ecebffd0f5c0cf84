package dev.bourse.gateway;

import dev.bourse.engine.EngineCommandHandler;
import dev.bourse.engine.EngineConfig;
import dev.bourse.engine.EngineState;
import dev.bourse.engine.MatchingEngine;
import dev.bourse.engine.sequencer.CommandSequencer;
import dev.bourse.journal.ChronicleJournal;
import dev.bourse.journal.InMemoryJournal;
import dev.bourse.journal.JournalTailer;
import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.Prices;
import dev.bourse.protocol.auth.CredentialStore;
import dev.bourse.protocol.sbe.StpMode;
import dev.bourse.protocol.sbe.TradingStatus;
import dev.bourse.engine.EventText;
import dev.bourse.engine.sequencer.CommandHandler;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * An engine, an in-memory journal, the sequencer and a gateway on a free port, with instrument 1
 * "ACME" (tick 0.01, reference 100, band 50%) and instrument 2 "BETA", and users alice (account
 * 1001), bob (1002), carol (1003), each funded with cash and 10,000 of each instrument.
 */
final class TestExchange implements AutoCloseable
{
    static final String PASSWORD = "secret";
    private final InMemoryJournal memoryJournal;
    private final ChronicleJournal chronicleJournal;
    private final Path journalDir;
    private final boolean deleteOnClose;
    final EngineState state;
    final CommandSequencer sequencer;
    final Path sessionDir;
    final CredentialStore credentials = new CredentialStore();
    final GatewayContext ctx;
    /** While set, the engine thread holds the next command it takes, so the ring fills up. */
    volatile boolean engineStalled;
    volatile Gateway gateway;
    /** Errors the gateway thread reported; close() fails the test if there are any. */
    final List<Throwable> gatewayErrors = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final CommandWriter writer = new CommandWriter();
    private final UnsafeBuffer command = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);

    TestExchange() throws IOException
    {
        this(ctx -> { });
    }

    TestExchange(final java.util.function.Consumer<GatewayContext> configure) throws IOException
    {
        this(configure, 1024);
    }

    TestExchange(final java.util.function.Consumer<GatewayContext> configure, final int ringSize) throws IOException
    {
        this(configure, ringSize, false);
    }

    /** @param chronicle journal to a Chronicle Queue in a temp directory instead of memory. */
    TestExchange(final java.util.function.Consumer<GatewayContext> configure, final int ringSize, final boolean chronicle) throws IOException
    {
        this(configure, ringSize, chronicle ? Files.createTempDirectory("bourse-gateway-journal") : null,
            Files.createTempDirectory("bourse-gateway-test"), true);
    }

    /**
     * On given directories (a journal, null for memory, and the session store), kept on close
     * unless {@code deleteOnClose}: a child JVM restarted on the same files after a SIGKILL.
     */
    TestExchange(
        final java.util.function.Consumer<GatewayContext> configure, final int ringSize, final Path journalDir, final Path sessionDir,
        final boolean deleteOnClose) throws IOException
    {
        this.deleteOnClose = deleteOnClose;
        final boolean chronicle = journalDir != null;
        if (chronicle)
        {
            this.journalDir = journalDir;
            chronicleJournal = ChronicleJournal.open(new ChronicleJournal.Context().dir(journalDir));
            memoryJournal = null;
        }
        else
        {
            this.journalDir = null;
            chronicleJournal = null;
            memoryJournal = new InMemoryJournal();
        }
        final EngineConfig engineConfig = new EngineConfig().maxInstruments(16).preallocatedOrders(4096).preallocatedLevels(256)
            .expectedClOrdIdsPerDay(1 << 16);
        final boolean recovering = chronicleJournal != null && chronicleJournal.lastPosition() >= 0;
        state = recovering ? dev.bourse.journal.Recovery.recover(chronicleJournal, null, engineConfig, line -> { }).state()
            : new EngineState(engineConfig);
        final MatchingEngine engine = new MatchingEngine(state, chronicle ? chronicleJournal : memoryJournal, new dev.bourse.engine.EngineListener()
        {
            @Override
            public void onHaltedReject(final DirectBuffer buffer, final int offset, final int length)
            {
                // as the server wires it: commands refused after a journal failure are answered by the gateway
                final Gateway g = gateway;
                if (g != null)
                {
                    g.offerHaltedReject(buffer, offset, length);
                }
            }

            @Override
            public void onUnjournaled(final DirectBuffer buffer, final int offset, final int length)
            {
                final Gateway g = gateway;
                if (g != null)
                {
                    g.offerUnjournaled(buffer, offset, length);
                }
            }
        });
        final EngineCommandHandler handler = new EngineCommandHandler(engine);
        sequencer = new CommandSequencer(ringSize, "sleeping", new CommandHandler()
        {
            @Override
            public void onCommand(final DirectBuffer buffer, final int offset, final int length)
            {
                while (engineStalled)
                {
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
                }
                handler.onCommand(buffer, offset, length);
            }

            @Override
            public void onEndOfBatch()
            {
                handler.onEndOfBatch();
            }
        }).start();
        this.sessionDir = sessionDir;
        credentials.addPlain("alice", PASSWORD, 1001, true).addPlain("bob", PASSWORD, 1002, true).addPlain("carol", PASSWORD, 1003, true);
        if (!recovering)
        {
            setUpInstrumentsAndAccounts();
            // journaled before the gateway starts: it learns the symbols when it reads the journal to its end
            await(() -> countEvents("BalanceChanged") == 9, "instruments and accounts journaled");
        }
        // The gateway reads the journal to its end before it takes a connection: the set-up must be
        // in it by then, or a client's first order can meet a gateway that has not seen the symbol.
        await(() -> sequencer.processed() >= sequencer.cursor(), "set-up journaled");
        ctx = new GatewayContext().port(0).bindAddress("127.0.0.1").sessionDir(sessionDir).credentials(credentials)
            .idleStrategy("backoff").logonTimeoutMs(10_000);
        configure.accept(ctx);
        startGateway();
    }

    private void setUpInstrumentsAndAccounts()
    {
        publish(writer.addInstrument(command, 0, 1, 1, "ACME", Prices.SCALE / 100, 1, 1, 1_000_000,
            1_000_000_000 * Prices.SCALE, 100 * Prices.SCALE, 5_000, TradingStatus.OPEN));
        publish(writer.addInstrument(command, 0, 1, 2, "BETA", Prices.SCALE / 100, 1, 1, 1_000_000,
            1_000_000_000 * Prices.SCALE, 50 * Prices.SCALE, 5_000, TradingStatus.OPEN));
        for (long account = 1001; account <= 1003; account++)
        {
            publish(writer.createAccount(command, 0, 1, account, StpMode.NONE));
            publish(writer.deposit(command, 0, 1, account, 0, 1_000_000_000L * Prices.SCALE, 1));
            publish(writer.deposit(command, 0, 1, account, 1, 10_000, 2));
            publish(writer.deposit(command, 0, 1, account, 2, 10_000, 3));
        }
    }

    void startGateway()
    {
        gateway = new Gateway(ctx, sequencer, tailer(), gatewayErrors::add).start();
    }

    /**
     * Stops the gateway (not the engine) and starts a new one on the same session directory and
     * port; {@code clean} sends Logout to every session first, else it just goes away.
     */
    void restartGateway(final boolean clean)
    {
        restartGateway(clean, sessionDir);
    }

    /** As {@link #restartGateway(boolean)}, the new gateway on {@code sessions} (another directory: one lost or replaced). */
    void restartGateway(final boolean clean, final Path sessions)
    {
        final int port = gateway.port();
        if (clean)
        {
            gateway.stop("restart", 2_000);
        }
        gateway.close();
        final GatewayContext next = new GatewayContext().port(port).bindAddress("127.0.0.1").sessionDir(sessions)
            .credentials(credentials).logonTimeoutMs(ctx.logonTimeoutMs()).cancelOnDisconnect(ctx.cancelOnDisconnect());
        gateway = new Gateway(next, sequencer, tailer(), gatewayErrors::add).start();
    }

    /** A tailer from the start of the journal, as the server gives the gateway. */
    JournalTailer tailer()
    {
        return memoryJournal != null ? memoryJournal.tailer() : chronicleJournal.tailerAfter(JournalTailer.START, true).rememberForRewind(1 << 16);
    }

    int port()
    {
        return gateway.port();
    }

    private void publish(final int length)
    {
        while (!sequencer.tryPublish(command, 0, length))
        {
            Thread.onSpinWait();
        }
    }

    /** An audit record about engine session {@code sessionId} (an operator's SET_BLOCK action), journaled before this returns. */
    void publishAudit(final dev.bourse.protocol.sbe.AuditType type, final int sessionId)
    {
        final UnsafeBuffer audit = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
        final int length = new CommandWriter().audit(audit, 0, System.nanoTime(), sessionId, 0, type,
            dev.bourse.protocol.sbe.CommandType.SET_BLOCK.value(), "ops");
        while (!sequencer.tryPublish(audit, 0, length))
        {
            Thread.onSpinWait();
        }
        await(() -> sequencer.processed() >= sequencer.cursor(), "audit journaled");
    }

    /** An operator's phase change (the scheduler's command), journaled before this returns. */
    void setTradingPhase(final int instrumentId, final dev.bourse.protocol.sbe.TradingPhase phase,
        final dev.bourse.protocol.sbe.TradingPhase expected)
    {
        final UnsafeBuffer phaseCommand = new UnsafeBuffer(new byte[CommandWriter.MAX_COMMAND_LENGTH]);
        final int length = new CommandWriter().setTradingPhase(phaseCommand, 0, System.nanoTime(), instrumentId, phase, expected, 0);
        while (!sequencer.tryPublish(phaseCommand, 0, length))
        {
            Thread.onSpinWait();
        }
        await(() -> sequencer.processed() >= sequencer.cursor(), "phase change journaled");
    }

    /** From now on every journal append fails, as on a full disk (in-memory journal only). */
    void failJournal()
    {
        memoryJournal.failAppends();
    }

    /** Every event in the journal so far, one line each (see EventText). */
    List<String> journalEvents()
    {
        final List<String> lines = new ArrayList<>();
        final EventText text = new EventText();
        try (JournalTailer tailer = tailer())
        {
            tailer.poll((position, buffer, offset, length) -> lines.addAll(text.events(buffer, offset, length)), Integer.MAX_VALUE);
        }
        return lines;
    }

    /** Journal events of one kind containing all the given fragments. */
    long countEvents(final String... fragments)
    {
        return journalEvents().stream().filter(line ->
        {
            for (final String f : fragments)
            {
                if (!line.contains(f))
                {
                    return false;
                }
            }
            return true;
        }).count();
    }

    static void await(final BooleanSupplier condition, final String what)
    {
        await(condition, what, 10);
    }

    /** Waits for {@code condition} up to {@code seconds}: for what depends on slow work such as password checks. */
    static void await(final BooleanSupplier condition, final String what, final int seconds)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out waiting for " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    @Override
    public void close() throws IOException
    {
        if (gateway != null)
        {
            gateway.close();
        }
        sequencer.drainAndStop(10, TimeUnit.SECONDS);
        if (chronicleJournal != null)
        {
            chronicleJournal.close();
            if (deleteOnClose)
            {
                delete(journalDir);
            }
        }
        if (deleteOnClose)
        {
            delete(sessionDir);
        }
        if (!gatewayErrors.isEmpty())
        {
            final AssertionError error = new AssertionError("the gateway thread reported errors");
            gatewayErrors.forEach(error::addSuppressed);
            throw error;
        }
    }

    private static void delete(final Path dir) throws IOException
    {
        try (Stream<Path> paths = Files.walk(dir))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
