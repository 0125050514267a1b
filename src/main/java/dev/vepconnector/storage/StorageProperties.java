package dev.vepconnector.storage;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The connector's own storage.
 *
 * @param syncInterval           how often the embedded database's file is forced to disk; 0 leaves it to the
 *                               operating system. (Ignored for PostgreSQL, whose commits are on disk already.)
 * @param writeInterval          the embedded database: how often at most its file is written for what must be on it before
 *                               anyone outside hears of it (received messages before the broker's acknowledgement,
 *                               records before a sink delivers them); what comes meanwhile shares one write. Each write
 *                               rewrites every page changed since the previous one, so fewer writes write far less; a
 *                               stream waits up to this long (latency; a backlog fills a batch or a sink's claim sooner
 *                               and does not wait). 0, the default, writes at once and keeps the latency figures.
 *                               (Ignored for PostgreSQL.)
 * @param freeSpaceWarning       free space on the file system of vep.data-directory (the embedded database, the file
 *                               sink's records) below which the connector warns: a log line, vep_storage_low_disk 1 and
 *                               the dataDisk health details; it keeps working
 * @param freeSpaceMinimum       free space below which the connector stops taking messages off the broker and
 *                               processing them (readiness out of service), before the database meets a full disk; it
 *                               resumes by itself once free space is back above it. Must be below free-space-warning;
 *                               0 never stops
 * @param freeSpaceCheckInterval how often the free space is looked at (a system call; the minimum must hold what the
 *                               connector may write in this time)
 */
@Validated
@ConfigurationProperties("vep.storage")
public record StorageProperties(
        @NotNull @DefaultValue("1s") Duration syncInterval,
        @NotNull @DefaultValue("0ms") Duration writeInterval,
        @NotNull @DefaultValue("1GB") DataSize freeSpaceWarning,
        @NotNull @DefaultValue("256MB") DataSize freeSpaceMinimum,
        @NotNull @DefaultValue("1s") Duration freeSpaceCheckInterval) {
}
