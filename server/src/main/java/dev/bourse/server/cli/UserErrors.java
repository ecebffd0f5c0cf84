package dev.bourse.server.cli;

import dev.bourse.server.config.ConfigException;

import java.net.BindException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;

/** Turns the failures a user can fix into one readable line. */
public final class UserErrors
{
    private UserErrors()
    {
    }

    public static String describe(final Throwable error)
    {
        Throwable e = error;
        String listening = null; // a wrapper's "... cannot listen on host:port ...", which names the port
        final java.util.List<Throwable> wrappers = new java.util.ArrayList<>();
        while (e.getCause() != null && !(e instanceof ConfigException) && !(e instanceof BindException) &&
            !(e instanceof FileSystemException))
        {
            if (listening == null && e.getMessage() != null && e.getMessage().contains("cannot listen on"))
            {
                listening = e.getMessage();
            }
            wrappers.add(e);
            e = e.getCause();
        }
        final String explained = explainingWrapper(wrappers, e);
        if (explained != null)
        {
            return explained;
        }
        if (e instanceof ConfigException)
        {
            return e.getMessage();
        }
        if (e instanceof BindException)
        {
            final String cannot = listening != null ? listening : e.getMessage() != null && e.getMessage().startsWith("cannot listen on")
                ? e.getMessage() : "cannot listen: " + e.getMessage();
            // the kernel's "Cannot assign requested address" is the address's fault, not the port's
            return cannot + (cannot.contains("Cannot assign requested address")
                ? " (the address is not one of this host's: gateway.bind, query.bind)"
                : " (is another exchange running, or the port in use? gateway.port, query.port and the TLS ports are in the configuration)");
        }
        if (e instanceof AccessDeniedException denied)
        {
            return "permission denied: " + denied.getFile();
        }
        if (e instanceof FileSystemException fs)
        {
            return fs.getFile() + ": " + (fs.getReason() != null ? fs.getReason() : plainWords(fs));
        }
        final String message = e.getMessage();
        if (message != null && message.contains("Address already in use") && message.contains("aeron:udp"))
        {
            return udpPortInUse(message);
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }

    /**
     * The innermost wrapper that says where a plain IOException happened ("cannot open FIX session
     * store /x: No space left on device"), or null. The kernel's reason alone named neither the key
     * nor the path (an outside probe's "start: No space left on device").
     */
    private static String explainingWrapper(final java.util.List<Throwable> wrappers, final Throwable root)
    {
        // a journal's bare "has no entry at position N" is explained by the read models' wrapper around it (an outside probe)
        if (root.getMessage() == null)
        {
            return null;
        }
        // and whatever a journal's own wrapper explains: recovery's "the journal DIR holds an entry it cannot replay at position
        // P ... (./exchange journal verify ...)" around the replay's bare "journal refers to unknown order 0 at sequence N",
        // which alone named neither the journal nor what to do (an outside probe's zeroed and cut-short journals)
        final boolean plainRoot = root.getClass() == java.io.IOException.class || root instanceof dev.bourse.journal.JournalException;
        for (int i = wrappers.size() - 1; i >= 0; i--)
        {
            final Throwable wrapper = wrappers.get(i);
            final String message = wrapper.getMessage();
            if ((plainRoot || wrapper instanceof dev.bourse.journal.JournalException)
                && message != null && message.contains(root.getMessage()) && !message.equals(root.getMessage())
                && !message.equals(root.toString()))
            {
                return message;
            }
        }
        return null;
    }

    private static final java.util.regex.Pattern UDP_ENDPOINT = java.util.regex.Pattern.compile("endpoint=([^|,\\s]+)");

    /** Aeron's "channel error - Address already in use ... aeron:udp?endpoint=host:port", in words that name the keys. */
    private static String udpPortInUse(final String message)
    {
        final java.util.regex.Matcher m = UDP_ENDPOINT.matcher(message);
        final String endpoint = m.find() ? m.group(1) : "a UDP port";
        return "cannot bind UDP " + endpoint + ": the address is in use (is another node or exchange running? a cluster member "
            + "uses its cluster.members port and the next four; md.channel and md.snapshot-channel are UDP too)";
    }

    /** What a reason-less file error means, in words rather than a Java class name. */
    private static String plainWords(final FileSystemException e)
    {
        if (e instanceof java.nio.file.NoSuchFileException)
        {
            return "no such file or directory";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException)
        {
            return "already exists";
        }
        if (e instanceof java.nio.file.NotDirectoryException)
        {
            return "not a directory";
        }
        if (e instanceof java.nio.file.DirectoryNotEmptyException)
        {
            return "directory not empty";
        }
        return "cannot be used (" + e.getClass().getSimpleName() + ")";
    }
}
