package dev.bourse.readmodels;

import dev.bourse.protocol.auth.CredentialStore;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Malformed paths and query strings, sent as raw bytes (no client-side URI checks), never get a
 * 5xx or break the server: every answer is a 2xx or a specific 4xx.
 */
class QueryParamsFuzzTest
{
    private static final List<String> PATHS = List.of(
        "/api/v1/status", "/api/v1/instruments", "/api/v1/instruments/1", "/api/v1/instruments/I1/trades",
        "/api/v1/instruments/1/candles", "/api/v1/instruments/1/depth", "/api/v1/instruments/1/bbo",
        "/api/v1/instruments/1/stats", "/api/v1/accounts/1/balances", "/api/v1/accounts/1/open-orders",
        "/api/v1/accounts/1/executions", "/api/v1/accounts/1/orders", "/api/v1/accounts/1/orders/1",
        "/api/v1/accounts/1/activity.csv", "/api/v1/auth/token");
    private static final List<String> NAMES = List.of(
        "offset", "limit", "interval", "from", "to", "levels", "date", "clOrdId", "waitFor", "waitForSequence", "timeoutMs", "x");
    private static final List<String> VALUES = List.of(
        "", "0", "-1", "1", "5", "1000", "1001", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
        "1e3", "0x10", "abc", "%", "%zz", "%00", "%ff%fe", "1s", "1m", "1h", "1d", "2024-02-30", "2024-01-01",
        "+1", " 1", "1%20", "%E2%82%AC", "999999999999999999999999", "NaN", "null", "[]", "{}", "\"", "'", "c1");

    @Test
    void noMalformedRequestGetsA5xx() throws IOException
    {
        final Workload workload = new Workload(5).run(2_000);
        final CredentialStore credentials = new CredentialStore().addPlain("alice", "pw", 1, true);
        try (ReadModelsServer server = ReadModelsServer.start(new ReadModelsContext().journal(JournalSource.of(workload.journal))
            .port(0).bindAddress("127.0.0.1").credentials(credentials).maxWaitMs(50)))
        {
            RestartAndRebuildTest.awaitPosition(server, workload.journal.size() - 1);
            final SplittableRandom random = new SplittableRandom(99);
            final String auth = ApiClient.basic("alice", "pw");
            int ok = 0;
            for (int i = 0; i < 1_500; i++)
            {
                final String target = request(random);
                final String method = random.nextInt(10) == 0 ? "POST" : random.nextInt(20) == 0 ? "PUT" : "GET";
                final int status = send(server.port(), method, target, random.nextInt(4) == 0 ? null : auth);
                // A wait for a position the journal has not reached is well formed, and times out (504) as documented.
                final boolean waits = target.contains("waitFor=") || target.contains("waitForSequence=");
                assertTrue(status >= 200 && status < 500 || status == 504 && waits, method + " " + target + " -> " + status);
                if (status == 200)
                {
                    ok++;
                }
            }
            assertTrue(ok > 50, "some requests should be well formed: " + ok);
            assertEquals(200, send(server.port(), "GET", "/api/v1/status", null), "still serving");
        }
    }

    private static String request(final SplittableRandom random)
    {
        final StringBuilder target = new StringBuilder(PATHS.get(random.nextInt(PATHS.size())));
        if (random.nextInt(8) == 0)
        {
            // mangle the path
            final int at = random.nextInt(target.length());
            target.insert(at, VALUES.get(random.nextInt(VALUES.size())).replace(" ", "%20").replace("\"", "%22"));
        }
        final int params = random.nextInt(4);
        for (int p = 0; p < params; p++)
        {
            target.append(p == 0 ? '?' : '&');
            final String name = NAMES.get(random.nextInt(NAMES.size()));
            final String value = VALUES.get(random.nextInt(VALUES.size()));
            target.append(name);
            if (random.nextInt(10) != 0)
            {
                target.append('=').append(value.replace(" ", "%20").replace("\"", "%22"));
            }
        }
        if (random.nextInt(20) == 0)
        {
            // random printable junk
            for (int j = 0, n = random.nextInt(30); j < n; j++)
            {
                target.append((char)(0x21 + random.nextInt(0x5e)));
            }
        }
        return target.toString();
    }

    /** One HTTP/1.1 request on a raw socket; returns the status code. */
    private static int send(final int port, final String method, final String target, final String auth) throws IOException
    {
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(30_000);
            final OutputStream out = socket.getOutputStream();
            final StringBuilder request = new StringBuilder().append(method).append(' ').append(target)
                .append(" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
            if (auth != null)
            {
                request.append("Authorization: ").append(auth).append("\r\n");
            }
            request.append("\r\n");
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            final InputStream in = socket.getInputStream();
            final ByteArrayOutputStream line = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != -1 && c != '\n')
            {
                line.write(c);
            }
            final String status = line.toString(StandardCharsets.ISO_8859_1);
            final String[] parts = status.split(" ");
            assertTrue(parts.length >= 2 && parts[0].startsWith("HTTP/1."), "status line for " + target + ": " + status);
            return Integer.parseInt(parts[1]);
        }
    }
}
