package dev.bourse.readmodels.stream;

import dev.bourse.protocol.auth.CredentialStore;
import dev.bourse.readmodels.ApiClientAccess;
import dev.bourse.readmodels.JournalSource;
import dev.bourse.readmodels.ReadModelsContext;
import dev.bourse.readmodels.ReadModelsServer;
import dev.bourse.readmodels.Workload;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.bourse.readmodels.stream.WsClient.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stream session logged in with a token read the account's orders and fills for as long as the
 * connection lasted, after the token had expired or been retired by a newer one (found by an
 * outside tester). The login now lasts as long as its token: then the session's private channels
 * end, it is told, keeps its public channels, and may log in again.
 */
final class StreamLoginLifetimeTest
{
    private Workload workload;
    private ReadModelsServer server;
    private WebSocketClient client;

    private void start(final long tokenTtlSeconds) throws Exception
    {
        workload = new Workload(23).run(2_000);
        final CredentialStore credentials = new CredentialStore()
            .addPlain("alice", "alice-secret", 1, true)
            .addPlain("bob", "bob-secret", 2, true);
        server = ReadModelsServer.start(new ReadModelsContext().journal(JournalSource.of(workload.journal)).port(0)
            .bindAddress("127.0.0.1").credentials(credentials).tokenTtlSeconds(tokenTtlSeconds));
        client = new WebSocketClient();
        client.start();
    }

    @AfterEach
    void stop() throws Exception
    {
        if (client != null)
        {
            client.stop();
        }
        if (server != null)
        {
            server.close();
        }
    }

    @Test
    void aRetiredTokensSessionStopsReadingTheAccountAndMayLogInAgain() throws Exception
    {
        start(3_600);
        final String first = ApiClientAccess.token(server.port(), "alice", "alice-secret");
        try (WsClient alice = WsClient.connect(client, server.port(), null);
            WsClient bob = WsClient.connect(client, server.port(), null))
        {
            alice.send("{\"op\":\"auth\",\"token\":\"" + first + "\"}");
            alice.await(m -> m.contains("\"type\":\"authenticated\""), "authenticated");
            alice.send("{\"op\":\"subscribe\",\"channel\":\"orders\"}");
            alice.send("{\"op\":\"subscribe\",\"channel\":\"trades\",\"instrument\":\"I1\"}");
            alice.await(m -> m.contains("\"type\":\"snapshot\"") && m.contains("\"channel\":\"orders\""), "orders snapshot");
            alice.await(m -> m.contains("\"type\":\"snapshot\"") && m.contains("\"channel\":\"trades\""), "trades snapshot");
            bob.send("{\"op\":\"auth\",\"username\":\"bob\",\"password\":\"bob-secret\"}");
            bob.await(m -> m.contains("\"type\":\"authenticated\""), "bob authenticated");
            bob.send("{\"op\":\"subscribe\",\"channel\":\"orders\"}");
            bob.await(m -> m.contains("\"type\":\"snapshot\"") && m.contains("\"channel\":\"orders\""), "bob's orders snapshot");

            String newest = null;
            for (int i = 0; i < 16; i++) // a user holds at most 16 live tokens: the 17th retires the first
            {
                newest = ApiClientAccess.token(server.port(), "alice", "alice-secret");
            }
            final String ended = alice.await(m -> m.contains("\"code\":\"login_ended\""), "the login's end");
            assertTrue(field(ended, "message").contains("1 private channel(s) ended"), ended);

            alice.received().clear();
            workload.run(4_000);
            alice.await(m -> m.contains("\"channel\":\"trades\"") && m.contains("\"type\":\"update\""), "public trades still");
            bob.await(m -> m.contains("\"channel\":\"orders\"") && m.contains("\"type\":\"update\""), "bob's orders, untouched");
            for (final String m : alice.received())
            {
                assertTrue(!m.contains("\"channel\":\"orders\""), "an orders message after the login ended: " + m);
            }
            alice.send("{\"op\":\"subscribe\",\"channel\":\"orders\"}");
            assertEquals("unauthorized", field(alice.await(m -> m.contains("\"type\":\"error\""), "a refusal"), "code"));

            alice.send("{\"op\":\"auth\",\"token\":\"" + newest + "\"}");
            alice.await(m -> m.contains("\"type\":\"authenticated\""), "authenticated again");
            alice.send("{\"op\":\"subscribe\",\"channel\":\"orders\"}");
            alice.await(m -> m.contains("\"type\":\"snapshot\"") && m.contains("\"channel\":\"orders\""), "orders again");
            assertTrue(ApiClientAccess.get(server.port(), "/metrics").contains("bourse_query_ws_logins_ended_total 1"));
        }
    }

    @Test
    void anExpiredTokensSessionStopsReadingTheAccountButAPasswordsDoesNot() throws Exception
    {
        start(1);
        final String token = ApiClientAccess.token(server.port(), "alice", "alice-secret");
        try (WsClient alice = WsClient.connect(client, server.port(), "Bearer " + token);
            WsClient bob = WsClient.connect(client, server.port(), null))
        {
            alice.await(m -> m.contains("\"type\":\"authenticated\""), "authenticated at the upgrade");
            alice.send("{\"op\":\"subscribe\",\"channel\":\"fills\"}");
            alice.await(m -> m.contains("\"type\":\"snapshot\"") && m.contains("\"channel\":\"fills\""), "fills snapshot");
            bob.send("{\"op\":\"auth\",\"username\":\"bob\",\"password\":\"bob-secret\"}");
            bob.await(m -> m.contains("\"type\":\"authenticated\""), "bob authenticated");
            bob.send("{\"op\":\"subscribe\",\"channel\":\"fills\"}");
            bob.await(m -> m.contains("\"type\":\"snapshot\"") && m.contains("\"channel\":\"fills\""), "bob's fills snapshot");

            alice.await(m -> m.contains("\"code\":\"login_ended\""), "the login's end when the token expires");
            alice.received().clear();
            bob.received().clear();
            workload.run(4_000);
            bob.await(m -> m.contains("\"channel\":\"fills\"") && m.contains("\"type\":\"update\""), "bob's fills go on");
            for (final String m : alice.received())
            {
                assertTrue(!m.contains("\"channel\":\"fills\""), "a fills message after the token expired: " + m);
            }
        }
    }
}
