package dev.bourse.gateway;

import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.function.Consumer;

/**
 * The gateway thread's duty cycle: accept connections, read ready sockets (one non-blocking
 * selector for all sessions), run the session layer, tail the journal for execution reports, and
 * flush what each session has queued. A client that does not read is cut off when its queue
 * passes the limit; nothing here blocks.
 */
public final class GatewayAgent implements Agent
{
    private final GatewayContext ctx;
    private final SessionManager sessions;
    private final ServerSocketChannel server;
    private final Selector selector;
    private final Consumer<SelectionKey> onReadable = this::onReadable;
    private int readWork;
    private volatile String logoutRequest;
    private volatile boolean loggedOut;

    /** Binds the listening socket now, so a taken port fails here with a clear message. */
    public GatewayAgent(final GatewayContext ctx, final SessionManager sessions)
    {
        this.ctx = ctx;
        this.sessions = sessions;
        try
        {
            selector = Selector.open();
            server = ServerSocketChannel.open();
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(new InetSocketAddress(ctx.bindAddress(), ctx.port()), 128);
            server.configureBlocking(false);
            // Connections are found by the same selectNow as reads: an accept() that finds nobody
            // is still a system call and allocates a FileDescriptor, every duty cycle.
            server.register(selector, SelectionKey.OP_ACCEPT, null);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("FIX gateway cannot listen on " + ctx.bindAddress() + ":" + ctx.port() + ": " + e.getMessage(), e);
        }
    }

    public int port()
    {
        return server.socket().getLocalPort();
    }

    @Override
    public String roleName()
    {
        return "bourse-gateway";
    }

    @Override
    public int doWork() throws IOException
    {
        final String logout = logoutRequest;
        if (logout != null)
        {
            if (!loggedOut)
            {
                sessions.logoutAll(logout);
                loggedOut = true;
            }
            sessions.doWork();
            return flush();
        }
        readWork = 0;
        selector.selectNow(onReadable);
        int work = readWork;
        work += accept();
        work += sessions.doWork();
        work += flush();
        return work;
    }

    private boolean acceptable;

    private int accept() throws IOException
    {
        if (!acceptable)
        {
            return 0;
        }
        acceptable = false;
        int accepted = 0;
        SocketChannel channel;
        while (accepted < 16 && (channel = server.accept()) != null)
        {
            accepted++;
            if (sessions.connectionCount() >= ctx.maxSessions())
            {
                CloseHelper.quietClose(channel);
                continue;
            }
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            final Session session = sessions.open(channel);
            channel.register(selector, SelectionKey.OP_READ, session);
        }
        return accepted;
    }

    private void onReadable(final SelectionKey key)
    {
        if (key.attachment() == null)
        {
            acceptable = true; // the listening socket: accepted right after this select
            return;
        }
        final Session session = (Session)key.attachment();
        if (session.isClosed())
        {
            return;
        }
        final ByteBuffer in = session.inbound;
        int read;
        try
        {
            read = session.channel.read(in);
        }
        catch (final IOException e)
        {
            read = -1;
        }
        if (read < 0)
        {
            sessions.close(session, "connection closed by peer");
            return;
        }
        if (read > 0)
        {
            readWork++;
            sessions.onInbound(session);
        }
    }

    private int flush()
    {
        int work = 0;
        final List<Session> list = sessions.connections();
        for (int i = list.size() - 1; i >= 0; i--)
        {
            work += flush(list.get(i));
        }
        // sessions closed during this cycle: send what they still have (a Logout), then close the socket
        final List<Session> closed = sessions.closedSessions();
        for (int i = 0; i < closed.size(); i++)
        {
            final Session session = closed.get(i);
            if (session.channel != null)
            {
                flush(session);
                final SelectionKey key = session.channel.keyFor(selector);
                if (key != null)
                {
                    key.cancel();
                }
                CloseHelper.quietClose(session.channel);
            }
            work++;
        }
        closed.clear();
        return work;
    }

    private int flush(final Session session)
    {
        final ByteBuffer out = session.outbound;
        if (out.position() > 0 && session.channel != null)
        {
            out.flip();
            try
            {
                session.channel.write(out);
            }
            catch (final IOException e)
            {
                out.clear();
                sessions.close(session, "write failed: " + e.getMessage());
                return 1;
            }
            out.compact();
        }
        if (session.closeAfterFlush && out.position() == 0 && !session.isClosed())
        {
            sessions.close(session, session.closeReason);
        }
        return 0;
    }

    /** Asks the gateway thread to stop accepting, send Logout to every session and flush. */
    public void requestLogout(final String text)
    {
        logoutRequest = text;
    }

    /** True once the Logouts were sent and every connection is closed. */
    public boolean isDrained()
    {
        return loggedOut && sessions.connectionCount() == 0;
    }

    @Override
    public void onClose()
    {
        final List<Session> list = sessions.connections();
        for (int i = list.size() - 1; i >= 0; i--)
        {
            final Session session = list.get(i);
            sessions.close(session, "gateway stopped");
            CloseHelper.quietClose(session.channel);
        }
        sessions.closedSessions().clear();
        CloseHelper.quietClose(server);
        CloseHelper.quietClose(selector);
    }
}
