package dev.bourse.server.threading;

import dev.bourse.gateway.GatewayAgent;
import org.agrona.concurrent.Agent;

/**
 * Shared threading's order path: one duty cycle that reads the sockets and decodes FIX (commands
 * go into the ring), drains the ring into the engine (which journals the batch as one document at
 * its end), turns the new journal entries into execution reports and writes them out. An order
 * is read, matched, journaled and acknowledged with no hand-off to another thread; only what has
 * been journaled is reported, as in every mode. Idle, the thread blocks in the gateway's selector.
 * <p>
 * After a cycle that journaled something and wrote its reports, it wakes the journal's other
 * follower on the order path's side (market data, on the support thread), which can then park
 * for long stretches instead of polling the journal thousands of times a second.
 */
public final class OrderPathAgent implements Agent
{
    private final GatewayAgent gateway;
    private final Agent sequencer;
    private final Runnable afterJournaled;

    /**
     * @param gateway        null when the exchange runs without a FIX gateway.
     * @param afterJournaled run after a cycle in which the engine took commands, once their
     *                       reports are written (wakes the support thread)
     */
    public OrderPathAgent(final GatewayAgent gateway, final Agent sequencer, final Runnable afterJournaled)
    {
        this.gateway = gateway;
        this.sequencer = sequencer;
        this.afterJournaled = afterJournaled;
    }

    @Override
    public void onStart()
    {
        sequencer.onStart();
    }

    @Override
    public int doWork() throws Exception
    {
        if (gateway == null)
        {
            final int engineWork = sequencer.doWork();
            if (engineWork > 0)
            {
                afterJournaled.run();
            }
            return engineWork;
        }
        int work = gateway.pollInput();
        work += gateway.pollSessions();
        final int engineWork = sequencer.doWork();
        work += engineWork;
        work += gateway.pollReports();
        work += gateway.flush();
        if (engineWork > 0)
        {
            afterJournaled.run();
        }
        return work;
    }

    @Override
    public void onClose()
    {
        sequencer.onClose(); // the gateway is closed by its owner, after this thread stops
    }

    @Override
    public String roleName()
    {
        return "bourse-order-path";
    }
}
