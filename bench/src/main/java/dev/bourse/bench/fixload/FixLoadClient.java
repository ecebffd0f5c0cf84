package dev.bourse.bench.fixload;

import dev.bourse.bench.SendPacer;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.LongAdder;

/**
 * An open-loop FIX 4.4 load generator: N sessions on non-blocking sockets, one sender thread
 * that sends each message at its planned time (waiting as {@link SendPacer} does; messages due
 * at one wake-up leave in one write per session), and one
 * receiver thread that reads every session with a selector and records latency from the
 * message's <em>planned</em> send time to its answer, so a late send or a stalled exchange counts
 * against the exchange (coordinated omission corrected).
 * <p>
 * The mix: new limit orders around a mid price per instrument (some cross, so trades happen),
 * cancels and replaces of the session's own live orders. The ClOrdID carries the message's index,
 * which is how an answer finds its planned time and type without a map. Sending reuses its
 * buffers; the SendingTime text is rebuilt once a millisecond (the client is not the system under
 * test, but its garbage would share the exchange's GC in the in-process benchmarks).
 * <p>
 * Over TLS ({@link #FixLoadClient(Settings, boolean, SSLContext)}) each session is a JDK
 * {@link SSLSocket} read by a thread of its own (blocking reads: the selector cannot see into TLS).
 * <p>
 * Past 500 lines, and with more than one job: the order mix and the plain and TLS transports live
 * here together (a message's fields are {@link FixFields}', its timestamps {@link FixTimeText}'s,
 * planned times, latency and counts {@link AnswerRecorder}'s). It is benchmark code, not the
 * exchange's hot path; the split it still wants (a mix, a transport per kind) is noted as work to do.
 */
public final class FixLoadClient implements AutoCloseable
{
    public static final int NEW = 0;
    public static final int CANCEL = 1;
    public static final int REPLACE = 2;
    public static final String[] TYPE_NAMES = {"new", "cancel", "replace"};

    /** What the sessions log on as, and what they trade. */
    public record Settings(String host, int port, String targetCompId, List<String[]> users, List<String> symbols,
        long[] midPrices, long tickScaled, int cancelPercent, int replacePercent, long seed)
    {
    }

    private final Settings settings;
    private final Session[] sessions;
    private final Selector selector;
    private final AnswerRecorder answers = new AnswerRecorder();
    private final LongAdder fills = new LongAdder();
    private final Thread receiver;
    private volatile boolean running = true;

    /** Room one framed message needs at most in a session's output buffer. */
    private static final int MAX_MESSAGE = 1024;
    private static final int OUT_CAPACITY = 64 * 1024;
    /** Messages sent by earlier runs: the next run's first message id. */
    private long sent;

    private final boolean echo;
    /** Null over plain TCP. */
    private final SSLContext tls;
    private final List<Thread> tlsReaders = new ArrayList<>();

    /** Ids of new orders the exchange acknowledged (ExecType New), for a check against the journal; under its own lock. */
    private final java.util.BitSet acknowledgedNew = new java.util.BitSet();
    private final LongAdder duplicateAcks = new LongAdder();
    private volatile long markNs = Long.MAX_VALUE;
    /** The first message id planned at or after {@link #markNs} (set by the sender). */
    private volatile long firstIdAfterMark = Long.MAX_VALUE;
    private volatile long firstAckAfterMarkNs;

    public FixLoadClient(final Settings settings) throws IOException
    {
        this(settings, false);
    }

    /** @param echo the peer echoes every message back: the echo of a message is its answer. */
    public FixLoadClient(final Settings settings, final boolean echo) throws IOException
    {
        this(settings, echo, null);
    }

    /** @param tls connect over TLS with this context (null: plain TCP). */
    public FixLoadClient(final Settings settings, final boolean echo, final SSLContext tls) throws IOException
    {
        this.settings = settings;
        this.echo = echo;
        this.tls = tls;
        selector = Selector.open();
        sessions = new Session[settings.users().size()];
        for (int i = 0; i < sessions.length; i++)
        {
            sessions[i] = new Session(i, settings.users().get(i)[0], settings.users().get(i)[1]);
        }
        for (final Session s : sessions)
        {
            s.logon();
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (final Session s : sessions)
        {
            while (!s.loggedOn)
            {
                if (System.nanoTime() > deadline)
                {
                    throw new IOException("session " + s.user + " did not log on: " + s.lastText);
                }
                s.readBlocking();
            }
        }
        for (final Session s : sessions)
        {
            if (s.tlsSocket != null)
            {
                final Thread reader = new Thread(s::readTlsLoop, "fixload-tls-reader-" + s.number);
                reader.setDaemon(true);
                tlsReaders.add(reader);
                reader.start();
                continue;
            }
            s.channel.configureBlocking(false);
            s.channel.register(selector, SelectionKey.OP_READ, s);
        }
        receiver = new Thread(this::receiveLoop, "fixload-receiver");
        receiver.setDaemon(true);
        receiver.start();
    }

    /**
     * Sends {@code count} messages at {@code rate} per second from now, round robin over the
     * sessions, then waits up to {@code drainSeconds} for the answers. Latency is recorded only
     * while {@link #recording(boolean)} is on, and only for messages sent while it was.
     */
    public void run(final long rate, final long count, final double drainSeconds)
    {
        final SplittableRandom random = new SplittableRandom(settings.seed() + sent);
        final long base = sent;
        final long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2);
        final double interval = 1e9 / rate;
        final SendPacer pacer = new SendPacer(interval);
        int i = 0;
        while (i < count && running)
        {
            final long now = System.nanoTime();
            long due = start + (long)(i * interval);
            while (i < count && due <= now)
            {
                final Session s = sessions[i % sessions.length];
                final long id = base + i;
                answers.planned(id, due);
                if (firstIdAfterMark == Long.MAX_VALUE && due >= markNs)
                {
                    firstIdAfterMark = id;
                }
                sendOne(s, id, random);
                i++;
                due = start + (long)(i * interval);
            }
            for (final Session s : sessions)
            {
                s.flush();
            }
            if (i < count)
            {
                pacer.waitFor(due - System.nanoTime());
            }
        }
        sent = base + count;
        final long deadline = System.nanoTime() + (long)(drainSeconds * 1e9);
        while (answers.total() < expectedAnswers && System.nanoTime() < deadline)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    private long expectedAnswers;

    private void sendOne(final Session s, final long id, final SplittableRandom random)
    {
        final int dice = random.nextInt(100);
        final int instrument = random.nextInt(settings.symbols().size());
        final long live = s.popLive();
        if (live >= 0 && dice < settings.cancelPercent())
        {
            answers.sending(id, CANCEL);
            s.append("F", s.body().field(11, 'x', id).field(41, 'x', live).field(55, s.symbolOf(live))
                .field(54, s.sideOf(live)).field(60, sendingTime()));
        }
        else if (live >= 0 && dice < settings.cancelPercent() + settings.replacePercent())
        {
            answers.sending(id, REPLACE);
            final long price = s.priceOf(live) + (random.nextInt(3) - 1) * settings.tickScaled();
            s.remember(id, s.symbolIndexOf(live), s.sideOf(live), price);
            s.append("G", s.body().field(11, 'x', id).field(41, 'x', live).field(55, s.symbolOf(live))
                .field(54, s.sideOf(live)).field(38, 10 + random.nextInt(5) * 10).field(40, '2')
                .price(44, price).field(60, sendingTime()));
        }
        else
        {
            if (live >= 0)
            {
                s.pushLive(live);
            }
            answers.sending(id, NEW);
            final char side = random.nextBoolean() ? '1' : '2';
            // Around the mid, within a few ticks, buys below and sells above mostly: about one in five crosses.
            final long offset = (random.nextInt(10) - 2) * settings.tickScaled();
            final long price = settings.midPrices()[instrument] + (side == '1' ? -offset : offset);
            s.remember(id, instrument, side, price);
            s.append("D", s.body().field(11, 'x', id).field(55, settings.symbols().get(instrument)).field(54, side)
                .field(38, 10 + random.nextInt(10) * 10).field(40, '2').price(44, price).field(59, '1')
                .field(60, sendingTime()));
        }
        expectedAnswers++;
    }

    private final FixTimeText transactTime = new FixTimeText();

    /** SendingTime/TransactTime text (sender thread only). */
    byte[] sendingTime()
    {
        return transactTime.now();
    }

    public void recording(final boolean on)
    {
        answers.recording(on);
    }

    /** Copies and resets the histograms recorded since the last call, per type. */
    public Histogram[] takeInterval()
    {
        return answers.takeInterval();
    }

    /** Copies and resets the whole-run histograms, per type. */
    public Histogram[] takeTotal()
    {
        return answers.takeTotal();
    }

    public long answered(final int type)
    {
        return answers.answered(type);
    }

    public long rejects()
    {
        return answers.rejects();
    }

    /** Messages sent since {@link #recording(boolean)} last turned on (until it turned off). */
    public long windowSent()
    {
        return answers.windowSent();
    }

    /** Messages of that window answered, each once: acknowledged or refused too late; see {@link AnswerRecorder}. */
    public long windowAnswered()
    {
        return answers.windowAnswered();
    }

    /** Of those, the cancels and replaces refused because their order had filled meanwhile. */
    public long windowRefused()
    {
        return answers.windowRefused();
    }

    /** Messages of that window rejected (not counting late refusals), and session-level rejects while recording. */
    public long windowRejected()
    {
        return answers.windowRejected();
    }

    public long fills()
    {
        return fills.sum();
    }

    public Map<String, LongAdder> rejectReasons()
    {
        return answers.rejectReasons();
    }

    public long sent()
    {
        return sent;
    }

    /**
     * From now, watch for the first acknowledgement (not a reject) of a message planned at or after
     * {@code nanoTime}: after a leader's death such an answer can only come from its successor.
     */
    public void markAfter(final long nanoTime)
    {
        firstIdAfterMark = Long.MAX_VALUE;
        firstAckAfterMarkNs = 0;
        markNs = nanoTime;
    }

    /** nanoTime of the first acknowledgement of a message planned after the last {@link #markAfter}, 0 while none. */
    public long firstAckAfterMarkNs()
    {
        return firstAckAfterMarkNs;
    }

    /** A copy of the ids (ClOrdID {@code x<id>}) of the new orders the exchange acknowledged. */
    public java.util.BitSet acknowledgedNewOrders()
    {
        synchronized (acknowledgedNew)
        {
            return (java.util.BitSet)acknowledgedNew.clone();
        }
    }

    /** A second New for an order already acknowledged. */
    public long duplicateAcks()
    {
        return duplicateAcks.sum();
    }

    private final java.util.function.Consumer<SelectionKey> readReady = key -> ((Session)key.attachment()).readAvailable();

    private void receiveLoop()
    {
        try
        {
            while (running)
            {
                // the action form: no selected-key set, whose entries and iterator were the receiver's garbage
                selector.select(readReady, 100);
            }
        }
        catch (final IOException | java.nio.channels.ClosedSelectorException e)
        {
            if (running)
            {
                System.err.println("fixload: receiver stopped: " + e);
            }
        }
    }

    /** An answer to message {@code id}: latency from its planned time, by the type it was sent as. */
    void onAnswer(final long id, final boolean rejected, final String reason)
    {
        final long now = System.nanoTime();
        if (!rejected && firstAckAfterMarkNs == 0 && id >= firstIdAfterMark)
        {
            firstAckAfterMarkNs = now;
        }
        answers.onAnswer(id, rejected, reason, now);
    }

    @Override
    public void close()
    {
        running = false;
        try
        {
            selector.close(); // the receiver stops first, so the sessions' closing is not read as a failure
            receiver.join(1_000);
        }
        catch (final IOException | InterruptedException ignored)
        {
            // closing anyway
        }
        for (final Session s : sessions)
        {
            try
            {
                s.send("5", s.body());
                if (s.tlsSocket != null)
                {
                    s.tlsSocket.close();
                }
                else
                {
                    s.channel.close();
                }
            }
            catch (final IOException | RuntimeException ignored)
            {
                // closing anyway
            }
        }
        try
        {
            selector.close();
            receiver.join(1_000);
        }
        catch (final IOException | InterruptedException ignored)
        {
            // closing anyway
        }
    }

    /** One FIX session: its socket, its outgoing sequence, its live orders. */
    final class Session
    {
        final int number;
        final String user;
        final String password;
        final String compId;
        /** The socket over plain TCP (null over TLS). */
        final SocketChannel channel;
        /** The socket over TLS (null over plain TCP), its streams and a copy of what is sent. */
        final SSLSocket tlsSocket;
        private final java.io.InputStream tlsIn;
        private final java.io.OutputStream tlsOut;
        private final byte[] tlsScratch = new byte[OUT_CAPACITY];
        final ByteBuffer out = ByteBuffer.allocateDirect(OUT_CAPACITY);
        /** The same memory as {@link #out}, for the checksum. */
        private final UnsafeBuffer outView = new UnsafeBuffer(out);
        final ByteBuffer in = ByteBuffer.allocate(1 << 20);
        final FixFields body = new FixFields();
        private final FixFields header = new FixFields();
        private final FixTimeText headerTime = new FixTimeText();
        int nextSeq = 1;
        volatile boolean loggedOn;
        volatile String lastText = "";
        /** Live orders acknowledged and not yet canceled or replaced by us: a ring of message ids. */
        final AtomicLongArray liveRing = new AtomicLongArray(1 << 14);
        volatile long liveHead;
        volatile long liveTail;
        /** Per message id (mod capacity): instrument index, side and price of the order it created. */
        final int[] orderInstrument = new int[1 << 20];
        final char[] orderSide = new char[1 << 20];
        final long[] orderPrice = new long[1 << 20];

        Session(final int number, final String user, final String password) throws IOException
        {
            this.number = number;
            this.user = user;
            this.password = password;
            this.compId = ("LOAD" + number).toUpperCase();
            if (tls != null)
            {
                channel = null;
                tlsSocket = (SSLSocket)tls.getSocketFactory().createSocket(settings.host(), settings.port());
                tlsSocket.setTcpNoDelay(true);
                tlsSocket.startHandshake();
                tlsIn = tlsSocket.getInputStream();
                tlsOut = tlsSocket.getOutputStream();
            }
            else
            {
                channel = SocketChannel.open(new InetSocketAddress(settings.host(), settings.port()));
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                tlsSocket = null;
                tlsIn = null;
                tlsOut = null;
            }
        }

        /** Over TLS: this session's reader thread, until the client closes. */
        void readTlsLoop()
        {
            try
            {
                while (running)
                {
                    readBlocking();
                }
            }
            catch (final IOException e)
            {
                if (running)
                {
                    running = false;
                    System.err.println("fixload: session " + user + ": " + e.getMessage());
                }
            }
        }

        FixFields body()
        {
            return body.reset();
        }

        void logon()
        {
            send("A", body().field(98, '0').field(108, 30).field(141, 'Y').field(553, user).field(554, password));
        }

        void remember(final long id, final int instrument, final char side, final long price)
        {
            final int slot = (int)(id & (orderPrice.length - 1));
            orderInstrument[slot] = instrument;
            orderSide[slot] = side;
            orderPrice[slot] = price;
        }

        String symbolOf(final long id)
        {
            return settings.symbols().get(symbolIndexOf(id));
        }

        int symbolIndexOf(final long id)
        {
            return orderInstrument[(int)(id & (orderPrice.length - 1))];
        }

        char sideOf(final long id)
        {
            return orderSide[(int)(id & (orderPrice.length - 1))];
        }

        long priceOf(final long id)
        {
            return orderPrice[(int)(id & (orderPrice.length - 1))];
        }

        /** Receiver thread: an order is live under this id. */
        void pushLive(final long id)
        {
            final long tail = liveTail;
            if (tail - liveHead >= liveRing.length())
            {
                return; // enough live orders to pick from
            }
            liveRing.lazySet((int)(tail & (liveRing.length() - 1)), id);
            liveTail = tail + 1;
        }

        /** Sender thread: takes the oldest live order, or -1. */
        long popLive()
        {
            final long head = liveHead;
            if (head >= liveTail)
            {
                return -1;
            }
            final long id = liveRing.get((int)(head & (liveRing.length() - 1)));
            liveHead = head + 1;
            return id;
        }

        /** Frames one message and writes it at once. */
        void send(final String msgType, final FixFields fields)
        {
            synchronized (this)
            {
                append(msgType, fields);
                flush();
            }
        }

        /**
         * Frames one message after those already waiting in {@link #out}; {@link #flush} writes
         * them. Messages due at the same moment leave in one write, as a busy client's would.
         */
        void append(final String msgType, final FixFields fields)
        {
            synchronized (this)
            {
                if (out.remaining() < MAX_MESSAGE)
                {
                    flush();
                }
                final int start = out.position();
                header.reset().field(35, msgType).field(49, compId).field(56, settings.targetCompId()).field(34, nextSeq++)
                    .field(52, headerTime.now()); // under the session's lock
                final int bodyLength = header.length + fields.length;
                put("8=FIX.4.4\u00019=");
                final int lengthAt = header.length;
                header.putNumber(bodyLength);
                out.put(header.bytes, lengthAt, header.length - lengthAt);
                header.length = lengthAt;
                out.put((byte)1);
                out.put(header.bytes, 0, header.length);
                out.put(fields.bytes, 0, fields.length);
                final int checksum = dev.bourse.gateway.fix.FixFramer.checksum(outView, start, out.position() - start);
                put("10=");
                out.put((byte)('0' + checksum / 100)).put((byte)('0' + checksum / 10 % 10)).put((byte)('0' + checksum % 10));
                out.put((byte)1);
            }
        }

        /** Writes the messages {@link #append}ed since the last flush. */
        void flush()
        {
            synchronized (this)
            {
                if (out.position() == 0)
                {
                    return;
                }
                out.flip();
                try
                {
                    if (tlsSocket != null)
                    {
                        final int length = out.remaining();
                        out.get(tlsScratch, 0, length);
                        tlsOut.write(tlsScratch, 0, length);
                        tlsOut.flush();
                    }
                    while (out.hasRemaining())
                    {
                        if (channel.write(out) == 0)
                        {
                            Thread.onSpinWait();
                        }
                    }
                }
                catch (final IOException e)
                {
                    throw new IllegalStateException("session " + user + ": " + e.getMessage(), e);
                }
                finally
                {
                    out.clear();
                }
            }
        }

        private void put(final String ascii)
        {
            for (int i = 0; i < ascii.length(); i++)
            {
                out.put((byte)ascii.charAt(i));
            }
        }

        void readBlocking() throws IOException
        {
            if (tlsSocket != null)
            {
                final int n = tlsIn.read(in.array(), in.arrayOffset() + in.position(), in.remaining());
                if (n < 0)
                {
                    throw new IOException("session " + user + ": connection closed by the exchange (" + lastText + ")");
                }
                in.position(in.position() + n);
                parse();
                return;
            }
            if (channel.read(in) < 0)
            {
                throw new IOException("session " + user + ": connection closed by the exchange (" + lastText + ")");
            }
            parse();
        }

        void readAvailable()
        {
            try
            {
                while (true)
                {
                    final int n = channel.read(in);
                    if (n < 0)
                    {
                        running = false;
                        System.err.println("fixload: session " + user + " disconnected: " + lastText);
                        return;
                    }
                    if (n == 0)
                    {
                        return;
                    }
                    parse();
                }
            }
            catch (final IOException e)
            {
                if (running)
                {
                    System.err.println("fixload: session " + user + ": " + e);
                }
            }
        }

        /** Parses every whole message in {@code in}. */
        private void parse()
        {
            in.flip();
            final byte[] b = in.array();
            int start = 0;
            final int limit = in.limit();
            while (true)
            {
                final int end = messageEnd(b, start, limit);
                if (end < 0)
                {
                    break;
                }
                onMessage(b, start, end);
                start = end;
            }
            in.position(start);
            in.compact();
        }

        /** End (exclusive) of the message starting at {@code start}, or -1 if incomplete. */
        private int messageEnd(final byte[] b, final int start, final int limit)
        {
            for (int i = start; i + 3 < limit; i++)
            {
                if (b[i] == 1 && b[i + 1] == '1' && b[i + 2] == '0' && b[i + 3] == '=')
                {
                    for (int j = i + 4; j < limit; j++)
                    {
                        if (b[j] == 1)
                        {
                            return j + 1;
                        }
                    }
                    return -1;
                }
            }
            return -1;
        }

        private void onMessage(final byte[] b, final int start, final int end)
        {
            char msgType = 0;
            char execType = 0;
            char rejectedRequest = 0;
            long clOrdId = -1;
            int textStart = -1;
            int textEnd = -1;
            int i = start;
            while (i < end)
            {
                int tag = 0;
                while (i < end && b[i] != '=')
                {
                    tag = tag * 10 + (b[i] - '0');
                    i++;
                }
                final int valueStart = ++i;
                while (i < end && b[i] != 1)
                {
                    i++;
                }
                final int valueEnd = i++;
                switch (tag)
                {
                    case 35: msgType = (char)b[valueStart]; break;
                    case 150: execType = (char)b[valueStart]; break;
                    case 434: rejectedRequest = (char)b[valueStart]; break;
                    case 11:
                        if (valueEnd > valueStart + 1 && b[valueStart] == 'x')
                        {
                            long v = 0;
                            for (int k = valueStart + 1; k < valueEnd; k++)
                            {
                                v = v * 10 + (b[k] - '0');
                            }
                            clOrdId = v;
                        }
                        break;
                    case 58: textStart = valueStart; textEnd = valueEnd; break;
                    default: break;
                }
            }
            if (echo && msgType != 'A')
            {
                if (clOrdId >= 0)
                {
                    onAnswer(clOrdId, false, null);
                }
                return;
            }
            switch (msgType)
            {
                case 'A':
                    loggedOn = true;
                    break;
                case '5':
                case '3':
                case 'j':
                    lastText = textStart < 0 ? "(no text)" : new String(b, textStart, textEnd - textStart, StandardCharsets.US_ASCII);
                    if (msgType != '5')
                    {
                        answers.sessionReject(msgType + ": " + lastText);
                    }
                    break;
                case '1':
                    send("0", body().field(112, "TEST"));
                    break;
                case '8':
                    onExecutionReport(execType, clOrdId, b, textStart, textEnd);
                    break;
                case '9':
                    if (clOrdId >= 0)
                    {
                        // CxlRejResponseTo (434): 2 a replace's reject, 1 a cancel's
                        onAnswer(clOrdId, true, (rejectedRequest == '2' ? "replace rejected: " : "cancel rejected: ") + (textStart < 0 ? "" :
                            new String(b, textStart, textEnd - textStart, StandardCharsets.US_ASCII)));
                    }
                    break;
                default:
                    break;
            }
        }

        private void onExecutionReport(final char execType, final long clOrdId, final byte[] b, final int textStart,
            final int textEnd)
        {
            if (clOrdId < 0)
            {
                return;
            }
            switch (execType)
            {
                case '0':
                    onAnswer(clOrdId, false, null);
                    pushLive(clOrdId);
                    synchronized (acknowledgedNew)
                    {
                        if (acknowledgedNew.get((int)clOrdId))
                        {
                            duplicateAcks.increment();
                        }
                        acknowledgedNew.set((int)clOrdId);
                    }
                    break;
                case '5':
                    onAnswer(clOrdId, false, null);
                    pushLive(clOrdId);
                    break;
                case '4':
                    // Our cancel's answer carries our cancel's ClOrdID; other cancels (IOC remainders) do not count.
                    if (answers.sentAs(clOrdId, CANCEL))
                    {
                        onAnswer(clOrdId, false, null);
                    }
                    break;
                case 'F':
                    fills.increment();
                    break;
                case '8':
                    onAnswer(clOrdId, true, "rejected: " + (textStart < 0 ? "" :
                        new String(b, textStart, textEnd - textStart, StandardCharsets.US_ASCII)));
                    break;
                default:
                    break;
            }
        }
    }

    /** Helper for callers: a list of users "name:password". */
    public static List<String[]> users(final int count, final String prefix, final String password)
    {
        final List<String[]> users = new ArrayList<>();
        for (int i = 1; i <= count; i++)
        {
            users.add(new String[]{prefix + i, password});
        }
        return users;
    }
}
