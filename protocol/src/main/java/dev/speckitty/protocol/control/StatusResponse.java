package dev.speckitty.protocol.control;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code GET /v1/status}. Nullable: {@code serverUrl} (not configured), {@code lastSync} (no sync yet),
 * {@code lastError}, {@code nextRetryAt}, {@code user}, {@code team}, {@code serverVersion} (until the
 * WebSocket's hello gave it). {@code live}: a WebSocket is open; without one the daemon syncs every
 * {@code pollIntervalS} seconds. {@code inboxIssues} (pulled events not taken as they came) is null
 * only from a daemon older than this field; so is {@code waiting} (queued events recorded for another team
 * or server than the current login, by team and server).
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
        String serverVersion,
        boolean live,
        long pollIntervalS,
        InboxIssues inboxIssues,
        java.util.List<WaitingEvents> waiting) {
    /** A status without {@code waiting} (older daemons, tests). */
    public StatusResponse(String version, long pid, long uptimeS, String serverUrl, ConnectionState connection, String lastError,
                          String nextRetryAt, String user, String team, QueueStats queue, SyncSummary lastSync, String cursor,
                          long clock, String nodeId, long inbox, String serverVersion, boolean live, long pollIntervalS,
                          InboxIssues inboxIssues) {
        this(version, pid, uptimeS, serverUrl, connection, lastError, nextRetryAt, user, team, queue, lastSync, cursor, clock,
                nodeId, inbox, serverVersion, live, pollIntervalS, inboxIssues, null);
    }


    /** A status without the link details and the inbox's issues (older daemons, tests). */
    public StatusResponse(String version, long pid, long uptimeS, String serverUrl, ConnectionState connection, String lastError,
                          String nextRetryAt, String user, String team, QueueStats queue, SyncSummary lastSync, String cursor,
                          long clock, String nodeId, long inbox) {
        this(version, pid, uptimeS, serverUrl, connection, lastError, nextRetryAt, user, team, queue, lastSync, cursor, clock,
                nodeId, inbox, null, connection == ConnectionState.CONNECTED, 0, null, null);
    }
}
