package dev.vepconnector.bench;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Notes when each case record file first appears in the file sink's folder, on this JVM's
 * {@link System#nanoTime} clock (the publisher's), through inotify. A file's modification time would
 * do only to a jiffy (4 ms) and comes from another clock; this reading is taken when the rename is
 * reported, so it errs on the late side by the notification's own delay.
 */
final class RecordFileWatcher implements AutoCloseable {

    private final WatchService watch;
    private final Map<String, Long> firstSeenNanos = new ConcurrentHashMap<>();
    private final AtomicLong overflows = new AtomicLong();
    private final Thread thread;

    private RecordFileWatcher(Path folder) throws IOException {
        watch = FileSystems.getDefault().newWatchService();
        // ENTRY_CREATE covers the sink's rename of its temporary file (inotify IN_MOVED_TO).
        folder.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
        thread = new Thread(this::run, "bench-record-watcher");
        thread.setDaemon(true);
        // Above the publisher, so a busy machine delays the notice of a file as little as possible.
        thread.setPriority(Thread.MAX_PRIORITY);
        thread.start();
    }

    static RecordFileWatcher watch(Path folder) throws IOException {
        return new RecordFileWatcher(folder);
    }

    /** When the record file of the case was first seen ({@link System#nanoTime}), or null. */
    Long firstSeen(String caseId) {
        return firstSeenNanos.get(caseId);
    }

    /** Times the kernel or the JDK dropped notices (then some files have no reading). */
    long overflows() {
        return overflows.get();
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = watch.take();
                long seenAt = System.nanoTime();
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                        overflows.incrementAndGet();
                        continue;
                    }
                    String name = event.context().toString();
                    // Temporary files start with a dot; the record is "<caseId>.json" once renamed.
                    if (!name.startsWith(".") && name.endsWith(".json")) {
                        firstSeenNanos.putIfAbsent(name.substring(0, name.length() - ".json".length()), seenAt);
                    }
                }
                key.reset();
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    @Override
    public void close() throws IOException {
        watch.close();
        thread.interrupt();
    }
}
