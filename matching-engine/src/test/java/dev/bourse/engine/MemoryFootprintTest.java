package dev.bourse.engine;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One million resting orders across 1,000 instruments fit in a 1 GiB heap, and a day of six
 * million ClOrdIDs in 512 MiB (child JVMs with those heaps).
 */
class MemoryFootprintTest
{
    @Test
    void oneMillionRestingOrdersOverAThousandInstrumentsFitInOneGigabyte() throws Exception
    {
        final String output = runChild("1g", "1000", "1000000");
        assertTrue(output.contains("liveOrders=1000000 clOrdIds=1000000 rejects=0 "), output);
    }

    /** About 60 bytes each (40 in the log, 16 to 27 of slots): a log that doubled and slots that quadrupled took over 90. */
    @Test
    void sixMillionClOrdIdsOfADayFitInHalfAGigabyte() throws Exception
    {
        final String output = runChild("512m", "1", "6000000", "ioc");
        assertTrue(output.contains("liveOrders=0 clOrdIds=6000000 rejects=0 "), output);
    }

    private static String runChild(final String heap, final String... args) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.add("-Xmx" + heap);
        command.add("-XX:+UseParallelGC");
        command.add("-XX:+ExitOnOutOfMemoryError");
        for (final String flag : System.getProperty("bourse.jvm.flags", "").trim().split("\\s+"))
        {
            if (!flag.isEmpty())
            {
                command.add(flag);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(MemoryFootprint.class.getName());
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final boolean finished = process.waitFor(5, TimeUnit.MINUTES);
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!finished)
        {
            process.destroyForcibly();
        }
        assertTrue(finished, "child JVM did not finish: " + output);
        assertEquals(0, process.exitValue(), output);
        System.out.println("MemoryFootprint: " + output.trim());
        return output;
    }
}
