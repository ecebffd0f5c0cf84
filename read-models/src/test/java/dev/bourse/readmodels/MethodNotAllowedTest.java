package dev.bourse.readmodels;

import dev.bourse.protocol.auth.CredentialStore;
import dev.bourse.protocol.auth.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;

import static dev.bourse.readmodels.ApiClient.basic;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Every 405 names the methods its resource takes in an {@code Allow} header (RFC 9110, 15.5.6: a
 * 405 MUST carry one; an outside probe found ours without), and keeps the API's JSON error body:
 * the read-only API and {@code /metrics} take GET and HEAD, the token endpoint POST, the admin
 * session list GET and the admin actions POST. The methods named are the ones that work.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MethodNotAllowedTest
{
    private final RecordingAdminBackend backend = new RecordingAdminBackend();

    private static final String ALICE = basic("alice", "alice-secret");
    private static final String OPS = basic("ops", "ops-secret");
    private static final List<String> OTHER_METHODS = List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "FOO");

    private Workload workload;
    private ReadModelsServer server;
    private ApiClient api;

    @BeforeAll
    void start() throws Exception
    {
        workload = new Workload(3).run(200);
        final CredentialStore credentials = new CredentialStore()
            .addPlain("alice", "alice-secret", 1, true)
            .addPlain("ops", "ops-secret", Role.OPERATIONS, 0, true);
        server = ReadModelsServer.start(new ReadModelsContext().journal(JournalSource.of(workload.journal)).port(0)
            .bindAddress("127.0.0.1").credentials(credentials).adminBackend(backend));
        api = new ApiClient(server.port());
        RestartAndRebuildTest.awaitPosition(server, workload.journal.size() - 1);
    }

    @AfterAll
    void stop()
    {
        server.close();
    }

    @Test
    void theReadOnlyApiAndTheMetricsAllowGetAndHead()
    {
        for (final String path : List.of("/api/v1/status", "/api/v1/instruments/1/trades", "/api/v1/accounts/1/balances",
            "/api/v1/accounts/1/activity.csv", "/metrics"))
        {
            for (final String method : OTHER_METHODS)
            {
                assertRefused(api.send(method, path, ALICE), "GET, HEAD", method + " " + path);
            }
            assertEquals(200, api.get(path, ALICE).statusCode(), path);
            assertEquals(200, api.send("HEAD", path, ALICE).statusCode(), path);
            assertEquals(Optional.empty(), api.get(path, ALICE).headers().firstValue("Allow"), "only a 405 says Allow: " + path);
        }
    }

    @Test
    void aPathThatIsNoResourceIsA404WhateverTheMethodAndTheDashboardAllowsGetAndHead()
    {
        for (final String method : OTHER_METHODS)
        {
            for (final String path : List.of("/api/v1/nope", "/api/v1/", "/elsewhere"))
            {
                assertEquals(404, api.send(method, path, ALICE).statusCode(), method + " " + path + ": nothing there to allow");
            }
            assertRefused(api.send(method, "/", null), "GET, HEAD", method + " /");
        }
        assertEquals(200, api.get("/", null).statusCode(), "the dashboard");
    }

    @Test
    void theTokenEndpointAllowsPost()
    {
        for (final String method : List.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS"))
        {
            assertRefused(api.send(method, "/api/v1/auth/token", ALICE), "POST", method + " token");
        }
        assertEquals(200, api.send("POST", "/api/v1/auth/token", ALICE).statusCode());
    }

    @Test
    void theAdminSessionListAllowsGetAndTheAdminActionsPost()
    {
        for (final String method : List.of("POST", "PUT", "DELETE", "HEAD"))
        {
            assertRefused(api.send(method, "/api/v1/admin/sessions", OPS), "GET", method + " sessions");
        }
        assertEquals(200, api.get("/api/v1/admin/sessions", OPS).statusCode());
        for (final String path : List.of("/api/v1/admin/end-of-day", "/api/v1/admin/accounts", "/api/v1/admin/instruments/1/halt",
            "/api/v1/admin/sessions/3/disconnect"))
        {
            for (final String method : List.of("GET", "HEAD", "PUT", "DELETE"))
            {
                assertRefused(api.send(method, path, OPS), "POST", method + " " + path);
            }
        }
        final HttpResponse<String> action = api.send("POST", "/api/v1/admin/end-of-day", OPS);
        assertEquals(200, action.statusCode(), action.body());
        // a 405 says the resource exists: an admin path that names no action was one for GET and a 404 for POST (an outside probe)
        for (final String path : List.of("/api/v1/admin/nope", "/api/v1/admin/instruments/1/frobnicate", "/api/v1/admin/accounts/1",
            "/api/v1/admin/sessions/3/nope", "/api/v1/admin/end-of-day/1"))
        {
            for (final String method : List.of("GET", "POST", "PUT", "DELETE"))
            {
                final HttpResponse<String> missing = api.send(method, path, OPS);
                assertEquals(404, missing.statusCode(), method + " " + path + ": " + missing.body());
                assertEquals(Optional.empty(), missing.headers().firstValue("Allow"), method + " " + path);
            }
        }
    }

    /**
     * An admin action reads its parameters from a form body or the query string; a JSON body was
     * ignored and the action ran without them (an outside probe). It is a 415 naming what works.
     */
    @Test
    void anAdminActionWithABodyItCannotReadIsA415()
    {
        for (final String type : new String[]{"application/json", null})
        {
            final HttpResponse<String> refused = api.send("POST", "/api/v1/admin/accounts/1/deposit", OPS, type, "{\"amount\":\"5\"}");
            assertEquals(415, refused.statusCode(), type + ": " + refused.body());
            assertTrue(refused.body().startsWith("{\"error\":\"unsupported_media_type\""), refused.body());
            assertTrue(refused.body().contains("application/x-www-form-urlencoded"), refused.body());
            // the body was not read, so the connection closes after the answer, and the answer says so:
            // a client reusing it raced the close (a CI run's next request got no answer)
            assertEquals(java.util.Optional.of("close"), refused.headers().firstValue("connection"), type + ": " + refused.headers());
        }
        assertEquals(200, api.send("POST", "/api/v1/admin/accounts/1/deposit", OPS, "application/x-www-form-urlencoded", "amount=5")
            .statusCode());
        assertEquals(200, api.send("POST", "/api/v1/admin/accounts/1/deposit?amount=5", OPS).statusCode(), "the query string");
        assertRefused(api.send("PUT", "/api/v1/admin/end-of-day", OPS, "application/json", "{}"), "POST", "the method first");
    }

    private static void assertRefused(final HttpResponse<String> refused, final String allow, final String what)
    {
        assertEquals(405, refused.statusCode(), what + ": " + refused.body());
        assertEquals(Optional.of(allow), refused.headers().firstValue("Allow"), what);
        assertTrue(refused.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"), what);
        final boolean head = refused.request().method().equals("HEAD");
        assertTrue(head ? refused.body().isEmpty() : refused.body().startsWith("{\"error\":\"method_not_allowed\",\"message\":"),
            what + ": " + refused.body());
    }
}
