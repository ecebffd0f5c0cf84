package dev.bourse.gateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A child JVM for crash tests: the test exchange (engine, Chronicle journal, gateway) on given
 * directories and port, recovering what the journal holds. While the file named by the last
 * argument exists, the engine thread holds the command it has taken, so what the gateway read
 * is not journaled; the parent kills this process with SIGKILL in that state. A fifth argument
 * {@code true} turns cancel-on-disconnect on (off by default here). See {@link ExchangeChildProcess}.
 */
public final class StallableExchangeChild
{
    private StallableExchangeChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path journal = Path.of(args[0]);
        final Path sessions = Path.of(args[1]);
        final int port = Integer.parseInt(args[2]);
        final Path stall = Path.of(args[3]);
        final boolean cancelOnDisconnect = args.length > 4 && Boolean.parseBoolean(args[4]);
        final TestExchange exchange = new TestExchange(ctx -> ctx.port(port).cancelOnDisconnect(cancelOnDisconnect), 1024, journal, sessions,
            false);
        final Thread watcher = new Thread(() ->
        {
            while (true)
            {
                final boolean stalled = Files.exists(stall);
                if (stalled != exchange.engineStalled)
                {
                    exchange.engineStalled = stalled;
                    System.out.println(stalled ? "STALLED" : "RUNNING");
                    System.out.flush();
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }, "stall-watcher");
        watcher.setDaemon(true);
        watcher.start();
        System.out.println("READY " + exchange.port());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
