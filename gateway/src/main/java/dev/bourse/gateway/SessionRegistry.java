package dev.bourse.gateway;

import dev.bourse.gateway.store.GatewayState;
import dev.bourse.gateway.store.SessionStore;
import org.agrona.collections.Int2ObjectHashMap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The FIX sessions the gateway knows, logged on or not: each CompID's store (sequence numbers and
 * sent messages, under {@code gateway.session-dir}), its engine session id, its user, what of its
 * inbound stream counts as received, and its rate limit, which outlives any one connection so a
 * reconnect cannot refill it (as does its user's, shared by the user's CompIDs). Gateway thread only.
 */
final class SessionRegistry implements AutoCloseable
{
    /** A released store's directory is renamed to this prefix before its files are deleted (no CompID begins with a dot). */
    private static final String RELEASED = ".released-";
    private final GatewayContext ctx;
    private final GatewayState gatewayState;
    private final Int2ObjectHashMap<SessionStore> storesById = new Int2ObjectHashMap<>();
    private final Map<String, SessionStore> storesByCompId = new HashMap<>();
    private final Map<String, Integer> compIdsByUser = new HashMap<>();
    private final Int2ObjectHashMap<InboundProgress> inbound = new Int2ObjectHashMap<>();
    private final Int2ObjectHashMap<TokenBucket> buckets = new Int2ObjectHashMap<>();
    private final Map<String, TokenBucket> userBuckets = new HashMap<>();
    private final Int2ObjectHashMap<FixSession> online = new Int2ObjectHashMap<>();

    /**
     * Opens {@code gateway.state} and every session store found, each checked first: a damaged one
     * refuses the start ({@link dev.bourse.gateway.store.DamagedStoreException}, one line naming the
     * file), where a state cut to nothing had started its session afresh at MsgSeqNum 1 and a lost
     * {@code gateway.state} had sent every report in the journal again. Nothing is left open then.
     */
    SessionRegistry(final GatewayContext ctx)
    {
        this.ctx = ctx;
        this.gatewayState = new GatewayState(ctx.sessionDir());
        try
        {
            gatewayState.sessionIdSeen(ctx.firstSessionId() - 1); // this gateway's range of session ids
            openStores();
        }
        catch (final RuntimeException e)
        {
            close();
            throw e;
        }
    }

    private void openStores()
    {
        try (Stream<Path> dirs = Files.list(ctx.sessionDir()))
        {
            for (final Path dir : (Iterable<Path>)dirs.sorted()::iterator)
            {
                if (Files.isDirectory(dir) && dir.getFileName().toString().startsWith(RELEASED))
                {
                    deleteReleased(dir); // a release cut off by a crash
                }
                else if (Files.isDirectory(dir) && !Files.exists(dir.resolve("state")))
                {
                    SessionStore.refuseIfStateLost(dir);
                }
                else if (Files.isDirectory(dir))
                {
                    final SessionStore store = SessionStore.openFound(ctx.sessionDir(), dir.getFileName().toString(), 1 << 20);
                    if (store.isInitialised())
                    {
                        add(store);
                        if (ctx.ownsSessionId(store.sessionId())) // a session taken over keeps its first gateway's id
                        {
                            gatewayState.sessionIdSeen(store.sessionId());
                        }
                    }
                    else
                    {
                        store.close();
                    }
                }
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot read FIX session directory " + ctx.sessionDir() + ": " + e.getMessage(), e);
        }
    }

    private void add(final SessionStore store)
    {
        storesById.put(store.sessionId(), store);
        storesByCompId.put(store.compId(), store);
        compIdsByUser.merge(store.username(), 1, Integer::sum);
    }

    GatewayState gatewayState()
    {
        return gatewayState;
    }

    SessionStore store(final int sessionId)
    {
        return storesById.get(sessionId);
    }

    SessionStore storeOf(final String compId)
    {
        return storesByCompId.get(compId);
    }

    Iterable<SessionStore> stores()
    {
        return storesById.values();
    }

    int compIdsOf(final String username)
    {
        return compIdsByUser.getOrDefault(username, 0);
    }

    /**
     * A session id the journal names: if it is in this gateway's range, new sessions get ids above it,
     * even when this gateway's session directory does not know it (a directory lost or replaced).
     */
    void journaledSessionId(final int sessionId)
    {
        if (sessionId > 0 && ctx.ownsSessionId(sessionId))
        {
            gatewayState.sessionIdSeen(sessionId);
        }
    }

    /** A store for a CompID seen for the first time, bound to the user and a new engine session id. */
    SessionStore create(final String compId, final String username)
    {
        final SessionStore store = SessionStore.openNew(ctx.sessionDir(), compId, 1 << 20);
        store.initialise(gatewayState.allocateSessionId(), username);
        add(store);
        return store;
    }

    /**
     * A store for a CompID whose session another gateway served: bound to that session's engine id
     * (so its orders stay its own), its numbering set by {@link SessionStore#takeOver} once the claim
     * is journaled.
     */
    SessionStore adopt(final String compId, final String username, final int sessionId)
    {
        SessionStore store = storesByCompId.get(compId);
        if (store != null && store.sessionId() != sessionId)
        {
            release(store);
            store = null;
        }
        if (store == null)
        {
            store = SessionStore.openNew(ctx.sessionDir(), compId, 1 << 20);
            store.initialise(sessionId, username);
            add(store);
        }
        return store;
    }

    /**
     * Forgets a session another gateway took over: no more reports are written for it here, and
     * its files are deleted (the numbering carries on at the other gateway).
     */
    void release(final SessionStore store)
    {
        storesById.remove(store.sessionId());
        storesByCompId.remove(store.compId());
        compIdsByUser.computeIfPresent(store.username(), (user, count) -> count > 1 ? count - 1 : null);
        inbound.remove(store.sessionId());
        final Path directory = store.directory();
        store.close();
        try
        {
            // renamed out of the CompIDs' names first (one atomic step): a crash while its files are deleted leaves a
            // directory a start deletes, never part of a store that would read as a session with lost files
            final Path released = directory.resolveSibling(RELEASED + directory.getFileName() + "-" + System.nanoTime());
            Files.move(directory, released, StandardCopyOption.ATOMIC_MOVE);
            deleteReleased(released);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot delete the FIX session store " + directory + ": " + e.getMessage(), e);
        }
    }

    private static void deleteReleased(final Path released) throws IOException
    {
        try (Stream<Path> files = Files.list(released))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(released);
    }

    InboundProgress inbound(final int sessionId)
    {
        InboundProgress progress = inbound.get(sessionId);
        if (progress == null)
        {
            progress = new InboundProgress();
            inbound.put(sessionId, progress);
        }
        return progress;
    }

    /** The session's rate limit; created full at its first logon, then only refilled by time. */
    TokenBucket bucket(final int sessionId, final long nowNanos)
    {
        TokenBucket bucket = buckets.get(sessionId);
        if (bucket == null)
        {
            bucket = new TokenBucket(ctx.rateLimitPerSecond(), ctx.rateLimitBurst(), nowNanos);
            buckets.put(sessionId, bucket);
        }
        return bucket;
    }

    /**
     * The rate limit of a user, shared by all its CompIDs, so a user cannot multiply its rate (or
     * refill it) by logging on with another CompID. Created full at the user's first logon; one per
     * user that has a session store, so bounded by the users.
     */
    TokenBucket userBucket(final String username, final long nowNanos)
    {
        TokenBucket bucket = userBuckets.get(username);
        if (bucket == null)
        {
            bucket = new TokenBucket(ctx.userRateLimitPerSecond(), ctx.userRateLimitBurst(), nowNanos);
            userBuckets.put(username, bucket);
        }
        return bucket;
    }

    FixSession online(final int sessionId)
    {
        return online.get(sessionId);
    }

    boolean isOnline(final int sessionId)
    {
        return online.containsKey(sessionId);
    }

    void online(final FixSession session)
    {
        online.put(session.sessionId, session);
    }

    void offline(final FixSession session)
    {
        online.remove(session.sessionId);
    }

    int onlineCount()
    {
        return online.size();
    }

    @Override
    public void close()
    {
        for (final SessionStore store : storesById.values())
        {
            store.close();
        }
        storesById.clear();
        storesByCompId.clear();
        gatewayState.close();
    }
}
