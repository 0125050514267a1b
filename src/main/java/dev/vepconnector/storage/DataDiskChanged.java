package dev.vepconnector.storage;

/**
 * The data folder's free space crossed a threshold. Consumers of the broker and the inbox follow
 * {@link DataDisk#takesMessages()}; this tells them when to look again.
 */
public record DataDiskChanged(DataDiskState state) {

    public boolean takesMessages() {
        return state != DataDiskState.STOPPED;
    }
}
