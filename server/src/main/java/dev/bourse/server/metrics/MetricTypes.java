package dev.bourse.server.metrics;

/** Counter type ids stored with each counter: tell a monotonic counter from a gauge when exporting. */
public final class MetricTypes
{
    public static final int COUNTER = dev.bourse.protocol.CounterDescriptor.Kind.COUNTER.typeId;
    public static final int GAUGE = dev.bourse.protocol.CounterDescriptor.Kind.GAUGE.typeId;

    private MetricTypes()
    {
    }
}
