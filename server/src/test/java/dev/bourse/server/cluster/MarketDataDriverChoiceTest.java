package dev.bourse.server.cluster;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node's market data goes through the node's own media driver unless md.aeron-dir names another
 * directory: naming the node's own (cluster.aeron-dir) launched a second driver there, which found
 * the node's and stopped the node blaming "another exchange" (an outside probe).
 */
class MarketDataDriverChoiceTest
{
    @Test
    void theNodesOwnDirectoryInAnySpellingMeansTheNodesDriver()
    {
        assertTrue(ClusterNodeServer.usesNodeDriver(null, "/dev/shm/node-0"));
        assertTrue(ClusterNodeServer.usesNodeDriver(Path.of("/dev/shm/node-0"), "/dev/shm/node-0"));
        assertTrue(ClusterNodeServer.usesNodeDriver(Path.of("/dev/shm/x/../node-0/"), "/dev/shm/node-0"));
        assertFalse(ClusterNodeServer.usesNodeDriver(Path.of("/dev/shm/md-0"), "/dev/shm/node-0"));
    }
}
