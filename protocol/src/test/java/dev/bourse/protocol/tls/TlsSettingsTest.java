package dev.bourse.protocol.tls;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What a TLS listener is set up with: every key store mistake said in one line, one cipher-suite policy, client refusals in words. */
class TlsSettingsTest
{
    private static final char[] PASSWORD = "tls-settings-test".toCharArray();

    @TempDir
    static Path dir;
    private static Path keystore;

    @BeforeAll
    static void makeKeystore() throws Exception
    {
        keystore = SelfSignedKeystore.create(dir.resolve("server.p12"), PASSWORD);
    }

    private static KeyStore load(final Path file) throws Exception
    {
        final KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file))
        {
            store.load(in, PASSWORD);
        }
        return store;
    }

    /** A PKCS12 with {@code keystore}'s certificate chain under alias bourse and a key of {@code algorithm} made here. */
    private static Path withAnotherKey(final String name, final String algorithm) throws Exception
    {
        final KeyStore mismatched = KeyStore.getInstance("PKCS12");
        mismatched.load(null, null);
        mismatched.setKeyEntry("bourse", KeyPairGenerator.getInstance(algorithm).generateKeyPair().getPrivate(), PASSWORD,
            load(keystore).getCertificateChain("bourse"));
        final Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file))
        {
            mismatched.store(out, PASSWORD);
        }
        return file;
    }

    private static TlsSettings.InvalidSettings refused(final Path file)
    {
        return assertThrows(TlsSettings.InvalidSettings.class, () -> TlsSettings.of(file, PASSWORD).sslContext());
    }

    /**
     * A key store whose key is not its certificate's started, and then every handshake on both TLS
     * ports failed with "bad signature" while the log blamed the client (an outside probe).
     */
    @Test
    void aKeyThatDoesNotMatchItsCertificateStopsTheStart() throws Exception
    {
        assertNotNull(TlsSettings.of(keystore, PASSWORD).sslContext(), "the matching pair starts");
        final Path otherEcKey = withAnotherKey("other-ec-key.p12", "EC");
        final TlsSettings.InvalidSettings ec = refused(otherEcKey);
        assertEquals(TlsSettings.Field.KEYSTORE, ec.field());
        assertEquals(otherEcKey + ": the private key of entry 'bourse' does not match its certificate (CN=localhost): every handshake "
            + "would fail", ec.getMessage());

        final TlsSettings.InvalidSettings rsa = refused(withAnotherKey("rsa-key.p12", "RSA"));
        assertTrue(rsa.getMessage().contains("does not match its certificate"), "an RSA key with an EC certificate: " + rsa.getMessage());
    }

    @Test
    void aKeyOfEveryUsualKindIsCheckedWithASignatureOfItsOwn() throws Exception
    {
        assertEquals("SHA256withRSA", KeyCertificateMatch.signatureAlgorithm("RSA"));
        assertEquals("SHA256withECDSA", KeyCertificateMatch.signatureAlgorithm("EC"));
        assertNull(KeyCertificateMatch.signatureAlgorithm("RSASSA-PSS"), "not checked");
        final KeyPairGenerator ed = KeyPairGenerator.getInstance("Ed25519");
        final KeyPair pair = ed.generateKeyPair();
        assertNotNull(KeyCertificateMatch.signatureAlgorithm(pair.getPrivate().getAlgorithm()), pair.getPrivate().getAlgorithm());
        assertTrue(KeyCertificateMatch.matches(pair.getPrivate(), pair.getPublic()));
        assertFalse(KeyCertificateMatch.matches(pair.getPrivate(), ed.generateKeyPair().getPublic()));
        final KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        final KeyPair rsaPair = rsa.generateKeyPair();
        assertTrue(KeyCertificateMatch.matches(rsaPair.getPrivate(), rsaPair.getPublic()));
        assertFalse(KeyCertificateMatch.matches(rsaPair.getPrivate(), rsa.generateKeyPair().getPublic()));
    }

    /** "tlsv1.3" was refused as "not allowed" (an outside tester): any case is read, and kept in the JDK's spelling, which it needs. */
    @Test
    void protocolNamesAreReadInAnyCase() throws Exception
    {
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), TlsSettings.checkProtocols(List.of("tlsv1.3", "TLSV1.2")));
        final TlsSettings settings = new TlsSettings(keystore, PASSWORD, null, List.of("tlsv1.3", "Tlsv1.2"), null, null, null);
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), settings.protocols());
        final SSLContext context = settings.sslContext();
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), List.of(settings.newServerEngine(context).getSSLParameters().getProtocols()));
        assertEquals("'tlsv1.1' is not allowed: only TLSv1.2 and TLSv1.3",
            assertThrows(TlsSettings.InvalidSettings.class, () -> TlsSettings.checkProtocols(List.of("TLSv1.3", "tlsv1.1"))).getMessage());
    }

    /** The FIX port offered the JDK's defaults, static RSA and SHA-1 suites among them, which the HTTPS port (Jetty) refused. */
    @Test
    void theServerOffersOnlyForwardSecretSuitesWithoutSha1() throws Exception
    {
        final TlsSettings settings = TlsSettings.of(keystore, PASSWORD);
        final SSLContext context = settings.sslContext();
        final List<String> enabled = List.of(settings.newServerEngine(context).getEnabledCipherSuites());
        assertEquals(TlsSettings.cipherSuites(context), enabled);
        assertTrue(enabled.contains("TLS_AES_128_GCM_SHA256"), "TLS 1.3 kept: " + enabled);
        assertTrue(enabled.contains("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"), enabled.toString());
        for (final String suite : enabled)
        {
            assertFalse(suite.startsWith("TLS_RSA_") || suite.endsWith("_SHA") || suite.endsWith("_MD5") || suite.contains("SCSV"), suite);
        }
        assertFalse(TlsSettings.strong("TLS_RSA_WITH_AES_256_GCM_SHA384"));
        assertFalse(TlsSettings.strong("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"));
        assertFalse(TlsSettings.strong("TLS_ECDH_anon_WITH_AES_128_CBC_SHA256"));
        assertFalse(TlsSettings.strong("TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256"), "static ECDH: no forward secrecy");
        assertFalse(TlsSettings.strong("TLS_EMPTY_RENEGOTIATION_INFO_SCSV"));
        assertTrue(TlsSettings.strong("TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"));
        assertTrue(TlsSettings.strong("TLS_CHACHA20_POLY1305_SHA256"));
    }

    /** Each of these read as a format error from the JDK ("toDerInputStream rejects tag type 45", "Tag number over 30"). */
    @Test
    void aPemOrEmptyKeyStoreSaysWhatItIs() throws Exception
    {
        final Path pem = Files.writeString(dir.resolve("server.crt"), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        assertEquals(pem + " is a PEM file; the key store must be PKCS12 (openssl pkcs12 -export -inkey key.pem -in chain.pem "
            + "-out bourse.p12, see docs/TLS.md)", refused(pem).getMessage());
        final Path bagAttributes = Files.writeString(dir.resolve("key.pem"), "Bag Attributes\n    localKeyID: 01\n"
            + "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n");
        assertTrue(refused(bagAttributes).getMessage().contains("is a PEM file"), "openssl's text before the PEM");
        final Path empty = Files.createFile(dir.resolve("empty.p12"));
        assertEquals(empty + " is empty", refused(empty).getMessage());
        final TlsSettings pemTrust = new TlsSettings(keystore, PASSWORD, null, null, TlsSettings.ClientAuth.NEED, pem, null);
        final TlsSettings.InvalidSettings trust = assertThrows(TlsSettings.InvalidSettings.class, pemTrust::sslContext);
        assertEquals(TlsSettings.Field.TRUSTSTORE, trust.field());
        assertTrue(trust.getMessage().startsWith(pem + " is a PEM file; the trust store must be PKCS12 (keytool -importcert"), trust.getMessage());
    }

    /** An unreadable key store read "cannot be read as a PKCS12 key store: FILE", which looked like a format error. */
    @Test
    void anUnreadableKeyStoreSaysPermissionDenied() throws Exception
    {
        final Path unreadable = Files.copy(keystore, dir.resolve("noread.p12"));
        Files.setPosixFilePermissions(unreadable, PosixFilePermissions.fromString("---------"));
        try
        {
            assumeTrue(!Files.isReadable(unreadable), "root reads every file: permission denied cannot be simulated");
            assertEquals(unreadable + " cannot be read (permission denied)", refused(unreadable).getMessage());
        }
        finally
        {
            Files.setPosixFilePermissions(unreadable, PosixFilePermissions.fromString("rw-------"));
        }
    }

    /** The trust store's password defaults to the key store's: a refusal says that one was tried, under the trust store password's field. */
    @Test
    void aWrongTrustStorePasswordSaysWhichPasswordWasTried() throws Exception
    {
        final Path truststore = SelfSignedKeystore.create(dir.resolve("trust.p12"), "trust-secret".toCharArray());
        final TlsSettings.InvalidSettings defaulted = assertThrows(TlsSettings.InvalidSettings.class,
            () -> new TlsSettings(keystore, PASSWORD, null, null, TlsSettings.ClientAuth.NEED, truststore, null).sslContext());
        assertEquals(TlsSettings.Field.TRUSTSTORE_PASSWORD, defaulted.field());
        assertEquals("wrong password for " + truststore + " (no truststore-password is set: the key store's password was tried)",
            defaulted.getMessage());
        final TlsSettings.InvalidSettings wrong = assertThrows(TlsSettings.InvalidSettings.class,
            () -> new TlsSettings(keystore, PASSWORD, null, null, TlsSettings.ClientAuth.NEED, truststore, "wrong".toCharArray()).sslContext());
        assertEquals(TlsSettings.Field.TRUSTSTORE_PASSWORD, wrong.field());
        assertEquals("wrong password for " + truststore, wrong.getMessage());
        assertNotNull(new TlsSettings(keystore, PASSWORD, null, null, TlsSettings.ClientAuth.NEED, truststore, "trust-secret".toCharArray())
            .sslContext());
    }

    /**
     * A refused client certificate was logged as "PKIX path validation failed: java.security.cert.CertPathValidatorException:
     * vali..." (an outside probe): the reason first, then whose certificate and its issuer.
     */
    @Test
    void aRefusedClientCertificateIsSaidInWordsWithItsSubjectAndIssuer() throws Exception
    {
        final Path expiredStore = keytool(dir.resolve("expired-client.p12"), "CN=alice", "2020/01/01 00:00:00", 30);
        final X509Certificate expired = (X509Certificate)load(expiredStore).getCertificate("client");
        final String old = ClientCertificateCheck.refusal(new X509Certificate[] {expired}, new CertificateException("PKIX"), Instant.now());
        assertEquals("client certificate expired on " + expired.getNotAfter().toInstant() + " (CN=alice, issued by CN=alice)", old);

        // a valid client certificate the server's trust store (its own key store) does not hold, through a real handshake
        final Path aliceStore = keytool(dir.resolve("alice.p12"), "CN=alice", "-1d", 30);
        final String serverSaw = handshakeRefusal(aliceStore);
        assertTrue(serverSaw.contains("client certificate not signed by a CA in the trust store (CN=alice, issued by CN=alice)"), serverSaw);
    }

    /** What the server's side of a TLS 1.2 handshake said when a client showed the certificate of {@code clientStore}. */
    private static String handshakeRefusal(final Path clientStore) throws Exception
    {
        final TlsSettings settings = new TlsSettings(keystore, PASSWORD, null, List.of("TLSv1.2"), TlsSettings.ClientAuth.NEED, keystore, null);
        final SSLContext server = settings.sslContext();
        final KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(clientStore), PASSWORD);
        final TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(keystore));
        final SSLContext client = SSLContext.getInstance("TLS");
        // shown whatever issuers the server asks for (the JDK's client sends none from another CA, as curl would not hold back)
        final javax.net.ssl.X509KeyManager chosen = (javax.net.ssl.X509KeyManager)keys.getKeyManagers()[0];
        final javax.net.ssl.X509ExtendedKeyManager always = new javax.net.ssl.X509ExtendedKeyManager()
        {
            @Override
            public String[] getClientAliases(final String keyType, final java.security.Principal[] issuers)
            {
                return new String[] {"client"};
            }

            @Override
            public String chooseClientAlias(final String[] keyType, final java.security.Principal[] issuers, final java.net.Socket socket)
            {
                return "client";
            }

            @Override
            public String[] getServerAliases(final String keyType, final java.security.Principal[] issuers)
            {
                return null;
            }

            @Override
            public String chooseServerAlias(final String keyType, final java.security.Principal[] issuers, final java.net.Socket socket)
            {
                return null;
            }

            @Override
            public X509Certificate[] getCertificateChain(final String alias)
            {
                return chosen.getCertificateChain(alias);
            }

            @Override
            public java.security.PrivateKey getPrivateKey(final String alias)
            {
                return chosen.getPrivateKey(alias);
            }
        };
        client.init(new javax.net.ssl.KeyManager[] {always}, trust.getTrustManagers(), null);
        try (SSLServerSocket listener = (SSLServerSocket)server.getServerSocketFactory().createServerSocket(0))
        {
            listener.setNeedClientAuth(true);
            listener.setEnabledProtocols(new String[] {"TLSv1.2"});
            final CompletableFuture<String> seen = CompletableFuture.supplyAsync(() ->
            {
                try (SSLSocket accepted = (SSLSocket)listener.accept())
                {
                    accepted.startHandshake();
                    return "accepted";
                }
                catch (final Exception e)
                {
                    return String.valueOf(e.getMessage());
                }
            });
            try (SSLSocket socket = (SSLSocket)client.getSocketFactory().createSocket("localhost", listener.getLocalPort()))
            {
                socket.setEnabledProtocols(new String[] {"TLSv1.2"});
                socket.startHandshake();
                socket.getInputStream().read();
            }
            catch (final java.io.IOException expected)
            {
                // the server's alert
            }
            return seen.get(30, TimeUnit.SECONDS);
        }
    }

    /** A key store with one self-signed key entry, alias client, from {@code start} (keytool's -startdate) for {@code days}. */
    private static Path keytool(final Path file, final String subject, final String start, final int days) throws Exception
    {
        final Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
            "-alias", "client", "-keyalg", "EC", "-groupname", "secp256r1", "-startdate", start, "-validity", String.valueOf(days),
            "-dname", subject, "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", new String(PASSWORD))
            .redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), output);
        return file;
    }
}
