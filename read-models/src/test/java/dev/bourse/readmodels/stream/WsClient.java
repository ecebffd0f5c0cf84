package dev.bourse.readmodels.stream;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A stream client for tests (Jetty's WebSocket client): sends requests, keeps every message it receives. */
public final class WsClient implements Session.Listener.AutoDemanding, AutoCloseable
{
    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final List<String> all = new ArrayList<>();
    private Session session;
    volatile int closeStatus = -1;
    volatile String closeReason;

    public static WsClient connect(final WebSocketClient client, final int port, final String authorization) throws Exception
    {
        final WsClient ws = new WsClient();
        final ClientUpgradeRequest request = new ClientUpgradeRequest();
        if (authorization != null)
        {
            request.setHeader("Authorization", authorization);
        }
        ws.session = client.connect(ws, URI.create("ws://127.0.0.1:" + port + "/ws"), request).get(10, TimeUnit.SECONDS);
        return ws;
    }

    @Override
    public void onWebSocketText(final String message)
    {
        messages.add(message);
    }

    @Override
    public void onWebSocketClose(final int statusCode, final String reason)
    {
        closeReason = reason;
        closeStatus = statusCode;
    }

    public void send(final String json)
    {
        session.sendText(json, Callback.NOOP);
    }

    public void sendBinary(final String json)
    {
        session.sendBinary(java.nio.ByteBuffer.wrap(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)), Callback.NOOP);
    }

    /** The next message matching, skipping (and keeping) others; fails after 20 s. */
    public String await(final Predicate<String> wanted, final String what) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline)
        {
            final String message = messages.poll(50, TimeUnit.MILLISECONDS);
            if (message != null)
            {
                all.add(message);
                if (wanted.test(message))
                {
                    return message;
                }
            }
        }
        throw new AssertionError("no " + what + " within 20 s; got " + all.subList(Math.max(0, all.size() - 5), all.size()));
    }

    /** Every message received so far, in order (drains the queue). */
    public List<String> received()
    {
        messages.drainTo(all);
        return all;
    }

    public static String field(final String json, final String name)
    {
        final Matcher m = Pattern.compile("\"" + name + "\":(\"([^\"]*)\"|(-?\\d+)|null|true|false)").matcher(json);
        if (!m.find())
        {
            return null;
        }
        return m.group(2) != null ? m.group(2) : m.group(3) != null ? m.group(3) : m.group(1);
    }

    static long number(final String json, final String name)
    {
        return Long.parseLong(field(json, name));
    }

    @Override
    public void close()
    {
        if (session != null && session.isOpen())
        {
            session.close();
        }
    }
}
