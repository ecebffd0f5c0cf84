package dev.bourse.readmodels;

import dev.bourse.protocol.Prices;
import dev.bourse.protocol.sbe.StpMode;
import dev.bourse.protocol.sbe.TradingPhase;
import dev.bourse.protocol.sbe.TradingStatus;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The admin API under {@code /api/v1/admin} (docs/OPERATIONS.md): the operations role's actions,
 * each checked here for shape (a 400 names the parameter) and carried out by the exchange's
 * {@link AdminBackend} as a journaled command with the operator's name in an audit record before
 * it. Parameters come in the query string or a form body ({@code application/x-www-form-urlencoded}).
 * Actions are POSTs; the session list is a GET. The caller (QueryApi) has already checked that the
 * principal has the operations role.
 */
final class AdminApi implements QueryApi.RoutedApi
{
    private static final Set<String> NONE = Set.of();
    /** The Allow header of the session list, the one admin resource that is read (GET only); the actions take POST. */
    private static final String ALLOW_GET = "GET";
    private static final Set<String> ADD_INSTRUMENT = Set.of("id", "symbol", "tick", "lot", "minQty", "maxQty", "maxNotional",
        "referencePrice", "bandBps", "status");
    private static final Set<String> AMEND = Set.of("tick", "lot", "minQty", "maxQty", "maxNotional", "referencePrice", "bandBps");
    private static final Set<String> PRICE = Set.of("price");
    private static final Set<String> PHASE = Set.of("phase", "expected");
    private static final Set<String> GUARDS = Set.of("dynamicBandBps", "staticBandBps", "interruptionMs");
    private static final Set<String> ACCOUNT = Set.of("id", "stp");
    private static final Set<String> TRANSFER = Set.of("amount", "instrument");
    private static final Set<String> END_OF_DAY = Set.of("instrument", "force");

    private final AdminBackend backend;
    private final Function<String, CompletableFuture<Object[]>> instruments;

    /**
     * @param instruments an instrument id or symbol to {id, symbol}, or null if there is none (the read models' view)
     */
    AdminApi(final AdminBackend backend, final Function<String, CompletableFuture<Object[]>> instruments)
    {
        this.backend = backend;
        this.instruments = instruments;
    }

    private static final java.util.List<String> INSTRUMENT_ACTIONS =
        java.util.List.of("halt", "resume", "close", "phase", "reference-price", "guards", "amend");
    private static final java.util.List<String> ACCOUNT_ACTIONS =
        java.util.List.of("deposit", "withdraw", "suspend", "resume", "kill", "release");
    private static final java.util.List<String> SESSION_ACTIONS = java.util.List.of("disconnect", "reset-sequence", "kill", "release");

    /** Whether the path names an admin action (POST), whatever its method: the rest is a 404 for every method. */
    private static boolean isAction(final String[] segments)
    {
        final String area = segments[1];
        if (segments.length == 2)
        {
            return area.equals("instruments") || area.equals("accounts") || area.equals("end-of-day");
        }
        if (segments.length != 4)
        {
            return false;
        }
        return switch (area)
        {
            case "instruments" -> INSTRUMENT_ACTIONS.contains(segments[3]);
            case "accounts" -> ACCOUNT_ACTIONS.contains(segments[3]);
            case "sessions" -> SESSION_ACTIONS.contains(segments[3]);
            default -> false;
        };
    }

    @Override
    public CompletableFuture<Response> handle(final ApiRequest request, final String[] segments, final ApiAuth.Principal principal)
    {
        final String operator = principal.username();
        final String method = request.method();
        if (segments.length < 2)
        {
            throw new BadRequest(404, "not_found", "no such admin endpoint");
        }
        final String area = segments[1];
        if (area.equals("sessions") && segments.length == 2)
        {
            if (!"GET".equals(method))
            {
                throw BadRequest.methodNotAllowed(ALLOW_GET, "list sessions with GET");
            }
            Params.parseChecked(parameters(request), NONE);
            return answer(backend.sessions());
        }
        if (!"POST".equals(method))
        {
            if (!isAction(segments))
            {
                throw new BadRequest(404, "not_found", "no such admin endpoint"); // a 405 would say the resource exists
            }
            throw BadRequest.methodNotAllowed(QueryApi.ALLOW_POST, "admin actions are POSTs");
        }
        if (request.unreadBodyType() != null)
        {
            // a JSON body would otherwise be ignored and the action run without its parameters
            throw new BadRequest(415, "unsupported_media_type", "parameters go in a form body (Content-Type:"
                + " application/x-www-form-urlencoded, what curl -d sends) or the query string, not "
                + (request.unreadBodyType().isEmpty() ? "a body without a Content-Type"
                    : "a body of type " + Params.printable(request.unreadBodyType())));
        }
        if (request.bodyProblem() != null)
        {
            throw new BadRequest(400, "bad_request", request.bodyProblem());
        }
        // the parameters' lengths are checked after the path, the method and the body's type: those refusals say more
        switch (area)
        {
            case "instruments":
                return answer(instrument(operator, segments, parameters(request)));
            case "accounts":
                return answer(account(operator, segments, parameters(request)));
            case "sessions":
                return answer(session(operator, segments, parameters(request)));
            case "end-of-day":
            {
                requireLength(segments, 2);
                final Params params = Params.parseChecked(parameters(request), END_OF_DAY);
                final String instrument = params.string("instrument");
                final String force = params.string("force");
                if (force != null && !force.equals("true") && !force.equals("false"))
                {
                    throw BadRequest.param("force must be true or false");
                }
                return answer(backend.execute(operator, new AdminCommand.EndOfDay(instrument == null ? 0 : resolve(instrument),
                    "true".equals(force))));
            }
            default:
                throw new BadRequest(404, "not_found", "no such admin endpoint");
        }
    }

    private AdminBackend.Outcome instrument(final String operator, final String[] segments, final String parameters)
    {
        if (segments.length == 2)
        {
            final Params p = Params.parseChecked(parameters, ADD_INSTRUMENT);
            final String symbol = required(p, "symbol");
            final String symbolProblem = InstrumentSymbols.problem(symbol);
            if (symbolProblem != null)
            {
                // a path names an instrument by id or symbol: "2" would be instrument 2's, and halt another
                throw BadRequest.param("symbol " + symbolProblem);
            }
            final long tick = price(p, "tick", true);
            final long lot = p.longValue("lot", 1, 1, Long.MAX_VALUE);
            final long minQty = p.longValue("minQty", lot, 1, Long.MAX_VALUE);
            if (minQty % lot != 0)
            {
                // no order can have it: the published minimum would not be the real one (an outside tester)
                throw BadRequest.param("minQty " + minQty + " is not a whole number of lots (" + lot + ")");
            }
            final long maxQty = p.longValue("maxQty", 1_000_000, 1, Long.MAX_VALUE);
            final String maxNotionalText = p.string("maxNotional");
            final long maxNotional = maxNotionalText == null ? 100_000_000 * Prices.SCALE : price(p, "maxNotional", true);
            final long reference = price(p, "referencePrice", true);
            final int band = p.intValue("bandBps", 1_000, 1, 100_000);
            final String statusText = p.string("status");
            final TradingStatus status = statusText == null ? TradingStatus.OPEN : status(statusText);
            final int id = (int)p.longValue("id", 0, 1, Integer.MAX_VALUE);
            if (p.string("id") == null)
            {
                throw BadRequest.param("id (the new instrument's id) is required");
            }
            return backend.execute(operator, new AdminCommand.AddInstrument(id, symbol, tick, lot, minQty, maxQty, maxNotional,
                reference, band, status));
        }
        requireLength(segments, 4);
        final int instrumentId = resolve(segments[2]);
        switch (segments[3])
        {
            case "halt":
                Params.parseChecked(parameters, NONE);
                return backend.execute(operator, new AdminCommand.SetTradingStatus(instrumentId, TradingStatus.HALTED));
            case "resume":
                Params.parseChecked(parameters, NONE);
                return backend.execute(operator, new AdminCommand.SetTradingStatus(instrumentId, TradingStatus.OPEN));
            case "close":
                Params.parseChecked(parameters, NONE);
                return backend.execute(operator, new AdminCommand.SetTradingStatus(instrumentId, TradingStatus.CLOSED));
            case "phase":
            {
                final Params p = Params.parseChecked(parameters, PHASE);
                required(p, "phase");
                final String expected = p.string("expected");
                return backend.execute(operator, new AdminCommand.SetTradingPhase(instrumentId, phase(p.string("phase"), "phase"),
                    expected == null ? null : phase(expected, "expected")));
            }
            case "reference-price":
            {
                final Params p = Params.parseChecked(parameters, PRICE);
                return backend.execute(operator, new AdminCommand.SetReferencePrice(instrumentId, price(p, "price", true)));
            }
            case "amend":
                return backend.execute(operator, amend(instrumentId, Params.parseChecked(parameters, AMEND)));
            case "guards":
            {
                final Params p = Params.parseChecked(parameters, GUARDS);
                for (final String name : GUARDS)
                {
                    required(p, name);
                }
                return backend.execute(operator, new AdminCommand.SetVolatilityGuards(instrumentId,
                    p.intValue("dynamicBandBps", 0, 0, 100_000), p.intValue("staticBandBps", 0, 0, 100_000),
                    TimeUnit.MILLISECONDS.toNanos(p.longValue("interruptionMs", 0, 0, TimeUnit.DAYS.toMillis(1)))));
            }
            default:
                throw new BadRequest(404, "not_found", "no such instrument action '" + Params.printable(segments[3]) +
                    "' (" + String.join(", ", INSTRUMENT_ACTIONS) + ")");
        }
    }

    /** Every parameter is optional (absent keeps the value); at least one must be given. */
    private static AdminCommand.AmendInstrument amend(final int instrumentId, final Params p)
    {
        final long tick = p.string("tick") == null ? 0 : price(p, "tick", true);
        final long lot = p.longValue("lot", 0, 1, Long.MAX_VALUE);
        final long minQty = p.longValue("minQty", 0, 1, Long.MAX_VALUE);
        final long maxQty = p.longValue("maxQty", 0, 1, Long.MAX_VALUE);
        final long maxNotional = p.string("maxNotional") == null ? 0 : price(p, "maxNotional", true);
        final long reference = p.string("referencePrice") == null ? 0 : price(p, "referencePrice", true);
        final int band = p.intValue("bandBps", 0, 1, 100_000);
        if ((tick | lot | minQty | maxQty | maxNotional | reference | band) == 0)
        {
            throw BadRequest.param("give at least one of tick, lot, minQty, maxQty, maxNotional, referencePrice, bandBps");
        }
        return new AdminCommand.AmendInstrument(instrumentId, tick, lot, minQty, maxQty, maxNotional, reference, band);
    }

    private AdminBackend.Outcome account(final String operator, final String[] segments, final String parameters)
    {
        if (segments.length == 2)
        {
            final Params p = Params.parseChecked(parameters, ACCOUNT);
            required(p, "id");
            final long id = p.longValue("id", 0, 1, dev.bourse.protocol.AccountIds.MAX);
            final String stp = p.string("stp");
            StpMode mode = StpMode.CANCEL_AGGRESSOR;
            if (stp != null)
            {
                try
                {
                    mode = StpMode.valueOf(stp.toUpperCase(Locale.ROOT).replace('-', '_'));
                }
                catch (final IllegalArgumentException e)
                {
                    mode = null;
                }
                if (mode == null || mode == StpMode.NULL_VAL || mode == StpMode.ACCOUNT_DEFAULT)
                {
                    throw BadRequest.param("stp must be none, cancel-resting, cancel-aggressor or cancel-both");
                }
            }
            return backend.execute(operator, new AdminCommand.CreateAccount(id, mode));
        }
        requireLength(segments, 4);
        final long accountId = Params.parseLong("account", segments[2], 1, dev.bourse.protocol.AccountIds.MAX);
        switch (segments[3])
        {
            case "deposit":
            case "withdraw":
            {
                final Params p = Params.parseChecked(parameters, TRANSFER);
                final String instrument = p.string("instrument");
                final int instrumentId = instrument == null ? 0 : resolve(instrument);
                // cash is an amount of money (decimal), a position a whole quantity
                final long amount = instrumentId == 0 ? price(p, "amount", true) : p.longValue("amount", 0, 1, Long.MAX_VALUE);
                required(p, "amount");
                return backend.execute(operator, new AdminCommand.Transfer(accountId, instrumentId, amount,
                    segments[3].equals("withdraw")));
            }
            case "suspend":
                Params.parseChecked(parameters, NONE);
                return backend.execute(operator, new AdminCommand.SetBlock(accountId, 0, true, false));
            case "kill":
                Params.parseChecked(parameters, NONE);
                return backend.execute(operator, new AdminCommand.SetBlock(accountId, 0, true, true));
            case "resume":
            case "release":
                Params.parseChecked(parameters, NONE);
                return backend.execute(operator, new AdminCommand.SetBlock(accountId, 0, false, false));
            default:
                throw new BadRequest(404, "not_found", "no such account action '" + Params.printable(segments[3]) +
                    "' (" + String.join(", ", ACCOUNT_ACTIONS) + ")");
        }
    }

    private AdminBackend.Outcome session(final String operator, final String[] segments, final String parameters)
    {
        requireLength(segments, 4);
        final int sessionId = (int)Params.parseLong("session", segments[2], 1, Integer.MAX_VALUE);
        Params.parseChecked(parameters, NONE);
        switch (segments[3])
        {
            case "disconnect":
                return backend.disconnect(operator, sessionId);
            case "reset-sequence":
                return backend.resetSequence(operator, sessionId);
            case "kill":
                return backend.execute(operator, new AdminCommand.SetBlock(0, sessionId, true, true));
            case "release":
                return backend.execute(operator, new AdminCommand.SetBlock(0, sessionId, false, false));
            default:
                throw new BadRequest(404, "not_found", "no such session action '" + Params.printable(segments[3]) +
                    "' (" + String.join(", ", SESSION_ACTIONS) + ")");
        }
    }

    private static CompletableFuture<Response> answer(final AdminBackend.Outcome outcome)
    {
        if (outcome.status() != 200)
        {
            return CompletableFuture.completedFuture(Response.error(outcome.status(), outcome.error(), outcome.message(),
                outcome.position()));
        }
        final StringBuilder body = new StringBuilder(64 + outcome.resultMembers().length());
        body.append("{\"position\":").append(outcome.position()).append(",\"sequence\":").append(outcome.sequence());
        if (!outcome.resultMembers().isEmpty())
        {
            body.append(',').append(outcome.resultMembers());
        }
        body.append('}');
        return CompletableFuture.completedFuture(new Response(200, Response.JSON, body.toString(), outcome.position()));
    }

    private int resolve(final String idOrSymbol)
    {
        if (AsciiDigits.isDigits(idOrSymbol, 9))
        {
            // an id goes to the engine as it is (an unknown one is its UNKNOWN_INSTRUMENT, 404): the
            // read models may not have seen an instrument added a moment ago. Ids start at 1: 0 is
            // no instrument (to the engine it means cash, or every instrument: a deposit of
            // instrument=0 moved cash, an end of day of instrument=0 closed the whole exchange)
            final int id = Integer.parseInt(idOrSymbol);
            if (id == 0)
            {
                throw new BadRequest(404, "unknown_instrument", "no instrument '" + Params.printable(idOrSymbol)
                    + "' (ids start at 1; cash is named by leaving instrument out)");
            }
            return id;
        }
        final Object[] found;
        try
        {
            found = instruments.apply(idOrSymbol).get(2, TimeUnit.SECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new BadRequest(503, "busy", "interrupted while looking the instrument up");
        }
        catch (final ExecutionException | TimeoutException e)
        {
            throw new BadRequest(503, "busy", "the read models did not answer in time: retry");
        }
        if (found == null)
        {
            throw new BadRequest(404, "unknown_instrument", "no instrument '" + Params.printable(idOrSymbol) + "'");
        }
        return (Integer)found[0];
    }

    private static String required(final Params p, final String name)
    {
        final String value = p.string(name);
        if (value == null)
        {
            throw BadRequest.param(name + " is required");
        }
        return value;
    }

    private static long price(final Params p, final String name, final boolean positive)
    {
        final String text = required(p, name);
        final long value = Prices.parse(text);
        if (value == Prices.INVALID && tooLarge(text))
        {
            throw BadRequest.param(name + " is too large: at most " + MAX_WHOLE);
        }
        if (value == Prices.INVALID || (positive && value <= 0))
        {
            throw BadRequest.param(name + " must be a positive decimal with at most " + Prices.DECIMALS + " decimals");
        }
        return value;
    }

    /** The largest whole amount fixed point holds (a long of 1/10,000ths). */
    private static final long MAX_WHOLE = Long.MAX_VALUE / Prices.SCALE;

    /** A decimal that fails to parse only for its size: said as such, not as a malformed number. */
    private static boolean tooLarge(final String text)
    {
        try
        {
            return new java.math.BigDecimal(text).compareTo(java.math.BigDecimal.valueOf(MAX_WHOLE)) > 0;
        }
        catch (final NumberFormatException e)
        {
            return false;
        }
    }

    private static TradingStatus status(final String text)
    {
        switch (text.toLowerCase(Locale.ROOT))
        {
            case "open": return TradingStatus.OPEN;
            case "halted": return TradingStatus.HALTED;
            case "closed": return TradingStatus.CLOSED;
            default: throw BadRequest.param("status must be open, halted or closed");
        }
    }

    /** A phase an operator may set: every one but VOLATILITY_CALL, which only the engine starts. */
    private static TradingPhase phase(final String text, final String parameter)
    {
        switch (text.toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
        {
            case "continuous": return TradingPhase.CONTINUOUS;
            case "opening-call": return TradingPhase.OPENING_CALL;
            case "closing-call": return TradingPhase.CLOSING_CALL;
            case "reopening-call": return TradingPhase.REOPENING_CALL;
            case "post-close": return TradingPhase.POST_CLOSE;
            case "halted": return TradingPhase.HALTED;
            case "closed": return TradingPhase.CLOSED;
            case "volatility-call":
                if (parameter.equals("expected"))
                {
                    return TradingPhase.VOLATILITY_CALL;
                }
                throw BadRequest.param("phase: only the engine starts a volatility call (end one with phase=continuous)");
            default:
                throw BadRequest.param(parameter + " must be continuous, opening-call, closing-call, reopening-call, post-close, " +
                    "halted or closed" + (parameter.equals("expected") ? " (or volatility-call)" : ""));
        }
    }

    private static void requireLength(final String[] segments, final int length)
    {
        if (segments.length != length)
        {
            throw new BadRequest(404, "not_found", "no such admin endpoint");
        }
    }

    /**
     * The query string and the form body, each within {@link Params#MAX_LENGTH} (a 400 naming which
     * one is over), joined: parsed as one, so a parameter given in both is "given twice".
     */
    private static String parameters(final ApiRequest request)
    {
        Params.checkLength(request.rawQuery(), "query string");
        Params.checkLength(request.formBody(), "form body");
        return join(request.rawQuery(), request.formBody());
    }

    private static String join(final String query, final String form)
    {
        if (form == null || form.isEmpty())
        {
            return query;
        }
        return query == null || query.isEmpty() ? form : query + "&" + form;
    }
}
