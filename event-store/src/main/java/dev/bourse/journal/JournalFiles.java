package dev.bourse.journal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Looks at a journal's cycle files as bytes, for verdicts Chronicle Queue cannot give. */
public final class JournalFiles
{
    /** A cycle file starts with its header document, whose length word is never 0 in a sound file. */
    private static final int HEADER_WORD = 4;
    /** Chronicle's document header word: these two flags, and the length in the low 30 bits. */
    private static final int NOT_COMPLETE = 0x8000_0000;
    private static final int META_DATA = 0x4000_0000;
    private static final int LENGTH_MASK = 0x3FFF_FFFF;
    /** The header documents Chronicle writes are a few hundred bytes; beyond this it is not one of theirs. */
    private static final int MAX_HEADER_BYTES = 1 << 16;
    /** The header's field that says where the cycle's last document starts (Chronicle's SCQStore). */
    private static final byte[] WRITE_POSITION = "writePosition".getBytes(StandardCharsets.US_ASCII);
    /** Chronicle's binary wire codes met between that field's name and its value. */
    private static final int FIELD_NAME0 = 0xC0;
    private static final int PADDING32 = 0x8E;
    private static final int PADDING = 0x8F;
    private static final int I64_ARRAY = 0x8D;
    private static final int INT64 = 0xA7;

    /** The lead of the verdict on a file cut short: as {@code journal verify} words it when it meets one while reading. */
    private static final String CUT_SHORT = "ends before its data does (cut short or damaged)";

    /** How long a writer may take between creating a cycle file and writing its header: microseconds, in practice. */
    private static final long FIRST_CYCLE_SETTLE_MILLIS = 200;

    private JournalFiles()
    {
    }

    /**
     * A cycle file whose header is zeroed while data follows cannot be read from its start:
     * Chronicle sees a file still being created and waits for its header, 10 s at a time, then
     * reads nothing. An empty cycle file (no bytes, or only zeros) before a cycle that holds
     * entries is a hole: read in order, the journal stops there, and a start from a snapshot taken
     * after it would hide the loss from everything but the readers that stall at it. A cycle file
     * cut short (a copy stopped midway, a {@code truncate}) is a third ({@link #cutShort}): opened for
     * writing, Chronicle grew it back with zeros where its entries were, read the zeros as entries and
     * the start failed on them, far from the cause, with the evidence gone. All are looked for before
     * Chronicle opens the journal, so the verdict comes at once and the files are left as they were.
     *
     * @return what is wrong, or null if every cycle file starts with a header, holds what its header
     * says was written, and only the newest may hold nothing (not all of them: a sole empty cycle file
     * is damage too, a journal whose first cycle was never written; its name must be a cycle's, too).
     */
    public static String damagedHeader(final Path dir)
    {
        final Damage damage = damage(dir);
        return damage == null ? null : damage.what();
    }

    /**
     * What is wrong with a cycle file, and whether entries lie past where the file ends: then
     * moving it aside would lose them, acknowledged ones among them (the advice differs); and
     * whether {@code what} already says what to do (a start then adds no advice of its own).
     */
    public record Damage(String what, boolean entriesPastEnd, boolean advised)
    {
        public Damage(final String what, final boolean entriesPastEnd)
        {
            this(what, entriesPastEnd, false);
        }
    }

    /** {@link #damagedHeader}'s verdict with its kind, or null: the start's advice follows the kind, not the wording. */
    public static Damage damage(final Path dir)
    {
        return damage(dir, true);
    }

    private static Damage damage(final Path dir, final boolean lookAgain)
    {
        final List<Path> cycles = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.cq4"))
        {
            files.forEach(cycles::add);
        }
        catch (final IOException e)
        {
            return new Damage("the journal cannot be read (" + e.getMessage() + ")", false);
        }
        // Chronicle names cycle files by their time, most significant part first: by name is by time.
        cycles.sort(Comparator.comparing(p -> p.getFileName().toString()));
        String empty = null;
        int emptyFiles = 0;
        boolean readable = false;
        for (final Path file : cycles)
        {
            if (!JournalRollCycles.isCycleFileName(file.getFileName().toString()))
            {
                // Chronicle fails to open the directory with its date parser's text (an outside tester): named here instead
                return new Damage(file.getFileName() + " is not a journal cycle file: its name is no roll cycle's (a cycle file is"
                    + " named by its time, e.g. 20261207F.cq4). Move it out of the journal directory", false, true);
            }
            final Content content;
            try
            {
                content = contentOf(file);
            }
            catch (final IOException e)
            {
                return new Damage(file.getFileName() + " cannot be read (" + e.getMessage() + ")", false);
            }
            if (content == Content.HEADER_ZEROED)
            {
                return new Damage(file.getFileName() + " cannot be read from its start: its header is damaged (zeroed), "
                    + "though data follows it", false);
            }
            if (content == Content.EMPTY)
            {
                empty = empty == null ? file.getFileName().toString() : empty;
                emptyFiles++;
                continue;
            }
            readable = true;
            if (empty != null)
            {
                return new Damage(empty + " is empty, though a later cycle file (" + file.getFileName() + ") holds entries: the "
                    + "journal, read in order, ends before it, and what the empty file held is lost (if it never held anything, "
                    + "a crash as it was created, moving it aside is enough: journal verify then checks that the sequence runs on)", false);
            }
            final Damage foreign = verdict(file, JournalFiles::notACycleFile, false);
            if (foreign != null)
            {
                return foreign;
            }
            final Damage cut = verdict(file, JournalFiles::cutShort, true);
            if (cut != null)
            {
                return cut;
            }
        }
        if (empty != null && !readable && lookAgain)
        {
            // a writer creating the journal's first cycle file claims it before it writes its header: a look in between (a
            // check beside a starting writer read it so) is no kill's leftover; a kill's stays empty, so look once more
            try
            {
                Thread.sleep(FIRST_CYCLE_SETTLE_MILLIS);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
            return damage(dir, false);
        }
        if (empty != null && !readable)
        {
            // Chronicle waits for the header of the first cycle for ever (the tools and a start hung: an outside tester);
            // nothing was written before it, so it is most likely a crash as the journal's first cycle file was created
            return new Damage(empty + (emptyFiles > 1 ? " and the " + (emptyFiles - 1) + " cycle file(s) after it are" : " is")
                + " empty (no bytes, or only zeros) and no cycle file holds entries: most likely a crash as the journal's first"
                + " cycle file was created, before any entry (Chronicle would wait for its header for ever). Move the empty"
                + " file(s) aside to start an empty journal; if the journal held entries, restore it from a copy", false, true);
        }
        return null;
    }

    /** One look at a cycle file: what is wrong with it, or null. */
    private interface FileCheck
    {
        String problem(Path file) throws IOException;
    }

    /** The check's verdict as a Damage (a file that cannot be read is one too), or null. */
    private static Damage verdict(final Path file, final FileCheck check, final boolean entriesPastEnd)
    {
        try
        {
            final String problem = check.problem(file);
            return problem == null ? null : new Damage(problem, entriesPastEnd);
        }
        catch (final IOException e)
        {
            return new Damage(file.getFileName() + " cannot be read (" + e.getMessage() + ")", false);
        }
    }

    /** The file's first word (Chronicle's header document's), unsigned; -1 if the file is shorter than a word. */
    private static long headerWord(final FileChannel channel) throws IOException
    {
        final ByteBuffer word = ByteBuffer.allocate(HEADER_WORD).order(ByteOrder.LITTLE_ENDIAN);
        return readFully(channel, word, 0) < HEADER_WORD ? -1 : word.getInt(0) & 0xFFFF_FFFFL;
    }

    /**
     * Why {@code file}, which holds bytes, is not one of Chronicle's cycle files, or null if it may
     * be: its first word must be a metadata document's of a header's length, or one still being
     * written (the not-complete flag, whatever the other bits). Nothing more is asked of it: a running writer creating a cycle, or a kill at
     * that moment, leaves a header whose contents are not all there yet, which must never stop a
     * start. A file of random bytes named like a later cycle passed every check and was mapped and
     * extended to 320 MiB by a start, to be written into when its day came (an outside tester);
     * random bytes pass this one half the time (a first word with the not-complete bit).
     */
    static String notACycleFile(final Path file) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file))
        {
            final long word = headerWord(channel);
            if (word < 0)
            {
                return null; // a few bytes: read as any other damage
            }
            final int header = (int)word;
            // Chronicle claims a new file's header word as not-complete (0x80000000, its other bits possibly a
            // writer's pid) before it writes the header: any not-complete word is a cycle being made (a cluster
            // test's reader met one beside a running node); a complete one is a metadata document of a header's length
            final boolean headerLike = (header & NOT_COMPLETE) != 0
                || (header & META_DATA) != 0 && (header & LENGTH_MASK) <= MAX_HEADER_BYTES;
            return headerLike ? null : file.getFileName() + " is not a journal cycle file: it does not start with Chronicle"
                + " Queue's header (a file from elsewhere, or one overwritten from its start). Move it out of the journal"
                + " directory; if it was a cycle of this journal, restore the journal from a copy";
        }
    }

    /**
     * Whether {@code file} is shorter than the data its own header says was written into it: null if
     * not, or if the header cannot tell (then the reading decides, as before).
     *
     * <p>Chronicle's header records where the cycle's last document starts ({@code writePosition}),
     * and that document's first word gives its length once it is complete. The file must reach to
     * its end. Two small reads, whatever the journal's size.
     *
     * <p>Why this never refuses a journal a SIGKILL left, at any moment, or a normal run did:
     * Chronicle writes a cycle file only through a memory mapping, and a byte written through a
     * mapping lies inside the file (past its end a store is a SIGBUS, not a write), so Chronicle
     * grows the file before it maps a chunk of it. The header's position, and the document there
     * once its length word says it is complete, were written that way: they lie inside the file as
     * long as nothing outside Chronicle makes it shorter. A kill leaves the file's length as the
     * kernel has it (the page cache keeps what was stored through the mapping), and Chronicle never
     * makes a file shorter than its data: the newest cycle is as long as its mapped chunks (sparse:
     * 320 MiB listed for a few KiB written), and a cycle rolled, even mid-write, keeps its length or,
     * in Chronicle releases that shrank rolled files, is cut to just past its end-of-file marker,
     * which follows the data. A position recorded but a document not yet complete (a kill in the middle
     * of writing it) is not measured: only its word, which is inside the file, is. The length is read
     * after the header, so a running exchange's growth meanwhile cannot make it look short. What
     * the header does not say plainly (not Chronicle's layout, a header not complete) is no verdict.
     */
    static String cutShort(final Path file) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file))
        {
            final long word = headerWord(channel);
            if (word < 0)
            {
                return null; // a few bytes: read as any other damage
            }
            final int header = (int)word;
            final int headerLength = header & LENGTH_MASK;
            if ((header & NOT_COMPLETE) != 0 || (header & META_DATA) == 0 || headerLength == 0 || headerLength > MAX_HEADER_BYTES)
            {
                return null; // not a complete header of Chronicle's: the reading says what it is
            }
            final ByteBuffer bytes = ByteBuffer.allocate(headerLength).order(ByteOrder.LITTLE_ENDIAN);
            final int read = readFully(channel, bytes, HEADER_WORD);
            final long headerEnd = HEADER_WORD + (long)headerLength;
            long end = headerEnd;
            String says = "the header itself runs to byte " + headerEnd;
            if (read == headerLength)
            {
                final long writePosition = writePosition(bytes);
                if (writePosition >= headerEnd)
                {
                    end = writePosition + HEADER_WORD;
                    says = "its last document starts at byte " + writePosition;
                    final ByteBuffer documentWord = ByteBuffer.allocate(HEADER_WORD).order(ByteOrder.LITTLE_ENDIAN);
                    if (readFully(channel, documentWord, writePosition) == HEADER_WORD)
                    {
                        final int document = documentWord.getInt(0);
                        if ((document & NOT_COMPLETE) == 0 && (document & LENGTH_MASK) != 0)
                        {
                            end += document & LENGTH_MASK;
                            says = "data was written up to byte " + end + " (its last document starts at byte " + writePosition + ")";
                        }
                    }
                }
            }
            final long size = channel.size(); // after the header: a running writer only makes it longer
            return size >= end ? null
                : file.getFileName() + " " + CUT_SHORT + ": it is " + size + " bytes long, but its header says " + says;
        }
    }

    /** The header's writePosition (its first value, the last document's start), or -1 if it is not there as expected. */
    private static long writePosition(final ByteBuffer header)
    {
        final int at = indexOf(header, WRITE_POSITION);
        if (at < 1 || (header.get(at - 1) & 0xFF) != FIELD_NAME0 + WRITE_POSITION.length)
        {
            return -1;
        }
        int i = at + WRITE_POSITION.length;
        while (i < header.limit())
        {
            final int code = header.get(i) & 0xFF;
            if (code == PADDING)
            {
                i++;
            }
            else if (code == PADDING32 && i + 5 <= header.limit())
            {
                i += 5 + header.getInt(i + 1);
            }
            else
            {
                break;
            }
        }
        if (i < 0 || i >= header.limit())
        {
            return -1;
        }
        final int code = header.get(i) & 0xFF;
        if (code == I64_ARRAY && i + 1 + 24 <= header.limit())
        {
            // capacity, used, then the values: the position first (then its sequence)
            return header.getLong(i + 1 + 8) >= 1 ? header.getLong(i + 1 + 16) : -1;
        }
        if (code == INT64 && i + 9 <= header.limit())
        {
            return header.getLong(i + 1); // older releases: the position alone
        }
        return -1;
    }

    private static int indexOf(final ByteBuffer haystack, final byte[] needle)
    {
        outer:
        for (int i = 0; i + needle.length <= haystack.limit(); i++)
        {
            for (int j = 0; j < needle.length; j++)
            {
                if (haystack.get(i + j) != needle[j])
                {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static int readFully(final FileChannel channel, final ByteBuffer buffer, final long position) throws IOException
    {
        int total = 0;
        while (buffer.hasRemaining())
        {
            final int n = channel.read(buffer, position + total);
            if (n < 0)
            {
                break;
            }
            total += n;
        }
        return total;
    }

    /** Why a journal whose tailer delivered nothing has no entries to read. */
    public static String whyNoEntries(final Path dir)
    {
        final String damaged = damagedHeader(dir);
        return damaged != null ? damaged : "the journal has no entries";
    }

    private enum Content
    {
        EMPTY, HEADER_ZEROED, READABLE
    }

    private static Content contentOf(final Path file) throws IOException
    {
        try (InputStream in = Files.newInputStream(file))
        {
            final byte[] chunk = new byte[1 << 16];
            long read = 0;
            int n;
            while ((n = in.read(chunk)) > 0)
            {
                for (int i = 0; i < n; i++)
                {
                    if (chunk[i] != 0)
                    {
                        return read + i < HEADER_WORD ? Content.READABLE : Content.HEADER_ZEROED;
                    }
                }
                read += n;
            }
            return Content.EMPTY;
        }
    }
}
