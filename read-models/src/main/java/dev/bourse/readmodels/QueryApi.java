package dev.bourse.readmodels;

import dev.bourse.protocol.Prices;
import dev.bourse.protocol.sbe.CancelReason;
import dev.bourse.protocol.sbe.OrdType;
import dev.bourse.protocol.sbe.Side;
import dev.bourse.protocol.sbe.StpMode;
import dev.bourse.protocol.sbe.TimeInForce;
import dev.bourse.protocol.sbe.TradingStatus;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP/JSON query API under {@code /api/v1}. HTTP threads parse and validate the request and
 * check credentials; the read itself runs on the projection thread as a {@link Query}. Every JSON
 * answer carries the journal position (and engine sequence) it reflects, also in the
 * {@code X-Journal-Position} header.
 */
final class QueryApi
{
    static final String PREFIX = "/api/v1/";
    static final int MAX_LIMIT = 1000;
    static final int MAX_CSV_LIMIT = 100_000;

    private static final Set<String> WAIT = Set.of("waitFor", "waitForSequence", "timeoutMs");
    private static final Set<String> NONE = WAIT;
    private static final Set<String> PAGE = union(WAIT, "offset", "limit");
    private static final Set<String> CANDLES = union(WAIT, "interval", "from", "to", "limit");
    private static final Set<String> DEPTH = union(WAIT, "levels");
    private static final Set<String> STATS = union(WAIT, "date");
    private static final Set<String> ORDERS = union(WAIT, "clOrdId");

    private final ProjectionAgent agent;
    private final ApiAuth auth;
    private final long maxWaitMs;

    QueryApi(final ProjectionAgent agent, final ApiAuth auth, final long maxWaitMs)
    {
        this.agent = agent;
        this.auth = auth;
        this.maxWaitMs = maxWaitMs;
    }

    private static Set<String> union(final Set<String> base, final String... more)
    {
        final java.util.HashSet<String> set = new java.util.HashSet<>(base);
        set.addAll(List.of(more));
        return Set.copyOf(set);
    }

    /**
     * Answers a request: at once for errors, or when the projection thread has run the query. The
     * future never completes exceptionally.
     */
    CompletableFuture<Response> handle(final ApiRequest request)
    {
        try
        {
            return route(request);
        }
        catch (final BadRequest e)
        {
            return CompletableFuture.completedFuture(Response.error(e.status, e.error, e.getMessage(), agent.counters().position()));
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
            segments[i] = Params.decode(segments[i]);
        }
        final String method = request.method();
        final String query = request.rawQuery();

        if (segments.length == 2 && segments[0].equals("auth") && segments[1].equals("token"))
        {
            if (!"POST".equals(method))
            {
                throw new BadRequest(405, "method_not_allowed", "use POST with basic auth to get a token");
            }
            Params.parse(query, Set.of());
            final ApiAuth.Principal principal = authenticate(request);
            final String token = auth.issueToken(principal);
            final Json json = new Json().beginObject().name("token").value(token).name("accountId").value(principal.accountId())
                .name("expiresInSeconds").value(TimeUnit.NANOSECONDS.toSeconds(auth.ttlNanos())).endObject();
            return CompletableFuture.completedFuture(new Response(200, Response.JSON, json.toString(), agent.counters().position()));
        }
        if (!"GET".equals(method) && !"HEAD".equals(method))
        {
            throw new BadRequest(405, "method_not_allowed", "the query API is read-only: use GET");
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
        final ApiAuth.Principal principal = auth.authenticate(request.authorization());
        if (principal == null)
        {
            throw new BadRequest(401, "unauthorized", "send the account's credentials (basic auth) or a bearer token");
        }
        return principal;
    }

    /** Runs a read on the projection thread, waiting first for the requested position if any. */
    private CompletableFuture<Response> execute(final Params params, final Query.Body body)
    {
        final long waitFor = params.longValue("waitFor", Long.MIN_VALUE, -1, Long.MAX_VALUE);
        final long waitForSequence = params.longValue("waitForSequence", Long.MIN_VALUE, 0, Long.MAX_VALUE);
        final long timeoutMs = params.longValue("timeoutMs", 5_000, 0, maxWaitMs);
        if (params.string("timeoutMs") != null && params.string("waitFor") == null && params.string("waitForSequence") == null)
        {
            throw BadRequest.param("timeoutMs needs waitFor or waitForSequence");
        }
        final Query query = new Query(waitFor, waitForSequence, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs), body);
        if (!agent.submit(query))
        {
            return CompletableFuture.completedFuture(
                Response.error(503, "busy", "the read models are busy or stopping; retry", agent.counters().position()));
        }
        // The projection thread answers every query (504 at its deadline); this only guards a stalled thread.
        return query.result().completeOnTimeout(
            Response.error(503, "busy", "the read models did not answer in time; retry", agent.counters().position()),
            timeoutMs + 5_000, TimeUnit.MILLISECONDS);
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
            .endObject();
        return ok(models, json);
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
                final Params params = Params.parse(query, PAGE);
                final Page page = Page.of(params, MAX_LIMIT);
                return market(params, idOrSymbol, (models, market) ->
                {
                    final List<TradeRecord> trades = market.trades;
                    final Json json = envelope(models);
                    final int[] range = page.range(trades.size(), json);
                    json.name("data").beginArray();
                    for (int i = range[0]; i < range[1]; i++)
                    {
                        final TradeRecord t = trades.get(i);
                        json.beginObject().name("tradeId").value(t.tradeId()).name("timestamp").value(t.timestamp())
                            .name("price").price(t.price()).name("quantity").value(t.quantity())
                            .name("takerSide").value(side(t.takerSide())).endObject();
                    }
                    return ok(models, json.endArray());
                });
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
            MarketView market = null;
            if (!idOrSymbol.isEmpty() && idOrSymbol.length() < 10 && idOrSymbol.chars().allMatch(Character::isDigit))
            {
                market = models.findMarket(Integer.parseInt(idOrSymbol));
            }
            if (market == null)
            {
                market = models.findMarket(idOrSymbol);
            }
            return market == null ? notFound(models, "instrument") : body.run(models, market);
        });
    }

    private static Json instrument(final Json json, final MarketView m)
    {
        return json.beginObject().name("instrumentId").value(m.instrumentId).name("symbol").value(m.symbol)
            .name("tickSize").price(m.tickSize).name("lotSize").value(m.lotSize)
            .name("minQuantity").value(m.minQuantity).name("maxQuantity").value(m.maxQuantity)
            .name("maxNotional").price(m.maxNotional).name("referencePrice").price(m.referencePrice)
            .name("priceBandBps").value(m.priceBandBps).name("status").value(TradingStatus.get(m.status).name())
            .endObject();
    }

    private static void depthSide(final Json json, final DepthSide side, final int levels)
    {
        json.beginArray();
        for (int rank = 0, n = Math.min(levels, side.size()); rank < n; rank++)
        {
            json.beginObject().name("price").price(side.price(rank)).name("quantity").value(side.quantity(rank))
                .name("orders").value(side.orders(rank)).endObject();
        }
        json.endArray();
    }

    private static void bboSide(final Json json, final String name, final DepthSide side)
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
        if (!List.of("1s", "1m", "1h", "1d").contains(interval))
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
        return market(params, idOrSymbol, (models, market) ->
        {
            final CandleSeries series = market.candles(interval);
            final List<Candle> candles = series.candles();
            final long toNanos = to == Long.MAX_VALUE ? Long.MAX_VALUE : to * 1_000_000;
            int start;
            int end;
            if (from == Long.MIN_VALUE)
            {
                end = to == Long.MAX_VALUE ? candles.size() : series.firstAtOrAfter(toNanos);
                start = Math.max(0, end - limit);
            }
            else
            {
                start = series.firstAtOrAfter(from * 1_000_000);
                end = Math.min(candles.size(), start + limit);
                if (to != Long.MAX_VALUE)
                {
                    end = Math.min(end, series.firstAtOrAfter(toNanos));
                }
            }
            final Json json = envelope(models).name("interval").value(interval).name("data").beginArray();
            for (int i = start; i < end; i++)
            {
                candle(json, candles.get(i));
            }
            return ok(models, json.endArray());
        });
    }

    private static Json candle(final Json json, final Candle c)
    {
        return json.beginObject().name("start").value(Instant.ofEpochSecond(0, c.start).toString())
            .name("startNanos").value(c.start)
            .name("open").price(c.open).name("high").price(c.high).name("low").price(c.low).name("close").price(c.close)
            .name("volume").value(c.volume).name("notional").price(c.notional).name("vwap").price(c.vwap())
            .name("count").value(c.count).endObject();
    }

    private CompletableFuture<Response> stats(final Params params, final String idOrSymbol)
    {
        final String date = params.string("date");
        final long dayStart;
        if (date == null)
        {
            dayStart = Long.MIN_VALUE;
        }
        else
        {
            try
            {
                dayStart = LocalDate.parse(date).atStartOfDay(ZoneOffset.UTC).toEpochSecond() * 1_000_000_000L;
            }
            catch (final DateTimeParseException | ArithmeticException e)
            {
                throw BadRequest.param("date must be YYYY-MM-DD");
            }
        }
        return market(params, idOrSymbol, (models, market) ->
        {
            final CandleSeries daily = market.daily();
            final Candle day = dayStart == Long.MIN_VALUE ? daily.last() : daily.at(dayStart);
            final Json json = envelope(models).name("data").beginObject().name("instrumentId").value(market.instrumentId)
                .name("symbol").value(market.symbol);
            if (day == null)
            {
                json.name("date").value(date).name("count").value(0);
            }
            else
            {
                json.name("date").value(LocalDate.ofEpochDay(Math.floorDiv(day.start, CandleSeries.DAY)).toString())
                    .name("open").price(day.open).name("high").price(day.high).name("low").price(day.low)
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
        if (segments.length < 3 || !segments[1].equals(Long.toString(principal.accountId())))
        {
            if (segments.length < 3)
            {
                throw new BadRequest(404, "not_found", "no such endpoint");
            }
            // Same answer whether or not the other account exists.
            throw new BadRequest(403, "forbidden", "these credentials are not for that account");
        }
        final long accountId = principal.accountId();
        final String view = segments[2];
        if (view.equals("orders") && segments.length == 4)
        {
            final Params params = Params.parse(query, NONE);
            final long orderId = parseOrderId(segments[3]);
            return account(params, accountId, (models, account) ->
            {
                final OrderRecord order = models.order(orderId);
                // Another account's order is "not found", exactly like a missing one.
                return order == null || order.accountId != accountId ? notFound(models, "order") :
                    ok(models, order(envelope(models).name("data"), order, true));
            });
        }
        requireLength(segments, 3);
        switch (view)
        {
            case "orders":
            {
                final Params params = Params.parse(query, ORDERS);
                final String clOrdId = params.string("clOrdId");
                if (clOrdId == null || clOrdId.isEmpty() || clOrdId.length() > 20)
                {
                    throw BadRequest.param("clOrdId (1 to 20 characters) is required; use orders/{orderId} or open-orders otherwise");
                }
                return account(params, accountId, (models, account) ->
                {
                    final OrderRecord order = account.orderByClOrdId(clOrdId);
                    return order == null ? notFound(models, "order") : ok(models, order(envelope(models).name("data"), order, true));
                });
            }
            case "open-orders":
            {
                final Params params = Params.parse(query, PAGE);
                final Page page = Page.of(params, MAX_LIMIT);
                return account(params, accountId, (models, account) ->
                {
                    final Json json = envelope(models);
                    final int[] range = page.range(account.openOrders.size(), json);
                    json.name("data").beginArray();
                    int i = 0;
                    for (final OrderRecord order : account.openOrders.values())
                    {
                        if (i >= range[1])
                        {
                            break;
                        }
                        if (i++ >= range[0])
                        {
                            order(json, order, false);
                        }
                    }
                    return ok(models, json.endArray());
                });
            }
            case "executions":
            {
                final Params params = Params.parse(query, PAGE);
                final Page page = Page.of(params, MAX_LIMIT);
                return account(params, accountId, (models, account) ->
                {
                    final Json json = envelope(models);
                    final int[] range = page.range(account.executions.size(), json);
                    json.name("data").beginArray();
                    for (int i = range[0]; i < range[1]; i++)
                    {
                        final OrderChange e = account.executions.get(i);
                        json.beginObject().name("tradeId").value(e.tradeId()).name("sequence").value(e.sequence())
                            .name("timestamp").value(e.timestamp()).name("orderId").value(e.orderId())
                            .name("clOrdId").value(e.clOrdId()).name("instrumentId").value(e.instrumentId())
                            .name("side").value(side(e.side())).name("price").price(e.price())
                            .name("quantity").value(e.quantity()).name("liquidity").value(e.maker() ? "MAKER" : "TAKER")
                            .name("leavesQty").value(e.leavesQty()).name("cumQty").value(e.cumQty()).endObject();
                    }
                    return ok(models, json.endArray());
                });
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
                final Params params = Params.parse(query, PAGE);
                final Page page = Page.of(params, MAX_CSV_LIMIT);
                return account(params, accountId, (models, account) -> activityCsv(models, account, page));
            }
            default:
                throw new BadRequest(404, "not_found", "no such endpoint");
        }
    }

    private static long parseOrderId(final String text)
    {
        try
        {
            final long orderId = Long.parseLong(text);
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

    private static Json order(final Json json, final OrderRecord o, final boolean withHistory)
    {
        json.beginObject().name("orderId").value(o.orderId).name("accountId").value(o.accountId)
            .name("clOrdId").value(o.clOrdId).name("origClOrdId").value(o.origClOrdId)
            .name("instrumentId").value(o.instrumentId).name("side").value(side(o.side))
            .name("ordType").value(OrdType.get(o.ordType).name()).name("timeInForce").value(TimeInForce.get(o.timeInForce).name())
            .name("postOnly").value(o.postOnly).name("stpMode").value(StpMode.get(o.stpMode).name())
            .name("price").price(o.price).name("quantity").value(o.quantity).name("leavesQty").value(o.leavesQty)
            .name("cumQty").value(o.cumQty).name("avgPx").price(o.cumQty == 0 ? 0 : o.cumNotional / o.cumQty)
            .name("status").value(status(o.status));
        if (o.status == OrderRecord.CANCELED)
        {
            json.name("cancelReason").value(CancelReason.get(o.cancelReason).name());
        }
        json.name("createdTimestamp").value(o.createdTimestamp).name("updatedTimestamp").value(o.updatedTimestamp);
        if (withHistory)
        {
            json.name("history").beginArray();
            for (final OrderChange c : o.history)
            {
                json.beginObject().name("type").value(OrderChange.typeName(c.type())).name("sequence").value(c.sequence())
                    .name("timestamp").value(c.timestamp()).name("price").price(c.price()).name("quantity").value(c.quantity())
                    .name("leavesQty").value(c.leavesQty()).name("cumQty").value(c.cumQty());
                if (c.type() == OrderChange.FILL)
                {
                    json.name("tradeId").value(c.tradeId());
                }
                else if (c.type() == OrderChange.CANCELED)
                {
                    json.name("reason").value(CancelReason.get(c.reason()).name());
                }
                else if (c.type() == OrderChange.REPLACED)
                {
                    json.name("keptPriority").value(c.reason() == 1).name("clOrdId").value(c.clOrdId());
                }
                json.endObject();
            }
            json.endArray();
        }
        return json.endObject();
    }

    static String status(final byte status)
    {
        switch (status)
        {
            case OrderRecord.NEW: return "NEW";
            case OrderRecord.PARTIALLY_FILLED: return "PARTIALLY_FILLED";
            case OrderRecord.FILLED: return "FILLED";
            case OrderRecord.CANCELED: return "CANCELED";
            default: return "UNKNOWN";
        }
    }

    static String side(final byte side)
    {
        return side == Side.BUY.value() ? "BUY" : side == Side.SELL.value() ? "SELL" : "";
    }

    private static Response activityCsv(final ReadModels models, final AccountView account, final Page page)
    {
        final List<ActivityLine> activity = account.activity;
        final int[] range = page.range(activity.size(), null);
        final StringBuilder csv = new StringBuilder(128 + (range[1] - range[0]) * 96);
        csv.append("sequence,timestamp,time_utc,kind,order_id,cl_ord_id,instrument_id,side,price,quantity,leaves_qty,cum_qty,detail,balance\n");
        for (int i = range[0]; i < range[1]; i++)
        {
            final ActivityLine a = activity.get(i);
            csv.append(a.sequence()).append(',').append(a.timestamp()).append(',')
                .append(Instant.ofEpochSecond(0, a.timestamp())).append(',').append(Activity.kindName(a.kind())).append(',')
                .append(a.orderId() == 0 ? "" : Long.toString(a.orderId())).append(',');
            csvField(csv, a.clOrdId());
            csv.append(',').append(a.instrumentId() == 0 ? "" : Integer.toString(a.instrumentId())).append(',')
                .append(side(a.side())).append(',');
            if (a.price() != 0)
            {
                Prices.append(csv, a.price());
            }
            csv.append(',').append(a.quantity()).append(',').append(a.leavesQty()).append(',').append(a.cumQty()).append(',');
            csvField(csv, a.detail());
            csv.append(',');
            if (a.kind() == Activity.DEPOSIT || a.kind() == Activity.WITHDRAW)
            {
                if (a.instrumentId() == 0)
                {
                    Prices.append(csv, a.balance());
                }
                else
                {
                    csv.append(a.balance());
                }
            }
            csv.append('\n');
        }
        return new Response(200, Response.CSV, csv.toString(), models.position());
    }

    private static void csvField(final StringBuilder csv, final String value)
    {
        // Quote everything that could split a field, and defuse spreadsheet formulas.
        final boolean formula = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0;
        if (value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0 || formula)
        {
            csv.append('"');
            if (formula)
            {
                csv.append('\'');
            }
            csv.append(value.replace("\"", "\"\"")).append('"');
        }
        else
        {
            csv.append(value);
        }
    }

    /** offset/limit pagination; without an offset, the last {@code limit} items. */
    private record Page(long offset, int limit)
    {
        static Page of(final Params params, final int maxLimit)
        {
            return new Page(params.longValue("offset", -1, 0, Integer.MAX_VALUE), params.intValue("limit", 100, 1, maxLimit));
        }

        /** @return [from, to) and writes total/offset/limit/nextOffset into the envelope. */
        int[] range(final int total, final Json json)
        {
            final int from = offset < 0 ? Math.max(0, total - limit) : (int)Math.min(offset, total);
            final int to = (int)Math.min(total, (long)from + limit);
            if (json != null)
            {
                json.name("total").value(total).name("offset").value(from).name("limit").value(limit);
                if (to < total)
                {
                    json.name("nextOffset").value(to);
                }
                else
                {
                    json.name("nextOffset").nullValue();
                }
            }
            return new int[]{from, to};
        }
    }
}
