package dev.vepconnector.storage;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/** How much room the file system holding a folder has: what {@link DataDisk} watches, and what its tests fake. */
@FunctionalInterface
interface DiskSpace {

    /** Bytes this process may still write (the file system's reserve for root left out), and the file system's size. */
    record Reading(long usableBytes, long totalBytes) {
    }

    Reading read(Path folder) throws IOException;

    /**
     * The real file system, asked at every reading (a volume mounted later shows). A folder not created
     * yet (the database creates it on first use) is on the file system of its nearest existing parent.
     */
    static DiskSpace fileSystem() {
        return folder -> {
            Path existing = folder.toAbsolutePath().normalize();
            while (!Files.exists(existing) && existing.getParent() != null) {
                existing = existing.getParent();
            }
            FileStore store = Files.getFileStore(existing);
            return new Reading(store.getUsableSpace(), store.getTotalSpace());
        };
    }
}
