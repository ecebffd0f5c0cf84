package dev.bourse.engine;

/**
 * The instruments a command touched in a way that matters once it is done: a trade where stops
 * are held (they may now be triggered), a change to a call's book (its indication may have
 * changed), a new phase. Listed in the order of their first event, so what the end of the
 * command does is a function of the command's events. Live engine only; allocates nothing once
 * grown to the number of instruments.
 */
final class InstrumentWork
{
    private Instrument[] touched = new Instrument[16];
    private int size;

    void touch(final Instrument instrument)
    {
        if (!instrument.touched)
        {
            instrument.touched = true;
            if (size == touched.length)
            {
                touched = java.util.Arrays.copyOf(touched, size * 2);
            }
            touched[size++] = instrument;
        }
    }

    int size()
    {
        return size;
    }

    Instrument get(final int index)
    {
        return touched[index];
    }

    void clear()
    {
        for (int i = 0; i < size; i++)
        {
            touched[i].touched = false;
            touched[i] = null;
        }
        size = 0;
    }
}
