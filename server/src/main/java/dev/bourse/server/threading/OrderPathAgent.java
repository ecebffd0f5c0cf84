package dev.bourse.server.threading;

import dev.bourse.gateway.GatewayAgent;
import org.agrona.concurrent.Agent;

/**
 * Shared threading's order path: one duty cycle that reads the sockets and decodes FIX (commands
 * go into the ring), drains the ring into the engine (which journals the batch as one document at
 * its end), turns the new journal entries into execution reports and writes them out. An order
 * is read, matched, journaled and acknowledged with no hand-off to another thread; only what has
 * been journaled is reported, as in every mode. Idle, the thread blocks in the gateway's selector.
 */
public final class OrderPathAgent implements Agent
{
    private final GatewayAgent gateway;
    private final Agent sequencer;

    /** @param gateway null when the exchange runs without a FIX gateway. */
    public OrderPathAgent(final GatewayAgent gateway, final Agent sequencer)
    {
        this.gateway = gateway;
        this.sequencer = sequencer;
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
            return sequencer.doWork();
        }
        int work = gateway.pollInput();
        work += gateway.pollSessions();
        work += sequencer.doWork();
        work += gateway.pollReports();
        work += gateway.flush();
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
