package dev.bourse.gateway;

import org.agrona.CloseHelper;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Takes new connections on a thread of its own ({@code bourse-acceptor}, at the background
 * priority), so that a flood of connections is paid for there and not on the order path: the
 * accept and close system calls of an address that opens connections as fast as it can took about
 * half a core of the order-path thread before. The acceptor refuses an address that already holds
 * {@code gateway.admission.max-unauthenticated-per-address} connections that have not logged on
 * (counting the ones it has handed over and the gateway has not yet placed) and hands every other
 * connection to the gateway thread, which admits it ({@link Admission}: the shared budget,
 * evictions) and reads it. The per-address counts shrink as the gateway reports connections that
 * logged on or closed ({@link #release}); the map holds only addresses with connections.
 * <p>
 * A refused connection is not closed at once but held, unread, for {@code refusedHoldMs} (at most
 * {@code refusedHoldMax} of them; beyond that the oldest goes early): an attacker that reconnects
 * the moment it is dropped would otherwise have the kernel and this thread open and close 30,000
 * connections a second (a tarpit, in the old mail servers' word). An honest client at the cap
 * learns of its refusal a moment later than it would have, and nothing else changes.
 * <p>
 * When the gateway thread is behind by a whole handover queue (a flood of tens of thousands of
 * connections a second), a newcomer from an address with no other connection waits here, one per
 * address, until the queue has room ({@link #OVERFLOW_MAX} addresses); an address that already has
 * one is held as refused. Closing every newcomer then, as before, reset honest clients' Logons.
 */
final class Acceptor implements AutoCloseable
{
    /** A connection for the gateway thread. */
    record Accepted(SocketChannel channel, String address, boolean secure)
    {
    }

    /** A refused connection and when its hold is over. */
    private record Held(SocketChannel channel, long dueNanos)
    {
    }

    private final Selector selector;
    private final ManyToOneConcurrentArrayQueue<Accepted> accepted;
    /** Connections the gateway thread refused (the budget, an address whose refused Logon is due), to hold here. */
    private final ManyToOneConcurrentArrayQueue<SocketChannel> refusedByGateway;
    private final ConcurrentHashMap<String, Integer> perAddress = new ConcurrentHashMap<>();
    /** The count an address had before {@link #tryCount} (acceptor thread). */
    private int countBefore;
    private final int maxPerAddress;
    private final AbuseLog abuseLog;
    private final GatewayContext ctx;
    private final Runnable wakeGateway;
    /** Refused connections waiting to be closed, oldest (and so first due) first. */
    private final java.util.ArrayDeque<Held> held = new java.util.ArrayDeque<>();
    private final long holdNanos;
    private final int holdMax;
    private volatile int heldCountSnapshot;
    private volatile boolean running;
    /** Newcomers of addresses with no other connection, waiting for room in the handover queue (acceptor thread). */
    private final java.util.ArrayDeque<Accepted> overflow = new java.util.ArrayDeque<>();
    private final java.util.HashSet<String> overflowAddresses = new java.util.HashSet<>();
    static final int OVERFLOW_MAX = 256;
    private Thread thread;
    private final AcceptBackoff acceptBackoff = new AcceptBackoff();

    Acceptor(final ServerSocketChannel plain, final ServerSocketChannel tls, final GatewayContext ctx, final AbuseLog abuseLog,
        final Runnable wakeGateway)
    {
        this.ctx = ctx;
        this.abuseLog = abuseLog;
        this.wakeGateway = wakeGateway;
        this.maxPerAddress = ctx.maxUnauthenticatedPerAddress();
        this.holdNanos = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(ctx.refusedHoldMs());
        this.holdMax = Math.min(ctx.refusedHoldMax(), (int)Math.min(Integer.MAX_VALUE, maxFileDescriptors() / 4));
        this.accepted = new ManyToOneConcurrentArrayQueue<>(Math.max(64, ctx.maxUnauthenticated()));
        this.refusedByGateway = new ManyToOneConcurrentArrayQueue<>(Math.max(64, ctx.maxUnauthenticated()));
        try
        {
            selector = Selector.open();
            for (final ServerSocketChannel channel : new ServerSocketChannel[] {plain, tls})
            {
                if (channel != null)
                {
                    channel.register(selector, SelectionKey.OP_ACCEPT, channel == tls);
                }
            }
        }
        catch (final IOException e)
        {
            throw new java.io.UncheckedIOException("FIX gateway cannot watch its listening sockets: " + e.getMessage(), e);
        }
    }

    /** Starts taking connections on a thread of its own. */
    synchronized void start()
    {
        if (thread != null)
        {
            return;
        }
        running = true;
        thread = new Thread(this::run, "bourse-acceptor");
        thread.setDaemon(true);
        thread.setPriority(ctx.helperThreadPriority());
        thread.start();
    }

    /** The connections handed over, for the gateway thread to drain. */
    ManyToOneConcurrentArrayQueue<Accepted> accepted()
    {
        return accepted;
    }

    /** A connection from {@code address} that this acceptor handed over logged on or closed (gateway thread). */
    void release(final String address)
    {
        perAddress.computeIfPresent(address, (a, count) -> count <= 1 ? null : count - 1);
    }

    /**
     * A connection the gateway thread refused: held here like one refused at its address's cap
     * (closed at once if the hand-back is full). Closed at once before, the budget's refusals let
     * an attacker reconnect as fast as the gateway could refuse (gateway thread).
     */
    void holdRefused(final SocketChannel channel)
    {
        if (holdNanos == 0 || holdMax == 0 || !running || !refusedByGateway.offer(channel))
        {
            CloseHelper.quietClose(channel);
            return;
        }
        selector.wakeup();
    }

    /** Addresses holding connections that have not logged on, as this acceptor counts them (tests). */
    int addresses()
    {
        return perAddress.size();
    }

    private void run()
    {
        try
        {
            while (running)
            {
                final long heldMs = held.isEmpty() ? 0 : Math.max(1, (held.peekFirst().dueNanos() - System.nanoTime()) / 1_000_000 + 1);
                final long timeoutMs = overflow.isEmpty() ? heldMs : heldMs == 0 ? 1 : Math.min(1, heldMs); // waiting ones: look again soon
                if (handOverWaiting())
                {
                    wakeGateway.run();
                }
                selector.select(key ->
                {
                    final ServerSocketChannel server = (ServerSocketChannel)key.channel();
                    acceptAll(server, (Boolean)key.attachment());
                }, timeoutMs);
                SocketChannel refused;
                while ((refused = refusedByGateway.poll()) != null)
                {
                    hold(refused);
                }
                closeHeld(System.nanoTime());
                heldCountSnapshot = held.size();
            }
        }
        catch (final IOException | ClosedSelectorException e)
        {
            if (running)
            {
                ctx.errorLog().accept("gateway: the acceptor stopped: " + e.getMessage());
            }
        }
    }

    /** Hands over as many waiting newcomers as the queue takes, oldest first; true if any went. */
    private boolean handOverWaiting()
    {
        boolean handed = false;
        while (!overflow.isEmpty() && accepted.offer(overflow.peekFirst()))
        {
            overflowAddresses.remove(overflow.pollFirst().address());
            handed = true;
        }
        return handed;
    }

    private void acceptAll(final ServerSocketChannel server, final boolean secure)
    {
        boolean handed = handOverWaiting();
        try
        {
            SocketChannel channel;
            while (running && (channel = server.accept()) != null)
            {
                final String address = addressOf(channel);
                if (!tryCount(address))
                {
                    abuseLog.record(Refusal.ADDRESS_CAP, ctx.epochClock().time(), address, null);
                    hold(channel);
                    continue;
                }
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.setOption(StandardSocketOptions.SO_SNDBUF, GatewayContext.SOCKET_SEND_BUFFER_BYTES);
                final Accepted newcomer = new Accepted(channel, address, secure);
                if (!overflow.isEmpty() || !accepted.offer(newcomer))
                {
                    // the gateway thread is behind by a whole queue of newcomers: an address's first connection
                    // waits (one per address), any other is refused and held, not reset
                    if (countBefore == 0 && overflow.size() < OVERFLOW_MAX && overflowAddresses.add(address))
                    {
                        overflow.addLast(newcomer);
                        continue;
                    }
                    release(address);
                    abuseLog.record(Refusal.UNAUTHENTICATED_CAP, ctx.epochClock().time(), address, "handover queue full");
                    hold(channel);
                    continue;
                }
                handed = true;
            }
            acceptBackoff.succeeded();
        }
        catch (final IOException e)
        {
            acceptFailed(server, e);
        }
        if (handed)
        {
            wakeGateway.run();
        }
    }

    /**
     * Counted and logged at most once per interval with how many more there were, then a pause on
     * this thread (the order path's never waits here): out of file descriptors, the connection
     * stays in the backlog and the next select returns at once, so without the pause the acceptor
     * spun and logged 30-90 thousand lines a second (an outside probe).
     */
    private void acceptFailed(final ServerSocketChannel server, final IOException e)
    {
        abuseLog.record(Refusal.ACCEPT_FAILED, ctx.epochClock().time(), "port " + server.socket().getLocalPort(), e.getMessage());
        LockSupport.parkNanos(acceptBackoff.failed());
    }

    /** Closes a refused connection once its hold is over (at once without a hold). */
    private void hold(final SocketChannel channel)
    {
        if (holdNanos == 0 || holdMax == 0)
        {
            reset(channel);
            return;
        }
        if (held.size() >= holdMax)
        {
            reset(held.pollFirst().channel());
        }
        held.addLast(new Held(channel, System.nanoTime() + holdNanos));
    }

    private void closeHeld(final long nowNanos)
    {
        while (!held.isEmpty() && held.peekFirst().dueNanos() - nowNanos <= 0)
        {
            reset(held.pollFirst().channel());
        }
    }

    /** A refused connection is closed with a reset (RST), as SECURITY.md says: it was sent nothing, and the gateway keeps no TIME_WAIT for it. */
    private static void reset(final SocketChannel channel)
    {
        resetOnClose(channel);
        CloseHelper.quietClose(channel);
    }

    /** Makes the channel's close a reset (SO_LINGER 0); an orderly FIN had gone to refused and timed-out connections (an outside tester). */
    static void resetOnClose(final SocketChannel channel)
    {
        try
        {
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        }
        catch (final IOException | RuntimeException e)
        {
            // closed or broken already: the close below is all there is to do
        }
    }

    /** Refused connections held open now (tests). */
    int heldCount()
    {
        return heldCountSnapshot;
    }

    /** Counts one more connection for {@code address} unless it holds its cap already (one atomic step with {@link #release}). */
    private boolean tryCount(final String address)
    {
        perAddress.compute(address, (a, count) ->
        {
            countBefore = count == null ? 0 : count;
            return countBefore >= maxPerAddress ? count : countBefore + 1;
        });
        return countBefore < maxPerAddress;
    }

    /** The process's file-descriptor limit (held connections never take more than a quarter of it). */
    private static long maxFileDescriptors()
    {
        final java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.UnixOperatingSystemMXBean ?
            ((com.sun.management.UnixOperatingSystemMXBean)os).getMaxFileDescriptorCount() : 4096;
    }

    static String addressOf(final SocketChannel channel)
    {
        try
        {
            final SocketAddress remote = channel.getRemoteAddress();
            return remote instanceof InetSocketAddress ? ((InetSocketAddress)remote).getAddress().getHostAddress() : String.valueOf(remote);
        }
        catch (final IOException e)
        {
            return "unknown";
        }
    }

    /** Stops the thread (the listening sockets are the gateway's to close); connections not yet drained are closed. */
    @Override
    public void close()
    {
        final Thread t;
        synchronized (this)
        {
            running = false;
            t = thread;
        }
        selector.wakeup();
        if (t != null)
        {
            try
            {
                t.join(5_000);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }
        CloseHelper.quietClose(selector);
        Held h;
        while ((h = held.pollFirst()) != null)
        {
            CloseHelper.quietClose(h.channel());
        }
        Accepted a;
        while ((a = accepted.poll()) != null)
        {
            CloseHelper.quietClose(a.channel());
        }
        while ((a = overflow.pollFirst()) != null)
        {
            CloseHelper.quietClose(a.channel());
        }
        overflowAddresses.clear();
        SocketChannel refused;
        while ((refused = refusedByGateway.poll()) != null)
        {
            CloseHelper.quietClose(refused);
        }
    }
}
