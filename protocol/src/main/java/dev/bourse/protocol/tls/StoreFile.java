package dev.bourse.protocol.tls;

import dev.bourse.protocol.tls.TlsSettings.Field;
import dev.bourse.protocol.tls.TlsSettings.InvalidSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A key or trust store file's bytes, or one line saying what the file is instead: unreadable, empty
 * or PEM. The JDK's own words for these were format errors ("Tag number over 30 is not supported",
 * "toDerInputStream rejects tag type 45", or just the file's name for "permission denied"), which
 * did not tell the operator what to do (an outside probe).
 */
public final class StoreFile
{
    private static final String PEM = "-----BEGIN";
    /** The first byte of DER (PKCS12): such a file is no PEM whatever text it holds further on. */
    private static final byte DER_SEQUENCE = 0x30;

    private StoreFile()
    {
    }

    static byte[] read(final Path file, final Field field)
    {
        if (!Files.isReadable(file))
        {
            throw new InvalidSettings(field, file + " cannot be read (permission denied)");
        }
        final byte[] bytes;
        try
        {
            bytes = Files.readAllBytes(file);
        }
        catch (final AccessDeniedException e)
        {
            throw new InvalidSettings(field, file + " cannot be read (permission denied)");
        }
        catch (final IOException e)
        {
            throw new InvalidSettings(field, file + " cannot be read (" + e.getMessage() + ")");
        }
        if (bytes.length == 0)
        {
            throw new InvalidSettings(field, file + " is empty");
        }
        if (isPem(bytes))
        {
            throw new InvalidSettings(field, field == Field.TRUSTSTORE
                ? file + " is a PEM file; the trust store must be PKCS12 (keytool -importcert -file ca.crt -storetype PKCS12 " +
                    "-keystore trust.p12, see docs/TLS.md)"
                : file + " is a PEM file; the key store must be PKCS12 (openssl pkcs12 -export -inkey key.pem -in chain.pem " +
                    "-out bourse.p12, see docs/TLS.md)");
        }
        return bytes;
    }

    /** PEM: text with a "-----BEGIN" line, perhaps after openssl's "Bag Attributes" or "subject=" lines. */
    public static boolean isPem(final byte[] bytes)
    {
        if (bytes[0] == DER_SEQUENCE)
        {
            return false;
        }
        return new String(bytes, 0, Math.min(bytes.length, 64 * 1024), StandardCharsets.ISO_8859_1).contains(PEM);
    }
}
