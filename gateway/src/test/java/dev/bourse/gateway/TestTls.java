package dev.bourse.gateway;

import dev.bourse.protocol.tls.SelfSignedKeystore;
import dev.bourse.protocol.tls.TlsSettings;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;

/**
 * One throwaway key store per test JVM (a self-signed certificate for localhost, made with the
 * JDK's keytool in a temporary directory, deleted at exit), the gateway's TLS settings on it, and
 * client sockets that trust it.
 */
final class TestTls
{
    static final char[] PASSWORD = "test-keystore-password".toCharArray();
    private static Path keystore;

    private TestTls()
    {
    }

    static synchronized Path keystore()
    {
        if (keystore == null)
        {
            try
            {
                final Path dir = Files.createTempDirectory("bourse-tls-test");
                keystore = SelfSignedKeystore.create(dir.resolve("gateway.p12"), PASSWORD);
                dir.toFile().deleteOnExit();
                keystore.toFile().deleteOnExit();
            }
            catch (final IOException e)
            {
                throw new UncheckedIOException(e);
            }
        }
        return keystore;
    }

    static TlsSettings settings(final String... protocols)
    {
        return new TlsSettings(keystore(), PASSWORD, "PKCS12", protocols.length == 0 ? null : List.of(protocols), null, null, null);
    }

    /** A client context that trusts the test certificate. */
    static SSLContext clientContext() throws Exception
    {
        final KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore()))
        {
            trusted.load(in, PASSWORD);
        }
        final TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    /** A TLS socket to the gateway's TLS port, handshake done. */
    static SSLSocket connect(final int port, final String protocol) throws Exception
    {
        return connect(port, protocol, 0);
    }

    /** @param receiveBuffer SO_RCVBUF to ask for before connecting (0: the default), small for a client that stops reading. */
    static SSLSocket connect(final int port, final String protocol, final int receiveBuffer) throws Exception
    {
        final java.net.Socket tcp = new java.net.Socket();
        if (receiveBuffer > 0)
        {
            tcp.setReceiveBufferSize(receiveBuffer);
        }
        tcp.connect(new java.net.InetSocketAddress("127.0.0.1", port));
        final SSLSocket socket = (SSLSocket)clientContext().getSocketFactory().createSocket(tcp, "127.0.0.1", port, true);
        socket.setEnabledProtocols(new String[] {protocol});
        socket.startHandshake();
        return socket;
    }
}
