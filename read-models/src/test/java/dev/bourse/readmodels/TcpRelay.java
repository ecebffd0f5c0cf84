package dev.bourse.readmodels;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay to a server that a test can cut off and put back, as a network outage would: while
 * cut, every connection it held is closed and new ones are closed as soon as they are made. Or,
 * {@link #loseNextAnswer() armed}, it passes the next message a client sends to the server and drops
 * that connection before the answer comes back: a COMMIT the server carries out while its client
 * sees only a reset connection (an ambiguous commit).
 */
public final class TcpRelay implements AutoCloseable
{
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean cut;
    private final java.util.concurrent.atomic.AtomicBoolean loseNextAnswer = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean answerLost;
    private final Thread acceptor;

    public TcpRelay(final int targetPort) throws IOException
    {
        target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::accept, "tcp-relay-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port()
    {
        return listener.getLocalPort();
    }

    /** Closes every relayed connection, and each new one at once, until {@link #restore()}. */
    public void cut()
    {
        cut = true;
        for (final Socket socket : open)
        {
            closeQuietly(socket);
        }
        open.clear();
    }

    public void restore()
    {
        cut = false;
    }

    /** The next message any client sends reaches the server; its answer never reaches the client. */
    public void loseNextAnswer()
    {
        loseNextAnswer.set(true);
    }

    /** Whether an answer was lost: the message passed and its connection dropped. */
    public boolean answerLost()
    {
        return answerLost;
    }

    private void accept()
    {
        while (!listener.isClosed())
        {
            try
            {
                final Socket client = listener.accept();
                if (cut)
                {
                    closeQuietly(client);
                    continue;
                }
                final Socket server = new Socket();
                server.connect(target, 5_000);
                open.add(client);
                open.add(server);
                final java.util.concurrent.atomic.AtomicBoolean mute = new java.util.concurrent.atomic.AtomicBoolean();
                pump(client, server, mute, true);
                pump(server, client, mute, false);
            }
            catch (final IOException e)
            {
                // the listener closed, or the target refused one connection: go on while listening
            }
        }
    }

    private void pump(final Socket from, final Socket to, final java.util.concurrent.atomic.AtomicBoolean mute, final boolean toServer)
    {
        final Thread thread = new Thread(() ->
        {
            final byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream())
            {
                int n;
                while ((n = in.read(buffer)) > 0)
                {
                    if (toServer && loseNextAnswer.compareAndSet(true, false))
                    {
                        mute.set(true); // before the server can answer
                        out.write(buffer, 0, n);
                        out.flush();
                        to.shutdownOutput(); // the message, then the end of the stream: the server carries it out
                        answerLost = true;
                        break; // the finally closes the client's side: it sees its connection reset, not the answer
                    }
                    if (!mute.get())
                    {
                        out.write(buffer, 0, n);
                    }
                }
            }
            catch (final IOException e)
            {
                // cut, or one side closed
            }
            finally
            {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "tcp-relay-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(final Socket socket)
    {
        try
        {
            socket.close();
        }
        catch (final IOException ignored)
        {
            // closing
        }
    }

    @Override
    public void close() throws IOException
    {
        listener.close();
        cut();
    }
}
