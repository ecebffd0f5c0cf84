package dev.bourse.readmodels.history;

/**
 * The kinds of line in an account's activity report (the CSV's {@code kind} column) and the
 * order-event types they come from.
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

    /** order_events.type */
    public static final byte EVENT_ACCEPTED = 1;
    public static final byte EVENT_FILL = 2;
    public static final byte EVENT_CANCELED = 3;
    public static final byte EVENT_REPLACED = 4;

    private static final String[] NAMES = {
        "UNKNOWN", "ACCOUNT_CREATED", "ORDER_ACCEPTED", "ORDER_REJECTED", "FILL", "ORDER_CANCELED", "ORDER_REPLACED",
        "CANCEL_REJECTED", "MASS_CANCEL", "DEPOSIT", "WITHDRAW", "COMMAND_REJECTED", "AUDIT"};
    private static final String[] EVENT_NAMES = {"UNKNOWN", "ACCEPTED", "FILL", "CANCELED", "REPLACED"};

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
            default: return ORDER_REPLACED;
        }
    }
}
