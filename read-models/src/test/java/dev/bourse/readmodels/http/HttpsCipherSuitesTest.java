package dev.bourse.readmodels.http;

import dev.bourse.protocol.tls.SelfSignedKeystore;
import dev.bourse.protocol.tls.TlsSettings;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The HTTPS port offers exactly the FIX TLS port's cipher suites ({@link TlsSettings#cipherSuites}):
 * Jetty's defaults and the JDK's differed, the FIX port accepting static-RSA and SHA-1 suites the
 * HTTPS port refused (an outside probe).
 */
class HttpsCipherSuitesTest
{
    @TempDir
    Path dir;

    @Test
    void httpsOffersTheSameSuitesAsTheFixTlsPort() throws Exception
    {
        final char[] password = "cipher-suites-test".toCharArray();
        final TlsSettings settings = TlsSettings.of(SelfSignedKeystore.create(dir.resolve("query.p12"), password), password);
        final SslContextFactory.Server jetty = WebServer.sslContextFactory(settings);
        jetty.start();
        try
        {
            final List<String> https = List.of(jetty.newSSLEngine().getEnabledCipherSuites());
            final List<String> fix = List.of(settings.newServerEngine(settings.sslContext()).getEnabledCipherSuites());
            assertEquals(fix, https);
            assertTrue(https.stream().noneMatch(suite -> suite.startsWith("TLS_RSA_") || suite.endsWith("_SHA")), https.toString());
        }
        finally
        {
            jetty.stop();
        }
    }
}
