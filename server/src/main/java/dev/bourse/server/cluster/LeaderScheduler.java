package dev.bourse.server.cluster;

import dev.bourse.cluster.client.ClusterClient;
import dev.bourse.journal.JournalTailer;
import dev.bourse.server.config.ExchangeConfig;
import dev.bourse.server.schedule.ExchangeSchedule;
import dev.bourse.server.schedule.Scheduler;
import dev.bourse.server.schedule.SchedulerAgent;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import dev.bourse.protocol.EpochClock;

import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Cluster mode's scheduler: the trading day, the day's end, GTD expiry and the ends of volatility
 * calls, planned by whichever node leads and sent into the Raft log through a cluster client of the
 * node's own, as the single node's scheduler sends them into its ring. The engine stays clock-free
 * on every node: a phase change is a logged command like an order.
 * <p>
 * One scheduler at a time: a node starts a fresh {@link Scheduler} when it becomes leader (and its
 * client is connected) and drops it when it stops leading. A fresh scheduler starts as a restarted
 * single node's does: of the day's actions already past, only the latest of each catch-up key is
 * sent (an instrument's phase, guarded by the phase it expects, and one GTD expiry that expires
 * whatever fell due during the election); its volatility-call source reads this node's journal
 * from its start, so a call the engine opened under the old leader still ends. The client outlives
 * leadership: what the scheduler committed to its window before the node stepped down is still
 * delivered, once, to whichever node leads (the service drops a command id it has applied).
 * <p>
 * Around a leader change both nodes may send the same phase change: the second names a phase the
 * instrument has left and the engine refuses it. A day's end (not caught up, as on a single node)
 * is sent by the leader at the time it is due.
 * <p>
 * An {@link Agent} on the node's support thread, which is the client's only user.
 */
final class LeaderScheduler implements Agent
{
    private static final int WINDOW = 64;

    private final ExchangeConfig.Schedule config;
    private final ClusterClient.Context clientContext;
    private final BooleanSupplier leading;
    private final Supplier<JournalTailer> journalFromStart;
    private final Consumer<String> log;
    /** Made when this node first leads, then kept: a follower that never leads adds no client to the cluster. */
    private ClusterClient client;
    private SchedulerAgent active;
    private long starts;
    private boolean closed;

    /**
     * @param ingressEndpoints every member's ingress ({@code id=host:port,...})
     * @param host             this node's address as the members reach it (for the egress of acks)
     * @param aeronDir         the node's media driver
     * @param leading          whether this node leads now, and the schedule may run (the bootstrap is done)
     * @param journalFromStart a new tailer of this node's journal from its first entry
     */
    LeaderScheduler(final ExchangeConfig.Schedule config, final String ingressEndpoints, final String host, final String aeronDir,
        final BooleanSupplier leading, final Supplier<JournalTailer> journalFromStart, final Consumer<String> log)
    {
        this.config = config;
        this.leading = leading;
        this.journalFromStart = journalFromStart;
        this.log = log;
        this.clientContext = new ClusterClient.Context()
            .ingressEndpoints(ingressEndpoints)
            .egressChannel("aeron:udp?endpoint=" + host + ":0|term-length=64k")
            .aeronDir(aeronDir)
            .resultsFrom(ClusterClient.NO_RESULTS)
            .windowCapacity(WINDOW)
            .log(line -> log.accept("scheduler: " + line));
    }

    @Override
    public int doWork() throws Exception
    {
        final boolean leads = leading.getAsBoolean();
        if (client == null)
        {
            if (!leads)
            {
                return 0;
            }
            client = new ClusterClient(clientContext);
        }
        int work = client.doWork();
        if (leads && client.isConnected() && active == null)
        {
            active = newScheduler();
            starts++;
            log.accept("scheduler: this node leads: the schedule runs here" + (starts > 1 ? " again" : ""));
            work++;
        }
        else if ((!leads || !client.isConnected()) && active != null)
        {
            stopActive();
            log.accept("scheduler: this node no longer leads (or lost its cluster session): the schedule runs on the leader");
            work++;
        }
        if (active != null)
        {
            work += active.doWork();
        }
        return work;
    }

    private SchedulerAgent newScheduler()
    {
        final ExchangeSchedule schedule = new ExchangeSchedule(config);
        final Scheduler scheduler = new Scheduler(new Scheduler.Context()
            .clock(new EpochClock())
            .random(new SplittableRandom(new SecureRandom().nextLong()))
            .publisher(client)
            .zone(schedule.zone())
            .sources(schedule.sources())
            .log(log));
        return new SchedulerAgent(scheduler, journalFromStart.get(), schedule.volatilityCallEnds(), schedule.gtdExpiryTimes());
    }

    private void stopActive()
    {
        final SchedulerAgent stopping = active;
        active = null;
        stopping.onClose();
    }

    /** True while this node's scheduler runs (it leads). */
    boolean isActive()
    {
        return active != null;
    }

    /** Stops the scheduler and closes the client; once (the support thread's close, or the server's if that never ran). */
    @Override
    public void onClose()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (active != null)
        {
            stopActive();
        }
        CloseHelper.quietClose(client); // null if this node never led
    }

    @Override
    public String roleName()
    {
        return "leader-scheduler";
    }
}
