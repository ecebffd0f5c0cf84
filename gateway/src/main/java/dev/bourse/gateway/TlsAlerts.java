package dev.bourse.gateway;

import javax.net.ssl.SSLException;
import java.nio.ByteBuffer;

/**
 * Tells a handshake the client refused (it sent a TLS alert: say, bad_certificate because it does
 * not trust our certificate) from plain text or garbage on the TLS port: the JDK reports the first
 * as "Received fatal alert", or, for an alert sent in the clear where an encrypted record was
 * due (OpenSSL's TLS 1.3 clients), as a failed decryption of a 2-byte record.
 */
final class TlsAlerts
{
    private static final byte ALERT_RECORD = 21;
    private static final String RECEIVED = "Received fatal alert: ";

    private TlsAlerts()
    {
    }

    /**
     * {@code failure} as the client's refusal if the record at {@code start} of {@code in} (flipped)
     * is an alert or the JDK says it received one; else {@code failure} itself.
     */
    static SSLException fromPeer(final ByteBuffer in, final int start, final SSLException failure)
    {
        final String message = String.valueOf(failure.getMessage());
        if (message.startsWith(RECEIVED))
        {
            return refused(message.substring(RECEIVED.length()), failure);
        }
        if (in.limit() > start && in.get(start) == ALERT_RECORD)
        {
            // record header (type, version, length: 5 bytes), then the alert's level and description
            return refused(in.limit() - start >= 7 ? name(in.get(start + 6) & 0xFF) : "cut short", failure);
        }
        return failure;
    }

    private static SSLException refused(final String alert, final SSLException cause)
    {
        return new SSLException("the client refused it, sending the TLS alert " + alert, cause);
    }

    /** RFC 8446's names of the alerts a client sends during a handshake. */
    static String name(final int code)
    {
        return switch (code)
        {
            case 0 -> "close_notify";
            case 10 -> "unexpected_message";
            case 20 -> "bad_record_mac";
            case 40 -> "handshake_failure";
            case 42 -> "bad_certificate";
            case 43 -> "unsupported_certificate";
            case 44 -> "certificate_revoked";
            case 45 -> "certificate_expired";
            case 46 -> "certificate_unknown";
            case 47 -> "illegal_parameter";
            case 48 -> "unknown_ca";
            case 49 -> "access_denied";
            case 50 -> "decode_error";
            case 51 -> "decrypt_error";
            case 70 -> "protocol_version";
            case 71 -> "insufficient_security";
            case 80 -> "internal_error";
            case 86 -> "inappropriate_fallback";
            case 90 -> "user_canceled";
            case 109 -> "missing_extension";
            case 110 -> "unsupported_extension";
            case 112 -> "unrecognized_name";
            case 116 -> "certificate_required";
            case 120 -> "no_application_protocol";
            default -> String.valueOf(code);
        };
    }
}
