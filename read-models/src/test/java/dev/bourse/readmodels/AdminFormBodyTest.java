package dev.bourse.readmodels;

import dev.bourse.protocol.Prices;
import dev.bourse.protocol.auth.CredentialStore;
import dev.bourse.protocol.auth.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.bourse.readmodels.ApiClient.basic;
import static org.junit.jupiter.api.Assertions.*;

/**
 * How the admin API reads its form bodies, and what it says of those it cannot read (outside
 * testers' findings): a chunked form is read like one with a length, a body that is not UTF-8 is a
 * 400 (after the credentials), instrument 0 is no instrument, a body too long is called a body, and
 * a plain request to the WebSocket endpoint is a 426 naming it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminFormBodyTest
{
    private static final String OPS = basic("ops", "ops-secret");
    private static final String FORM = "application/x-www-form-urlencoded";

    private final RecordingAdminBackend backend = new RecordingAdminBackend();
    private final List<AdminCommand> commands = backend.commands;
    private Workload workload;
    private ReadModelsServer server;
    private ApiClient api;

    @BeforeAll
    void start() throws Exception
    {
        workload = new Workload(3).run(100);
        final CredentialStore credentials = new CredentialStore().addPlain("ops", "ops-secret", Role.OPERATIONS, 0, true);
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

    @BeforeEach
    void clear()
    {
        commands.clear();
    }

    /** A chunked form's parameters were read and dropped before the admin API saw them: the action ran without them. */
    @Test
    void aChunkedFormBodyIsReadLikeOneWithALength() throws Exception
    {
        String answer = chunkedForm("/api/v1/admin/end-of-day", OPS, "instrument=1");
        assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
        assertEquals(List.of(new AdminCommand.EndOfDay(1, false)), commands, "one instrument's end of day, not the exchange's");
        commands.clear();
        answer = chunkedForm("/api/v1/admin/end-of-day", OPS, "force=true");
        assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
        assertEquals(List.of(new AdminCommand.EndOfDay(0, true)), commands);
        commands.clear();
        answer = chunkedForm("/api/v1/admin/accounts/2001/deposit", OPS, "amount=2");
        assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
        assertEquals(List.of(new AdminCommand.Transfer(2001, 0, Prices.parse("2"), false)), commands);
    }

    /** The body limit holds for a chunked form as it is read: a 413 before the body ends, nothing run. */
    @Test
    void aChunkedFormBodyOverTheLimitIsA413WhileItIsRead() throws Exception
    {
        try (Socket socket = new Socket("127.0.0.1", server.port()))
        {
            socket.setSoTimeout(20_000);
            final StringBuilder request = new StringBuilder("POST /api/v1/admin/end-of-day HTTP/1.1\r\nHost: x\r\nAuthorization: " + OPS
                + "\r\nContent-Type: " + FORM + "\r\nTransfer-Encoding: chunked\r\n\r\n");
            final int limit = 64 * 1024;
            for (int sent = 0; sent <= limit; sent += 4096)
            {
                request.append("1000\r\n").append("a".repeat(4096)).append("\r\n");
            }
            // no last chunk: the answer comes before the body ends
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            final String answer = readAnswer(socket.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
            assertTrue(answer.contains("\"error\":\"body_too_large\""), answer);
        }
        assertEquals(List.of(), commands);
    }

    /** Invalid UTF-8 in a form was a 500 naming a Jetty class (and a stack trace logged), even without credentials. */
    @Test
    void aFormBodyThatIsNotUtf8IsA400AfterTheCredentials() throws Exception
    {
        final byte[] body = {'x', '=', (byte)0xff};
        String answer = post("/api/v1/admin/end-of-day", OPS, FORM, body);
        assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
        assertTrue(answer.contains("not valid UTF-8"), answer);
        assertFalse(answer.contains("jetty") || answer.contains("Exception"), answer);
        answer = post("/api/v1/admin/end-of-day", null, FORM, body);
        assertTrue(answer.startsWith("HTTP/1.1 401 "), "no credentials, whatever the body: " + answer);
        answer = post("/api/v1/admin/accounts/2001/deposit", OPS, FORM, new byte[] {'a', 'm', 'o', 'u', 'n', 't', '=', '5', (byte)0xc3});
        assertTrue(answer.startsWith("HTTP/1.1 400 ") && answer.contains("not valid UTF-8"), "a truncated sequence: " + answer);
        assertEquals(List.of(), commands);
    }

    /** Instrument ids start at 1: instrument=0 moved cash (and closed every instrument's day). */
    @Test
    void instrumentZeroIsNoInstrument()
    {
        for (final String path : List.of("/api/v1/admin/accounts/2001/deposit", "/api/v1/admin/accounts/2001/withdraw"))
        {
            final HttpResponse<String> refused = api.send("POST", path, OPS, FORM, "amount=5&instrument=0");
            assertEquals(404, refused.statusCode(), path + ": " + refused.body());
            assertTrue(refused.body().contains("\"error\":\"unknown_instrument\""), refused.body());
        }
        assertEquals(404, api.send("POST", "/api/v1/admin/end-of-day", OPS, FORM, "instrument=00").statusCode());
        assertEquals(404, api.send("POST", "/api/v1/admin/instruments/0/halt", OPS).statusCode());
        assertEquals(List.of(), commands);
        assertEquals(200, api.send("POST", "/api/v1/admin/accounts/2001/deposit", OPS, FORM, "amount=5").statusCode(), "cash");
    }

    /** A long form body was called a query string; a body without a Content-Type "a body of type none". */
    @Test
    void refusedBodiesAreNamedForWhatTheyAre()
    {
        final HttpResponse<String> longBody = api.send("POST", "/api/v1/admin/end-of-day", OPS, FORM, "force=" + "t".repeat(59_994));
        assertEquals(400, longBody.statusCode(), longBody.body());
        assertTrue(longBody.body().contains("form body longer than 4096 characters"), longBody.body());
        final HttpResponse<String> longQuery = api.send("POST", "/api/v1/admin/end-of-day?force=" + "t".repeat(4_100), OPS);
        assertTrue(longQuery.body().contains("query string longer than 4096 characters"), longQuery.body());
        final HttpResponse<String> untyped = api.send("POST", "/api/v1/admin/end-of-day", OPS, null, "0123456789");
        assertEquals(415, untyped.statusCode(), untyped.body());
        assertTrue(untyped.body().contains("not a body without a Content-Type"), untyped.body());
        final HttpResponse<String> json = api.send("POST", "/api/v1/admin/end-of-day", OPS, "application/json", "{}");
        assertTrue(json.body().contains("not a body of type application/json"), json.body());
        assertEquals(List.of(), commands);
    }

    /** A plain GET of the WebSocket endpoint was a 404, "no such endpoint". */
    @Test
    void aPlainRequestToTheWebSocketEndpointIsA426() throws Exception
    {
        try (Socket socket = new Socket("127.0.0.1", server.port()))
        {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write("GET /ws HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            final String answer = readAnswer(socket.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 426 "), answer);
            assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("\r\nupgrade: websocket\r\n"), answer);
            assertTrue(answer.contains("\"error\":\"upgrade_required\"") && answer.contains("WebSocket endpoint"), answer);
        }
    }

    private String chunkedForm(final String path, final String authorization, final String form) throws IOException
    {
        final byte[] body = form.getBytes(StandardCharsets.UTF_8);
        final ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.write(("POST " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
            + "Content-Type: " + FORM + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        // two chunks: the form arrives in pieces
        final int half = body.length / 2;
        request.write((Integer.toHexString(half) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        request.write(body, 0, half);
        request.write(("\r\n" + Integer.toHexString(body.length - half) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        request.write(body, half, body.length - half);
        request.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return exchange(request.toByteArray());
    }

    private String post(final String path, final String authorization, final String type, final byte[] body) throws IOException
    {
        final ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.write(("POST " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
            + "Content-Type: " + type + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        request.write(body);
        return exchange(request.toByteArray());
    }

    private String exchange(final byte[] request) throws IOException
    {
        try (Socket socket = new Socket("127.0.0.1", server.port()))
        {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return readAnswer(socket.getInputStream());
        }
    }

    /** Everything until the server closes the connection. */
    private static String readAnswer(final InputStream in) throws IOException
    {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
}
