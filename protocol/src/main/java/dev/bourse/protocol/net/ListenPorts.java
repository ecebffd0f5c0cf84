package dev.bourse.protocol.net;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * A TCP port tried once before a process writes anything: a port in use then stops the start in
 * one line naming the setting, and the start leaves its files as it found them. The real bind
 * comes later and still reports a port taken in between.
 */
public final class ListenPorts
{
    private ListenPorts()
    {
    }

    /**
     * @param setting the configuration key or option that names the port, quoted in the refusal
     * @param port    0 (any free port) is not checked
     * @throws BindException "cannot listen on BIND:PORT (SETTING): ..." when the port is taken
     */
    public static void tryPort(final String setting, final String bind, final int port) throws IOException
    {
        if (port == 0)
        {
            return;
        }
        try (ServerSocket socket = new ServerSocket())
        {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(bind, port));
        }
        catch (final BindException e)
        {
            final BindException named = new BindException("cannot listen on " + bind + ":" + port + " (" + setting + "): " + e.getMessage());
            named.initCause(e);
            throw named;
        }
    }
}
