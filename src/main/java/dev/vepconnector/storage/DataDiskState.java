package dev.vepconnector.storage;

/**
 * Where the free space of the data folder's file system stands, as {@code vep_storage_low_disk} (its
 * {@link #level()}) and the {@code dataDisk} health component report it.
 */
public enum DataDiskState {
    /** Above {@code vep.storage.free-space-warning}. */
    OK(0),
    /** Below the warning: the connector works on, and says so. */
    WARNING(1),
    /** Below {@code vep.storage.free-space-minimum}: no messages are taken off the broker or processed. */
    STOPPED(2);

    private final int level;

    DataDiskState(int level) {
        this.level = level;
    }

    /** The gauge's value: 0 ok, 1 warning, 2 stopped. */
    public int level() {
        return level;
    }
}
