package dev.bourse.gateway;

import dev.bourse.protocol.CounterDescriptor;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/** The gateway's counters: allocated from the process's CountersManager, written by the gateway thread only. */
final class GatewayCounters
{
    final AtomicCounter connections;
    final AtomicCounter unauthenticated;
    final AtomicCounter sessions;
    final AtomicCounter messagesIn;
    final AtomicCounter messagesOut;
    final AtomicCounter throttled;
    final AtomicCounter busyRejects;
    final AtomicCounter garbled;
    final AtomicCounter sessionRejects;
    final AtomicCounter slowReaders;
    final AtomicCounter sessionsTakenOver;
    final AtomicCounter sessionsGivenUp;
    final AtomicCounter foreignLogons;
    final AtomicCounter unreservedSends;
    final AtomicCounter reportsReplayed;
    final AtomicCounter logonFailures;
    final AtomicCounter messageErrors;
    final AtomicCounter reportedSequence;
    final AtomicCounter lag;
    final AtomicCounter droppedCommands;
    final AtomicCounter logonChecksPending;
    final AtomicCounter tlsConnections;
    /** Connection, timeout and logon refusals by reason (null for the session kind, counted above). */
    private final AtomicCounter[] refusals = new AtomicCounter[Refusal.VALUES.length];

    GatewayCounters(final CountersManager counters)
    {
        connections = CounterDescriptor.GATEWAY_CONNECTIONS.newCounter(counters);
        unauthenticated = CounterDescriptor.GATEWAY_UNAUTHENTICATED.newCounter(counters);
        sessions = CounterDescriptor.GATEWAY_SESSIONS.newCounter(counters);
        messagesIn = CounterDescriptor.GATEWAY_MESSAGES_IN.newCounter(counters);
        messagesOut = CounterDescriptor.GATEWAY_MESSAGES_OUT.newCounter(counters);
        throttled = CounterDescriptor.GATEWAY_THROTTLED.newCounter(counters);
        busyRejects = CounterDescriptor.GATEWAY_BUSY_REJECTS.newCounter(counters);
        garbled = CounterDescriptor.GATEWAY_GARBLED.newCounter(counters);
        sessionRejects = CounterDescriptor.GATEWAY_SESSION_REJECTS.newCounter(counters);
        slowReaders = CounterDescriptor.GATEWAY_SLOW_READERS.newCounter(counters);
        sessionsTakenOver = CounterDescriptor.GATEWAY_SESSIONS_TAKEN_OVER.newCounter(counters);
        sessionsGivenUp = CounterDescriptor.GATEWAY_SESSIONS_GIVEN_UP.newCounter(counters);
        foreignLogons = CounterDescriptor.GATEWAY_FOREIGN_LOGONS.newCounter(counters);
        unreservedSends = CounterDescriptor.GATEWAY_UNRESERVED_SENDS.newCounter(counters);
        reportsReplayed = CounterDescriptor.GATEWAY_REPORTS_REPLAYED.newCounter(counters);
        logonFailures = CounterDescriptor.GATEWAY_LOGON_FAILURES.newCounter(counters);
        messageErrors = CounterDescriptor.GATEWAY_MESSAGE_ERRORS.newCounter(counters);
        reportedSequence = CounterDescriptor.GATEWAY_REPORTED_SEQUENCE.newCounter(counters);
        lag = CounterDescriptor.GATEWAY_LAG.newCounter(counters);
        droppedCommands = CounterDescriptor.GATEWAY_DROPPED_COMMANDS.newCounter(counters);
        logonChecksPending = CounterDescriptor.GATEWAY_LOGON_CHECKS_PENDING.newCounter(counters);
        tlsConnections = CounterDescriptor.GATEWAY_TLS_CONNECTIONS.newCounter(counters);
        for (final Refusal refusal : Refusal.VALUES)
        {
            if (refusal.kind.counter != null)
            {
                refusals[refusal.ordinal()] = refusal.kind.counter.newCounter(counters, refusal.label);
            }
        }
    }

    /** The counter of a connection, timeout or logon refusal; null for a session kind. */
    AtomicCounter refusal(final Refusal refusal)
    {
        return refusals[refusal.ordinal()];
    }

    void close()
    {
        connections.close();
        unauthenticated.close();
        sessions.close();
        messagesIn.close();
        messagesOut.close();
        throttled.close();
        busyRejects.close();
        garbled.close();
        sessionRejects.close();
        slowReaders.close();
        sessionsTakenOver.close();
        sessionsGivenUp.close();
        foreignLogons.close();
        unreservedSends.close();
        reportsReplayed.close();
        logonFailures.close();
        messageErrors.close();
        reportedSequence.close();
        lag.close();
        droppedCommands.close();
        logonChecksPending.close();
        tlsConnections.close();
        for (final AtomicCounter counter : refusals)
        {
            if (counter != null)
            {
                counter.close();
            }
        }
    }
}
