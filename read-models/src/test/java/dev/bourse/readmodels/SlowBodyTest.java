package dev.bourse.readmodels;

import dev.bourse.protocol.auth.CredentialStore;
import dev.bourse.readmodels.http.HttpLimits;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Clients that trickle a request body (a form POST, before any credential is checked) hold their
 * connections, not the server's request threads: an outside probe took the whole query port down
 * with four of them, one per thread, each sending a byte every few seconds.
 */
class SlowBodyTest
{
    @Test
    void bodiesTrickledByMoreClientsThanThreadsLeaveTheApiAnswering() throws Exception
    {
        final Workload workload = new Workload(3).run(100);
        final CredentialStore credentials = new CredentialStore().addPlain("alice", "alice-secret", 1, true);
        // two request threads; a pause of up to 10 s between body bytes is allowed
        final HttpLimits limits = new HttpLimits(2, 1_024, 30_000, 10_000, 10_000, 8_192, 64 * 1024).withAdmission(64, 1_500);
        try (ReadModelsServer server = ReadModelsServer.start(new ReadModelsContext().journal(JournalSource.of(workload.journal))
            .port(0).bindAddress("127.0.0.1").credentials(credentials).httpLimits(limits)))
        {
            final ApiClient api = new ApiClient(server.port());
            final List<Socket> tricklers = new ArrayList<>();
            try
            {
                for (int i = 0; i < 6; i++)
                {
                    final Socket s = new Socket("127.0.0.1", server.port());
                    tricklers.add(s);
                    s.getOutputStream().write(("POST /api/v1/auth/token HTTP/1.1\r\nHost: x\r\n"
                        + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                }
                for (int round = 0; round < 3; round++)
                {
                    for (final Socket s : tricklers)
                    {
                        final OutputStream out = s.getOutputStream();
                        out.write('a');
                        out.flush();
                    }
                    // every request thread would be held by now if a body were read on one
                    assertEquals(200, api.get("/api/v1/status", null).statusCode(), "round " + round);
                    Thread.sleep(300);
                }
            }
            finally
            {
                for (final Socket s : tricklers)
                {
                    s.close();
                }
            }
        }
    }
}
