package dev.bourse.gateway;

import dev.bourse.gateway.fix.FixFramer;
import dev.bourse.gateway.fix.FixMessage;
import dev.bourse.protocol.auth.CredentialStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Who gives way when the budget of connections not logged on is full. */
class AdmissionTest
{
    private static final FixSession.Handler NOTHING = new FixSession.Handler()
    {
        @Override
        public void onLogonRequest(final FixSession s, final FixMessage logon, final String username, final char[] password)
        {
        }

        @Override
        public void refuseLogon(final FixSession s, final Refusal refusal, final String username, final String text)
        {
        }

        @Override
        public void onAbuse(final FixSession s, final Refusal refusal, final String detail)
        {
        }

        @Override
        public void onApplicationMessage(final FixSession s, final FixMessage message, final int msgSeqNum, final byte type)
        {
        }

        @Override
        public void onLogout(final FixSession s)
        {
        }

        @Override
        public void close(final FixSession s, final String reason)
        {
        }

        @Override
        public void onMessageHandled(final FixSession s)
        {
        }

        @Override
        public void onSequenceResetRequest(final FixSession s)
        {
        }

        @Override
        public void onHeld(final FixSession s)
        {
        }

        @Override
        public void onTurnUsed(final FixSession s)
        {
        }
    };

    @TempDir
    Path dir;
    private GatewayContext ctx;
    private GatewayCounters counters;
    private SessionSender sender;
    private int nextId = 1;

    @BeforeEach
    void setUp()
    {
        ctx = new GatewayContext().sessionDir(dir).credentials(new CredentialStore()).refusedLogonHoldMs(1_000).conclude();
        counters = new GatewayCounters(ctx.countersManager());
        sender = new SessionSender(ctx.maxMessageSize(), "BOURSE".getBytes(StandardCharsets.US_ASCII), counters);
    }

    @AfterEach
    void tearDown()
    {
        counters.close();
    }

    private FixSession admitted(final Admission admission, final String address)
    {
        assertNull(admission.admit(address, 0), address + " admitted");
        assertNull(admission.victim(), "room without evicting anyone");
        final Connection connection = new Connection(nextId++, null, address, ctx.maxMessageSize(), ctx.outboundBufferLimit(), 0);
        final FixSession session = new FixSession(connection, ctx, sender, NOTHING, new FixFramer(ctx.maxMessageSize()), new FixMessage(),
            counters, 0);
        admission.add(session);
        return session;
    }

    @Test
    void aConnectionWhoseLogonWasRefusedIsTheFirstToGiveWayToANewcomer()
    {
        final Admission admission = new Admission(4, 4);
        final FixSession oldestOfTheBusiest = admitted(admission, "10.0.0.1");
        admitted(admission, "10.0.0.1");
        admitted(admission, "10.0.0.1");
        final FixSession honest = admitted(admission, "10.0.0.2");

        // the budget is full: a newcomer takes the place of the busiest address's oldest
        assertNull(admission.admit("10.0.0.3", 0));
        assertSame(oldestOfTheBusiest, admission.victim());

        // a connection whose Logon was refused only waits for its answer: it goes first, whatever its address
        honest.logonRefusedLater("logon refused", 0);
        assertTrue(honest.isRefusalPending());
        assertNull(admission.admit("10.0.0.3", 0));
        assertSame(honest, admission.victim());
    }

    /** Two addresses one connection apart swapped places without end: 167,000 evictions in 14 s in an outside probe. */
    @Test
    void aNewcomerDoesNotEvictFromAnAddressThatWouldHoldNoMoreThanItsOwn()
    {
        final Admission admission = new Admission(8, 4);
        final FixSession oldestOfA = admitted(admission, "10.0.0.1");
        for (int i = 0; i < 3; i++)
        {
            admitted(admission, "10.0.0.1");
        }
        for (int i = 0; i < 3; i++)
        {
            admitted(admission, "10.0.0.2");
        }
        admitted(admission, "10.0.0.3");

        // B would hold 4 with the newcomer, as many as A: nobody gives way
        assertEquals(Refusal.UNAUTHENTICATED_CAP, admission.admit("10.0.0.2", 0));
        assertNull(admission.victim());
        // C would hold 2: A, with 4, gives way
        assertNull(admission.admit("10.0.0.3", 0));
        assertSame(oldestOfA, admission.victim());
    }

    /** Evicted at once, a refused Logon let its address try again at once: an outside probe's flood got 5,000 tries a second. */
    @Test
    void theAddressOfARefusedLogonEvictedBeforeItsAnswerWaitsUntilTheAnswerWasDue()
    {
        final Admission admission = new Admission(2, 2);
        final FixSession refused = admitted(admission, "10.0.0.1");
        admitted(admission, "10.0.0.2");
        refused.logonRefusedLater("logon refused", 0); // answered at 1,000 ms
        assertNull(admission.admit("10.0.0.3", 10));
        assertSame(refused, admission.victim());
        admission.remove(refused);

        assertEquals(Refusal.LOGON_ANSWER_DUE, admission.admit("10.0.0.1", 500));
        assertEquals(Refusal.LOGON_ANSWER_DUE, admission.admit("10.0.0.1", 999));
        assertNotEquals(Refusal.LOGON_ANSWER_DUE, admission.admit("10.0.0.1", 1_000), "the wait ends when the answer was due");
    }
}
