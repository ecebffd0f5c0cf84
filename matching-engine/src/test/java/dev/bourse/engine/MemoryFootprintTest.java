package dev.bourse.engine;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One million resting orders across 1,000 instruments fit in a 1 GiB heap (a child JVM started with -Xmx1g). */
class MemoryFootprintTest
{
    @Test
    void oneMillionRestingOrdersOverAThousandInstrumentsFitInOneGigabyte() throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.add("-Xmx1g");
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
        command.add("1000");
        command.add("1000000");
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final boolean finished = process.waitFor(5, TimeUnit.MINUTES);
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!finished)
        {
            process.destroyForcibly();
        }
        assertTrue(finished, "child JVM did not finish: " + output);
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("liveOrders=1000000 rejects=0 "), output);
        System.out.println("MemoryFootprint: " + output.trim());
    }
}
