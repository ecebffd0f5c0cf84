package dev.bourse.engine;

/** Source of snapshot bytes; implementations throw if the data ends early. */
public interface StateInput
{
    long getLong();

    int getInt();

    byte getByte();
}
