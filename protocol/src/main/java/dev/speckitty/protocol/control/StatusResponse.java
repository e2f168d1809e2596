package dev.speckitty.protocol.control;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code GET /v1/status}. Nullable: {@code serverUrl} (not configured), {@code lastSync} (no sync yet),
 * {@code lastError}, {@code nextRetryAt}, {@code user}, {@code team}; {@code inboxIssues} is null only
 * from a daemon older than this field.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record StatusResponse(
        String version,
        long pid,
        long uptimeS,
        String serverUrl,
        ConnectionState connection,
        String lastError,
        String nextRetryAt,
        String user,
        String team,
        QueueStats queue,
        SyncSummary lastSync,
        String cursor,
        long clock,
        String nodeId,
        long inbox,
        InboxIssues inboxIssues) {
}
