package dev.bourse.cluster.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A node's cold start logged Aeron's whole connect state (channels, publications) as if it were a fault (an outside tester). */
class ConnectFailureReasonTest
{
    @Test
    void aConnectTimeoutIsNamedWithoutAeronsStateDump()
    {
        assertEquals("cluster connect timeout", ClusterClient.connectFailureReason(
            "ERROR - cluster connect timeout: state=SEND_MESSAGE messageTimeout=3s ingressChannel=aeron:udp?term-length=64k"
                + " ingressEndpoints=0=localhost:43000 ingressPublication=Publication{originalRegistrationId=93, sessionId=1}"));
    }

    @Test
    void aReasonWithoutADumpIsKeptWhole()
    {
        assertEquals("no route to host: localhost", ClusterClient.connectFailureReason("ERROR - no route to host: localhost"));
        assertEquals("timed out", ClusterClient.connectFailureReason("timed out"));
        assertEquals("null", ClusterClient.connectFailureReason(null));
    }
}
