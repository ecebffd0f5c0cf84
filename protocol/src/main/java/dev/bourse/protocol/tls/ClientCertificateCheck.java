package dev.bourse.protocol.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * The trust store's check of a client certificate, with the refusal said in words: what is wrong
 * first (expired on a date, not valid yet, not signed by a CA in the trust store), then whose
 * certificate and its issuer. The JDK's own text ("PKIX path validation failed:
 * java.security.cert.CertPathValidatorException: vali...") put the useful part where a bounded
 * log line cut it off, and named nobody (an outside probe). The checks themselves are the JDK's,
 * unchanged; server certificates (never checked by a server) go straight through.
 */
final class ClientCertificateCheck extends DelegatingTrustManager
{
    ClientCertificateCheck(final X509ExtendedTrustManager checks)
    {
        super(checks);
    }

    @Override
    public void checkClientTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
        throws CertificateException
    {
        try
        {
            checks.checkClientTrusted(chain, authType, engine);
        }
        catch (final CertificateException e)
        {
            throw new CertificateException(refusal(chain, e, Instant.now()), e);
        }
    }

    @Override
    public void checkClientTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
        throws CertificateException
    {
        try
        {
            checks.checkClientTrusted(chain, authType, socket);
        }
        catch (final CertificateException e)
        {
            throw new CertificateException(refusal(chain, e, Instant.now()), e);
        }
    }

    @Override
    public void checkClientTrusted(final X509Certificate[] chain, final String authType) throws CertificateException
    {
        try
        {
            checks.checkClientTrusted(chain, authType);
        }
        catch (final CertificateException e)
        {
            throw new CertificateException(refusal(chain, e, Instant.now()), e);
        }
    }

    /** Why the trust store refused {@code chain}, the reason first: "client certificate expired on ... (CN=alice, issued by CN=CA)". */
    static String refusal(final X509Certificate[] chain, final CertificateException e, final Instant now)
    {
        if (chain == null || chain.length == 0)
        {
            return "no client certificate (" + rootMessage(e) + ")";
        }
        final X509Certificate leaf = chain[0];
        final String whose = " (" + leaf.getSubjectX500Principal().getName() + ", issued by " + leaf.getIssuerX500Principal().getName() + ")";
        for (int i = 0; i < chain.length; i++)
        {
            final X509Certificate certificate = chain[i];
            final String which = i == 0 ? "client certificate" : "client certificate's issuer " + certificate.getSubjectX500Principal().getName();
            if (now.isAfter(certificate.getNotAfter().toInstant()))
            {
                return which + " expired on " + certificate.getNotAfter().toInstant() + whose;
            }
            if (now.isBefore(certificate.getNotBefore().toInstant()))
            {
                return which + " is not valid before " + certificate.getNotBefore().toInstant() + whose;
            }
        }
        if (has(e, CertPathBuilderException.class))
        {
            return "client certificate not signed by a CA in the trust store" + whose;
        }
        return "client certificate refused: " + rootMessage(e) + whose;
    }

    private static boolean has(final Throwable error, final Class<? extends Throwable> type)
    {
        for (Throwable e = error; e != null; e = e.getCause())
        {
            if (type.isInstance(e))
            {
                return true;
            }
        }
        return false;
    }

    /** The innermost message: the JDK's wrappers each prefix the one below. */
    private static String rootMessage(final Throwable error)
    {
        String message = error.getMessage();
        for (Throwable e = error.getCause(); e != null && e != e.getCause(); e = e.getCause())
        {
            if (e.getMessage() != null)
            {
                message = e.getMessage();
            }
        }
        return String.valueOf(message);
    }
}
