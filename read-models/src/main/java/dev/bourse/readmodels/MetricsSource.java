package dev.bourse.readmodels;

/**
 * Renders the exchange's counters for {@code /metrics} in the Prometheus text format. The server
 * plugs its counters in here (from its own process, or read from the counters file when the query
 * side runs as a child process); the query side appends its own counters after them.
 */
@FunctionalInterface
public interface MetricsSource
{
    String render();
}
