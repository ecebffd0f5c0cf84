package dev.bourse.engine;

/** Sink for snapshot bytes (a file writer with a checksum, or a buffer in tests). */
public interface StateOutput
{
    void putLong(long value);

    void putInt(int value);

    void putByte(byte value);
}
