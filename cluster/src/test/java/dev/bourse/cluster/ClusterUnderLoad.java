package dev.bourse.cluster;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * What the cluster tests that send orders through a failure share: three node processes in a
 * temporary directory, one load driver, and both stopped after each test whatever happened.
 */
abstract class ClusterUnderLoad
{
    @TempDir
    Path dir;

    TestCluster cluster;
    LoadDriver load;

    @AfterEach
    void stopClusterAndLoad()
    {
        if (load != null)
        {
            load.client.close();
        }
        if (cluster != null)
        {
            cluster.close();
        }
    }

    /** Sends orders at {@code ratePerSecond} until {@code count} more are acknowledged (90 s at most). */
    void moreOrders(final int ratePerSecond, final int count, final String what)
    {
        final long target = load.ackedOrders() + count;
        load.run(ratePerSecond, () -> load.ackedOrders() >= target, 90, what);
    }
}
