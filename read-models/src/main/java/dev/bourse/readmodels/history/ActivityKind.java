package dev.bourse.readmodels.history;

import dev.bourse.protocol.sbe.CancelReason;

/**
 * The kinds of line in an account's activity report (the CSV's {@code kind} column) and the
 * order-event types they come from. Both are stored in the history store (activity.kind,
 * order_events.type): a new one is appended, an existing one never renumbered.
 */
public final class ActivityKind
{
    public static final byte ACCOUNT_CREATED = 1;
    public static final byte ORDER_ACCEPTED = 2;
    public static final byte ORDER_REJECTED = 3;
    public static final byte FILL = 4;
    public static final byte ORDER_CANCELED = 5;
    public static final byte ORDER_REPLACED = 6;
    public static final byte CANCEL_REJECTED = 7;
    public static final byte MASS_CANCEL = 8;
    public static final byte DEPOSIT = 9;
    public static final byte WITHDRAW = 10;
    public static final byte COMMAND_REJECTED = 11;
    public static final byte AUDIT = 12;
    /** An order its time in force ended (an order event of type {@link #EVENT_EXPIRED}). */
    public static final byte ORDER_EXPIRED = 13;
    /**
     * A request the gateway refused itself (an ORDER_REFUSED audit: an unknown symbol, a Side,
     * OrdType or TimeInForce the exchange does not trade): its ClOrdID, instrument and reason.
     */
    public static final byte ORDER_REFUSED = 14;
    /** A held stop elected (an order event of type {@link #EVENT_ELECTED}): the market or limit order it became, in detail. */
    public static final byte ORDER_ELECTED = 15;
    /**
     * The account blocked (an operator's suspend or kill switch: a kill's cancels are its ORDER_CANCELED
     * lines before it) or unblocked (resume), in detail: the audit log's SET_BLOCK record says who,
     * this line which way.
     */
    public static final byte BLOCK_CHANGED = 16;

    /** order_events.type */
    public static final byte EVENT_ACCEPTED = 1;
    public static final byte EVENT_FILL = 2;
    public static final byte EVENT_CANCELED = 3;
    public static final byte EVENT_REPLACED = 4;
    /**
     * Canceled with reason EXPIRED: a GTD expiry, a DAY order at the end of the day, an at-the-open
     * or at-the-close leftover. Stores written before it have such an event as {@link #EVENT_CANCELED}
     * with reason EXPIRED: {@link #eventType} reads both as this.
     */
    public static final byte EVENT_EXPIRED = 5;
    /**
     * A held stop elected: {@code reason} keeps the OrdType it became (MARKET or LIMIT), {@code price}
     * its limit price (0 for MARKET) and {@code stop_price} the last trade price that reached the
     * stop (the trigger; the order's own stop price is in its ACCEPTED or REPLACED events).
     */
    public static final byte EVENT_ELECTED = 6;

    private static final String[] NAMES = {
        "UNKNOWN", "ACCOUNT_CREATED", "ORDER_ACCEPTED", "ORDER_REJECTED", "FILL", "ORDER_CANCELED", "ORDER_REPLACED",
        "CANCEL_REJECTED", "MASS_CANCEL", "DEPOSIT", "WITHDRAW", "COMMAND_REJECTED", "AUDIT", "ORDER_EXPIRED", "ORDER_REFUSED",
        "ORDER_ELECTED", "BLOCK_CHANGED"};
    private static final String[] EVENT_NAMES = {"UNKNOWN", "ACCEPTED", "FILL", "CANCELED", "REPLACED", "EXPIRED", "ELECTED"};

    private ActivityKind()
    {
    }

    public static String name(final int kind)
    {
        return kind > 0 && kind < NAMES.length ? NAMES[kind] : NAMES[0];
    }

    public static String eventName(final int type)
    {
        return type > 0 && type < EVENT_NAMES.length ? EVENT_NAMES[type] : EVENT_NAMES[0];
    }

    /** The activity kind of an order event type. */
    public static byte ofEvent(final int type)
    {
        switch (type)
        {
            case EVENT_ACCEPTED: return ORDER_ACCEPTED;
            case EVENT_FILL: return FILL;
            case EVENT_CANCELED: return ORDER_CANCELED;
            case EVENT_EXPIRED: return ORDER_EXPIRED;
            case EVENT_ELECTED: return ORDER_ELECTED;
            default: return ORDER_REPLACED;
        }
    }

    /** The event type of the journal's OrderCanceled for this reason (a {@code CancelReason} value): an expiry is its own. */
    public static byte cancelEvent(final int cancelReason)
    {
        return cancelReason == CancelReason.EXPIRED.value() ? EVENT_EXPIRED : EVENT_CANCELED;
    }

    /**
     * A stored event's type as it is answered: a row of type CANCELED with reason EXPIRED (written
     * before {@link #EVENT_EXPIRED} existed) is an EXPIRED one, as a row written since.
     */
    public static byte eventType(final int type, final int reason)
    {
        return type == EVENT_CANCELED ? cancelEvent(reason) : (byte)type;
    }

    /** The event ended the order without a fill: canceled or expired (its reason is the cancel reason). */
    public static boolean isCancel(final int type)
    {
        return type == EVENT_CANCELED || type == EVENT_EXPIRED;
    }
}
