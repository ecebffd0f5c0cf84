package dev.bourse.readmodels;

import dev.bourse.protocol.sbe.Side;
import dev.bourse.protocol.sbe.TradingStatus;
import dev.bourse.readmodels.history.SinkProgress;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The HTTP/JSON query API under {@code /api/v1}. HTTP threads parse and validate the request and
 * check credentials. Hot reads (balances, open orders, depth, BBO, instruments, today's
 * statistics) run on the projection thread as a {@link Query}; history reads (orders and their
 * changes, executions, trades, candles, the activity report, past days) run against the history
 * store on the HTTP thread. Every JSON answer carries the journal position (and engine sequence)
 * it reflects, also in the {@code X-Journal-Position} header: the projections' for hot reads, the
 * history sink's checkpoint for history reads. {@code waitFor} waits for that same position.
 * <p>
 * Longer than most classes here (about 720 lines): it is the API's one routing table, and each
 * endpoint's parameter checks sit next to its route, which reads better than a class per endpoint.
 */
final class QueryApi
{
    static final String PREFIX = "/api/v1/";
    static final int MAX_LIMIT = 1000;
    static final int MAX_CSV_LIMIT = 100_000;
    /** The read-only API's top-level resources; a path under none of them is a 404 whatever its method. */
    private static final Set<String> READ_RESOURCES = Set.of("status", "instruments", "accounts", "audit", "daily-summary");

    /** The Allow header of a 405 (RFC 9110, 15.5.6): the read-only resources take GET and HEAD. */
    static final String ALLOW_READ = "GET, HEAD";
    /** The token endpoint and the admin actions take POST only. */
    static final String ALLOW_POST = "POST";

    private static final Set<String> WAIT = Set.of("waitFor", "waitForSequence", "timeoutMs");
    private static final Set<String> NONE = WAIT;
    private static final Set<String> PAGE = union(WAIT, "offset", "limit");
    private static final Set<String> KEYSET_PAGE = union(PAGE, "cursor", "before");
    private static final Set<String> CANDLES = union(WAIT, "interval", "from", "to", "limit");
    private static final Set<String> DEPTH = union(WAIT, "levels");
    private static final Set<String> STATS = union(WAIT, "date");
    private static final Set<String> ORDERS = union(KEYSET_PAGE, "clOrdId");

    private final ProjectionAgent agent;
    private final HistoryQueries history;
    private final SinkProgress sink;
    private final ApiAuth auth;
    private final long maxWaitMs;
    private final Executor executor;
    private volatile RoutedApi admin;
    private volatile StatusSource statusSource;

    QueryApi(
        final ProjectionAgent agent,
        final HistoryQueries history,
        final SinkProgress sink,
        final ApiAuth auth,
        final long maxWaitMs,
        final Executor executor)
    {
        this.agent = agent;
        this.history = history;
        this.sink = sink;
        this.auth = auth;
        this.maxWaitMs = maxWaitMs;
        this.executor = executor;
    }

    /** What the process adds to the status (a cluster node's leader and lag), or null. */
    void statusSource(final StatusSource value)
    {
        statusSource = value;
    }

    /** The admin API under {@code /api/v1/admin} (operations only), when this process has one. */
    void admin(final RoutedApi value)
    {
        admin = value;
    }

    /** An API mounted under a segment of {@link #PREFIX}, answering for an authenticated principal. */
    interface RoutedApi
    {
        CompletableFuture<Response> handle(ApiRequest request, String[] segments, ApiAuth.Principal principal);
    }

    private static Set<String> union(final Set<String> base, final String... more)
    {
        final java.util.HashSet<String> set = new java.util.HashSet<>(base);
        set.addAll(List.of(more));
        return Set.copyOf(set);
    }

    /**
     * Answers a request: at once for errors and history reads, or when the projection thread (or
     * the history sink, for a wait) is there. The future never completes exceptionally.
     */
    CompletableFuture<Response> handle(final ApiRequest request)
    {
        try
        {
            return route(request);
        }
        catch (final BadRequest e)
        {
            return CompletableFuture.completedFuture(e.response(agent.counters().position()));
        }
        catch (final RuntimeException e)
        {
            return CompletableFuture.completedFuture(
                Response.error(500, "internal_error", "the request failed", agent.counters().position()));
        }
    }

    private CompletableFuture<Response> route(final ApiRequest request)
    {
        final String path = request.rawPath();
        if (path == null || !path.startsWith(PREFIX))
        {
            throw new BadRequest(404, "not_found", "no such endpoint");
        }
        final String[] segments = path.substring(PREFIX.length()).split("/", -1);
        for (int i = 0; i < segments.length; i++)
        {
            if (segments[i].isEmpty())
            {
                // "status/", "instruments//trades": no resource has an empty name (the same answer for every path)
                throw new BadRequest(404, "not_found", "no such endpoint");
            }
            segments[i] = Params.decodePathSegment(segments[i]);
        }
        final String method = request.method();
        final String query = request.rawQuery();

        if (segments.length == 2 && segments[0].equals("auth") && segments[1].equals("token"))
        {
            if (!"POST".equals(method))
            {
                throw BadRequest.methodNotAllowed(ALLOW_POST, "use POST with basic auth to get a token");
            }
            Params.parse(query, Set.of());
            final String authorization = request.authorization();
            if (authorization == null)
            {
                throw new BadRequest(401, "unauthorized", "send the user's password (basic auth) to get a token");
            }
            if (!authorization.regionMatches(true, 0, "Basic ", 0, 6))
            {
                // a token cannot renew itself: a credential then lives only as long as the password behind it
                throw new BadRequest(401, "unauthorized", "a token is issued for the user's password (basic auth), not for a token");
            }
            final ApiAuth.Principal principal = authenticate(request);
            final String token = auth.issueToken(principal);
            final Json json = new Json().beginObject().name("token").value(token).name("accountId").value(principal.accountId())
                .name("role").value(principal.role().configName()).name("expiresInSeconds").value(TimeUnit.NANOSECONDS.toSeconds(auth.ttlNanos())).endObject();
            return CompletableFuture.completedFuture(new Response(200, Response.JSON, json.toString(), agent.counters().position()));
        }
        if (segments[0].equals("admin"))
        {
            final ApiAuth.Principal principal = authenticate(request);
            if (principal.role() != dev.bourse.protocol.auth.Role.OPERATIONS)
            {
                throw new BadRequest(403, "forbidden", "the admin API is for the operations role");
            }
            final RoutedApi adminApi = admin;
            if (adminApi == null)
            {
                throw new BadRequest(404, "not_found", "this process runs no admin API (the query side runs apart from the exchange)");
            }
            return adminApi.handle(request, segments, principal);
        }
        if (!READ_RESOURCES.contains(segments[0]))
        {
            throw new BadRequest(404, "not_found", "no such endpoint"); // whatever the method: there is nothing to allow
        }
        if (!"GET".equals(method) && !"HEAD".equals(method))
        {
            throw BadRequest.methodNotAllowed(ALLOW_READ, "the query API is read-only: use GET");
        }
        switch (segments[0])
        {
            case "status":
                requireLength(segments, 1);
                return execute(Params.parse(query, NONE), this::status);
            case "instruments":
                return instruments(segments, query);
            case "accounts":
                return accounts(request, segments, query);
            case "audit":
            {
                requireLength(segments, 1);
                final ApiAuth.Principal principal = authenticate(request);
                if (principal.role() != dev.bourse.protocol.auth.Role.COMPLIANCE)
                {
                    throw new BadRequest(403, "forbidden", "the audit log is for the compliance role");
                }
                final Params params = Params.parse(query, KEYSET_PAGE);
                final Page page = Page.of(params, MAX_LIMIT, 2);
                return history(params, () -> history.audit(page));
            }
            case "daily-summary":
            {
                requireLength(segments, 1);
                final Params params = Params.parse(query, STATS);
                final String date = params.string("date");
                if (date == null)
                {
                    throw BadRequest.param("date (YYYY-MM-DD) is required");
                }
                final long epochDay = epochDay(date);
                return history(params, () -> history.dailySummary(epochDay));
            }
            default:
                throw new BadRequest(404, "not_found", "no such endpoint");
        }
    }

    private static void requireLength(final String[] segments, final int length)
    {
        if (segments.length != length)
        {
            throw new BadRequest(404, "not_found", "no such endpoint");
        }
    }

    private ApiAuth.Principal authenticate(final ApiRequest request)
    {
        final ApiAuth.Principal principal;
        try
        {
            principal = auth.authenticate(request.authorization(), request.remoteAddress());
        }
        catch (final ApiAuth.Busy e)
        {
            throw new BadRequest(503, "busy", e.getMessage());
        }
        if (principal == null)
        {
            // one answer for a missing, a wrong and a refused login (locked out at this address, or a username under a
            // guessing attack): which it was would tell a guesser whether the password was right
            throw new BadRequest(401, "unauthorized", "not authenticated: send valid credentials (basic auth) or a bearer token; "
                + "after repeated failed logins a username is refused for a while, even with its right password (SECURITY.md)");
        }
        return principal;
    }

    private record Wait(long position, long sequence, long timeoutMs)
    {
        boolean requested()
        {
            return position != Long.MIN_VALUE || sequence != Long.MIN_VALUE;
        }
    }

    private Wait waitOf(final Params params)
    {
        final long waitFor = params.longValue("waitFor", Long.MIN_VALUE, -1, Long.MAX_VALUE);
        final long waitForSequence = params.longValue("waitForSequence", Long.MIN_VALUE, 0, Long.MAX_VALUE);
        // capped, not refused, above maxWaitMs (as documented): a client asking for longer still gets an answer
        final long timeoutMs = Math.min(maxWaitMs, params.longValue("timeoutMs", Math.min(5_000, maxWaitMs), 0, Long.MAX_VALUE));
        if (params.string("waitFor") != null && params.string("waitForSequence") != null)
        {
            throw BadRequest.param("give one of waitFor and waitForSequence, not both");
        }
        if (params.string("timeoutMs") != null && params.string("waitFor") == null && params.string("waitForSequence") == null)
        {
            throw BadRequest.param("timeoutMs needs waitFor or waitForSequence");
        }
        return new Wait(waitFor, waitForSequence, timeoutMs);
    }

    /** Runs a read on the projection thread, waiting first for the requested position if any. */
    private CompletableFuture<Response> execute(final Params params, final Query.Body body)
    {
        final Wait wait = waitOf(params);
        final Query query = new Query(wait.position(), wait.sequence(),
            System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait.timeoutMs()), body);
        if (!agent.submit(query))
        {
            return CompletableFuture.completedFuture(
                Response.error(503, "busy", "the read models are busy or stopping; retry", agent.counters().position()));
        }
        // The projection thread answers every query (504 at its deadline); this only guards a stalled thread.
        return query.result().completeOnTimeout(
            Response.error(503, "busy", "the read models did not answer in time; retry", agent.counters().position()),
            wait.timeoutMs() + 5_000, TimeUnit.MILLISECONDS);
    }

    /**
     * Runs a read on the history store: now, on this thread, or once the sink has committed the
     * requested position, on an HTTP thread (504 at the deadline).
     */
    private CompletableFuture<Response> history(final Params params, final Supplier<Response> body)
    {
        final Wait wait = waitOf(params);
        if (!wait.requested())
        {
            return CompletableFuture.completedFuture(body.get());
        }
        return sink.await(wait.position(), wait.sequence(), wait.timeoutMs()).thenApplyAsync(reached -> reached ? body.get()
            : Response.error(504, "position_not_reached",
                "the history store has not reached the requested position within the timeout", sink.position()), executor);
    }

    private static Json envelope(final ReadModels models)
    {
        return new Json().beginObject().name("position").value(models.position()).name("sequence").value(models.sequence());
    }

    private static Response ok(final ReadModels models, final Json json)
    {
        return new Response(200, Response.JSON, json.endObject().toString(), models.position());
    }

    private static Response notFound(final ReadModels models, final String what)
    {
        return Response.error(404, "not_found", what + " not found", models.position());
    }

    private Response status(final ReadModels models)
    {
        final ReadModelCounters c = agent.counters();
        final Json json = envelope(models).name("data").beginObject()
            .name("entriesApplied").value(models.entriesApplied())
            .name("eventsApplied").value(models.eventsApplied())
            .name("duplicatesSkipped").value(models.duplicatesSkipped())
            .name("malformedSkipped").value(models.malformedSkipped())
            .name("lag").value(c.lag())
            .name("checkpointsWritten").value(c.checkpointsWritten())
            .name("lastCheckpointMillis").value(java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(c.lastCheckpointNanos()))
            .name("bookOrders").value(models.bookOrders()) // public: held stops, which are not, are left out (an outside probe)
            .name("history").beginObject()
            // "starting" while the sink reads its state back from the store (long for a large one): its
            // sequence 0 and lag -1 meanwhile looked like an empty store to a monitor (an outside tester)
            .name("state").value(sink.failed() ? "failed" : sink.started() ? "running" : "starting")
            .name("position").value(sink.position())
            .name("sequence").value(sink.sequence())
            .name("lag").value(sink.lag())
            .name("entriesWritten").value(sink.entriesWritten())
            .name("rowsWritten").value(sink.rowsWritten())
            .name("batchesWritten").value(sink.batchesWritten())
            .name("writeFailures").value(sink.writeFailures())
            .endObject();
        final StatusSource process = statusSource;
        if (process != null)
        {
            process.describe(json);
        }
        return ok(models, json.endObject());
    }

    // ------------------------------------------------------------------ market (public)

    private CompletableFuture<Response> instruments(final String[] segments, final String query)
    {
        if (segments.length == 1)
        {
            return execute(Params.parse(query, NONE), models ->
            {
                final Json json = envelope(models).name("data").beginArray();
                final int[] ids = models.markets().keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
                for (final int id : ids)
                {
                    instrument(json, models.findMarket(id));
                }
                return ok(models, json.endArray());
            });
        }
        final String idOrSymbol = segments[1];
        final String view = segments.length == 3 ? segments[2] : segments.length == 2 ? "" : null;
        if (view == null || idOrSymbol.isEmpty())
        {
            throw new BadRequest(404, "not_found", "no such endpoint");
        }
        switch (view)
        {
            case "":
                return market(Params.parse(query, NONE), idOrSymbol, (models, market) -> ok(models, instrument(envelope(models).name("data"), market)));
            case "trades":
            {
                final Params params = Params.parse(query, KEYSET_PAGE);
                final Page page = Page.of(params, MAX_LIMIT, 1);
                return history(params, () -> history.trades(idOrSymbol, page));
            }
            case "candles":
                return candles(Params.parse(query, CANDLES), idOrSymbol);
            case "depth":
            {
                final Params params = Params.parse(query, DEPTH);
                final int levels = params.intValue("levels", 10, 1, MAX_LIMIT);
                return market(params, idOrSymbol, (models, market) ->
                {
                    final Json json = envelope(models).name("data").beginObject().name("instrumentId").value(market.instrumentId)
                        .name("symbol").value(market.symbol);
                    depthSide(json.name("bids"), market.bids, levels);
                    depthSide(json.name("asks"), market.asks, levels);
                    return ok(models, json.endObject());
                });
            }
            case "bbo":
                return market(Params.parse(query, NONE), idOrSymbol, (models, market) ->
                {
                    final Json json = envelope(models).name("data").beginObject().name("instrumentId").value(market.instrumentId)
                        .name("symbol").value(market.symbol);
                    bboSide(json, "bid", market.bids);
                    bboSide(json, "ask", market.asks);
                    return ok(models, json.endObject());
                });
            case "stats":
                return stats(Params.parse(query, STATS), idOrSymbol);
            default:
                throw new BadRequest(404, "not_found", "no such endpoint");
        }
    }

    @FunctionalInterface
    private interface MarketBody
    {
        Response run(ReadModels models, MarketView market);
    }

    private CompletableFuture<Response> market(final Params params, final String idOrSymbol, final MarketBody body)
    {
        return execute(params, models ->
        {
            final MarketView market = models.findMarketByIdOrSymbol(idOrSymbol);
            return market == null ? notFound(models, "instrument") : body.run(models, market);
        });
    }

    static Json instrument(final Json json, final MarketView m)
    {
        json.beginObject().name("instrumentId").value(m.instrumentId).name("symbol").value(m.symbol)
            .name("tickSize").price(m.tickSize).name("lotSize").value(m.lotSize)
            .name("minQuantity").value(m.minQuantity).name("maxQuantity").value(m.maxQuantity)
            .name("maxNotional").price(m.maxNotional).name("referencePrice").price(m.referencePrice)
            .name("priceBandBps").value(m.priceBandBps)
            .name("dynamicBandBps").value(m.dynamicBandBps).name("staticBandBps").value(m.staticBandBps)
            .name("interruptionMs").value(m.interruptionNanos / 1_000_000).name("status").value(TradingStatus.get(m.status).name());
        return PhaseJson.fields(json, m).endObject();
    }

    static void depthSide(final Json json, final DepthSide side, final int levels)
    {
        json.beginArray();
        for (int rank = 0, n = Math.min(levels, side.size()); rank < n; rank++)
        {
            json.beginObject().name("price").price(side.price(rank)).name("quantity").value(side.quantity(rank))
                .name("orders").value(side.orders(rank)).endObject();
        }
        json.endArray();
    }

    static void bboSide(final Json json, final String name, final DepthSide side)
    {
        if (side.size() == 0)
        {
            json.name(name).nullValue();
        }
        else
        {
            json.name(name).beginObject().name("price").price(side.bestPrice()).name("quantity").value(side.bestQuantity()).endObject();
        }
    }

    private CompletableFuture<Response> candles(final Params params, final String idOrSymbol)
    {
        final String interval = params.string("interval") == null ? "1m" : params.string("interval");
        if (MarketView.interval(interval) < 0)
        {
            throw BadRequest.param("interval must be one of 1s, 1m, 1h, 1d");
        }
        final long maxMillis = Long.MAX_VALUE / 1_000_000;
        final long from = params.longValue("from", Long.MIN_VALUE, 0, maxMillis);
        final long to = params.longValue("to", Long.MAX_VALUE, 0, maxMillis);
        if (from != Long.MIN_VALUE && to != Long.MAX_VALUE && to < from)
        {
            throw BadRequest.param("to must not be before from");
        }
        final int limit = params.intValue("limit", 100, 1, MAX_LIMIT);
        return history(params, () -> history.candles(idOrSymbol, interval, from, to, limit));
    }

    private static long epochDay(final String date)
    {
        if (!date.matches("\\d{4}-\\d{2}-\\d{2}"))
        {
            throw BadRequest.param("date must be YYYY-MM-DD");
        }
        try
        {
            return LocalDate.parse(date).atStartOfDay(ZoneOffset.UTC).toEpochSecond() / 86_400;
        }
        catch (final DateTimeParseException e)
        {
            // the shape is right, so "must be YYYY-MM-DD" would mislead (an outside tester): 2026-02-30, 2026-13-01
            throw BadRequest.param("date " + date + " is no calendar date");
        }
    }

    /** The current trading day's statistics from the hot projections; the trading day of a date from the history store's daily summary. */
    private CompletableFuture<Response> stats(final Params params, final String idOrSymbol)
    {
        final String date = params.string("date");
        if (date != null)
        {
            final long epochDay = epochDay(date);
            return history(params, () -> history.dayStats(idOrSymbol, epochDay, date));
        }
        return market(params, idOrSymbol, (models, market) ->
        {
            final Candle day = market.today();
            final Json json = envelope(models).name("data").beginObject().name("instrumentId").value(market.instrumentId)
                .name("symbol").value(market.symbol);
            // The trading day's date (see TradingDay): the day is named even before its first trade.
            final String tradeDate = models.tradingDay().dateText();
            if (tradeDate == null)
            {
                json.name("date").nullValue();
            }
            else
            {
                json.name("date").value(tradeDate);
            }
            if (day == null)
            {
                json.name("count").value(0);
            }
            else
            {
                json.name("open").price(day.open).name("high").price(day.high).name("low").price(day.low)
                    .name("last").price(day.close).name("volume").value(day.volume).name("notional").price(day.notional)
                    .name("vwap").price(day.vwap()).name("count").value(day.count);
            }
            return ok(models, json.endObject());
        });
    }

    // ------------------------------------------------------------------ accounts (credentials required)

    private CompletableFuture<Response> accounts(final ApiRequest request, final String[] segments, final String query)
    {
        final ApiAuth.Principal principal = authenticate(request);
        if (segments.length < 3)
        {
            throw new BadRequest(404, "not_found", "no such endpoint");
        }
        long requested;
        try
        {
            requested = AsciiDigits.parseLong(segments[1]);
        }
        catch (final NumberFormatException e)
        {
            requested = -1;
        }
        if (requested <= 0 && principal.role() == dev.bourse.protocol.auth.Role.COMPLIANCE)
        {
            // compliance reads every account: a bad id is a bad request, not a refusal
            throw BadRequest.param("the account id must be a positive number");
        }
        if (requested <= 0 || !principal.mayRead(requested))
        {
            // Same answer whether or not the other account exists.
            throw new BadRequest(403, "forbidden", principal.role() == dev.bourse.protocol.auth.Role.TRADER
                ? "these credentials are not for that account"
                : "the " + principal.role().configName() + " role reads no account data");
        }
        final long accountId = requested;
        final String view = segments[2];
        if (view.equals("orders") && segments.length == 4)
        {
            final Params params = Params.parse(query, NONE);
            final long orderId = parseOrderId(segments[3]);
            return history(params, () -> history.order(accountId, orderId));
        }
        requireLength(segments, 3);
        switch (view)
        {
            case "orders":
            {
                final Params params = Params.parse(query, ORDERS);
                final String clOrdId = params.string("clOrdId");
                if (clOrdId == null)
                {
                    final Page page = Page.of(params, MAX_LIMIT, 1);
                    return history(params, () -> history.orders(accountId, page));
                }
                if (clOrdId.isEmpty() || clOrdId.length() > 20)
                {
                    throw BadRequest.param("clOrdId must be 1 to 20 characters");
                }
                if (params.string("offset") != null || params.string("limit") != null || params.string("cursor") != null ||
                    params.string("before") != null)
                {
                    throw BadRequest.param("clOrdId finds one order: no offset, limit, cursor or before");
                }
                return history(params, () -> history.orderByClOrdId(accountId, clOrdId));
            }
            case "open-orders":
            {
                final Params params = Params.parse(query, PAGE);
                final Page page = Page.of(params, MAX_LIMIT, 1);
                return account(params, accountId, (models, account) ->
                {
                    final Json json = envelope(models);
                    final int total = account.openOrders.size();
                    final int from = page.offset() < 0 ? Math.max(0, total - page.limit()) : (int)Math.min(page.offset(), total);
                    final int to = (int)Math.min(total, (long)from + page.limit());
                    json.name("total").value(total).name("offset").value(from).name("limit").value(page.limit());
                    if (to < total)
                    {
                        json.name("nextOffset").value(to);
                    }
                    else
                    {
                        json.name("nextOffset").nullValue();
                    }
                    json.name("data").beginArray();
                    int i = 0;
                    for (final OrderRecord order : account.openOrders)
                    {
                        if (i >= to)
                        {
                            break;
                        }
                        if (i++ >= from)
                        {
                            OrderJson.write(json, order, null);
                        }
                    }
                    return ok(models, json.endArray());
                });
            }
            case "executions":
            {
                final Params params = Params.parse(query, KEYSET_PAGE);
                final Page page = Page.of(params, MAX_LIMIT, 2);
                return history(params, () -> history.executions(accountId, page));
            }
            case "balances":
                return account(Params.parse(query, NONE), accountId, (models, account) ->
                {
                    final Json json = envelope(models).name("data").beginObject().name("accountId").value(accountId)
                        .name("cash").beginObject().name("balance").price(account.cash).name("held").price(account.cashHeld)
                        .name("available").price(account.cash - account.cashHeld).endObject()
                        .name("positions").beginArray();
                    for (final PositionView p : account.positions.values())
                    {
                        json.beginObject().name("instrumentId").value(p.instrumentId);
                        final MarketView market = models.findMarket(p.instrumentId);
                        json.name("symbol").value(market == null ? null : market.symbol)
                            .name("quantity").value(p.quantity).name("held").value(p.held).name("available").value(p.quantity - p.held)
                            .name("averageCost").price(p.averageCost())
                            .name("realizedPnl").price(p.realizedPnl).endObject();
                    }
                    return ok(models, json.endArray().endObject());
                });
            case "activity.csv":
            {
                final Params params = Params.parse(query, KEYSET_PAGE);
                final Page page = Page.of(params, MAX_CSV_LIMIT, 2);
                return history(params, () -> history.activityCsv(accountId, page));
            }
            default:
                throw new BadRequest(404, "not_found", "no such endpoint");
        }
    }

    private static long parseOrderId(final String text)
    {
        try
        {
            final long orderId = AsciiDigits.parseLong(text);
            if (orderId > 0)
            {
                return orderId;
            }
        }
        catch (final NumberFormatException e)
        {
            // fall through
        }
        throw BadRequest.param("orderId must be a positive integer, not '" + Params.printable(text) + "'");
    }

    @FunctionalInterface
    private interface AccountBody
    {
        Response run(ReadModels models, AccountView account);
    }

    private CompletableFuture<Response> account(final Params params, final long accountId, final AccountBody body)
    {
        return execute(params, models ->
        {
            final AccountView account = models.findAccount(accountId);
            return account == null ? notFound(models, "account") : body.run(models, account);
        });
    }

    static String status(final byte status)
    {
        return OrderRecord.statusName(status);
    }

    static String side(final byte side)
    {
        return side == Side.BUY.value() ? "BUY" : side == Side.SELL.value() ? "SELL" : "";
    }

    /** A trade's taker side: NONE for an auction's trade, which has none (as the market-data feed's aggressor side). */
    static String takerSide(final byte side)
    {
        final String name = side(side);
        return name.isEmpty() ? "NONE" : name;
    }
}
