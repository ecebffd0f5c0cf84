package dev.bourse.readmodels.stream;

import dev.bourse.protocol.AccountIds;
import dev.bourse.readmodels.http.RequestRate;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One client's WebSocket connection as Jetty sees it: reads the client's requests, checks them and
 * hands them to the {@link StreamPublisher} as commands. Requests (JSON objects):
 * <pre>
 * {"op":"subscribe","channel":"depth","instrument":"AAPL"}    (trades, bbo, depth, candles, status: by symbol or id)
 * {"op":"subscribe","channel":"orders"}                        (orders, fills: the authenticated account's)
 * {"op":"unsubscribe", ...same fields}   {"op":"resync", ...same fields}
 * {"op":"auth","token":"..."}  or  {"op":"auth","username":"...","password":"..."}
 * {"op":"ping"}
 * </pre>
 * Public only because Jetty calls its listener methods by reflection.
 */
public final class StreamEndpoint implements Session.Listener.AutoDemanding
{
    /** Resolves an instrument id or symbol on the projection thread: {id, symbol}, or null. */
    @FunctionalInterface
    interface InstrumentResolver
    {
        CompletableFuture<Object[]> resolve(String idOrSymbol);
    }

    /**
     * Tells on the projection thread whether an account is known to the read models (compliance
     * names any): null when the projection thread cannot take the question now.
     */
    @FunctionalInterface
    interface AccountResolver
    {
        CompletableFuture<Boolean> exists(long accountId);
    }

    /**
     * Checks credentials (an Authorization header value, from the client's address): what they let
     * the session read and for how long ({@link StreamGrant}), or null if wrong.
     */
    @FunctionalInterface
    public interface Authenticator
    {
        StreamGrant grant(String authorization, String address);
    }

    private static final AtomicLong IDS = new AtomicLong();

    private final StreamPublisher publisher;
    private final InstrumentResolver instruments;
    private final AccountResolver accounts;
    private final Authenticator authenticator;
    /** The login made with the upgrade's Authorization header, or null for none. */
    private final StreamGrant upgradeGrant;
    private final String address;
    private StreamSession session;

    private final RequestRate rate;
    /** Four times the rate: a session past even that is closed, not just dropped. */
    private final RequestRate ceiling;
    private final int perSecond;
    /** Requests dropped since the last one within the rate. */
    private long dropped;
    private boolean closedForRate;

    StreamEndpoint(final StreamPublisher publisher, final InstrumentResolver instruments, final AccountResolver accounts,
        final Authenticator authenticator, final StreamGrant upgradeGrant, final String address, final int maxRequestsPerSecond)
    {
        this.perSecond = maxRequestsPerSecond;
        this.rate = new RequestRate(maxRequestsPerSecond);
        this.ceiling = new RequestRate((int)Math.min(Integer.MAX_VALUE, 4L * maxRequestsPerSecond));
        this.accounts = accounts;
        this.address = address;
        this.publisher = publisher;
        this.instruments = instruments;
        this.authenticator = authenticator;
        this.upgradeGrant = upgradeGrant;
    }

    @Override
    public void onWebSocketOpen(final Session ws)
    {
        session = new StreamSession(IDS.incrementAndGet(), ws, upgradeGrant, address);
        if (!publisher.command(p -> p.open(session)))
        {
            publisher.release(address);
            ws.close(StatusCode.TRY_AGAIN_LATER, "busy", Callback.NOOP);
            return;
        }
        if (upgradeGrant != null && upgradeGrant.accountId() > 0)
        {
            command(p -> p.authenticated(session, shown(upgradeGrant.accountId())));
        }
    }

    @Override
    public void onWebSocketPong(final java.nio.ByteBuffer payload)
    {
        heard();
    }

    private void heard()
    {
        if (session != null)
        {
            session.lastHeardNanos = System.nanoTime();
        }
    }

    /** Requests are JSON text frames; a binary frame is answered, not ignored. */
    @Override
    public void onWebSocketBinary(final java.nio.ByteBuffer payload, final Callback callback)
    {
        heard();
        callback.succeed();
        if (withinRate())
        {
            error("bad_request", "requests are JSON in text frames, not binary frames");
        }
    }

    @Override
    public void onWebSocketText(final String text)
    {
        heard();
        if (!withinRate())
        {
            return;
        }
        final FlatJson.Fields fields;
        try
        {
            fields = FlatJson.read(text);
        }
        catch (final IllegalArgumentException e)
        {
            error("bad_request", "not a JSON object of strings and numbers: " + e.getMessage());
            return;
        }
        final Map<String, String> request = fields.values();
        final String op = request.get("op");
        if (op == null)
        {
            error("bad_request", "no op (subscribe, unsubscribe, resync, auth, ping)");
            return;
        }
        switch (op)
        {
            case "subscribe":
            case "unsubscribe":
            case "resync":
                channel(op, request, fields.numbers().contains("instrument"));
                break;
            case "auth":
                auth(request);
                break;
            case "ping":
                if (!unknownField(request, PING_FIELDS))
                {
                    command(p -> p.control(session, "{\"type\":\"pong\"}"));
                }
                break;
            default:
                error("bad_request", "unknown op '" + printable(op) + "' (subscribe, unsubscribe, resync, auth, ping)");
        }
    }

    private static final List<String> CHANNEL_FIELDS = List.of("op", "channel", "instrument", "account");
    private static final List<String> AUTH_FIELDS = List.of("op", "token", "username", "password");
    private static final List<String> PING_FIELDS = List.of("op");

    /** Refuses (true) a request with a field its op does not take, naming the fields it does. */
    private boolean unknownField(final Map<String, String> request, final List<String> taken)
    {
        for (final String field : request.keySet())
        {
            if (!taken.contains(field))
            {
                // an unread field would be a silent surprise: {"accountId":1001} on fills gave the caller's own (a probe)
                error("bad_request", "unknown field '" + printable(field) + "' (" + String.join(", ", taken) + ")");
                return true;
            }
        }
        return false;
    }

    private void channel(final String op, final Map<String, String> request, final boolean numericInstrument)
    {
        if (unknownField(request, CHANNEL_FIELDS))
        {
            return;
        }
        final String channelName = request.get("channel");
        final int type = StreamChannels.parse(channelName);
        if (type == 0)
        {
            error("unknown_channel", "channel must be one of " + StreamChannels.names());
            return;
        }
        if (StreamChannels.isPrivate(type))
        {
            final StreamGrant grant = session.grant();
            long accountId = grant == null ? 0 : grant.accountId();
            if (accountId == Streams.ANY_ACCOUNT)
            {
                // compliance: any account, named in the request
                final String account = request.get("account");
                accountId = parseAccount(account);
                if (request.containsKey("instrument"))
                {
                    error("bad_request", "the " + channelName + " channel is one account's: give an account, no instrument");
                    return;
                }
                if (accountId <= 0)
                {
                    error("bad_request", "the " + channelName + " channel needs an account (compliance reads any account's): "
                        + (account == null ? "none was given" : "'" + account + "' is not an account number"));
                    return;
                }
                // as GET /accounts/{id} answers 404: a subscription to no account would wait in silence for ever
                final long named = accountId;
                accounts.exists(named).whenComplete((known, failure) ->
                {
                    if (Boolean.TRUE.equals(known))
                    {
                        apply(op, StreamChannels.key(type, named), null);
                    }
                    else if (known == null)
                    {
                        error("busy", "the query side is busy; try again");
                    }
                    else
                    {
                        error("unknown_account", "no account " + named);
                    }
                });
                return;
            }
            else if (accountId <= 0)
            {
                // said before any complaint about the request's fields: the role is what stops it
                error("unauthorized", grant != null
                    ? "your role reads no account's " + channelName + " (public channels only)"
                    : "authenticate first ({\"op\":\"auth\",\"token\":...}) for the " + channelName + " channel");
                return;
            }
            else if (request.containsKey("instrument") || request.containsKey("account"))
            {
                error("bad_request", "the " + channelName + " channel is the authenticated account's: give no instrument or account");
                return;
            }
            apply(op, StreamChannels.key(type, accountId), null);
            return;
        }
        if (request.containsKey("account"))
        {
            // a public channel is every account's: an account named there would read as a filter that is not applied
            error("bad_request", "the " + channelName + " channel is public: give an instrument, no account");
            return;
        }
        final String instrument = request.get("instrument");
        if (instrument == null || instrument.isEmpty())
        {
            error("bad_request", "the " + channelName + " channel needs an instrument (symbol or id)");
            return;
        }
        if (numericInstrument && !dev.bourse.readmodels.AsciiDigits.isDigits(instrument, instrument.length()))
        {
            // a number is an id, never a symbol: 1.5 or -1 names no instrument that could exist (an outside tester)
            error("bad_request", "instrument must be a symbol string or a numeric id (digits only), not " + printable(instrument));
            return;
        }
        if (instrument.length() > 16)
        {
            // longer than any symbol or id: given, so not "needs an instrument" (as an outside tester was told)
            error("unknown_instrument", "no instrument '" + printable(instrument) + "'");
            return;
        }
        instruments.resolve(instrument).whenComplete((found, failure) ->
        {
            if (found == null)
            {
                error("unknown_instrument", "no instrument '" + printable(instrument) + "'");
            }
            else
            {
                apply(op, StreamChannels.key(type, (Integer)found[0]), (String)found[1]);
            }
        });
    }

    private void apply(final String op, final long key, final String symbol)
    {
        if (key == StreamChannels.NO_CHANNEL)
        {
            error("bad_request", "no live channel for that id (account ids are 1 to 2^56 - 1)");
            return;
        }
        switch (op)
        {
            case "subscribe": command(p -> p.subscribe(session, key, symbol)); break;
            case "unsubscribe": command(p -> p.unsubscribe(session, key)); break;
            default: command(p -> p.resync(session, key)); break;
        }
    }

    private void auth(final Map<String, String> request)
    {
        if (unknownField(request, AUTH_FIELDS))
        {
            return;
        }
        final String token = request.get("token");
        final String username = request.get("username");
        final String password = request.get("password");
        final String header;
        if (token != null)
        {
            header = "Bearer " + token;
        }
        else if (username != null && password != null)
        {
            header = "Basic " + java.util.Base64.getEncoder().encodeToString(
                (username + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        else
        {
            error("bad_request", "auth needs a token, or a username and a password");
            return;
        }
        final StreamGrant grant = authenticator.grant(header, address);
        if (grant == null)
        {
            error("unauthorized", "wrong credentials");
            return;
        }
        final StreamGrant held = session.grant();
        if (held != null && held.accountId() != grant.accountId())
        {
            error("bad_request", "this session is already authenticated for another account: open another one");
            return;
        }
        // a login again (a fresh token before the old one expires, say) replaces the old one's lifetime
        session.grant(grant);
        command(p -> p.authenticated(session, shown(grant.accountId())));
    }

    /** The account id the "authenticated" message shows: 0 for a role that reads none or every account. */
    private static long shown(final long accountId)
    {
        return accountId == Streams.ANY_ACCOUNT ? 0 : accountId;
    }

    private static long parseAccount(final String text)
    {
        if (text == null || text.isEmpty() || text.length() > 19)
        {
            return -1;
        }
        try
        {
            final long id = dev.bourse.readmodels.AsciiDigits.parseLong(text);
            return AccountIds.isValid(id) ? id : -1; // a channel key holds 56 bits of id
        }
        catch (final NumberFormatException e)
        {
            return -1;
        }
    }

    /**
     * Every request is work on threads all sessions share (the publisher's, the projection
     * thread's for a symbol or an account, a snapshot for a subscribe or a resync), through queues
     * they share: one session's flood must not fill them. Past the rate a request is dropped, the
     * first of a run of them answered {@code rate_limited}; a session sending at four times the
     * rate (or a burst of four seconds' worth) is closed (1008).
     */
    private boolean withinRate()
    {
        if (closedForRate)
        {
            return false;
        }
        final long now = System.nanoTime();
        if (!ceiling.admit(now))
        {
            closedForRate = true;
            command(p -> p.rateLimited(session, true));
            session.ws.close(StatusCode.POLICY_VIOLATION, "requests at four times query.ws.max-requests-per-second (" + perSecond + ")",
                Callback.NOOP);
            return false;
        }
        if (rate.admit(now))
        {
            dropped = 0;
            return true;
        }
        if (dropped++ == 0)
        {
            command(p -> p.rateLimited(session, false));
            error("rate_limited", "more than " + perSecond + " requests a second: dropped until the rate falls " +
                "(query.ws.max-requests-per-second)");
        }
        return false;
    }

    private void error(final String code, final String message)
    {
        command(p -> p.control(session, StreamJson.error(code, message)));
    }

    private void command(final Consumer<StreamPublisher> command)
    {
        if (!publisher.command(command))
        {
            session.ws.close(StatusCode.TRY_AGAIN_LATER, "the streams are busy", Callback.NOOP);
        }
    }

    @Override
    public void onWebSocketClose(final int statusCode, final String reason)
    {
        if (session != null)
        {
            final StreamSession closing = session;
            // Must not be lost, or the session's slot would stay taken; the queue is only full for a moment.
            final long deadline = System.nanoTime() + 1_000_000_000L;
            while (!publisher.command(p -> p.closed(closing)) && System.nanoTime() < deadline)
            {
                Thread.onSpinWait();
            }
        }
    }

    @Override
    public void onWebSocketError(final Throwable cause)
    {
        // Jetty closes the session and calls onWebSocketClose.
    }

    private static String printable(final String s)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 40; i++)
        {
            final char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return sb.toString();
    }
}
