package dev.bourse.protocol.tls;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
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
        KEYSTORE, PASSWORD, KEYSTORE_TYPE, PROTOCOLS, TRUSTSTORE
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
        protocols = protocols == null || protocols.isEmpty() ? DEFAULT_PROTOCOLS : List.copyOf(protocols);
        keystoreType = keystoreType == null ? DEFAULT_KEYSTORE_TYPE : keystoreType;
        clientAuth = clientAuth == null ? ClientAuth.NONE : clientAuth;
    }

    /** A server key store with the defaults (TLS 1.3 and 1.2, PKCS12, no client certificates). */
    public static TlsSettings of(final Path keystore, final char[] password)
    {
        return new TlsSettings(keystore, password, null, null, null, null, null);
    }

    public String[] protocolArray()
    {
        return protocols.toArray(new String[0]);
    }

    /** The protocols as asked for; an error names the first one that is not TLS 1.2 or 1.3. */
    public static List<String> checkProtocols(final List<String> protocols)
    {
        if (protocols.isEmpty())
        {
            throw new InvalidSettings(Field.PROTOCOLS, "no protocol given: choose TLSv1.2, TLSv1.3 or both");
        }
        for (final String protocol : protocols)
        {
            if (!ALLOWED_PROTOCOLS.contains(protocol))
            {
                throw new InvalidSettings(Field.PROTOCOLS, "'" + protocol + "' is not allowed: only TLSv1.2 and TLSv1.3");
            }
        }
        return protocols;
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
            TrustManagerFactory trustManagers = null;
            if (truststore != null)
            {
                trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trustManagers.init(load(truststore, keystoreType, truststorePassword != null ? truststorePassword : password,
                    Field.TRUSTSTORE));
            }
            final SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), trustManagers == null ? null : trustManagers.getTrustManagers(), null);
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

    /** A server-side engine with this configuration's protocols and client authentication. */
    public SSLEngine newServerEngine(final SSLContext context)
    {
        final SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        final SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(protocolArray());
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
        if (!Files.isRegularFile(file))
        {
            throw new InvalidSettings(field, file + " does not exist or is not a file");
        }
        final KeyStore store = checkKeystoreType(type);
        try (InputStream in = Files.newInputStream(file))
        {
            store.load(in, password);
            return store;
        }
        catch (final IOException e)
        {
            if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password"))
            {
                throw new InvalidSettings(field == Field.KEYSTORE ? Field.PASSWORD : field, "wrong password for " + file);
            }
            throw new InvalidSettings(field, file + " cannot be read as a " + type + " key store: " + reason(e));
        }
        catch (final GeneralSecurityException e)
        {
            throw new InvalidSettings(field, file + " cannot be read as a " + type + " key store: " + reason(e));
        }
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
