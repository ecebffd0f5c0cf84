package dev.bourse.server.config;

import dev.bourse.protocol.tls.TlsSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The TLS keys of the configuration (docs/TLS.md): FIX over TLS on the gateway's own TLS port
 * ({@code gateway.tls.*}), HTTPS and WSS for the query side ({@code query.tls.*}), and whether
 * each plain port listens ({@code gateway.plain.enabled}, {@code query.plain.enabled}). Reading
 * loads every key store it is given, so a missing file, a wrong password, a protocol older than
 * TLS 1.2 or a certificate out of its validity stops the start with one line naming the key.
 */
public record TlsConfig(Listener gateway, Listener query)
{
    public static final int DEFAULT_GATEWAY_TLS_PORT = 9881;
    public static final int DEFAULT_QUERY_TLS_PORT = 8443;

    /**
     * One door's TLS: whether its plain port listens, and its TLS port and settings ({@code settings}
     * null: no TLS port).
     */
    public record Listener(boolean plainEnabled, boolean tlsEnabled, int tlsPort, TlsSettings settings)
    {
    }

    /** Reads both doors' keys; {@code gatewayOn}/{@code queryOn}: whether that door runs at all. */
    static TlsConfig read(final Settings s, final boolean gatewayOn, final int gatewayPort, final boolean queryOn, final int queryPort,
        final List<String> warnings)
    {
        final Listener gateway = listener(s, "gateway", DEFAULT_GATEWAY_TLS_PORT, gatewayOn);
        final Listener query = listener(s, "query", DEFAULT_QUERY_TLS_PORT, queryOn);
        warnIfSetButOff(s, "gateway", gatewayOn, gateway, warnings);
        warnIfSetButOff(s, "query", queryOn, query, warnings);
        warnOfClientAuthGaps("gateway", gatewayOn, gateway, warnings);
        warnOfClientAuthGaps("query", queryOn, query, warnings);
        if (gatewayOn && gateway.tlsEnabled() && gateway.tlsPort() != 0)
        {
            if (gateway.plainEnabled() && gateway.tlsPort() == gatewayPort)
            {
                s.error("gateway.tls.port", "is the same as gateway.port (" + gatewayPort + ")");
            }
            if (queryOn && (query.plainEnabled() && gateway.tlsPort() == queryPort ||
                query.tlsEnabled() && gateway.tlsPort() == query.tlsPort()))
            {
                s.error("gateway.tls.port", "is the same as a query port (" + gateway.tlsPort() + ")");
            }
        }
        if (queryOn && query.tlsEnabled() && query.tlsPort() != 0 && query.plainEnabled() && query.tlsPort() == queryPort)
        {
            s.error("query.tls.port", "is the same as query.port (" + queryPort + ")");
        }
        if (queryOn && query.tlsEnabled() && query.tlsPort() != 0 && gatewayOn && gateway.plainEnabled() && query.tlsPort() == gatewayPort)
        {
            s.error("query.tls.port", "is the same as gateway.port (" + gatewayPort + ")");
        }
        return new TlsConfig(gateway, query);
    }

    private static final List<String> SETTINGS_OF_A_TLS_PORT = List.of("tls.port", "tls.keystore", "tls.keystore-password",
        "tls.keystore-password-file", "tls.keystore-type", "tls.protocols", "tls.client-auth", "tls.truststore", "tls.truststore-password",
        "tls.truststore-password-file");

    /** A door configured for TLS but not switched on would start without its TLS port and say nothing (an outside probe's surprise). */
    private static void warnIfSetButOff(final Settings s, final String door, final boolean on, final Listener listener,
        final List<String> warnings)
    {
        if (!on || listener.tlsEnabled())
        {
            return;
        }
        final List<String> set = new java.util.ArrayList<>();
        for (final String key : SETTINGS_OF_A_TLS_PORT)
        {
            if (s.has(door + "." + key))
            {
                set.add(door + "." + key);
            }
        }
        if (!set.isEmpty())
        {
            warnings.add(String.join(", ", set) + (set.size() == 1 ? " is" : " are") + " set but " + door
                + ".tls.enabled is not true: no TLS port listens for the " + door + " (docs/TLS.md)");
        }
    }

    /**
     * Client certificates asked for, with a way around them or a trust the operator may not mean (an
     * outside tester): the plain port still takes the same logons with none; no trust store, so any
     * certificate from a CA the JDK trusts passes; a trust store given but client-auth left at none.
     */
    private static void warnOfClientAuthGaps(final String door, final boolean on, final Listener listener, final List<String> warnings)
    {
        if (!on || !listener.tlsEnabled() || listener.settings() == null)
        {
            return;
        }
        final String p = door + ".";
        warnings.addAll(listener.settings().clientCertificateGaps(listener.plainEnabled(), p + "tls.client-auth", p + "tls.truststore",
            "the plain port (" + p + "port)", "set " + p + "plain.enabled = false"));
    }

    private static Listener listener(final Settings s, final String door, final int defaultPort, final boolean on)
    {
        final String p = door + ".";
        final boolean plain = s.bool(p + "plain.enabled", true);
        final boolean tls = s.bool(p + "tls.enabled", false);
        final int port = s.port(p + "tls.port", defaultPort);
        final Path keystore = s.path(p + "tls.keystore", null);
        final char[] password = secret(s, p + "tls.keystore-password");
        final String type = s.string(p + "tls.keystore-type", TlsSettings.DEFAULT_KEYSTORE_TYPE);
        final List<String> protocols = s.has(p + "tls.protocols") ? s.list(p + "tls.protocols") : TlsSettings.DEFAULT_PROTOCOLS;
        final String clientAuth = s.choice(p + "tls.client-auth", "none", "none", "want", "need");
        final Path truststore = s.path(p + "tls.truststore", null);
        final char[] truststorePassword = secret(s, p + "tls.truststore-password");
        // checked even with TLS off: a protocol or key store type refused is refused when it is written, not when TLS goes on
        final boolean writtenValuesValid = writtenValueValid(s, p + "tls.protocols", () -> TlsSettings.checkProtocols(protocols))
            & writtenValueValid(s, p + "tls.keystore-type", () -> TlsSettings.checkKeystoreType(type));
        if (!on)
        {
            return new Listener(plain, false, port, null);
        }
        if (!plain && !tls)
        {
            s.error(p + "plain.enabled", "is false and " + p + "tls.enabled is not true: the " + door + " would have no port");
        }
        if (!tls)
        {
            return new Listener(plain, false, port, null);
        }
        final TlsSettings settings = new TlsSettings(keystore, password, type, protocols,
            TlsSettings.ClientAuth.of(clientAuth), truststore, truststorePassword);
        try
        {
            if (keystore == null)
            {
                s.error(p + "tls.keystore", "is required when " + p + "tls.enabled = true (a PKCS12 file; see docs/TLS.md)");
            }
            else if (password == null && !s.has(p + "tls.keystore-password-file"))
            {
                s.error(p + "tls.keystore-password", "is required when " + p + "tls.enabled = true (or " + p +
                    "tls.keystore-password-file)");
            }
            else if (password != null && writtenValuesValid) // else what is wrong is said already
            {
                settings.sslContext(); // loads the stores now: a bad one is a configuration error, not a failure at the first connection
                final String dates = outOfDate(keystore, type, password, java.time.Instant.now());
                if (dates != null)
                {
                    s.error(p + "tls.keystore", dates);
                }
            }
        }
        catch (final TlsSettings.InvalidSettings e)
        {
            final String key = p + "tls." + keyOf(e.field());
            // a wrong password read from its file is that key's to name (the operator set no keystore-password)
            s.error(key.endsWith("-password") && !s.has(key) && s.has(key + "-file") ? key + "-file" : key, e.getMessage());
        }
        return new Listener(plain, true, port, settings);
    }

    /**
     * Why the key store's certificate is refused by every client today (expired, or not valid yet), or null:
     * an exchange started with it would accept connections and fail every handshake.
     */
    static String outOfDate(final Path keystore, final String type, final char[] password, final java.time.Instant now)
    {
        try (java.io.InputStream in = Files.newInputStream(keystore))
        {
            final java.security.KeyStore store = java.security.KeyStore.getInstance(type);
            store.load(in, password);
            final List<String> keyEntries = new java.util.ArrayList<>();
            for (final String alias : java.util.Collections.list(store.aliases()))
            {
                if (store.isKeyEntry(alias))
                {
                    keyEntries.add(alias);
                }
            }
            // the entry is named (a store with a good entry and an expired one was refused naming neither), and with
            // several, why a good one beside it does not do: the key manager picks an entry per handshake (by the
            // client's key types), so the out-of-date one could be served
            for (final String alias : keyEntries)
            {
                if (store.getCertificate(alias) instanceof java.security.cert.X509Certificate certificate)
                {
                    final String several = keyEntries.size() < 2 ? "" : "; every key entry is checked, since the server may serve"
                        + " any of the " + keyEntries.size() + " in the store: remove this one (keytool -delete -alias " + alias
                        + " -keystore " + keystore + ") or renew it";
                    final String which = keystore + ": the certificate of entry '" + alias + "' ("
                        + certificate.getSubjectX500Principal().getName() + ")";
                    if (now.isAfter(certificate.getNotAfter().toInstant()))
                    {
                        return which + " expired on " + certificate.getNotAfter().toInstant() + " (notAfter): clients refuse it"
                            + (several.isEmpty() ? "; give a renewed one" : several) + " (docs/TLS.md)";
                    }
                    if (now.isBefore(certificate.getNotBefore().toInstant()))
                    {
                        return which + " is not valid before " + certificate.getNotBefore().toInstant()
                            + " (notBefore): clients refuse it until then (is this host's clock right?)" + several;
                    }
                }
            }
            return null;
        }
        catch (final IOException | java.security.GeneralSecurityException e)
        {
            return null; // loaded once already by the SSL context: what could be wrong with it is said there
        }
    }

    /** False (and the error said under {@code key}) if {@code key} is given and {@code check} refuses it. */
    private static boolean writtenValueValid(final Settings s, final String key, final Runnable check)
    {
        if (!s.has(key))
        {
            return true;
        }
        if (s.reported(key))
        {
            return false; // an empty value, say: "no protocol given" after "is empty" said one problem twice (an outside probe)
        }
        try
        {
            check.run();
            return true;
        }
        catch (final TlsSettings.InvalidSettings e)
        {
            s.error(key, e.getMessage());
            return false;
        }
    }

    private static String keyOf(final TlsSettings.Field field)
    {
        switch (field)
        {
            case PASSWORD:
                return "keystore-password";
            case KEYSTORE_TYPE:
                return "keystore-type";
            case PROTOCOLS:
                return "protocols";
            case TRUSTSTORE:
                return "truststore";
            case TRUSTSTORE_PASSWORD:
                return "truststore-password";
            default:
                return "keystore";
        }
    }

    /** A password given in the file ({@code key}) or in a file of its own ({@code key-file}, first line); null if neither. */
    private static char[] secret(final Settings s, final String key)
    {
        final String inline = s.string(key, null);
        final Path file = s.path(key + "-file", null);
        if (inline != null && file != null)
        {
            s.error(key, "is given both here and as " + key + "-file: set one of them");
        }
        if (file != null)
        {
            try
            {
                final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (lines.isEmpty() || lines.get(0).isEmpty())
                {
                    s.error(key + "-file", file + " is empty");
                    return null;
                }
                return lines.get(0).toCharArray();
            }
            catch (final IOException e)
            {
                s.error(key + "-file", file + " cannot be read (" + whyUnreadable(file, e) + ")");
                return null;
            }
        }
        return inline == null ? null : inline.toCharArray();
    }

    /** Why a file could not be read, in words: the JDK's exception message is often just the file's name. */
    static String whyUnreadable(final Path file, final IOException e)
    {
        if (e instanceof java.nio.file.NoSuchFileException || !Files.exists(file))
        {
            return "it does not exist";
        }
        if (Files.isDirectory(file))
        {
            return "it is a directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException || !Files.isReadable(file))
        {
            return "permission denied: the exchange runs as " + System.getProperty("user.name");
        }
        return e instanceof java.nio.charset.CharacterCodingException ? "not text" : String.valueOf(e.getMessage());
    }
}
