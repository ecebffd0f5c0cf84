package dev.bourse.server;

import dev.bourse.server.config.ExchangeConfig;
import dev.bourse.server.config.Settings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The example configuration (config/exchange.properties) with some keys given other values: what tests start exchanges with. */
public final class ExampleConfig
{
    public static final Path FILE = Path.of("..", "config", "exchange.properties");

    private ExampleConfig()
    {
    }

    /**
     * The keys that keep a test's exchange to itself: its data directory, free ports (0) and its own
     * Aeron directory. A mutable map, for a test's further keys.
     */
    public static Map<String, String> isolated(final Path dataDir, final String aeronDir)
    {
        final Map<String, String> overrides = new java.util.HashMap<>();
        overrides.put("data.dir", dataDir.toString());
        overrides.put("gateway.port", "0");
        overrides.put("query.port", "0");
        overrides.put("md.aeron-dir", aeronDir);
        return overrides;
    }

    /** The example's text with each key of {@code overrides} set to its value instead (its own line dropped, one appended). */
    public static String text(final Map<String, String> overrides) throws IOException
    {
        final StringBuilder text = new StringBuilder();
        for (final String line : Files.readAllLines(FILE))
        {
            final String key = line.contains("=") ? line.substring(0, line.indexOf('=')).trim() : "";
            if (!overrides.containsKey(key))
            {
                text.append(line).append('\n');
            }
        }
        overrides.forEach((k, v) -> text.append(k).append(" = ").append(v).append('\n'));
        return text.toString();
    }

    /** The example with {@code overrides}, read as {@code ./exchange start} would. */
    public static ExchangeConfig read(final Map<String, String> overrides) throws Exception
    {
        return ExchangeConfig.read(Settings.parse(FILE.toString(), text(overrides)));
    }
}
