package dev.bourse.protocol.tls;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;

/**
 * Whether each private key of a key store is the key of the certificate stored with it. keytool and
 * the JDK's key manager take a store whose key belongs to another certificate without a word; every
 * handshake then fails at the client ("bad signature"), and the server's log blames the client (an
 * outside probe). A test value signed with the key must verify with the certificate's public key.
 */
final class KeyCertificateMatch
{
    private static final byte[] TEST_VALUE = "bourse: does this key belong to this certificate?".getBytes(StandardCharsets.US_ASCII);

    private KeyCertificateMatch()
    {
    }

    /** The alias of the first key entry whose key does not match its certificate, or null if every one that can be checked does. */
    static String firstMismatch(final KeyStore keys, final char[] password) throws GeneralSecurityException
    {
        for (final String alias : Collections.list(keys.aliases()))
        {
            if (!keys.isKeyEntry(alias))
            {
                continue;
            }
            final Key key = keys.getKey(alias, password);
            final Certificate certificate = keys.getCertificate(alias);
            if (key instanceof PrivateKey privateKey && certificate != null && !matches(privateKey, certificate.getPublicKey()))
            {
                return alias;
            }
        }
        return null;
    }

    /** False only when the key's signature does not verify with {@code publicKey}; true when the key's kind cannot be checked here. */
    static boolean matches(final PrivateKey privateKey, final PublicKey publicKey)
    {
        final String algorithm = signatureAlgorithm(privateKey.getAlgorithm());
        if (algorithm == null)
        {
            return true;
        }
        final byte[] signature;
        try
        {
            final Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(TEST_VALUE);
            signature = signer.sign();
        }
        catch (final GeneralSecurityException e)
        {
            return true; // a key this JVM cannot sign with here (a hardware token's): the handshake will tell
        }
        try
        {
            final Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(TEST_VALUE);
            return verifier.verify(signature);
        }
        catch (final GeneralSecurityException e)
        {
            return false; // a certificate for another kind of key (an RSA certificate with an EC key)
        }
    }

    /** The signature to test a key of this algorithm with; null for a kind not checked (RSASSA-PSS needs parameters of its own). */
    static String signatureAlgorithm(final String keyAlgorithm)
    {
        switch (keyAlgorithm)
        {
            case "RSA":
                return "SHA256withRSA";
            case "EC":
                return "SHA256withECDSA";
            case "DSA":
                return "SHA256withDSA";
            case "EdDSA":
            case "Ed25519":
            case "Ed448":
                return "EdDSA"; // the curve is the key's
            default:
                return null;
        }
    }

    /** The certificate's subject, to name it in the error. */
    static String subjectOf(final KeyStore keys, final String alias) throws GeneralSecurityException
    {
        return keys.getCertificate(alias) instanceof X509Certificate x509 ? x509.getSubjectX500Principal().getName() : "not X.509";
    }
}
