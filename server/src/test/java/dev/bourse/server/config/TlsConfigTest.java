package dev.bourse.server.config;

import dev.bourse.protocol.tls.SelfSignedKeystore;
import dev.bourse.protocol.tls.TlsSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The TLS keys: off by default; every mistake that would stop TLS working stops the start with one line naming its key. */
class TlsConfigTest
{
    private static final String MINIMAL = MinimalConfig.TEXT;
    private static final String PASSWORD = "the-keystore-secret";

    @TempDir
    static Path dir;
    private static Path keystore;

    @BeforeAll
    static void makeKeystore() throws Exception
    {
        keystore = SelfSignedKeystore.create(dir.resolve("server.p12"), PASSWORD.toCharArray());
    }

    private static ExchangeConfig read(final String extra) throws ConfigException
    {
        return ExchangeConfig.read(Settings.parse("test", MINIMAL + extra));
    }

    private static List<String> problems(final String extra)
    {
        final ConfigException e = assertThrows(ConfigException.class, () -> read(extra));
        assertFalse(e.getMessage().contains(PASSWORD) || e.getMessage().contains("wrong-one"), "no password in: " + e.getMessage());
        return e.problems();
    }

    @Test
    void tlsIsOffAndThePlainPortsOnByDefault() throws Exception
    {
        final TlsConfig tls = read("").tls();
        assertTrue(tls.gateway().plainEnabled());
        assertFalse(tls.gateway().tlsEnabled());
        assertNull(tls.gateway().settings());
        assertTrue(tls.query().plainEnabled());
        assertNull(tls.query().settings());
        assertEquals(TlsConfig.DEFAULT_GATEWAY_TLS_PORT, tls.gateway().tlsPort());
        assertEquals(TlsConfig.DEFAULT_QUERY_TLS_PORT, tls.query().tlsPort());
    }

    /** An operations probe set a key store and port, forgot tls.enabled, and the exchange started without TLS saying nothing. */
    @Test
    void tlsKeysSetWithTlsOffAreWarnedAboutNamingThem() throws Exception
    {
        final ExchangeConfig config = read("gateway.tls.port = 9991\ngateway.tls.keystore = " + keystore + "\n");
        assertFalse(config.tls().gateway().tlsEnabled());
        assertTrue(config.warnings().contains("gateway.tls.port, gateway.tls.keystore are set but gateway.tls.enabled is not true: "
            + "no TLS port listens for the gateway (docs/TLS.md)"), config.warnings().toString());
        assertTrue(config.warnings().stream().noneMatch(w -> w.contains("query.tls")), config.warnings().toString());
        assertTrue(read("").warnings().stream().noneMatch(w -> w.contains(".tls.")), "nothing set, nothing said");
    }

    /**
     * An outside tester: client certificates asked for, and three ways they were not the gate the
     * operator meant, each started in silence: the plain port still open, no trust store (the JDK's
     * public CAs then vouch), a trust store given with client-auth left at none.
     */
    @Test
    void clientCertificateGapsAreWarnedAbout() throws Exception
    {
        final Path truststore = SelfSignedKeystore.create(dir.resolve("gaps-trust.p12"), PASSWORD.toCharArray());
        final String tls = "query.tls.enabled = true\nquery.tls.keystore = " + keystore + "\nquery.tls.keystore-password = " + PASSWORD + "\n";
        final List<String> plainOpen = read(tls + "query.tls.client-auth = need\nquery.tls.truststore = " + truststore + "\n").warnings();
        assertTrue(plainOpen.contains("query.tls.client-auth is need but the plain port (query.port) still takes connections with "
            + "no certificate; set query.plain.enabled = false to make the certificate a gate (docs/TLS.md)"), plainOpen.toString());
        final List<String> gated = read(tls + "query.tls.client-auth = need\nquery.tls.truststore = " + truststore
            + "\nquery.plain.enabled = false\n").warnings();
        assertTrue(gated.stream().noneMatch(w -> w.contains("query.tls")), "a gate with no way around it: " + gated);
        final List<String> publicCas = read(tls + "query.tls.client-auth = want\n").warnings();
        assertTrue(publicCas.contains("query.tls.client-auth is want with no query.tls.truststore: client certificates are checked "
            + "against the JDK's public CAs, so one from any of them passes; give the trust store of the CAs you accept (docs/TLS.md)"),
            publicCas.toString());
        final List<String> notAsked = read(tls + "query.tls.truststore = " + truststore + "\n").warnings();
        assertTrue(notAsked.contains("query.tls.truststore is set but query.tls.client-auth is none: no client certificate is asked "
            + "for (set it to want or need; docs/TLS.md)"), notAsked.toString());
        assertTrue(read(tls).warnings().stream().noneMatch(w -> w.contains("query.tls")), "server TLS alone: nothing to say");
    }

    @Test
    void aGoodKeystoreWithAPasswordFileServesTlsWithThePlainPortOff() throws Exception
    {
        final Path passwordFile = Files.writeString(dir.resolve("password.txt"), PASSWORD + "\n");
        final ExchangeConfig config = read("gateway.plain.enabled = false\ngateway.tls.enabled = true\ngateway.tls.port = 9991\n" +
            "gateway.tls.keystore = " + keystore + "\ngateway.tls.keystore-password-file = " + passwordFile + "\n" +
            "gateway.tls.protocols = TLSv1.3\nquery.tls.enabled = true\nquery.tls.keystore = " + keystore + "\n" +
            "query.tls.keystore-password = " + PASSWORD + "\n");
        final TlsConfig.Listener gateway = config.tls().gateway();
        assertFalse(gateway.plainEnabled());
        assertEquals(9991, gateway.tlsPort());
        assertEquals(List.of("TLSv1.3"), gateway.settings().protocols());
        assertNotNull(gateway.settings().sslContext());
        assertEquals(TlsSettings.DEFAULT_PROTOCOLS, config.tls().query().settings().protocols());
        assertFalse(gateway.settings().toString().contains(PASSWORD));
    }

    @Test
    void aMissingKeystoreIsOneLineNamingTheKey()
    {
        assertEquals(List.of("gateway.tls.keystore: is required when gateway.tls.enabled = true (a PKCS12 file; see docs/TLS.md)"),
            problems("gateway.tls.enabled = true\ngateway.tls.keystore-password = x\n"));
        final List<String> missingFile = problems("query.tls.enabled = true\nquery.tls.keystore = " + dir.resolve("nope.p12") +
            "\nquery.tls.keystore-password = x\n");
        assertEquals(1, missingFile.size());
        assertTrue(missingFile.get(0).startsWith("query.tls.keystore: ") && missingFile.get(0).contains("does not exist"), missingFile.get(0));
    }

    /** An operations probe's file of garbage was "cannot be read as a PKCS12 key store: null". */
    @Test
    void aFileThatIsNotAKeystoreSaysSoNotNull() throws Exception
    {
        final Path garbage = Files.writeString(dir.resolve("garbage.p12"), "garbage\n");
        final List<String> problems = problems("gateway.tls.enabled = true\ngateway.tls.keystore = " + garbage +
            "\ngateway.tls.keystore-password = x\n");
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).startsWith("gateway.tls.keystore: "), problems.get(0));
        assertFalse(problems.get(0).endsWith("null"), problems.get(0));
    }

    @Test
    void aWrongPasswordIsOneLineNamingThePasswordKey()
    {
        final List<String> problems = problems("gateway.tls.enabled = true\ngateway.tls.keystore = " + keystore +
            "\ngateway.tls.keystore-password = wrong-one\n");
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).startsWith("gateway.tls.keystore-password: wrong password for "), problems.get(0));
    }

    /** Read from its file, the wrong password is that file key's: the operator set no keystore-password (a docs probe). */
    @Test
    void aWrongPasswordFromItsFileNamesTheFileKey() throws Exception
    {
        final Path passwordFile = Files.writeString(dir.resolve("wrong.txt"), "wrong-one\n");
        final List<String> problems = problems("gateway.tls.enabled = true\ngateway.tls.keystore = " + keystore +
            "\ngateway.tls.keystore-password-file = " + passwordFile + "\n");
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).startsWith("gateway.tls.keystore-password-file: wrong password for "), problems.get(0));
        assertTrue(problems("gateway.tls.enabled = true\ngateway.tls.keystore = " + keystore + "\ngateway.tls.keystore-password = x"
            + "\ngateway.tls.keystore-password-file = " + passwordFile + "\n").get(0)
            .contains("is given both here and as gateway.tls.keystore-password-file"));
    }

    @Test
    void aProtocolBelowTls12IsRefused()
    {
        assertEquals(List.of("gateway.tls.protocols: 'TLSv1.1' is not allowed: only TLSv1.2 and TLSv1.3"),
            problems("gateway.tls.enabled = true\ngateway.tls.keystore = " + keystore + "\ngateway.tls.keystore-password = " + PASSWORD +
                "\ngateway.tls.protocols = TLSv1.2, TLSv1.1\n"));
        assertEquals(List.of("gateway.tls.protocols: 'TLSv1.1' is not allowed: only TLSv1.2 and TLSv1.3"),
            problems("gateway.tls.protocols = TLSv1.1\n"), "refused when written, TLS on or off");
        // an empty value is one problem, said once (it was "is empty" and then "no protocol given": an outside probe)
        assertEquals(List.of("gateway.tls.protocols: is empty"),
            problems("gateway.tls.enabled = true\ngateway.tls.keystore = " + keystore + "\ngateway.tls.keystore-password = " + PASSWORD +
                "\ngateway.tls.protocols =\n"));
    }

    @Test
    void anUnknownKeystoreTypeIsRefusedOnceTlsOnOrOff() throws Exception
    {
        final String refused = "gateway.tls.keystore-type: unknown key store type 'PKCS13' (PKCS12 or JKS)";
        assertEquals(List.of(refused), problems("gateway.tls.keystore-type = PKCS13\n"), "refused when written, TLS off");
        assertEquals(List.of(refused), problems("gateway.tls.enabled = true\ngateway.tls.keystore = " + keystore +
            "\ngateway.tls.keystore-password = " + PASSWORD + "\ngateway.tls.keystore-type = PKCS13\n"), "TLS on: said once");
        assertFalse(read("query.tls.keystore-type = JKS\n").tls().query().tlsEnabled(), "JKS is a type");
    }

    /** One problem, not two; and why it cannot be read ("cannot read /x (/x)" said nothing, an outside probe). */
    @Test
    void anUnreadablePasswordFileIsOneProblemSayingWhy() throws Exception
    {
        assertEquals(List.of("query.tls.keystore-password-file: /nonexistent cannot be read (it does not exist)"),
            problems("query.tls.enabled = true\nquery.tls.keystore = " + keystore + "\nquery.tls.keystore-password-file = /nonexistent\n"));
        assertEquals(List.of("query.tls.keystore-password-file: " + dir + " cannot be read (it is a directory)"),
            problems("query.tls.enabled = true\nquery.tls.keystore = " + keystore + "\nquery.tls.keystore-password-file = " + dir + "\n"));
        final Path unreadable = Files.writeString(dir.resolve("noread.pw"), PASSWORD + "\n");
        Files.setPosixFilePermissions(unreadable, java.nio.file.attribute.PosixFilePermissions.fromString("---------"));
        org.junit.jupiter.api.Assumptions.assumeTrue(!Files.isReadable(unreadable), "root reads every file: not simulated");
        assertEquals(List.of("query.tls.keystore-password-file: " + unreadable + " cannot be read (permission denied: the exchange runs as "
                + System.getProperty("user.name") + ")"),
            problems("query.tls.enabled = true\nquery.tls.keystore = " + keystore + "\nquery.tls.keystore-password-file = " + unreadable + "\n"));
    }

    /** A PEM certificate given as the key store read "toDerInputStream rejects tag type 45" (an outside probe). */
    @Test
    void aPemKeyStoreSaysToConvertIt() throws Exception
    {
        final Path pem = Files.writeString(dir.resolve("server.crt"), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        assertEquals(List.of("gateway.tls.keystore: " + pem + " is a PEM file; the key store must be PKCS12 (openssl pkcs12 -export "
                + "-inkey key.pem -in chain.pem -out bourse.p12, see docs/TLS.md)"),
            problems("gateway.tls.enabled = true\ngateway.tls.keystore = " + pem + "\ngateway.tls.keystore-password = x\n"));
    }

    /**
     * The trust store's password defaults to the key store's; a refusal said "gateway.tls.truststore: wrong password", naming
     * neither the key to set nor the password tried, and the same for an explicit wrong one (an outside probe).
     */
    @Test
    void aWrongTrustStorePasswordNamesTheTrustStorePasswordKey() throws Exception
    {
        final Path truststore = SelfSignedKeystore.create(dir.resolve("trust.p12"), "trust-secret".toCharArray());
        final String tls = "gateway.tls.enabled = true\ngateway.tls.keystore = " + keystore + "\ngateway.tls.keystore-password = " + PASSWORD
            + "\ngateway.tls.client-auth = need\ngateway.tls.truststore = " + truststore + "\n";
        assertEquals(List.of("gateway.tls.truststore-password: wrong password for " + truststore
            + " (no truststore-password is set: the key store's password was tried)"), problems(tls));
        assertEquals(List.of("gateway.tls.truststore-password: wrong password for " + truststore),
            problems(tls + "gateway.tls.truststore-password = wrong-one\n"));
        final Path wrongFile = Files.writeString(dir.resolve("trust-wrong.txt"), "wrong-one\n");
        assertEquals(List.of("gateway.tls.truststore-password-file: wrong password for " + truststore),
            problems(tls + "gateway.tls.truststore-password-file = " + wrongFile + "\n"));
        assertTrue(read(tls + "gateway.tls.truststore-password = trust-secret\n").tls().gateway().tlsEnabled());
    }

    @Test
    void aDoorWithoutAnyPortAndClashingPortsAreRefused()
    {
        assertEquals(List.of("gateway.plain.enabled: is false and gateway.tls.enabled is not true: the gateway would have no port"),
            problems("gateway.plain.enabled = false\n"));
        assertEquals(List.of("query.tls.port: is the same as query.port (8080)"),
            problems("query.tls.enabled = true\nquery.tls.port = 8080\nquery.tls.keystore = " + keystore +
                "\nquery.tls.keystore-password = " + PASSWORD + "\n"));
    }

    /**
     * A certificate out of its validity is refused by every client: the start stops naming the key and the
     * date (a probe's expired key store started without a word and every handshake then failed).
     */
    @Test
    void anExpiredOrNotYetValidCertificateStopsTheStartNamingTheDate() throws Exception
    {
        final Path expired = keytool(dir.resolve("expired.p12"), "2020/01/01 00:00:00", 30);
        final List<String> old = problems("gateway.tls.enabled = true\ngateway.tls.keystore = " + expired
            + "\ngateway.tls.keystore-password = " + PASSWORD + "\n");
        assertEquals(1, old.size(), old.toString());
        // keytool reads -startdate in the local time zone: the date, not the hour
        assertTrue(old.get(0).startsWith("gateway.tls.keystore: " + expired + ": the certificate of entry 'bourse' (CN=localhost) expired on"
                + " 2020-01-"), old.get(0));
        assertTrue(old.get(0).endsWith("(notAfter): clients refuse it; give a renewed one (docs/TLS.md)"), old.get(0));

        final Path future = keytool(dir.resolve("future.p12"), "+1y", 30);
        final List<String> early = problems("query.tls.enabled = true\nquery.tls.keystore = " + future
            + "\nquery.tls.keystore-password = " + PASSWORD + "\n");
        assertEquals(1, early.size(), early.toString());
        assertTrue(early.get(0).startsWith("query.tls.keystore: " + future + ": the certificate of entry 'bourse' (CN=localhost) is not"
                + " valid before "), early.get(0));
        assertTrue(early.get(0).contains("(notBefore)"), early.get(0));
    }

    /**
     * A store with a good entry and an expired one was refused naming neither ("the certificate of /x/two.p12 (CN=localhost)
     * expired", an outside tester): the entry is named, and why the good one beside it does not make it harmless.
     */
    @Test
    void anExpiredEntryBesideAGoodOneIsNamedWithWhyItMatters() throws Exception
    {
        final Path two = keytool(dir.resolve("two.p12"), "bourse", "-1d", 365);
        keytool(two, "old", "2020/01/01 00:00:00", 30);
        final List<String> problems = problems("gateway.tls.enabled = true\ngateway.tls.keystore = " + two
            + "\ngateway.tls.keystore-password = " + PASSWORD + "\n");
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("gateway.tls.keystore: " + two + ": the certificate of entry 'old' (CN=localhost) expired on"
            + " 2020-01-"), problems.get(0));
        assertTrue(problems.get(0).endsWith("(notAfter): clients refuse it; every key entry is checked, since the server may serve any"
            + " of the 2 in the store: remove this one (keytool -delete -alias old -keystore " + two + ") or renew it (docs/TLS.md)"),
            problems.get(0));
    }

    /** "tlsv1.3" was "'tlsv1.3' is not allowed: only TLSv1.2 and TLSv1.3" (an outside tester): the case does not matter. */
    @Test
    void protocolNamesAreReadInAnyCase() throws Exception
    {
        final ExchangeConfig config = read("gateway.tls.enabled = true\ngateway.tls.keystore = " + keystore
            + "\ngateway.tls.keystore-password = " + PASSWORD + "\ngateway.tls.protocols = tlsv1.3, TLSV1.2\n"
            + "query.tls.protocols = tlsV1.2\n");
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), config.tls().gateway().settings().protocols(), "in the JDK's spelling");
        assertNotNull(config.tls().gateway().settings().sslContext());
        assertEquals(List.of("gateway.tls.protocols: 'tlsv1.1' is not allowed: only TLSv1.2 and TLSv1.3"),
            problems("gateway.tls.protocols = tlsv1.1\n"));
    }

    /** A key store whose certificate starts at {@code start} (keytool's -startdate) and lasts {@code days}. */
    private static Path keytool(final Path file, final String start, final int days) throws Exception
    {
        return keytool(file, "bourse", start, days);
    }

    /** As {@link #keytool(Path, String, int)}, the entry named {@code alias} (added to the store if it exists). */
    private static Path keytool(final Path file, final String alias, final String start, final int days) throws Exception
    {
        final Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
            "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-startdate", start, "-validity", String.valueOf(days),
            "-dname", "CN=localhost", "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", PASSWORD)
            .redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), output);
        return file;
    }
}
