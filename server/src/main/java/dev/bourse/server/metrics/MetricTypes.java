package dev.bourse.server.metrics;

/** Counter type ids stored with each counter: tell a monotonic counter from a gauge when exporting. */
public final class MetricTypes
{
    public static final int COUNTER = 1;
    public static final int GAUGE = 2;

    private MetricTypes()
    {
    }
}
