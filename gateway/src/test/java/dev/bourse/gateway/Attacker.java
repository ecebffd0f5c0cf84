package dev.bourse.gateway;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * A hostile client for abuse tests, on one thread with one selector: it keeps up to
 * {@code maxOpen} connections open from its loopback addresses (in turn), each sending what
 * {@code payload} gives for the n-th connection (nothing: an idle socket) and never reading
 * what comes back but the end of the stream; a connection the gateway closes is replaced by a
 * new one at once. So it holds what the gateway lets it hold and churns the rest.
 */
final class Attacker implements AutoCloseable
{
    private final int port;
    private final List<String> addresses;
    private final int maxOpen;
    private final IntFunction<byte[]> payload;
    private final Selector selector;
    private final Thread thread;
    private final ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
    private volatile boolean running = true;
    private int open;
    private int next;
    final AtomicLong connections = new AtomicLong();
    final AtomicLong closedByGateway = new AtomicLong();
    final AtomicLong bytesReceived = new AtomicLong();

    private Attacker(final int port, final List<String> addresses, final int maxOpen, final IntFunction<byte[]> payload) throws IOException
    {
        this.port = port;
        this.addresses = addresses;
        this.maxOpen = maxOpen;
        this.payload = payload;
        this.selector = Selector.open();
        this.thread = new Thread(this::run, "attacker");
        this.thread.setDaemon(true);
    }

    /** Idle sockets: connect, send nothing. */
    static Attacker idle(final int port, final List<String> addresses, final int maxOpen) throws IOException
    {
        return new Attacker(port, addresses, maxOpen, n -> null).start();
    }

    /** Logons with a wrong password, for the username {@code username.apply(n)}. */
    static Attacker wrongLogons(final int port, final List<String> addresses, final int maxOpen, final IntFunction<String> username)
        throws IOException
    {
        return new Attacker(port, addresses, maxOpen, n -> FixClient.frame("35=A|49=EVIL" + n + "|56=BOURSE|34=1|52=" + FixClient.now() +
            "|98=0|108=30|553=" + username.apply(n) + "|554=wrong" + n + "|")).start();
    }

    /** {@code count} loopback addresses 127.0.0.{first}.. */
    static List<String> addresses(final int first, final int count)
    {
        final List<String> list = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            list.add("127.0.0." + (first + i));
        }
        return list;
    }

    private Attacker start()
    {
        thread.start();
        return this;
    }

    private void run()
    {
        try
        {
            while (running)
            {
                while (open < maxOpen && running)
                {
                    connect();
                }
                selector.select(this::onReady, 10);
            }
        }
        catch (final IOException e)
        {
            if (running)
            {
                throw new IllegalStateException(e);
            }
        }
    }

    private void connect() throws IOException
    {
        final SocketChannel channel = SocketChannel.open();
        channel.setOption(StandardSocketOptions.SO_LINGER, 0); // our closes reset: no TIME_WAIT pile-up in a long test
        channel.bind(new InetSocketAddress(addresses.get(next++ % addresses.size()), 0));
        channel.configureBlocking(false);
        final int n = (int)connections.incrementAndGet();
        channel.register(selector, channel.connect(new InetSocketAddress("127.0.0.1", port)) ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT,
            payload.apply(n));
        open++;
    }

    private void onReady(final SelectionKey key)
    {
        final SocketChannel channel = (SocketChannel)key.channel();
        try
        {
            if (key.isConnectable())
            {
                channel.finishConnect();
                key.interestOps(SelectionKey.OP_READ);
                final byte[] bytes = (byte[])key.attachment();
                if (bytes != null)
                {
                    channel.write(ByteBuffer.wrap(bytes));
                }
                return;
            }
            sink.clear();
            final int read = channel.read(sink);
            if (read > 0)
            {
                bytesReceived.addAndGet(read);
                return;
            }
            if (read < 0)
            {
                closedByGateway.incrementAndGet();
                drop(key);
            }
        }
        catch (final IOException e)
        {
            closedByGateway.incrementAndGet(); // reset by the gateway
            drop(key);
        }
    }

    private void drop(final SelectionKey key)
    {
        key.cancel();
        try
        {
            key.channel().close();
        }
        catch (final IOException ignored)
        {
            // closing anyway
        }
        open--;
    }

    /** Stops and closes every connection it holds. */
    @Override
    public void close() throws InterruptedException, IOException
    {
        running = false;
        selector.wakeup();
        thread.join(10_000);
        for (final SelectionKey key : selector.keys())
        {
            key.channel().close();
        }
        selector.close();
    }
}
