package dev.speckitty.protocol.control;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * {@code sync status --json}: {@code connection} is {@code not_checked}, {@code not_configured},
 * {@code connected}, {@code reachable}, {@code unreachable} or {@code error}; {@code lastSync} is null
 * when unknown (daemon down or no sync yet); {@code inboxIssues} counts pulled events kept without
 * moving the clock and events skipped (see docs/RELIABILITY.md); {@code waiting} lists the queued events
 * recorded for another team or server than the current login, by team and server (see docs/CLI.md);
 * {@code scopedQueues} lists the spec-kitty 3.x queues under {@code queues/} that hold events this home
 * does not drain.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record StatusView(
        String serverUrl,
        String configFile,
        String connection,
        String connectionDetail,
        Daemon daemon,
        QueueStats queue,
        InboxIssues inboxIssues,
        SyncSummary lastSync,
        List<WaitingEvents> waiting,
        ScopedQueuesView scopedQueues) {

    /** A view with no events waiting for another login and no scoped queues. */
    public StatusView(String serverUrl, String configFile, String connection, String connectionDetail, Daemon daemon,
            QueueStats queue, InboxIssues inboxIssues, SyncSummary lastSync) {
        this(serverUrl, configFile, connection, connectionDetail, daemon, queue, inboxIssues, lastSync, List.of(), ScopedQueuesView.NONE);
    }

    /** The 3.x scoped queues holding events (or unreadable, {@code error} set), and how many files were not read. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ScopedQueuesView(List<Waiting> waiting, int notRead) {
        public static final ScopedQueuesView NONE = new ScopedQueuesView(List.of(), 0);

        @JsonInclude(JsonInclude.Include.ALWAYS)
        public record Waiting(String file, long events, String error) {
        }
    }

    /** The daemon part; everything but {@code running} is null when it is not running. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Daemon(boolean running, Long pid, String version, Long uptimeS, String link, String lastError, String nextRetryAt,
                  String user, String team, String cursor) {
        public static Daemon notRunning() {
            return new Daemon(false, null, null, null, null, null, null, null, null, null);
        }
    }
}
