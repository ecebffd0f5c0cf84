package dev.bourse.protocol.tls;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a TLS listener is set up with (the FIX gateway's TLS port, the query side's HTTPS): a key
 * store holding the server's key and certificate chain, its password, the protocol versions
 * allowed (TLS 1.2 and 1.3 only: an older one is refused here, never negotiated), and whether a
 * client must show a certificate (checked against the trust store, by default the JDK's).
 * {@link #sslContext()} loads it all and says which setting is wrong, in one line, if one is.
 */
public record TlsSettings(
    Path keystore,
    char[] password,
    String keystoreType,
    List<String> protocols,
    ClientAuth clientAuth,
    Path truststore,
    char[] truststorePassword)
{
    /** The only versions ever enabled: TLS 1.0 and 1.1 are broken (RFC 8996), SSL long gone. */
    public static final Set<String> ALLOWED_PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");
    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    public static final String DEFAULT_KEYSTORE_TYPE = "PKCS12";
    /** Parts of a TLS 1.2 suite's name that {@link #cipherSuites} never offers. */
    private static final List<String> WEAK_PARTS = List.of("_NULL_", "_anon_", "_EXPORT", "_DES_", "_DES40_", "_3DES_", "_RC4_", "_SCSV");

    /** Whether the server asks for a client certificate. */
    public enum ClientAuth
    {
        NONE, WANT, NEED;

        public static ClientAuth of(final String name)
        {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    /** Which setting a problem is about (the configuration names it by its key). */
    public enum Field
    {
        KEYSTORE, PASSWORD, KEYSTORE_TYPE, PROTOCOLS, TRUSTSTORE, TRUSTSTORE_PASSWORD
    }

    /** A setting that cannot work, with the field it is about and a one-line reason (never the password). */
    public static final class InvalidSettings extends IllegalArgumentException
    {
        private final Field field;

        public InvalidSettings(final Field field, final String message)
        {
            super(message);
            this.field = field;
        }

        public Field field()
        {
            return field;
        }
    }

    public TlsSettings
    {
        protocols = protocols == null || protocols.isEmpty() ? DEFAULT_PROTOCOLS : List.copyOf(protocols.stream().map(TlsSettings::spelled).toList());
        keystoreType = keystoreType == null ? DEFAULT_KEYSTORE_TYPE : keystoreType;
        clientAuth = clientAuth == null ? ClientAuth.NONE : clientAuth;
    }

    /** A server key store with the defaults (TLS 1.3 and 1.2, PKCS12, no client certificates). */
    public static TlsSettings of(final Path keystore, final char[] password)
    {
        return new TlsSettings(keystore, password, null, null, null, null, null);
    }

    /**
     * Warnings for client certificates that are less of a gate than asked for (docs/TLS.md), naming
     * the settings as the caller spells them: {@code need} while a plain port takes the same logons;
     * {@code want} or {@code need} with no trust store (any CA the JDK trusts then vouches); a trust
     * store with no client certificate asked for.
     *
     * @param plainOpen whether a plain port serves what this TLS port does
     * @param plainPort the plain port as the warning names it; {@code closePlain} how to close it
     */
    public List<String> clientCertificateGaps(final boolean plainOpen, final String clientAuthKey, final String truststoreKey,
        final String plainPort, final String closePlain)
    {
        final List<String> gaps = new ArrayList<>();
        if (clientAuth == ClientAuth.NONE)
        {
            if (truststore != null)
            {
                gaps.add(truststoreKey + " is set but " + clientAuthKey + " is none: no client certificate is asked for "
                    + "(set it to want or need; docs/TLS.md)");
            }
            return gaps;
        }
        if (clientAuth == ClientAuth.NEED && plainOpen)
        {
            gaps.add(clientAuthKey + " is need but " + plainPort + " still takes connections with no certificate; " + closePlain
                + " to make the certificate a gate (docs/TLS.md)");
        }
        if (truststore == null)
        {
            gaps.add(clientAuthKey + " is " + clientAuth.name().toLowerCase(Locale.ROOT) + " with no " + truststoreKey
                + ": client certificates are checked against the JDK's public CAs, so one from any of them passes; give the trust "
                + "store of the CAs you accept (docs/TLS.md)");
        }
        return gaps;
    }

    /**
     * Whether a failed handshake's reason is the client's certificate: missing where one is needed
     * (the JDK's "Empty client certificate chain") or refused by the trust check ("client
     * certificate ..."). Both doors log and count those apart from every other TLS failure.
     */
    public static boolean isClientCertificateRefusal(final String reason)
    {
        return reason != null && reason.contains("client certificate");
    }

    public String[] protocolArray()
    {
        return protocols.toArray(new String[0]);
    }

    /** The protocols as asked for, in the JDK's spelling; an error names the first one that is not TLS 1.2 or 1.3. */
    public static List<String> checkProtocols(final List<String> protocols)
    {
        if (protocols.isEmpty())
        {
            throw new InvalidSettings(Field.PROTOCOLS, "no protocol given: choose TLSv1.2, TLSv1.3 or both");
        }
        final List<String> spelled = new ArrayList<>();
        for (final String protocol : protocols)
        {
            if (!ALLOWED_PROTOCOLS.contains(spelled(protocol)))
            {
                throw new InvalidSettings(Field.PROTOCOLS, "'" + protocol + "' is not allowed: only TLSv1.2 and TLSv1.3");
            }
            spelled.add(spelled(protocol));
        }
        return List.copyOf(spelled);
    }

    /**
     * An allowed protocol's name as the JDK spells it, whatever the case it was written in ("tlsv1.3" was refused as
     * not allowed, an outside tester; the JDK itself only knows "TLSv1.3"); any other name as it is, for the check to refuse.
     */
    private static String spelled(final String protocol)
    {
        for (final String allowed : ALLOWED_PROTOCOLS)
        {
            if (allowed.equalsIgnoreCase(protocol))
            {
                return allowed;
            }
        }
        return protocol;
    }

    /** An empty key store of a type this JVM can read; an error names the type otherwise. */
    public static KeyStore checkKeystoreType(final String type)
    {
        try
        {
            return KeyStore.getInstance(type);
        }
        catch (final GeneralSecurityException e)
        {
            throw new InvalidSettings(Field.KEYSTORE_TYPE, "unknown key store type '" + type + "' (PKCS12 or JKS)");
        }
    }

    /**
     * Loads the key store (and trust store) and builds the server's SSL context.
     *
     * @throws InvalidSettings naming the setting at fault: a missing or unreadable file, a wrong
     *                         password, a store without a private key, a protocol outside TLS 1.2/1.3.
     */
    public SSLContext sslContext()
    {
        checkProtocols(protocols);
        if (keystore == null)
        {
            throw new InvalidSettings(Field.KEYSTORE, "is required when TLS is enabled (a PKCS12 file; see docs/TLS.md)");
        }
        if (password == null)
        {
            throw new InvalidSettings(Field.PASSWORD, "is required when TLS is enabled");
        }
        final KeyStore keys = load(keystore, keystoreType, password, Field.KEYSTORE);
        try
        {
            if (!hasKey(keys))
            {
                throw new InvalidSettings(Field.KEYSTORE, keystore + " holds no private key (create one with keytool -genkeypair)");
            }
            final KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, password);
            final String mismatch = KeyCertificateMatch.firstMismatch(keys, password);
            if (mismatch != null)
            {
                throw new InvalidSettings(Field.KEYSTORE, keystore + ": the private key of entry '" + mismatch + "' does not match its " +
                    "certificate (" + KeyCertificateMatch.subjectOf(keys, mismatch) + "): every handshake would fail");
            }
            final SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), clientCertificateChecks(), null);
            final List<String> supported = List.of(context.getSupportedSSLParameters().getProtocols());
            for (final String protocol : protocols)
            {
                if (!supported.contains(protocol))
                {
                    throw new InvalidSettings(Field.PROTOCOLS, "'" + protocol + "' is not supported by this JVM");
                }
            }
            return context;
        }
        catch (final UnrecoverableKeyException e)
        {
            throw new InvalidSettings(Field.PASSWORD, "the key in " + keystore + " cannot be read with this password " +
                "(the key's password must be the store's)");
        }
        catch (final GeneralSecurityException e)
        {
            throw new InvalidSettings(Field.KEYSTORE, keystore + " cannot be used: " + e.getMessage());
        }
    }

    /** The trust store's checks (the JDK's authorities without one), a client certificate's refusal said in words. */
    private TrustManager[] clientCertificateChecks() throws GeneralSecurityException
    {
        final TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (truststore == null)
        {
            factory.init((KeyStore)null);
        }
        else if (truststorePassword == null)
        {
            // none given: the key store's is tried, and a refusal says so (a probe read "wrong password" as the key store's)
            factory.init(load(truststore, keystoreType, password, Field.TRUSTSTORE,
                " (no truststore-password is set: the key store's password was tried)"));
        }
        else
        {
            factory.init(load(truststore, keystoreType, truststorePassword, Field.TRUSTSTORE, ""));
        }
        final TrustManager[] managers = factory.getTrustManagers();
        for (int i = 0; i < managers.length; i++)
        {
            if (managers[i] instanceof X509ExtendedTrustManager checks)
            {
                managers[i] = new ClientCertificateCheck(checks);
            }
        }
        return managers;
    }

    /**
     * The cipher suites both TLS doors offer (the FIX port's engines and the query side's Jetty),
     * in the JDK's order of preference: this context's default suites that have forward secrecy
     * (TLS 1.3's, and ECDHE or DHE key exchange) and a SHA-2 MAC or AEAD. Left out: static RSA key
     * exchange ({@code TLS_RSA_*}, a later key compromise decrypts recorded sessions, FIX Logon
     * passwords included), SHA-1 and MD5 MACs, and anything NULL, anonymous, export, DES, 3DES,
     * RC4 or signalling. Jetty's defaults already refused these; the JDK's, on the FIX port, did not
     * (an outside probe).
     */
    public static List<String> cipherSuites(final SSLContext context)
    {
        final List<String> suites = new ArrayList<>();
        for (final String suite : context.getDefaultSSLParameters().getCipherSuites())
        {
            if (strong(suite))
            {
                suites.add(suite);
            }
        }
        return List.copyOf(suites);
    }

    /** Whether {@link #cipherSuites} keeps {@code suite}. */
    static boolean strong(final String suite)
    {
        final boolean tls13 = suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_");
        final boolean forwardSecret = suite.startsWith("TLS_ECDHE_") || suite.startsWith("TLS_DHE_");
        if (tls13)
        {
            return true;
        }
        if (!forwardSecret || suite.endsWith("_SHA") || suite.endsWith("_MD5"))
        {
            return false;
        }
        for (final String weak : WEAK_PARTS)
        {
            if (suite.contains(weak))
            {
                return false;
            }
        }
        return true;
    }

    /** A server-side engine with this configuration's protocols, cipher suites and client authentication. */
    public SSLEngine newServerEngine(final SSLContext context)
    {
        return newServerEngine(context, cipherSuites(context).toArray(new String[0]));
    }

    /** As {@link #newServerEngine(SSLContext)}, with {@link #cipherSuites} worked out once by the caller (one a connection). */
    public SSLEngine newServerEngine(final SSLContext context, final String[] cipherSuites)
    {
        final SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        final SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(protocolArray());
        parameters.setCipherSuites(cipherSuites);
        if (clientAuth == ClientAuth.NEED)
        {
            parameters.setNeedClientAuth(true);
        }
        else if (clientAuth == ClientAuth.WANT)
        {
            parameters.setWantClientAuth(true);
        }
        engine.setSSLParameters(parameters);
        return engine;
    }

    private static boolean hasKey(final KeyStore keys) throws GeneralSecurityException
    {
        for (final String alias : Collections.list(keys.aliases()))
        {
            if (keys.isKeyEntry(alias))
            {
                return true;
            }
        }
        return false;
    }

    private static KeyStore load(final Path file, final String type, final char[] password, final Field field)
    {
        return load(file, type, password, field, "");
    }

    /**
     * The store in {@code file}; an error says what the file is instead (missing, unreadable, empty,
     * PEM) before what the JDK makes of it ("toDerInputStream rejects tag type 45" for a PEM file).
     *
     * @param passwordNote added to a wrong-password line (which password was tried)
     */
    private static KeyStore load(final Path file, final String type, final char[] password, final Field field, final String passwordNote)
    {
        if (!Files.isRegularFile(file))
        {
            throw new InvalidSettings(field, file + " does not exist or is not a file");
        }
        final byte[] bytes = StoreFile.read(file, field);
        final KeyStore store = checkKeystoreType(type);
        try (InputStream in = new ByteArrayInputStream(bytes))
        {
            store.load(in, password);
            return store;
        }
        catch (final IOException e)
        {
            if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password"))
            {
                throw new InvalidSettings(passwordField(field), "wrong password for " + file + passwordNote);
            }
            throw new InvalidSettings(field, file + " cannot be read as a " + type + " key store: " + reason(e));
        }
        catch (final GeneralSecurityException e)
        {
            throw new InvalidSettings(field, file + " cannot be read as a " + type + " key store: " + reason(e));
        }
    }

    private static Field passwordField(final Field store)
    {
        return store == Field.KEYSTORE ? Field.PASSWORD : store == Field.TRUSTSTORE ? Field.TRUSTSTORE_PASSWORD : store;
    }

    /** The JDK's reason, or what the file is not when it gives none (a file of garbage gave "null"). */
    private static String reason(final Exception e)
    {
        Throwable cause = e;
        while (cause.getMessage() == null && cause.getCause() != null && cause.getCause() != cause)
        {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage()
            : "not a key store of that type, or damaged (" + cause.getClass().getSimpleName() + ")";
    }

    @Override
    public String toString()
    {
        // never the passwords
        return "TlsSettings[keystore=" + keystore + ", type=" + keystoreType + ", protocols=" + protocols + ", clientAuth=" + clientAuth +
            ", truststore=" + truststore + "]";
    }

    /** A client's context that trusts exactly the certificates of {@code trusted} (a test's, a bench's or an operator's store). */
    public static javax.net.ssl.SSLContext trusting(final java.security.KeyStore trusted) throws java.security.GeneralSecurityException
    {
        final TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        final javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
