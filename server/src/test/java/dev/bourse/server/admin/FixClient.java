package dev.bourse.server.admin;

import quickfix.Application;
import quickfix.ConfigError;
import quickfix.DefaultMessageFactory;
import quickfix.FieldNotFound;
import quickfix.MemoryStoreFactory;
import quickfix.Message;
import quickfix.ScreenLogFactory;
import quickfix.SessionID;
import quickfix.SessionSettings;
import quickfix.SocketInitiator;
import quickfix.field.MsgType;
import quickfix.field.Password;
import quickfix.field.Text;
import quickfix.field.Username;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** QuickFIX/J 3.0.1, unmodified, as one initiator session; what it receives lands in queues. */
final class FixClient implements Application, AutoCloseable
{
    final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
    /** "logon", "logout" and "admin TYPE TEXT" for session-level messages from the exchange. */
    final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final String username;
    private final String password;
    private final SessionID sessionId;
    private final SocketInitiator initiator;

    FixClient(final int port, final String compId, final String username, final String password) throws ConfigError
    {
        this.username = username;
        this.password = password;
        final SessionSettings settings = new SessionSettings();
        sessionId = new SessionID("FIX.4.4", compId, "BOURSE");
        settings.setString(sessionId, "ConnectionType", "initiator");
        settings.setString(sessionId, "StartTime", "00:00:00");
        settings.setString(sessionId, "EndTime", "00:00:00");
        settings.setLong(sessionId, "HeartBtInt", 30);
        settings.setLong(sessionId, "ReconnectInterval", 60);
        settings.setString(sessionId, "SocketConnectHost", "127.0.0.1");
        settings.setLong(sessionId, "SocketConnectPort", port);
        settings.setString(sessionId, "UseDataDictionary", "Y");
        settings.setString(sessionId, "DataDictionary", "FIX44.xml");
        settings.setString(sessionId, "ResetOnLogon", "Y");
        initiator = new SocketInitiator(this, new MemoryStoreFactory(), settings, new ScreenLogFactory(false, false, false),
            new DefaultMessageFactory());
        initiator.start();
    }

    /** Waits for the Logon to be accepted. */
    FixClient loggedOn() throws Exception
    {
        final String event = nextEvent();
        assertTrue("logon".equals(event), "expected a logon, got " + event);
        return this;
    }

    String nextEvent() throws InterruptedException
    {
        final String event = events.poll(10, TimeUnit.SECONDS);
        if (event == null)
        {
            fail(username + ": no session event within 10 s");
        }
        return event;
    }

    void send(final Message message)
    {
        assertTrue(quickfix.Session.lookupSession(sessionId).send(message), "QuickFIX/J refused to send");
    }

    /** The next application message, which must be of this type. */
    /** A GTC limit order of the stock QuickFIX/J messages. */
    static quickfix.fix44.NewOrderSingle limitOrder(final String clOrdId, final char side, final String symbol, final String price,
        final int qty)
    {
        final quickfix.fix44.NewOrderSingle order = new quickfix.fix44.NewOrderSingle(new quickfix.field.ClOrdID(clOrdId),
            new quickfix.field.Side(side), new quickfix.field.TransactTime(java.time.LocalDateTime.now()),
            new quickfix.field.OrdType(quickfix.field.OrdType.LIMIT));
        order.set(new quickfix.field.Symbol(symbol));
        order.set(new quickfix.field.OrderQty(qty));
        order.setString(quickfix.field.Price.FIELD, price);
        order.set(new quickfix.field.TimeInForce(quickfix.field.TimeInForce.GOOD_TILL_CANCEL));
        return order;
    }

    Message next(final String msgType) throws Exception
    {
        final Message m = received.poll(10, TimeUnit.SECONDS);
        if (m == null)
        {
            fail(username + ": no " + msgType + " within 10 s");
        }
        if (!m.getHeader().getString(MsgType.FIELD).equals(msgType))
        {
            fail(username + " expected " + msgType + " but got " + m);
        }
        return m;
    }

    @Override
    public void onCreate(final SessionID id)
    {
    }

    @Override
    public void onLogon(final SessionID id)
    {
        events.add("logon");
    }

    @Override
    public void onLogout(final SessionID id)
    {
        events.add("logout");
    }

    @Override
    public void toAdmin(final Message message, final SessionID id)
    {
        try
        {
            if (MsgType.LOGON.equals(message.getHeader().getString(MsgType.FIELD)))
            {
                message.setString(Username.FIELD, username);
                message.setString(Password.FIELD, password);
            }
        }
        catch (final FieldNotFound e)
        {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void fromAdmin(final Message message, final SessionID id)
    {
        try
        {
            final String type = message.getHeader().getString(MsgType.FIELD);
            if (!MsgType.HEARTBEAT.equals(type) && !MsgType.LOGON.equals(type))
            {
                events.add("admin " + type + (message.isSetField(Text.FIELD) ? " " + message.getString(Text.FIELD) : ""));
            }
        }
        catch (final FieldNotFound e)
        {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void toApp(final Message message, final SessionID id)
    {
    }

    @Override
    public void fromApp(final Message message, final SessionID id)
    {
        received.add(message);
    }

    @Override
    public void close()
    {
        initiator.stop(true);
    }
}
