package dev.bourse.gateway;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The honest firm in an abuse test, measured while the attack runs: one session that sends an
 * order every 20 ms and waits for its acknowledgement, and fresh logons (connect, Logon with
 * ResetSeqNumFlag, Logout, close) one after another, each from its own loopback address. What it
 * lost is counted: orders without an answer, logons refused or unanswered, with the reason.
 */
final class HonestSide implements AutoCloseable
{
    private final int port;
    private final String traderUser;
    private final String traderCompId;
    private final String traderAddress;
    private final String logonUser;
    private final String logonCompId;
    private final String logonAddress;
    private final List<String> failures = new CopyOnWriteArrayList<>();
    final AtomicInteger ordersSent = new AtomicInteger();
    final AtomicInteger ordersAcked = new AtomicInteger();
    final AtomicInteger logonsTried = new AtomicInteger();
    final AtomicInteger logonsOk = new AtomicInteger();
    private volatile boolean running = true;
    private Thread trader;
    private Thread logons;

    /**
     * @param traderUser the user whose session trades (from {@code traderAddress}); null: no trading
     * @param logonUser the user who logs on again and again (from {@code logonAddress}); null: none
     */
    HonestSide(
        final int port, final String traderUser, final String traderCompId, final String traderAddress, final String logonUser,
        final String logonCompId, final String logonAddress)
    {
        this.port = port;
        this.traderUser = traderUser;
        this.traderCompId = traderCompId;
        this.traderAddress = traderAddress;
        this.logonUser = logonUser;
        this.logonCompId = logonCompId;
        this.logonAddress = logonAddress;
    }

    /** Alice trades from 127.0.0.1, Bob logs on again and again from 127.0.0.2. */
    static HonestSide aliceAndBob(final int port)
    {
        return new HonestSide(port, "alice", "ALICE", "127.0.0.1", "bob", "BOB", "127.0.0.2");
    }

    /** Starts trading (once its session is logged on) and logging on. */
    HonestSide start() throws IOException
    {
        if (traderUser != null)
        {
            final FixClient client = FixClient.from(traderAddress, port, traderCompId);
            client.send("A", "98=0|108=30|141=Y|553=" + traderUser + "|554=" + TestExchange.PASSWORD + "|");
            client.expect("A");
            trader = new Thread(() -> trade(client), "honest-trader");
            trader.start();
        }
        if (logonUser != null)
        {
            logons = new Thread(this::logOnAgainAndAgain, "honest-logons");
            logons.start();
        }
        return this;
    }

    private void trade(final FixClient client)
    {
        try (client)
        {
            long next = System.nanoTime();
            while (running)
            {
                final int n = ordersSent.incrementAndGet();
                client.send("D", "11=h" + n + "|55=ACME|54=1|38=1|40=2|44=60|");
                final Map<Integer, String> ack = client.expect("8");
                if ("0".equals(ack.get(150)))
                {
                    ordersAcked.incrementAndGet();
                }
                else
                {
                    failures.add("order " + n + " answered " + ack);
                }
                // planned send times: a slow answer does not thin the load; but after a stall of the machine it
                // catches up at most 100 ms (5 orders), as an honest firm would, not with a burst past its own rate
                // limit (a CI run beside a load test: bob's 20-order burst ran out and his order was throttled)
                next = Math.max(next + TimeUnit.MILLISECONDS.toNanos(20), System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(100));
                LockSupport.parkNanos(next - System.nanoTime());
            }
        }
        catch (final IOException | AssertionError e)
        {
            failures.add("trader: " + e);
        }
    }

    private void logOnAgainAndAgain()
    {
        while (running)
        {
            logonsTried.incrementAndGet();
            try (FixClient client = FixClient.from(logonAddress, port, logonCompId))
            {
                client.send("A", "98=0|108=30|141=Y|553=" + logonUser + "|554=" + TestExchange.PASSWORD + "|");
                final Map<Integer, String> reply = client.next();
                if (!"A".equals(reply.get(35)))
                {
                    failures.add("logon " + logonsTried.get() + " refused: " + reply.get(58));
                    continue;
                }
                client.send("5", "");
                client.expect("5");
                logonsOk.incrementAndGet();
            }
            catch (final IOException | AssertionError e)
            {
                failures.add("logon " + logonsTried.get() + ": " + e);
            }
        }
    }

    /** Waits until the honest side has done at least this much under the attack. */
    void awaitProgress(final int orders, final int logons)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while ((traderUser != null && ordersSent.get() < orders) || (logonUser != null && logonsTried.get() < logons))
        {
            if (System.nanoTime() > deadline || !failures.isEmpty())
            {
                break;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    List<String> failures()
    {
        return failures;
    }

    /** Stops both and waits for them: the trader's last order is answered, the last logon finished. */
    @Override
    public void close() throws InterruptedException
    {
        running = false;
        if (trader != null)
        {
            trader.join(30_000);
        }
        if (logons != null)
        {
            logons.join(30_000);
        }
    }
}
