package dev.bourse.server.metrics;

import org.agrona.concurrent.status.CountersReader;

import java.util.HashSet;
import java.util.Set;

/** Renders counters in Prometheus' text exposition format; counter labels are already metric names with labels. */
public final class PrometheusText
{
    private PrometheusText()
    {
    }

    public static String render(final CountersReader counters)
    {
        final StringBuilder out = new StringBuilder(4096);
        final Set<String> typed = new HashSet<>();
        counters.forEach((counterId, typeId, keyBuffer, label) ->
        {
            final int brace = label.indexOf('{');
            final String name = brace < 0 ? label : label.substring(0, brace);
            if (typed.add(name))
            {
                out.append("# TYPE ").append(name).append(typeId == MetricTypes.GAUGE ? " gauge" : " counter").append('\n');
            }
            out.append(label).append(' ').append(counters.getCounterValue(counterId)).append('\n');
        });
        return out.toString();
    }
}
