package dev.bourse.server.config;

import dev.bourse.protocol.Prices;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed, validating access to a {@code key = value} configuration file. Every getter records the
 * key as known and any problem as an error naming the key, so one pass reports everything that is
 * wrong; {@link #finish()} then adds an error for every key nothing asked for (a typo must not be
 * silently ignored) and throws if there was any problem.
 */
public final class Settings
{
    private final String source;
    private final Properties properties;
    private final Set<String> known = new LinkedHashSet<>();
    private final List<String> errors = new ArrayList<>();
    /** Keys given by --set: a problem with one is said to come from there, not from the file (an outside tester looked for it in the file). */
    private final java.util.Set<String> overridden = new java.util.HashSet<>();

    private Settings(final String source, final Properties properties)
    {
        this.source = source;
        this.properties = properties;
    }

    public static Settings load(final Path file) throws ConfigException
    {
        final byte[] bytes;
        try
        {
            bytes = Files.readAllBytes(file);
        }
        catch (final NoSuchFileException e)
        {
            throw new ConfigException(file.toString(), List.of("configuration file not found"));
        }
        catch (final IOException e)
        {
            throw new ConfigException(file.toString(), List.of("cannot read configuration file: " + e.getMessage()));
        }
        final Settings settings = parse(file.toString(), text(file, bytes), "cannot read configuration file: ");
        if (settings.properties.isEmpty())
        {
            // an empty file (a harness's mistake) started a whole exchange on the public default ports, every key at its default
            throw ConfigException.oneLine(file.toString(), "no settings in it: is this the right configuration file?");
        }
        return settings;
    }

    /**
     * The file's text, read as UTF-8. The JDK's refusal of another encoding said only "Input length = 3" (a Latin-1
     * 'é' in a comment, an outside tester): the line is named instead, and a binary file is called one.
     */
    private static String text(final Path file, final byte[] bytes) throws ConfigException
    {
        if (bytes.length >= 2 && (bytes[0] == (byte)0xFE && bytes[1] == (byte)0xFF || bytes[0] == (byte)0xFF && bytes[1] == (byte)0xFE))
        {
            throw ConfigException.oneLine(file.toString(), "is UTF-16 (it starts with a UTF-16 byte-order mark): save it as UTF-8");
        }
        for (int i = 0; i < bytes.length; i++)
        {
            if (bytes[i] == 0) // no text file holds one; a key store, an archive or a program does
            {
                throw ConfigException.oneLine(file.toString(), "not a text file (a NUL byte at line " + lineAt(bytes, i)
                    + "): give the key = value configuration file");
            }
        }
        final java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        final java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length);
        final java.nio.charset.CoderResult result = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
            .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
            .decode(in, out, true);
        if (result.isError())
        {
            throw ConfigException.oneLine(file.toString(), "not UTF-8 at line " + lineAt(bytes, in.position())
                + " (byte 0x" + String.format("%02X", bytes[in.position()] & 0xFF) + "): save it as UTF-8");
        }
        return out.flip().toString();
    }

    /** The line (1-based) that byte {@code offset} is on. */
    private static int lineAt(final byte[] bytes, final int offset)
    {
        int line = 1;
        for (int i = 0; i < offset; i++)
        {
            if (bytes[i] == '\n' || bytes[i] == '\r' && (i + 1 >= bytes.length || bytes[i + 1] != '\n'))
            {
                line++;
            }
        }
        return line;
    }

    public static Settings parse(final String source, final String text) throws ConfigException
    {
        return parse(source, text, "cannot read configuration: ");
    }

    private static Settings parse(final String source, final String text, final String cannotRead) throws ConfigException
    {
        final KeyLines lines = new KeyLines();
        try
        {
            // a UTF-8 byte-order mark (some Windows editors write one) was read as part of the first key,
            // which then was an unknown key "(did you mean 'data.dir'?)" (an outside tester)
            lines.read(text.startsWith("\uFEFF") ? text.substring(1) : text);
        }
        catch (final IOException | IllegalArgumentException e)
        {
            throw new ConfigException(source, List.of(cannotRead + e.getMessage()));
        }
        final Settings settings = new Settings(source, lines);
        // Java properties keep the last of a key given twice, silently; which one was meant is the operator's to say
        lines.given.forEach((key, at) ->
        {
            if (at.size() > 1)
            {
                final String where = at.contains(0) ? "" : " (lines " + at.stream().map(String::valueOf)
                    .collect(java.util.stream.Collectors.joining(", ")).replaceFirst(", (\\d+)$", " and $1") + ")";
                settings.error(key, "is given " + (at.size() == 2 ? "twice" : at.size() + " times") + where + ": keep the one you mean");
            }
        });
        return settings;
    }

    /**
     * Properties that remember the line (1-based) of each key as it is loaded. {@link Properties#load} reads
     * logical lines (comments and blank lines skipped, a trailing backslash continuing a line) and puts
     * one key for each: the same walk over the text gives each put its line.
     */
    private static final class KeyLines extends Properties
    {
        final java.util.Map<String, List<Integer>> given = new java.util.LinkedHashMap<>();
        private List<Integer> entryLines = List.of();
        private int puts;

        void read(final String text) throws IOException
        {
            entryLines = entryLines(text);
            load(new StringReader(text));
        }

        @Override
        public synchronized Object put(final Object key, final Object value)
        {
            final int line = puts < entryLines.size() ? entryLines.get(puts) : 0;
            puts++;
            given.computeIfAbsent(String.valueOf(key), k -> new ArrayList<>()).add(line);
            return super.put(key, value);
        }

        /** The first line of each logical line that holds a key, in order. */
        private static List<Integer> entryLines(final String text)
        {
            final String[] lines = text.split("\r\n|\r|\n", -1);
            final List<Integer> starts = new ArrayList<>();
            for (int i = 0; i < lines.length; i++)
            {
                final String stripped = lines[i].replaceFirst("^[ \t\f]+", "");
                if (stripped.isEmpty() || stripped.charAt(0) == '#' || stripped.charAt(0) == '!')
                {
                    continue; // a comment is never continued
                }
                starts.add(i + 1);
                while (continues(lines[i]) && i + 1 < lines.length)
                {
                    i++;
                }
            }
            return starts;
        }

        private static boolean continues(final String line)
        {
            int backslashes = 0;
            for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--)
            {
                backslashes++;
            }
            return backslashes % 2 == 1;
        }
    }

    public String source()
    {
        return source;
    }

    /**
     * Sets {@code key} as if the file said so (the command line's {@code --set key=value}: one file
     * for several processes, each with its own node id or data directory).
     */
    public Settings override(final String key, final String value)
    {
        properties.setProperty(key.trim(), value.trim());
        overridden.add(key.trim());
        return this;
    }

    public boolean has(final String key)
    {
        known.add(key);
        return raw(key) != null;
    }

    /** Reports a problem with a key found by a cross-check. */
    /** Whether a problem with {@code key} was reported already: a check built on its value would say it again. */
    public boolean reported(final String key)
    {
        final String prefix = key + ": ";
        final String prefixSet = key + " (--set): ";
        return errors.stream().anyMatch(e -> e.startsWith(prefix) || e.startsWith(prefixSet));
    }

    public void error(final String key, final String problem)
    {
        errors.add(key + (overridden.contains(key) ? " (--set)" : "") + ": " + problem);
    }

    public String string(final String key, final String defaultValue)
    {
        final String value = raw(key);
        known.add(key);
        if (value == null)
        {
            return defaultValue;
        }
        if (value.isEmpty())
        {
            error(key, "is empty");
            return defaultValue;
        }
        return value;
    }

    /** An Aeron channel URI ({@code aeron:ipc}, {@code aeron:udp?endpoint=...}): refused here, with its key, if Aeron would refuse it. */
    public String aeronChannel(final String key, final String defaultValue)
    {
        return checked(key, defaultValue, value ->
        {
            final io.aeron.ChannelUri uri;
            try
            {
                uri = io.aeron.ChannelUri.parse(value);
            }
            catch (final RuntimeException e)
            {
                return "'" + value + "' is not an Aeron channel (" + e.getMessage() + "); e.g. aeron:ipc or "
                    + "aeron:udp?endpoint=239.1.1.1:40456";
            }
            // a host that does not resolve failed only when market data started, after the bootstrap was journaled, in
            // Aeron's words ("UnknownHostException: unresolved - endpoint=...": an outside tester); said here, with the key
            for (final String param : new String[]{"endpoint", "interface", "control"})
            {
                final String unresolved = unresolvedHost(uri.get(param));
                if (unresolved != null)
                {
                    return "'" + value + "': the host '" + unresolved + "' in " + param + " does not resolve";
                }
            }
            return null;
        });
    }

    /** The host of an Aeron address ("host:port", "[v6]:port", an interface's "host/prefix") if it does not resolve; else null. */
    private static String unresolvedHost(final String address)
    {
        if (address == null || address.isEmpty())
        {
            return null;
        }
        String host = address;
        final int slash = host.indexOf('/');
        if (slash >= 0)
        {
            host = host.substring(0, slash);
        }
        if (host.startsWith("["))
        {
            final int close = host.indexOf(']');
            host = close > 0 ? host.substring(1, close) : host;
        }
        else
        {
            final int colon = host.lastIndexOf(':');
            host = colon >= 0 ? host.substring(0, colon) : host;
        }
        if (host.isEmpty())
        {
            return null;
        }
        try
        {
            java.net.InetAddress.getByName(host);
            return null;
        }
        catch (final java.net.UnknownHostException e)
        {
            return host;
        }
    }

    /** A local address to listen on: a name that does not resolve is refused here, with its key, not at the bind. */
    public String bindAddress(final String key, final String defaultValue)
    {
        return checked(key, defaultValue, value ->
        {
            try
            {
                final java.net.InetAddress address = java.net.InetAddress.getByName(value);
                // a valid address another host has passed here and failed at the bind, blamed on the port (an outside probe)
                if (!address.isAnyLocalAddress() && !address.isLoopbackAddress() && java.net.NetworkInterface.getByInetAddress(address) == null)
                {
                    return "'" + value + "' is not an address of this host";
                }
                return null;
            }
            catch (final java.net.UnknownHostException e)
            {
                return "'" + value + "' does not resolve to an address of this host";
            }
            catch (final java.net.SocketException e)
            {
                return null; // the interfaces cannot be listed here: the bind will tell
            }
        });
    }

    /** A string value other than the default, checked: {@code problem} gives the error, or null if it is fine. */
    private String checked(final String key, final String defaultValue, final java.util.function.UnaryOperator<String> problem)
    {
        final String value = string(key, defaultValue);
        final String error = value == null || value.equals(defaultValue) ? null : problem.apply(value);
        if (error != null)
        {
            error(key, error);
            return defaultValue;
        }
        return value;
    }

    public String requiredString(final String key)
    {
        final String value = string(key, null);
        if (value == null && raw(key) == null)
        {
            error(key, "is required");
        }
        return value;
    }

    public long longValue(final String key, final long defaultValue, final long min, final long max)
    {
        final String text = string(key, null);
        if (text == null)
        {
            return defaultValue;
        }
        final long value;
        try
        {
            value = Long.parseLong(text.replace("_", ""));
        }
        catch (final NumberFormatException e)
        {
            // digits beyond a long said "not a whole number" (an outside tester): they are one, out of range
            error(key, "'" + text + "' is " + (text.replace("_", "").matches("-?[0-9]+") ? "out of range [" + min + ", " + max + "]"
                : "not a whole number"));
            return defaultValue;
        }
        if (value < min || value > max)
        {
            error(key, value + " is out of range [" + min + ", " + max + "]");
            return defaultValue;
        }
        return value;
    }

    public int intValue(final String key, final int defaultValue, final int min, final int max)
    {
        return (int)longValue(key, defaultValue, min, max);
    }

    public int port(final String key, final int defaultValue)
    {
        return intValue(key, defaultValue, 0, 65_535);
    }

    public int powerOfTwo(final String key, final int defaultValue, final int min, final int max)
    {
        final int value = intValue(key, defaultValue, min, max);
        if (Integer.bitCount(value) != 1)
        {
            error(key, value + " is not a power of two");
            return defaultValue;
        }
        return value;
    }

    public boolean bool(final String key, final boolean defaultValue)
    {
        final String text = string(key, null);
        if (text == null)
        {
            return defaultValue;
        }
        switch (text.toLowerCase(Locale.ROOT))
        {
            case "true", "yes", "on" -> { return true; }
            case "false", "no", "off" -> { return false; }
            default ->
            {
                error(key, "'" + text + "' is not true or false (or yes/no, on/off)");
                return defaultValue;
            }
        }
    }

    /** A decimal price or cash amount in fixed point ({@link Prices#SCALE} units per currency unit). */
    public long price(final String key, final long defaultValue, final long min)
    {
        final String text = string(key, null);
        if (text == null)
        {
            return defaultValue;
        }
        final long value = Prices.parse(text.replace("_", ""));
        if (value == Prices.INVALID)
        {
            // a well-formed amount past a long of ten-thousandths said "not a decimal amount" (an outside tester)
            error(key, "'" + text + "' is " + (text.replace("_", "").trim().matches("-?[0-9]+(\\.[0-9]{0,4})?")
                ? "out of range (at most " + Prices.toString(Long.MAX_VALUE) + ")"
                : "not a decimal amount with at most " + Prices.DECIMALS + " decimals"));
            return defaultValue;
        }
        if (value < min)
        {
            error(key, text + " must be at least " + Prices.toString(min));
            return defaultValue;
        }
        return value;
    }

    /** A duration such as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, or a bare {@code 0}. */
    public Duration duration(final String key, final Duration defaultValue, final Duration min)
    {
        final String text = string(key, null);
        if (text == null)
        {
            return defaultValue;
        }
        final Duration value = parseDuration(text);
        if (value == null)
        {
            // a well-formed duration of more digits than any setting needs said "not a duration" (an outside tester)
            error(key, "'" + text + "' is " + (text.trim().toLowerCase(Locale.ROOT).matches("[0-9]{13,}\\s*(us|ms|s|m|min|h)")
                ? "out of range (at most 12 digits)" : "not a duration (examples: 500ms, 30s, 5m, 1h)"));
            return defaultValue;
        }
        if (value.compareTo(min) < 0)
        {
            error(key, text + " is shorter than the minimum " + min.toMillis() + "ms");
            return defaultValue;
        }
        return value;
    }

    /** One of a fixed set of words, case-insensitive; returned in lower case. */
    public String choice(final String key, final String defaultValue, final String... allowed)
    {
        final String text = string(key, null);
        if (text == null)
        {
            return defaultValue;
        }
        final String lower = text.toLowerCase(Locale.ROOT);
        for (final String option : allowed)
        {
            if (option.equals(lower))
            {
                return lower;
            }
        }
        error(key, "'" + text + "' is not one of " + String.join(", ", allowed));
        return defaultValue;
    }

    /** A comma-separated list; empty if the key is absent. */
    public List<String> list(final String key)
    {
        return split(string(key, null));
    }

    public Path path(final String key, final Path defaultValue)
    {
        final String text = string(key, null);
        if (text != null && text.contains("${"))
        {
            // a default copied from CONFIGURATION.md's tables: taken as it is, it made a directory named ${data.dir}
            // in the working directory, outside the data directory's lock (a probe)
            error(key, "'" + text + "': ${...} is not expanded here; write the path itself (CONFIGURATION.md's "
                + "${data.dir}/journal means the journal directory under data.dir), or leave the key out for its default");
            return defaultValue;
        }
        return text == null ? defaultValue : Path.of(text);
    }

    /** A comma-separated value's non-blank parts, trimmed (none for null). */
    private static List<String> split(final String text)
    {
        final List<String> values = new ArrayList<>();
        if (text != null)
        {
            for (final String part : text.split(","))
            {
                final String trimmed = part.trim();
                if (!trimmed.isEmpty())
                {
                    values.add(trimmed);
                }
            }
        }
        return values;
    }

    /** Key prefixes whose next part names a member of a list key, e.g. "instrument." and "instruments". */
    private final java.util.Map<String, String> families = new java.util.LinkedHashMap<>();

    /**
     * Keys {@code prefix<name>.*} configure a member of the list {@code listKey}: one whose name the list
     * does not hold is reported as such, not just as an unknown key (an outside probe's
     * schedule.segment.X.close with X missing from schedule.segments).
     */
    public void family(final String prefix, final String listKey)
    {
        families.put(prefix, listKey);
    }

    private String unlistedName(final String key)
    {
        for (final java.util.Map.Entry<String, String> family : families.entrySet())
        {
            final String prefix = family.getKey();
            final int end = key.indexOf('.', prefix.length());
            if (key.startsWith(prefix) && end > prefix.length())
            {
                final String name = key.substring(prefix.length(), end);
                final List<String> names = split(properties.getProperty(family.getValue()));
                if (!names.contains(name))
                {
                    return "'" + name + "' is not listed in " + family.getValue() +
                        (names.isEmpty() ? " (it lists none)" : " (" + String.join(", ", names) + ")") + ": add it there or remove this key";
                }
            }
        }
        return null;
    }

    /**
     * Ends reading: every key nobody asked for is an error (with a suggestion when one known key
     * is close), then throws if anything was wrong.
     */
    public void finish() throws ConfigException
    {
        final Set<String> unknown = new TreeSet<>();
        for (final String key : properties.stringPropertyNames())
        {
            if (!known.contains(key))
            {
                unknown.add(key);
            }
        }
        for (final String key : unknown)
        {
            final String unlisted = unlistedName(key);
            if (unlisted != null)
            {
                error(key, unlisted);
                continue;
            }
            final String suggestion = closest(key);
            error(key, "unknown key" + (suggestion == null ? "" : " (did you mean '" + suggestion + "'?)"));
        }
        if (!errors.isEmpty())
        {
            // with --set the configuration read is the file and those values: a problem between two keys (a port in
            // both, say) may come from either, so the header names the --set keys whatever the lines say
            throw new ConfigException(overridden.isEmpty() ? source : source + " with --set " + String.join(", ", new java.util.TreeSet<>(overridden)),
                errors);
        }
    }

    private String raw(final String key)
    {
        final String value = properties.getProperty(key);
        return value == null ? null : value.trim();
    }

    private String closest(final String key)
    {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (final String candidate : known)
        {
            final int distance = editDistance(key, candidate);
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = candidate;
            }
        }
        return bestDistance <= Math.max(2, key.length() / 5) ? best : null;
    }

    public static Duration parseDuration(final String text)
    {
        final String t = text.trim().toLowerCase(Locale.ROOT);
        int split = 0;
        while (split < t.length() && Character.isDigit(t.charAt(split)))
        {
            split++;
        }
        if (split == 0 || split > 12)
        {
            return null;
        }
        final long amount = Long.parseLong(t.substring(0, split));
        return switch (t.substring(split).trim())
        {
            case "us" -> Duration.ofNanos(amount * 1_000);
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m", "min" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "" -> amount == 0 ? Duration.ZERO : null; // a bare 0 is zero in any unit, as the docs' "0 answers at once" writes it
            default -> null;
        };
    }

    private static int editDistance(final String a, final String b)
    {
        final int[] previous = new int[b.length() + 1];
        final int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++)
        {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++)
            {
                final int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            System.arraycopy(current, 0, previous, 0, current.length);
        }
        return previous[b.length()];
    }
}
