package dev.bourse.server.admin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** query.token-lifetime reaches the tokens the query side issues (it was an hour, fixed, with no key). */
class TokenLifetimeTest
{
    @Test
    void theConfiguredLifetimeIsTheTokensLifetime(@TempDir final Path temp) throws Exception
    {
        try (OpsExchange exchange = new OpsExchange(temp.resolve("data"), Map.of("query.token-lifetime", "90s")))
        {
            final OpsExchange.Answer token = exchange.post("/api/v1/auth/token", null, "audit", OpsExchange.AUDIT_PASSWORD);
            assertEquals(200, token.status(), token.body());
            assertTrue(token.body().contains("\"expiresInSeconds\":90"), token.body());
        }
    }
}
