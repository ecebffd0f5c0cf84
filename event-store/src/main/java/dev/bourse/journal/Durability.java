package dev.bourse.journal;

/** How far an entry must have gone before readers that produce external effects may see it. */
public enum Durability
{
    /**
     * Written into the memory-mapped journal file: survives a crash of the process (the kernel
     * owns the pages) but not of the machine. The default.
     */
    MAPPED,

    /**
     * Also forced to disk (msync) in groups at the end of each batch the engine processes;
     * execution reports and market data are held back until the durable watermark passes them.
     */
    SYNC
}
