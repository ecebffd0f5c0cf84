package dev.bourse.readmodels;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The history sink runs on a thread from the factory the context gives (the server's pinned one), and only the sink does. */
class SinkThreadTest
{
    @Test
    void theSinkRunsOnTheContextsThreadFactory() throws Exception
    {
        final Workload workload = new Workload(3).run(500);
        final List<Thread> made = new CopyOnWriteArrayList<>();
        final ThreadFactory factory = runnable ->
        {
            final Thread thread = new Thread(runnable);
            made.add(thread);
            return thread;
        };
        try (ReadModelsServer server = ReadModelsServer.start(new ReadModelsContext().journal(JournalSource.of(workload.journal))
            .port(0).bindAddress("127.0.0.1").sinkThreadFactory(factory)))
        {
            RestartAndRebuildTest.awaitPosition(server, workload.journal.size() - 1);
            assertEquals(1, made.size(), "one thread: the sink's");
            assertEquals("history-sink", made.get(0).getName());
        }
    }
}
