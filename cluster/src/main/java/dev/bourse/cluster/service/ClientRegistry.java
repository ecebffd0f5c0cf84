package dev.bourse.cluster.service;

import dev.bourse.engine.StateInput;
import dev.bourse.engine.StateOutput;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.Arrays;

/**
 * Replicated state of the cluster's clients: for each client id, the last command id applied
 * (duplicate detection: a command resent after a leader change is applied once), and which cluster
 * session speaks for which client. Changed only by log messages, so it is the same on every node,
 * and it is part of the service's snapshot.
 * <p>
 * A client keeps its id across reconnections, so its entry outlives its sessions. When the table is
 * full, the client idle longest without a session makes room (deterministic: ties by id).
 */
final class ClientRegistry
{
    /** One client: its id, the highest command id applied, and when it was last heard from (cluster time). */
    static final class Client
    {
        final long clientId;
        long lastCommandId;
        long lastActive;
        int sessions;

        Client(final long clientId)
        {
            this.clientId = clientId;
        }
    }

    private final Long2ObjectHashMap<Client> clients = new Long2ObjectHashMap<>();
    private final Long2LongHashMap clientBySession = new Long2LongHashMap(0);
    private final int capacity;

    ClientRegistry(final int capacity)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("client capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Binds a session to a client, creating the client if new.
     *
     * @return the client, or null if the table is full of clients that still have sessions.
     */
    Client hello(final long sessionId, final long clientId, final long timestamp)
    {
        Client client = clients.get(clientId);
        if (client == null)
        {
            if (clients.size() >= capacity && !evictIdlest())
            {
                return null;
            }
            client = new Client(clientId);
            clients.put(clientId, client);
        }
        final long previous = clientBySession.put(sessionId, clientId);
        if (previous != clientId)
        {
            if (previous != 0)
            {
                final Client old = clients.get(previous);
                if (old != null)
                {
                    old.sessions--;
                }
            }
            client.sessions++;
        }
        client.lastActive = timestamp;
        return client;
    }

    /** The client a session speaks for, or null before its Hello. */
    Client forSession(final long sessionId)
    {
        final long clientId = clientBySession.get(sessionId);
        return clientId == 0 ? null : clients.get(clientId);
    }

    void sessionClosed(final long sessionId)
    {
        final long clientId = clientBySession.remove(sessionId);
        if (clientId != 0)
        {
            final Client client = clients.get(clientId);
            if (client != null)
            {
                client.sessions--;
            }
        }
    }

    int size()
    {
        return clients.size();
    }

    Client get(final long clientId)
    {
        return clients.get(clientId);
    }

    private boolean evictIdlest()
    {
        Client idlest = null;
        for (final Client c : clients.values())
        {
            if (c.sessions == 0 && (idlest == null || c.lastActive < idlest.lastActive
                || (c.lastActive == idlest.lastActive && c.clientId < idlest.clientId)))
            {
                idlest = c;
            }
        }
        if (idlest == null)
        {
            return false;
        }
        clients.remove(idlest.clientId);
        return true;
    }

    /** Canonical order (by id) so equal registries write equal bytes. */
    void write(final StateOutput out)
    {
        final long[] ids = new long[clients.size()];
        int n = 0;
        for (final Client c : clients.values())
        {
            ids[n++] = c.clientId;
        }
        Arrays.sort(ids);
        out.putInt(ids.length);
        for (final long id : ids)
        {
            final Client c = clients.get(id);
            out.putLong(c.clientId);
            out.putLong(c.lastCommandId);
            out.putLong(c.lastActive);
        }
        final long[] sessionIds = new long[clientBySession.size()];
        n = 0;
        final Long2LongHashMap.KeyIterator keys = clientBySession.keySet().iterator();
        while (keys.hasNext())
        {
            sessionIds[n++] = keys.nextValue();
        }
        Arrays.sort(sessionIds);
        out.putInt(sessionIds.length);
        for (final long sessionId : sessionIds)
        {
            out.putLong(sessionId);
            out.putLong(clientBySession.get(sessionId));
        }
    }

    void read(final StateInput in)
    {
        clients.clear();
        clientBySession.clear();
        final int count = in.getInt();
        if (count < 0 || count > capacity)
        {
            throw new IllegalStateException("snapshot holds " + count + " clients, more than cluster.max-clients " + capacity);
        }
        for (int i = 0; i < count; i++)
        {
            final Client c = new Client(in.getLong());
            c.lastCommandId = in.getLong();
            c.lastActive = in.getLong();
            clients.put(c.clientId, c);
        }
        final int sessions = in.getInt();
        if (sessions < 0)
        {
            throw new IllegalStateException("snapshot session count " + sessions);
        }
        for (int i = 0; i < sessions; i++)
        {
            final long sessionId = in.getLong();
            final long clientId = in.getLong();
            final Client c = clients.get(clientId);
            if (c == null)
            {
                throw new IllegalStateException("snapshot session " + sessionId + " refers to unknown client " + clientId);
            }
            clientBySession.put(sessionId, clientId);
            c.sessions++;
        }
    }
}
