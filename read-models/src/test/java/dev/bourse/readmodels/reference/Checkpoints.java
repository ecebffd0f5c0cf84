package dev.bourse.readmodels.reference;

import java.io.DataInput;
import java.io.IOException;

final class Checkpoints
{
    private Checkpoints()
    {
    }

    /** A collection size read back from a checkpoint, refused if it cannot be one. */
    static int readCount(final DataInput in) throws IOException
    {
        final int count = in.readInt();
        if (count < 0)
        {
            throw new IOException("corrupt checkpoint: negative count " + count);
        }
        return count;
    }
}
