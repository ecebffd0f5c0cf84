package dev.bourse.gateway.store;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The checks of session store files found at start (a store's {@code state} and messages, and
 * whether a directory holds a store that was used): what no run of the gateway can have left,
 * crash or not, refuses the start in one line naming the file ({@link DamagedStoreException}).
 * Kept out of {@link SessionStore}, whose job is the store's writes on the order path.
 */
final class SessionStoreCheck
{
    private SessionStoreCheck()
    {
    }

    /**
     * Refuses a session directory found at start without a {@code state} whose messages hold a
     * message: the state, with the session's numbers and the user its CompID belongs to, was
     * deleted, and a start would let the CompID log on as a new session at MsgSeqNum 1 (for any
     * user). No crash leaves that: the state is made before the messages, and a release (a session
     * another gateway took over) renames the directory away before deleting anything.
     */
    static void refuseIfStateLost(final Path directory)
    {
        final Path stateFile = directory.resolve("state");
        try
        {
            for (final String segment : new String[] {"messages", "messages.prev"})
            {
                final Path file = directory.resolve(segment);
                if (Files.isRegularFile(file) && firstInt(file) != 0)
                {
                    throw stateDamaged(stateFile, "is missing, but " + file + " holds messages sent: the session's sequence numbers and"
                        + " the user its CompID belongs to are lost");
                }
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot read FIX session store " + directory + ": " + e.getMessage(), e);
        }
    }

    static boolean beginsWithMagic(final Path stateFile) throws IOException
    {
        return firstInt(stateFile) == SessionStore.MAGIC;
    }

    /** The file's first int (native order, as mapped), 0 if it is missing or shorter. */
    private static int firstInt(final Path file) throws IOException
    {
        final byte[] head = head(file, Integer.BYTES);
        return head.length == Integer.BYTES ? java.nio.ByteBuffer.wrap(head).order(java.nio.ByteOrder.nativeOrder()).getInt(0) : 0;
    }

    /**
     * Refuses a session store found at start whose {@code state} (read as {@code found}, before
     * anything was mapped) or messages no run can have left, crash or not. What a crash can leave,
     * and so is accepted:
     * <ul>
     * <li>a {@code state} shorter than {@value SessionStore#STATE_SIZE} bytes, or of that length, that is all
     * zeros, or only its magic number zero: the store was being made when the process died (created,
     * then given its blocks, then bound by {@link SessionStore#initialise}, the magic number written last), before
     * any message was stored, which needs the binding. So it must hold no message; one that holds
     * messages lost its state (a state cut to 0 bytes read as a new session, numbering from 1, its
     * CompID free for any user).</li>
     * <li>with the magic number: every field within what the gateway writes, each an aligned int or
     * long written whole.</li>
     * <li>the messages: the newest stored (in {@code messages}, or in {@code messages.prev} when a
     * roll was cut off between renaming the full segment and making the new one) is the last sent,
     * {@code nextOut - 1}, or {@code nextOut} itself (a message stored, the state not yet advanced:
     * {@link SessionStore#append} writes the message first); none at all for a new numbering ({@code nextOut} 1)
     * or a takeover with nothing sent since (the number it began at). Every message sent is stored
     * and the newest are never dropped (a roll drops the segment before the previous one), so fewer
     * means the file was cut or emptied, and resends would gap-fill real reports or answer nothing.
     * The first message of {@code messages} follows the last of {@code messages.prev} the same way.
     * While a reset or takeover renumbers ({@link SessionStore#RENUMBERING_OFFSET}) the numbers and the messages
     * may disagree, and are not compared.</li>
     * </ul>
     */
    static void refuseIfDamaged(final Path stateFile, final byte[] found, final MessageLog log)
    {
        final UnsafeBuffer read = new UnsafeBuffer(found);
        boolean zeros = true;
        for (final byte b : found)
        {
            if (b != 0)
            {
                zeros = false;
                break;
            }
        }
        final int lastStored = log.lastSeqAtOpen();
        if (zeros || (found.length >= SessionStore.STATE_SIZE && read.getInt(SessionStore.MAGIC_OFFSET) == 0))
        {
            if (lastStored > 0)
            {
                throw stateDamaged(stateFile, (found.length == 0 ? "is empty" : found.length < SessionStore.STATE_SIZE ? "is " + found.length
                    + " bytes of zeros" : zeros ? "is all zeros" : "has no magic number") + " (a session never bound to a user),"
                    + " but the session's messages go up to MsgSeqNum " + lastStored + ": its sequence numbers and the user its CompID"
                    + " belongs to are lost");
            }
            return; // a store being made when the process stopped: the registry leaves it unbound, as before
        }
        if (found.length < SessionStore.STATE_SIZE)
        {
            throw stateDamaged(stateFile, "is " + found.length + " bytes, shorter than the " + SessionStore.STATE_SIZE + " of its format: it was cut short");
        }
        if (read.getInt(SessionStore.MAGIC_OFFSET) != SessionStore.MAGIC)
        {
            throw stateDamaged(stateFile, String.format("does not begin with a session state's magic number (0x%08x where 0x%08x belongs)",
                read.getInt(SessionStore.MAGIC_OFFSET), SessionStore.MAGIC));
        }
        final int sessionId = read.getInt(SessionStore.SESSION_ID_OFFSET);
        final int nextOut = read.getInt(SessionStore.NEXT_OUT_OFFSET);
        final int nextIn = read.getInt(SessionStore.NEXT_IN_OFFSET);
        final int userLength = read.getInt(SessionStore.USERNAME_LENGTH_OFFSET);
        final int receivedIn = read.getInt(SessionStore.RECEIVED_IN_OFFSET);
        final long resetSequence = read.getLong(SessionStore.RESET_SEQUENCE_OFFSET);
        final int renumbering = read.getInt(SessionStore.RENUMBERING_OFFSET);
        final int takenOverAt = read.getInt(SessionStore.TAKEN_OVER_AT_OFFSET);
        final String inconsistent = sessionId < 1 ? "engine session id " + sessionId
            : nextOut < 1 ? "next outbound MsgSeqNum " + nextOut
            : nextIn < 1 ? "next inbound MsgSeqNum " + nextIn
            : receivedIn < 0 ? "received inbound MsgSeqNum " + receivedIn
            : userLength < 0 || userLength > SessionStore.MAX_USERNAME ? "username length " + userLength
            : resetSequence < 0 ? "reset journal sequence " + resetSequence
            : renumbering != 0 && renumbering != 1 ? "renumbering flag " + renumbering
            : takenOverAt < 0 ? "takeover MsgSeqNum " + takenOverAt
            : null;
        if (inconsistent != null)
        {
            throw stateDamaged(stateFile, "holds " + inconsistent + ", which no session has");
        }
        if (log.damage() != null)
        {
            throw damaged(stateFile.resolveSibling("messages"), log.damage());
        }
        if (renumbering != 0)
        {
            return;
        }
        final int lastInPrevious = log.lastSeqInPreviousAtOpen();
        final int firstInCurrent = log.firstSeqInCurrentAtOpen();
        if (lastInPrevious > 0 && firstInCurrent > 0 && firstInCurrent != lastInPrevious + 1 && firstInCurrent != lastInPrevious)
        {
            throw damaged(stateFile.resolveSibling("messages.prev"), stateFile.resolveSibling("messages.prev") + " ends at MsgSeqNum "
                + lastInPrevious + " but " + stateFile.resolveSibling("messages") + " begins at " + firstInCurrent
                + (firstInCurrent > lastInPrevious ? ": messages between them are missing" : ": they overlap"));
        }
        // Messages further on than the state: a copy of a running store (OPERATIONS.md, "Backups") that took the
        // state before the messages; the store numbers on after them (SessionStore). A crash leaves at most one.
        final boolean consistent = lastStored >= nextOut - 1 || (lastStored == 0 && nextOut == takenOverAt);
        if (!consistent)
        {
            final Path messages = stateFile.resolveSibling("messages");
            final long size = log.currentSizeAtOpen();
            final long previousSize = log.previousSizeAtOpen();
            throw damaged(messages, messages + " (" + (size < 0 ? "missing" : size + " bytes")
                + (previousSize < 0 ? "" : ", with messages.prev of " + previousSize + " bytes") + ") holds "
                + (lastStored == 0 ? "no message" : "messages up to MsgSeqNum " + lastStored) + ", but " + stateFile + " says MsgSeqNum "
                + (nextOut - 1) + " was the last sent"
                + ": the messages after it are lost (the file was cut or emptied, or copied before the state while the exchange"
                + " ran: OPERATIONS.md, \"Backups\", copies each state first), and resends of them would be gap-filled or go unanswered");
        }
    }

    private static DamagedStoreException stateDamaged(final Path file, final String what)
    {
        return damaged(file, file + " " + what);
    }

    /** One line: the file, what is wrong with it, what the operator can do. */
    private static DamagedStoreException damaged(final Path file, final String whatWithFile)
    {
        final Path session = file.getParent();
        final String compId = session.getFileName().toString();
        return new DamagedStoreException("the FIX session store of " + compId + " is damaged: " + whatWithFile
            + ". Restore " + session + " from a backup (a copy of gateway.session-dir taken with the"
            + " journal, OPERATIONS.md \"Backups\"), or move " + session + " away to start session " + compId + " afresh at MsgSeqNum 1,"
            + " bound to the first user that logs on with it, and tell its firm (its earlier messages cannot be resent);"
            + " the exchange does not start");
    }

    /**
     * Whether a session directory holds a store that was used: its {@code state} holds anything, or
     * its messages a message. A store made while the first Logon of its CompID was cut off holds
     * nothing yet.
     */
    static boolean wasUsed(final Path sessionDirectory) throws IOException
    {
        return holdsAnything(sessionDirectory.resolve("state"), SessionStore.STATE_SIZE)
            || firstInt(sessionDirectory.resolve("messages")) != 0 || firstInt(sessionDirectory.resolve("messages.prev")) != 0;
    }

    /** True if {@code file} exists and one of its first {@code length} bytes is not zero. */
    private static boolean holdsAnything(final Path file, final int length) throws IOException
    {
        final byte[] head = head(file, length);
        for (final byte b : head)
        {
            if (b != 0)
            {
                return true;
            }
        }
        return false;
    }

    /** Up to the first {@code length} bytes of {@code file} (none if it is missing). */
    private static byte[] head(final Path file, final int length) throws IOException
    {
        if (!Files.isRegularFile(file))
        {
            return new byte[0];
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final java.nio.ByteBuffer first = java.nio.ByteBuffer.allocate(length);
            while (first.hasRemaining() && channel.read(first) > 0)
            {
                // as much as there is
            }
            return java.util.Arrays.copyOf(first.array(), first.position());
        }
    }
}
