package dev.bourse.gateway.store;

/**
 * A file of the FIX session stores (a session's {@code state} or {@code messages}, or
 * {@code gateway.state}) holds what no run of the gateway, however it ended, can leave: the start
 * is refused. The message is the one line a refused start prints (no cause, so it is not replaced
 * by a cause's words): the file, what is wrong with it, and what the operator can do.
 */
public final class DamagedStoreException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public DamagedStoreException(final String message)
    {
        super(message);
    }
}
