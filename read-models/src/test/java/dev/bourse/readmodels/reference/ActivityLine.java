package dev.bourse.readmodels.reference;

/**
 * One line of an account's compliance activity report, in journal order. An order's own changes
 * (accepted, fill, canceled, replaced) are its {@link OrderChange}s themselves, shared with the
 * order's history rather than copied; everything else is an {@link Activity}. Fields a kind does
 * not use are 0 or empty.
 */
public sealed interface ActivityLine permits Activity, OrderChange
{
    long sequence();

    long timestamp();

    /** One of the {@code Activity} kinds. */
    byte kind();

    long orderId();

    String clOrdId();

    int instrumentId();

    byte side();

    long price();

    long quantity();

    long leavesQty();

    long cumQty();

    /** Reason, role or other detail as text. */
    String detail();

    /** Balance after a deposit or withdrawal; 0 otherwise. */
    long balance();
}
