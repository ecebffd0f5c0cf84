package dev.bourse.readmodels;

import dev.bourse.protocol.CommandWriter;
import dev.bourse.protocol.auth.CredentialStore;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static dev.bourse.readmodels.ApiClient.basic;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An operator's suspension (a kill switch's too) and resume are in the account's activity report,
 * which way each went: the audit log's record of SET_BLOCK names the operator but not the direction, and
 * the report had no line of it at all.
 */
class BlockActivityTest
{
    private static final String ALICE = basic("alice", "alice-secret");

    private final CommandWriter writer = new CommandWriter();

    @Test
    void aSuspensionAndItsResumeAreLinesOfTheAccountsActivity() throws Exception
    {
        final Workload workload = new Workload(5);
        workload.submit(b -> writer.setBlock(b, 0, 0, 1, 0, true, false));  // suspend (a kill switch: the same, then its mass cancel)
        workload.submit(b -> writer.setBlock(b, 0, 0, 2, 0, true, false));  // another account's
        workload.submit(b -> writer.setBlock(b, 0, 0, 1, 0, false, false)); // resume

        final CredentialStore credentials = new CredentialStore().addPlain("alice", "alice-secret", 1, true);
        try (ReadModelsServer server = ReadModelsServer.start(new ReadModelsContext().journal(JournalSource.of(workload.journal))
            .port(0).bindAddress("127.0.0.1").credentials(credentials)))
        {
            RestartAndRebuildTest.awaitPosition(server, workload.journal.size() - 1);
            final HttpResponse<String> answer = new ApiClient(server.port()).get("/api/v1/accounts/1/activity.csv?limit=1000", ALICE);
            assertEquals(200, answer.statusCode(), answer.body());
            final List<String> blocks = answer.body().lines().skip(1)
                .map(line -> line.split(",", -1))
                .filter(fields -> fields[3].equals("BLOCK_CHANGED"))
                .map(fields -> fields[12])
                .toList();
            assertEquals(List.of("BLOCKED", "UNBLOCKED"), blocks, answer.body());
        }
    }
}
