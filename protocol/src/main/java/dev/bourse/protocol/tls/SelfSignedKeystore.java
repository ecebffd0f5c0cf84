package dev.bourse.protocol.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes a throwaway PKCS12 key store with a self-signed certificate for localhost, by running the
 * JDK's own {@code keytool} (the JDK has no public API that signs a certificate): what tests and
 * {@code bench e2e --tls} use, and the same command docs/TLS.md shows. Never for production: a
 * real deployment uses a certificate its clients trust.
 */
public final class SelfSignedKeystore
{
    private SelfSignedKeystore()
    {
    }

    /** Writes {@code file} (which must not exist) with one key entry, alias {@code bourse}, valid 30 days. */
    public static Path create(final Path file, final char[] password) throws IOException
    {
        final Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        final List<String> command = List.of(keytool.toString(), "-genkeypair", "-alias", "bourse", "-keyalg", "EC", "-groupname",
            "secp256r1", "-sigalg", "SHA256withECDSA", "-validity", "30", "-dname", "CN=localhost", "-ext",
            "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass:env", "BOURSE_TLS_PASSWORD");
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("BOURSE_TLS_PASSWORD", new String(password));
        final Process process = builder.start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try
        {
            if (!process.waitFor(60, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                throw new IOException("keytool did not finish within 60 s");
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool ran", e);
        }
        if (process.exitValue() != 0 || !Files.isRegularFile(file))
        {
            throw new IOException("keytool failed (" + process.exitValue() + "): " + output);
        }
        return file;
    }
}
