package dev.bourse.readmodels.http;

import org.eclipse.jetty.io.ssl.SslHandshakeListener;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The HTTPS port's failed handshakes, counted and logged at most once per interval per reason, as
 * the FIX port's are: a refused or missing client certificate ({@code client_certificate}) apart from
 * every other failure ({@code handshake_failed}: plain HTTP on the TLS port, an old protocol, a
 * client that refused the server's certificate). Unseen before, a firm whose certificate had expired
 * was refused with nothing to tell the operator (an outside tester).
 */
final class TlsHandshakeFailures implements SslHandshakeListener
{
    /** How much of the JDK's reason a line keeps: a refused certificate's reason comes late in it. */
    private static final int DETAIL_LENGTH = 300;

    private final AtomicLong clientCertificate = new AtomicLong();
    private final AtomicLong other = new AtomicLong();
    private final AtomicLong lastClientCertificateLogMs = new AtomicLong(-HttpAdmission.LOG_INTERVAL_MS);
    private final AtomicLong lastOtherLogMs = new AtomicLong(-HttpAdmission.LOG_INTERVAL_MS);
    private final Consumer<String> log;

    TlsHandshakeFailures(final Consumer<String> log)
    {
        this.log = log;
    }

    @Override
    public void handshakeFailed(final Event event, final Throwable failure)
    {
        final String reason = reason(failure);
        final boolean certificate = dev.bourse.protocol.tls.TlsSettings.isClientCertificateRefusal(reason);
        (certificate ? clientCertificate : other).incrementAndGet();
        HttpAdmission.logRarely(certificate ? lastClientCertificateLogMs : lastOtherLogMs, log, "query: TLS "
            + (certificate ? "client_certificate " : "handshake_failed ") + address(event) + ": " + printable(reason));
    }

    long clientCertificateRefusals()
    {
        return clientCertificate.get();
    }

    long otherFailures()
    {
        return other.get();
    }

    /** The innermost message that says something: Jetty wraps the JDK's exception, which may wrap the trust check's. */
    private static String reason(final Throwable failure)
    {
        String reason = null;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause())
        {
            if (t.getMessage() != null && !t.getMessage().isBlank())
            {
                reason = t.getMessage();
                if (dev.bourse.protocol.tls.TlsSettings.isClientCertificateRefusal(reason))
                {
                    break;
                }
            }
        }
        return reason == null ? String.valueOf(failure) : reason;
    }

    private static String address(final Event event)
    {
        return event.getEndPoint() != null && event.getEndPoint().getRemoteSocketAddress() instanceof InetSocketAddress remote
            ? remote.getAddress().getHostAddress() : "-";
    }

    private static String printable(final String text)
    {
        final StringBuilder clean = new StringBuilder(Math.min(text.length(), DETAIL_LENGTH) + 3);
        for (int i = 0; i < text.length() && i < DETAIL_LENGTH; i++)
        {
            final char c = text.charAt(i);
            clean.append(c < 0x20 || c > 0x7E ? '?' : c);
        }
        return text.length() > DETAIL_LENGTH ? clean.append("...").toString() : clean.toString();
    }
}
