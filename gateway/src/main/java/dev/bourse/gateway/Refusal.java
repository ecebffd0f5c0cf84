package dev.bourse.gateway;

import dev.bourse.protocol.CounterDescriptor;

/**
 * Every reason the gateway turns a client away or cuts it off: each is counted (by its
 * {@link Kind}'s counter, labelled with {@link #label}) and logged at most once per interval
 * ({@link AbuseLog}); refused Logons are journaled as audits whose detail carries {@link #auditCode}
 * (docs/SECURITY.md).
 */
enum Refusal
{
    // connections refused or cut before a Logon was accepted
    ADDRESS_CAP(Kind.CONNECTION, "address_cap", "too many unauthenticated connections from this address"),
    UNAUTHENTICATED_CAP(Kind.CONNECTION, "unauthenticated_cap", "unauthenticated connection budget full, nothing to evict"),
    EVICTED(Kind.CONNECTION, "evicted", "unauthenticated connection evicted for a newcomer from a less busy address"),
    LOGON_ANSWER_DUE(Kind.CONNECTION, "logon_answer_due",
        "a refused Logon of this address was evicted before its held-back answer: the address waits until it was due"),
    STOPPING(Kind.CONNECTION, "stopping", "the gateway is not taking connections"),
    GARBLED_BEFORE_LOGON(Kind.CONNECTION, "garbled", "garbled data or a first message that is not a valid Logon"),
    ACCEPT_FAILED(Kind.CONNECTION, "accept_failed",
        "accept failed, the acceptor pauses up to 100 ms between tries (out of file descriptors? ulimit -n, OPERATIONS.md)"),

    // deadlines
    FIRST_BYTES_TIMEOUT(Kind.TIMEOUT, "first_bytes", "no bytes after connecting"),
    LOGON_TIMEOUT(Kind.TIMEOUT, "logon", "no complete Logon in time"),
    HEARTBEAT_TIMEOUT(Kind.TIMEOUT, "heartbeat", "heartbeat timeout"),

    // Logons refused (each audited; the last number is the audit code, journaled: never change one)
    BAD_CREDENTIALS(Kind.LOGON, "bad_credentials", "wrong password or unknown username", 0),
    LOCKED_OUT(Kind.LOGON, "locked_out", "username locked for this address after failed logons", 1),
    THROTTLED(Kind.LOGON, "throttled", "username under a guessing attack: attempts from new addresses wait", 2),
    BUSY(Kind.LOGON, "busy", "this address already has its fill of password checks waiting", 3),
    SESSION_LIMIT(Kind.LOGON, "session_limit", "logged-on session limit reached", 4),
    COMP_ID(Kind.LOGON, "comp_id", "CompID belongs to another user, or the user has too many CompIDs", 5),
    ALREADY_LOGGED_ON(Kind.LOGON, "already_logged_on", "the session is already logged on", 6),
    SEQUENCE(Kind.LOGON, "sequence", "MsgSeqNum too low on Logon", 7),
    MALFORMED(Kind.LOGON, "malformed", "a Logon that cannot be taken as it is", 8),
    ROLE(Kind.LOGON, "role", "the user's role does not trade: only traders log on over FIX", 9),
    SESSION_STORE(Kind.LOGON, "session_store", "the new session's message store cannot be created (gateway.session-dir full or unwritable)", 10),

    // logged-on sessions (counted by the existing counters: throttled, slow readers, garbled)
    MESSAGE_THROTTLED(Kind.SESSION, "throttled", "messages over the rate limit"),
    SLOW_READER(Kind.SESSION, "slow_reader", "client stopped reading, session cut"),
    GARBLED(Kind.SESSION, "garbled", "garbled messages dropped"),

    // the TLS port: connections whose handshake failed (docs/TLS.md)
    // the detail says why: the JDK's reason for plain text, an old protocol version or garbage, or the alert of a client that refused it
    TLS_HANDSHAKE(Kind.TLS, "handshake_failed", "TLS handshake failed"),
    // a client certificate missing or refused by the trust store: a reason of its own, or one client's
    // noise (an old protocol, a port scan) hid in "more like it" that a firm's certificate had expired
    TLS_CLIENT_CERTIFICATE(Kind.TLS, "client_certificate", "TLS client certificate refused"),
    // a record that does not decrypt (or a TLS error) once the handshake was done: logged with the session's CompID
    TLS_AFTER_HANDSHAKE(Kind.TLS, "failed_after_handshake", "TLS failed after the handshake"),
    TLS_BUSY(Kind.TLS, "busy", "TLS handshake refused: too many handshakes waiting for the handshake thread"),
    TLS_RENEGOTIATION(Kind.TLS, "renegotiation", "client-initiated TLS 1.2 renegotiation refused: the connection is closed");

    /** Which counter a refusal goes to. */
    enum Kind
    {
        CONNECTION(CounterDescriptor.GATEWAY_CONNECTIONS_REFUSED),
        TIMEOUT(CounterDescriptor.GATEWAY_CONNECTIONS_TIMED_OUT),
        LOGON(CounterDescriptor.GATEWAY_LOGONS_REFUSED),
        TLS(CounterDescriptor.GATEWAY_TLS_HANDSHAKE_FAILURES),
        SESSION(null);

        final CounterDescriptor counter;

        Kind(final CounterDescriptor counter)
        {
            this.counter = counter;
        }
    }

    static final Refusal[] VALUES = values();

    final Kind kind;
    final String label;
    final String description;

    private final int auditCode;

    Refusal(final Kind kind, final String label, final String description)
    {
        this(kind, label, description, 0);
    }

    Refusal(final Kind kind, final String label, final String description, final int auditCode)
    {
        this.kind = kind;
        this.label = label;
        this.description = description;
        this.auditCode = auditCode;
    }

    /**
     * The audit detail of a refused Logon: the reason in the high 16 bits (0 for bad credentials,
     * so the detail of a LOGON_FAILED for a wrong password stays the count of failures in a row),
     * a count in the low 16 bits.
     */
    int auditDetail(final int count)
    {
        return auditCode() << 16 | Math.min(Math.max(count, 0), 0xFFFF);
    }

    int auditCode()
    {
        return auditCode;
    }
}
