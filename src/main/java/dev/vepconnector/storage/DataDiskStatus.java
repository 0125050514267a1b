package dev.vepconnector.storage;

import dev.vepconnector.startup.CannotStartException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.event.Level;
import org.springframework.util.unit.DataSize;

/**
 * Where the data folder's free space stands against the two thresholds, and which of its changes
 * deserve a log line: each crossing once, nothing while it stays. Going back up takes a margin of a
 * tenth of the gap between the thresholds, so free space hovering at one (a file written and deleted
 * again) does not stop and start consumption at every check.
 */
final class DataDiskStatus {

    /** A line for the log. */
    record Line(Level level, String text) {
    }

    private static final DateTimeFormatter CLOCK_TIME = DateTimeFormatter.ofPattern("HH:mm");
    private static final long KB = 1024;
    private static final long MB = KB * 1024;
    private static final long GB = MB * 1024;

    private final String folder;
    private final long warning;
    private final long minimum;
    private final long margin;
    private final Clock clock;
    private DataDiskState state = DataDiskState.OK;
    private Instant since;
    private DiskSpace.Reading last;
    private String unreadable;

    DataDiskStatus(Path folder, DataSize warning, DataSize minimum, Clock clock) {
        check(warning, minimum);
        this.folder = folder.toString();
        this.warning = warning.toBytes();
        this.minimum = minimum.toBytes();
        this.margin = (this.warning - this.minimum) / 10;
        this.clock = clock;
        this.since = clock.instant();
    }

    private static void check(DataSize warning, DataSize minimum) {
        if (minimum.isNegative() || minimum.compareTo(warning) >= 0) {
            throw new CannotStartException("vep.storage.free-space-minimum (" + size(minimum.toBytes()) + ") must be at least 0 and "
                    + "below vep.storage.free-space-warning (" + size(warning.toBytes()) + ")",
                    "Set vep.storage.free-space-minimum below vep.storage.free-space-warning (defaults: 256MB and 1GB); "
                            + "0 never stops taking messages");
        }
    }

    /** A new reading; the line to log, or null when the state stays what it was. */
    synchronized Line update(DiskSpace.Reading reading) {
        last = reading;
        unreadable = null;
        DataDiskState next = next(reading.usableBytes());
        if (next == state) {
            return null;
        }
        DataDiskState before = state;
        Instant was = since;
        state = next;
        since = clock.instant();
        return changed(before, was);
    }

    /** The free space could not be read; the line to log the first time, null while it stays unreadable. */
    synchronized Line unreadable(String cause) {
        boolean first = unreadable == null;
        unreadable = cause;
        return first ? new Line(Level.WARN, "Cannot read the free space of " + where() + " (" + cause
                + "); the low-disk state stays " + state + " until it can be read") : null;
    }

    synchronized DataDiskState state() {
        return state;
    }

    /** The last reading, or null before the first. */
    synchronized DiskSpace.Reading last() {
        return last;
    }

    /** The health details: where, how much, the thresholds, the state since when, and what to do when not OK. */
    synchronized Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("path", folder);
        details.put("state", state.name());
        details.put("since", since.toString());
        if (last != null) {
            details.put("free", size(last.usableBytes()));
            details.put("freeBytes", last.usableBytes());
            details.put("total", size(last.totalBytes()));
        }
        details.put("warning", size(warning));
        details.put("minimum", size(minimum));
        String problem = problem();
        if (problem != null) {
            details.put("problem", problem);
        }
        return details;
    }

    private DataDiskState next(long free) {
        if (free < minimum || state == DataDiskState.STOPPED && free < minimum + margin) {
            return DataDiskState.STOPPED;
        }
        if (free < warning || state != DataDiskState.OK && free < warning + margin) {
            return DataDiskState.WARNING;
        }
        return DataDiskState.OK;
    }

    private Line changed(DataDiskState before, Instant was) {
        String free = "Free space on " + where() + " is " + (state.level() < before.level() ? "back to " : "") + size(last.usableBytes());
        if (state == DataDiskState.STOPPED) {
            return new Line(Level.WARN, free + " of " + size(last.totalBytes()) + ", below vep.storage.free-space-minimum ("
                    + size(minimum) + "): stopped taking messages off the broker and processing them, so the database never "
                    + "meets a full disk. " + whatToDo() + "; it takes messages again by itself above " + size(minimum + margin));
        }
        if (before == DataDiskState.STOPPED) {
            return new Line(Level.INFO, free + " (below vep.storage.free-space-minimum since " + clockTime(was)
                    + "): taking messages again" + (state == DataDiskState.WARNING
                    ? "; still below vep.storage.free-space-warning (" + size(warning) + ")" : ""));
        }
        if (state == DataDiskState.WARNING) {
            return new Line(Level.WARN, free + " of " + size(last.totalBytes()) + ", below vep.storage.free-space-warning ("
                    + size(warning) + "); " + whatComesNext() + ". " + whatToDo());
        }
        return new Line(Level.INFO, free + ", above vep.storage.free-space-warning (" + size(warning) + ") again");
    }

    private String problem() {
        if (unreadable != null) {
            return "cannot read the free space (" + unreadable + "); check that vep.data-directory can be read";
        }
        return switch (state) {
            case STOPPED -> "free space is below vep.storage.free-space-minimum: no messages are taken off the broker or processed "
                    + "until it is above " + size(minimum + margin) + " again; messages wait on VEP's broker, where they expire after "
                    + "5 minutes. " + whatToDo();
            case WARNING -> "free space is below vep.storage.free-space-warning; " + whatComesNext() + ". " + whatToDo();
            case OK -> null;
        };
    }

    private String whatComesNext() {
        return minimum == 0 ? "vep.storage.free-space-minimum is 0, so the connector does not stop: a full disk fails the "
                + "database's writes" : "below " + size(minimum) + " (vep.storage.free-space-minimum) the connector stops taking messages";
    }

    private String whatToDo() {
        if (last != null && last.totalBytes() <= warning) {
            return "The whole file system (" + size(last.totalBytes()) + ") is smaller than vep.storage.free-space-warning: give "
                    + folder + " a bigger volume, or lower vep.storage.free-space-warning and -minimum for one this small";
        }
        return "Free space on the file system of " + folder + " (files of other programs, old logs) or give it a bigger volume";
    }

    private String where() {
        return "vep.data-directory (" + folder + ")";
    }

    /** Sizes as an operator reads them, in the binary units Spring's DataSize settings use (1GB = 1024 MB). */
    static String size(long bytes) {
        if (bytes >= GB) {
            return String.format(Locale.ROOT, "%.1f GB", bytes / (double) GB);
        }
        if (bytes >= 10 * MB) {
            return String.format(Locale.ROOT, "%d MB", Math.round(bytes / (double) MB));
        }
        if (bytes >= MB) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / (double) MB);
        }
        if (bytes >= KB) {
            return String.format(Locale.ROOT, "%d KB", Math.round(bytes / (double) KB));
        }
        return bytes + " B";
    }

    /** The time of day as the log's own timestamps show it. */
    private static String clockTime(Instant instant) {
        return LocalTime.ofInstant(instant, ZoneId.systemDefault()).format(CLOCK_TIME);
    }
}
