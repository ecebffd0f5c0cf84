package dev.bourse.server.cli;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The admin CLI's HTTPS trust: the JDK's authorities, plus the certificates of {@code --ca-cert}
 * when given. It keeps the chain the server showed, so a refused handshake can be explained in
 * words: a certificate that names another host, an expired one, or one nobody trusts.
 */
final class AdminTls
{
    /** The alerts a server sends about the client's certificate: none given, or one it refused. */
    private static final List<String> CLIENT_CERTIFICATE_ALERTS = List.of("bad_certificate", "certificate_required",
        "certificate_unknown", "unknown_ca", "certificate_expired", "certificate_revoked", "unsupported_certificate");

    private final Path caCert;
    private final Path clientCert;
    private final java.util.function.Supplier<char[]> clientCertPassword;
    /** Where that password came from, for the error when it is wrong ("--client-cert-password-file", "$BOURSE_CLIENT_CERT_PASSWORD"). */
    private final String clientCertPasswordSource;
    private volatile X509Certificate[] served;
    /** Whether the server asked for a client certificate (a CertificateRequest in the handshake). */
    private volatile boolean certificateAsked;

    AdminTls(final Path caCert)
    {
        this(caCert, null, null, null);
    }

    /**
     * @param clientCert     a PKCS12 file whose key and certificate are shown to a server that asks, or null
     * @param passwordSource where {@code clientCertPassword} reads it, named when it is wrong
     */
    AdminTls(final Path caCert, final Path clientCert, final java.util.function.Supplier<char[]> clientCertPassword,
        final String passwordSource)
    {
        this.caCert = caCert;
        this.clientCert = clientCert;
        this.clientCertPassword = clientCertPassword;
        this.clientCertPasswordSource = passwordSource;
    }

    SSLContext context() throws Exception
    {
        final TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(caCert == null ? null : storeWithCaCert());
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(new javax.net.ssl.KeyManager[] {new AskRecording(clientCert == null ? null : clientKeyManager())},
            new TrustManager[] {new Recording(extended(factory))}, null);
        return context;
    }

    /** One line (after "admin: URL: ") for a handshake the client refused or that failed. */
    String explain(final java.net.URI url, final Exception e)
    {
        final String host = url.getHost();
        final X509Certificate[] chain = served;
        final CertificateException certificate = cause(e, CertificateException.class);
        final String alert = receivedAlert(e);
        // The server's alert about our certificate, or a handshake it cut short after asking for one (a TLS 1.2 server's
        // alert does not always reach the client before the connection closes): "use http://" sent an operator of a
        // client-auth = need server the wrong way.
        if (certificate == null && (alert != null ? CLIENT_CERTIFICATE_ALERTS.contains(alert) : certificateAsked))
        {
            final String why = alert != null ? "TLS alert " + alert : "it closed the handshake";
            return clientCert == null
                ? "the server asks for a client certificate (query.tls.client-auth = need) and refused the handshake without one "
                    + "(" + why + "): give --client-cert with a PKCS12 file whose certificate its trust store accepts (docs/TLS.md)"
                : "the server refused the client certificate of --client-cert " + clientCert + " (" + why
                    + "): is it signed by a CA in the server's query.tls.truststore, and valid today? (docs/TLS.md)";
        }
        if (chain == null || chain.length == 0 || certificate == null)
        {
            return "the TLS handshake failed (" + e.getMessage() + "); if that port is plain HTTP, use http://" + url.getRawAuthority();
        }
        final X509Certificate server = chain[0];
        if (cause(e, CertificateExpiredException.class) != null)
        {
            return "the server's certificate expired on " + server.getNotAfter().toInstant() + "; the server needs a new one (docs/TLS.md)";
        }
        if (cause(e, CertificateNotYetValidException.class) != null)
        {
            return "the server's certificate is not valid before " + server.getNotBefore().toInstant()
                + " (is this host's clock right?)";
        }
        final String message = String.valueOf(certificate.getMessage());
        if (message.startsWith("No subject alternative") || message.startsWith("No name matching"))
        {
            return "the server's certificate does not name " + host + " (it names " + String.join(", ", names(server))
                + "): give --url with one of those, or the server a certificate for " + host + " (docs/TLS.md)";
        }
        return caCert == null
            ? "the server's certificate is not trusted (" + message + "); for a self-signed one give --ca-cert with its PEM file (docs/TLS.md)"
            : "the server's certificate is not trusted by --ca-cert " + caCert + " nor the JDK's authorities (" + message
                + "); is that the certificate the server's key store holds? (docs/TLS.md)";
    }

    /** The alert the server sent ("Received fatal alert: bad_certificate"), or null. */
    private static String receivedAlert(final Throwable error)
    {
        final String prefix = "Received fatal alert: ";
        for (Throwable e = error; e != null; e = e.getCause())
        {
            final String message = e.getMessage();
            if (message != null && message.startsWith(prefix))
            {
                return message.substring(prefix.length()).trim();
            }
        }
        return null;
    }

    private static byte[] readHead(final java.nio.file.Path file)
    {
        try (InputStream in = Files.newInputStream(file))
        {
            return in.readNBytes(64 * 1024);
        }
        catch (final java.io.IOException e)
        {
            return new byte[0];
        }
    }

    /** The key manager of --client-cert; an error names the option and what is wrong, never the password. */
    private javax.net.ssl.X509ExtendedKeyManager clientKeyManager() throws Exception
    {
        final KeyStore store = KeyStore.getInstance("PKCS12");
        final char[] password = clientCertPassword.get();
        try (InputStream in = Files.newInputStream(clientCert))
        {
            store.load(in, password);
        }
        catch (final java.nio.file.NoSuchFileException e)
        {
            throw new IllegalArgumentException("--client-cert " + clientCert + ": no such file");
        }
        catch (final java.io.IOException e)
        {
            final byte[] head = readHead(clientCert);
            if (head.length > 0 && dev.bourse.protocol.tls.StoreFile.isPem(head))
            {
                // a PEM certificate or key given as it is (an outside tester): say so, and how to make the PKCS12 file
                throw new IllegalArgumentException("--client-cert " + clientCert + ": is a PEM file; give a PKCS12 file with the client's "
                    + "key and certificate (openssl pkcs12 -export -inkey client.key -in client.crt -out client.p12)");
            }
            throw new IllegalArgumentException("--client-cert " + clientCert + ": " + (e.getCause() instanceof java.security.UnrecoverableKeyException
                ? "wrong password (from " + clientCertPasswordSource + ")" : "not a PKCS12 file with the client's key and certificate ("
                + e.getClass().getSimpleName() + ")"));
        }
        boolean hasKey = false;
        for (final String alias : java.util.Collections.list(store.aliases()))
        {
            hasKey |= store.isKeyEntry(alias);
        }
        if (!hasKey)
        {
            throw new IllegalArgumentException("--client-cert " + clientCert + ": holds no private key (a PKCS12 file with the client's key "
                + "and certificate: openssl pkcs12 -export -inkey client.key -in client.crt -out client.p12)");
        }
        final javax.net.ssl.KeyManagerFactory factory = javax.net.ssl.KeyManagerFactory.getInstance(
            javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, password);
        for (final javax.net.ssl.KeyManager manager : factory.getKeyManagers())
        {
            if (manager instanceof javax.net.ssl.X509ExtendedKeyManager extended)
            {
                return extended;
            }
        }
        throw new IllegalStateException("the JDK has no X509ExtendedKeyManager");
    }

    /** Notes that the server asked for a client certificate, and answers with --client-cert's, if any. */
    private final class AskRecording extends javax.net.ssl.X509ExtendedKeyManager
    {
        private final javax.net.ssl.X509ExtendedKeyManager keys;

        AskRecording(final javax.net.ssl.X509ExtendedKeyManager keys)
        {
            this.keys = keys;
        }

        @Override
        public String chooseEngineClientAlias(final String[] keyType, final java.security.Principal[] issuers, final SSLEngine engine)
        {
            certificateAsked = true;
            return keys == null ? null : keys.chooseEngineClientAlias(keyType, issuers, engine);
        }

        @Override
        public String chooseClientAlias(final String[] keyType, final java.security.Principal[] issuers, final Socket socket)
        {
            certificateAsked = true;
            return keys == null ? null : keys.chooseClientAlias(keyType, issuers, socket);
        }

        @Override
        public String[] getClientAliases(final String keyType, final java.security.Principal[] issuers)
        {
            return keys == null ? null : keys.getClientAliases(keyType, issuers);
        }

        @Override
        public X509Certificate[] getCertificateChain(final String alias)
        {
            return keys == null ? null : keys.getCertificateChain(alias);
        }

        @Override
        public java.security.PrivateKey getPrivateKey(final String alias)
        {
            return keys == null ? null : keys.getPrivateKey(alias);
        }

        @Override
        public String[] getServerAliases(final String keyType, final java.security.Principal[] issuers)
        {
            return null;
        }

        @Override
        public String chooseServerAlias(final String keyType, final java.security.Principal[] issuers, final Socket socket)
        {
            return null;
        }
    }

    /** The host names and addresses a certificate is for: its subject alternative names, else its CN. */
    static List<String> names(final X509Certificate certificate)
    {
        final List<String> names = new ArrayList<>();
        try
        {
            final Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null)
            {
                for (final List<?> name : alternatives)
                {
                    final int type = (Integer)name.get(0);
                    if (type == 2 || type == 7) // dNSName, iPAddress
                    {
                        names.add(String.valueOf(name.get(1)));
                    }
                }
            }
        }
        catch (final java.security.cert.CertificateParsingException ignored)
        {
            // fall back to the subject
        }
        if (names.isEmpty())
        {
            names.add(certificate.getSubjectX500Principal().getName());
        }
        return names;
    }

    private static <T extends Throwable> T cause(final Throwable error, final Class<T> type)
    {
        for (Throwable e = error; e != null; e = e.getCause())
        {
            if (type.isInstance(e))
            {
                return type.cast(e);
            }
        }
        return null;
    }

    /** The JDK's authorities and the certificates of {@link #caCert}. */
    private KeyStore storeWithCaCert() throws Exception
    {
        final KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        final TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        defaults.init((KeyStore)null);
        int n = 0;
        for (final TrustManager manager : defaults.getTrustManagers())
        {
            if (manager instanceof X509TrustManager x509)
            {
                for (final X509Certificate authority : x509.getAcceptedIssuers())
                {
                    store.setCertificateEntry("jdk-" + n++, authority);
                }
            }
        }
        final Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(caCert))
        {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        catch (final CertificateException e)
        {
            throw new IllegalArgumentException("--ca-cert " + caCert + ": not a PEM or DER certificate (" + e.getMessage() + ")");
        }
        if (certificates.isEmpty())
        {
            throw new IllegalArgumentException("--ca-cert " + caCert + ": no certificate in it");
        }
        for (final Certificate certificate : certificates)
        {
            store.setCertificateEntry("ca-" + n++, certificate);
        }
        return store;
    }

    private static X509ExtendedTrustManager extended(final TrustManagerFactory factory)
    {
        for (final TrustManager manager : factory.getTrustManagers())
        {
            if (manager instanceof X509ExtendedTrustManager extended)
            {
                return extended;
            }
        }
        throw new IllegalStateException("the JDK has no X509ExtendedTrustManager");
    }

    /**
     * The JDK's checks, host name included (an X509ExtendedTrustManager is used as it is, not
     * wrapped), with the server's chain kept for {@link #explain}.
     */
    private final class Recording extends dev.bourse.protocol.tls.DelegatingTrustManager
    {
        Recording(final X509ExtendedTrustManager checks)
        {
            super(checks);
        }

        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
            throws CertificateException
        {
            served = chain;
            checks.checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
            throws CertificateException
        {
            served = chain;
            checks.checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType) throws CertificateException
        {
            served = chain;
            checks.checkServerTrusted(chain, authType);
        }
    }
}
