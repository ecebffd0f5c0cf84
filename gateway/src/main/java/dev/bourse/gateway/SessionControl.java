package dev.bourse.gateway;

import dev.bourse.gateway.store.SessionStore;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What an operator can do to FIX sessions (list them, disconnect one, reset one's sequence
 * numbers) from any thread. Thread safety: the gateway's state belongs to its own thread, so a
 * request only goes into a bounded queue and wakes that thread; {@link Sessions} drains the queue
 * in its duty cycle and completes each request's future there. A full queue fails the request at
 * once (the caller answers "busy"); nothing here blocks the gateway.
 */
public final class SessionControl
{
    /** One FIX session the gateway knows (from its session store), online or not. */
    public record SessionInfo(int sessionId, String compId, String username, boolean online, int nextInSeq, int nextOutSeq)
    {
    }

    /** A request refused for a reason the operator can act on (not logged on, still logged on, busy). */
    public static final class Refused extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        Refused(final String message)
        {
            super(message, null, false, false);
        }
    }

    private interface Request
    {
        void run(Sessions sessions);
    }

    private final ManyToOneConcurrentArrayQueue<Request> requests = new ManyToOneConcurrentArrayQueue<>(64);
    private volatile Runnable wakeUp = () -> { };

    /** How to wake the gateway's thread when it may be blocked in its selector (shared threading). */
    public SessionControl wakeUpWith(final Runnable value)
    {
        wakeUp = value;
        return this;
    }

    /** Every session the gateway has a store for, by session id. */
    public CompletableFuture<List<SessionInfo>> list()
    {
        final CompletableFuture<List<SessionInfo>> answer = new CompletableFuture<>();
        offer(answer, sessions ->
        {
            final List<SessionInfo> list = new ArrayList<>();
            for (final SessionStore store : sessions.registry().stores())
            {
                list.add(info(sessions, store));
            }
            list.sort(Comparator.comparingInt(SessionInfo::sessionId));
            answer.complete(list);
        });
        return answer;
    }

    /** One session as it is now (refused when the gateway has no store for it). */
    public CompletableFuture<SessionInfo> session(final int sessionId)
    {
        final CompletableFuture<SessionInfo> answer = new CompletableFuture<>();
        offer(answer, sessions ->
        {
            final SessionStore store = sessions.registry().store(sessionId);
            if (store == null)
            {
                answer.completeExceptionally(new Refused("no session " + sessionId));
                return;
            }
            answer.complete(info(sessions, store));
        });
        return answer;
    }

    /**
     * Logs a logged-on session out (Logout with {@code text}); its connection closes after the reply
     * or, without one, after {@link FixSession#LOGOUT_REPLY_TIMEOUT_MS}. The answer is the session as
     * the Logout went out, still online: {@link #session} tells when it is not.
     */
    public CompletableFuture<SessionInfo> disconnect(final int sessionId, final String text)
    {
        final CompletableFuture<SessionInfo> answer = new CompletableFuture<>();
        offer(answer, sessions ->
        {
            final FixSession session = sessions.registry().online(sessionId);
            if (session == null)
            {
                // one the gateway never gave out is no session, as for the other actions (404), not one that is offline (409)
                answer.completeExceptionally(new Refused(sessions.registry().store(sessionId) == null
                    ? "no session " + sessionId : "session " + sessionId + " is not logged on"));
                return;
            }
            final SessionStore store = session.store;
            session.logoutForShutdown(text);
            answer.complete(info(sessions, store)); // still online until the Logout is answered
        });
        return answer;
    }

    /**
     * Resets a session's sequence numbers to 1 (both ways), as a Logon with ResetSeqNumFlag would.
     * Only for a session that is not logged on: its counterparty must start over too.
     */
    public CompletableFuture<SessionInfo> resetSequence(final int sessionId)
    {
        final CompletableFuture<SessionInfo> answer = new CompletableFuture<>();
        offer(answer, sessions ->
        {
            final SessionStore store = sessions.registry().store(sessionId);
            if (store == null)
            {
                answer.completeExceptionally(new Refused("no session " + sessionId));
                return;
            }
            if (sessions.registry().isOnline(sessionId))
            {
                answer.completeExceptionally(new Refused("session " + sessionId + " is logged on: disconnect it first"));
                return;
            }
            if (sessions.registry().inbound(sessionId).outstanding() > 0)
            {
                answer.completeExceptionally(new Refused("session " + sessionId + " still has commands on their way to the journal: retry"));
                return;
            }
            sessions.resetStore(store);
            answer.complete(info(sessions, store));
        });
        return answer;
    }

    private static SessionInfo info(final Sessions sessions, final SessionStore store)
    {
        return new SessionInfo(store.sessionId(), store.compId(), store.username(), sessions.registry().isOnline(store.sessionId()),
            store.nextInSeq(), store.nextOutSeq());
    }

    private void offer(final CompletableFuture<?> answer, final Request request)
    {
        final Request guarded = sessions ->
        {
            try
            {
                request.run(sessions);
            }
            catch (final RuntimeException e)
            {
                // never the gateway thread's problem: the request failed, the caller hears why
                answer.completeExceptionally(e);
            }
        };
        if (!requests.offer(guarded))
        {
            answer.completeExceptionally(new Refused("the gateway is busy with other requests: retry"));
            return;
        }
        wakeUp.run();
    }

    /** Carries out the queued requests: the gateway's thread only. */
    int drain(final Sessions sessions)
    {
        if (requests.isEmpty())
        {
            return 0; // every duty cycle comes here: no capturing lambda (an allocation) unless there is work
        }
        return requests.drain(request -> request.run(sessions));
    }
}
