package dev.speckitty.cli.sync;

import dev.speckitty.cli.CliCommand;
import dev.speckitty.cli.CliContext;
import dev.speckitty.cli.ExitCodes;
import dev.speckitty.cli.Settings;
import dev.speckitty.cli.backend.SyncBackend;
import dev.speckitty.cli.local.ScopedQueues;
import dev.speckitty.cli.output.Durations;
import dev.speckitty.cli.output.KeyValues;
import dev.speckitty.cli.output.LinkText;
import dev.speckitty.cli.server.ProbeResult;
import dev.speckitty.cli.server.TeamServerClient;
import dev.speckitty.protocol.control.InboxIssues;
import dev.speckitty.protocol.control.QueueStats;
import dev.speckitty.protocol.control.StatusResponse;
import dev.speckitty.protocol.control.StatusView;
import dev.speckitty.protocol.control.StatusViewJson;
import dev.speckitty.protocol.control.SyncSummary;
import dev.speckitty.protocol.control.WaitingEvents;
import dev.speckitty.protocol.local.Credentials;
import dev.speckitty.protocol.local.ServerUrl;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spec-kitty sync status}: configuration, daemon, queue and (with {@code --check}) the
 * connection. Works with the daemon down by reading the local files, without changing them.
 */
@Command(name = "status",
        description = {
                "Show the sync configuration, the daemon, the queue and, with --check, whether the server answers.",
                "Works when the daemon is not running (reads the local files, changing nothing).",
                "With --check the exit code tells the connection: 0 connected, 4 auth required, 3 unreachable, 1 error."})
public final class SyncStatusCommand extends CliCommand {
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    @Option(names = {"-c", "--check"}, description = "Test the connection to the server (an empty, authenticated batch upload).")
    boolean check;

    @Option(names = "--json", description = "Print the status as JSON (one object per line with --watch).")
    boolean json;

    @Option(names = {"-w", "--watch"}, description = "Show the status again every 2 seconds until Ctrl-C.")
    boolean watch;

    /** How often {@code --watch} redraws: often enough to see a drain move, rare enough to cost nothing. */
    private static final long WATCH_MILLIS = 2000;

    /** The command with its options already parsed (the lean command line). */
    public static SyncStatusCommand of(boolean check, boolean json) {
        SyncStatusCommand command = new SyncStatusCommand();
        command.check = check;
        command.json = json;
        return command;
    }

    @Override
    public Integer call() {
        if (!watch) {
            return once();
        }
        CliContext ctx = ctx();
        while (!Thread.currentThread().isInterrupted()) {
            if (ctx.interactive() && !json) {
                ctx.out().print("\033[H\033[2J"); // home and clear: redraw in place, as `watch` does
            }
            once();
            if (!ctx.interactive() && !json) {
                ctx.out().println();
            }
            ctx.out().flush();
            try {
                Thread.sleep(WATCH_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return ExitCodes.OK;
    }

    private int once() {
        CliContext ctx = ctx();
        SyncBackend.Status status;
        try (SyncBackend backend = backend(null)) {
            status = backend.status();
        }
        Optional<StatusResponse> daemon = status.daemon();
        // A running daemon has read config.toml (and re-reads it when it changes): its URL spares the
        // TOML parser on the everyday path. --check and an unconfigured daemon read the file.
        Optional<String> fromDaemon = daemon.map(StatusResponse::serverUrl).filter(u -> !check);
        Optional<String> configured = fromDaemon.isPresent() ? fromDaemon : Settings.config(ctx).serverUrl();
        Optional<URI> server = fromDaemon.isPresent() ? fromDaemon.map(URI::create) : serverUrl(configured);
        // Read (and so checked) unless a running daemon already reports on them.
        Optional<Credentials> credentials = check || daemon.isEmpty() ? Settings.credentials(ctx) : Optional.empty();

        String connection;
        String detail;
        int exit = ExitCodes.OK;
        if (configured.isEmpty()) {
            connection = "not_configured";
            detail = "run `spec-kitty config set sync.server_url https://your-server.example.com`";
            exit = check ? ExitCodes.FAILURE : ExitCodes.OK; // nothing to check is not "connected"
        } else if (server.isEmpty()) {
            connection = "error";
            detail = "invalid server URL '" + configured.get() + "'; fix it with `spec-kitty config set sync.server_url URL`";
            exit = check ? ExitCodes.FAILURE : ExitCodes.OK;
        } else if (check) {
            // Tokens belong to the server that issued them: for another server the probe goes without them.
            Optional<Credentials> foreign = credentials.filter(c -> !c.issuedBy(server.get().toString()));
            ProbeResult probe = new TeamServerClient(PROBE_TIMEOUT).probe(server.get(),
                    credentials.filter(c -> foreign.isEmpty()).map(Credentials::accessToken));
            if (foreign.isPresent() && probe.state() == ProbeResult.State.REACHABLE) {
                probe = new ProbeResult(probe.state(), foreign.get().notIssuedByMessage(server.get().toString()));
            }
            connection = probe.state().wire();
            detail = probe.detail();
            exit = switch (probe.state()) {
                case CONNECTED -> ExitCodes.OK;
                case REACHABLE -> ExitCodes.AUTH_REQUIRED;
                case UNREACHABLE -> ExitCodes.UNREACHABLE;
                case ERROR -> ExitCodes.FAILURE;
            };
        } else {
            connection = "not_checked";
            detail = null;
        }

        StatusView view = new StatusView(
                configured.orElse(null),
                ctx.home().config().toString(),
                connection,
                detail,
                daemon.map(SyncStatusCommand::daemonView).orElseGet(StatusView.Daemon::notRunning),
                status.queue(),
                status.inboxIssues(),
                daemon.map(StatusResponse::lastSync).orElse(null),
                status.waiting(),
                scopedQueuesView(ScopedQueues.scan(ctx.home().scopedQueues())));
        if (json) {
            ctx.out().println(StatusViewJson.write(view));
        } else {
            print(ctx, view, daemon);
        }
        return exit;
    }

    private static StatusView.ScopedQueuesView scopedQueuesView(ScopedQueues.Found found) {
        List<StatusView.ScopedQueuesView.Waiting> w = new ArrayList<>();
        for (ScopedQueues.Queue q : found.waiting()) {
            w.add(new StatusView.ScopedQueuesView.Waiting(q.file().toString(), q.events(), q.problem().orElse(null)));
        }
        return new StatusView.ScopedQueuesView(List.copyOf(w), found.unread());
    }

    private static Optional<URI> serverUrl(Optional<String> configured) {
        try {
            return configured.map(ServerUrl::parse);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static StatusView.Daemon daemonView(StatusResponse s) {
        return new StatusView.Daemon(true, s.pid(), s.version(), s.uptimeS(),
                s.connection() == null ? null : s.connection().wire(), s.lastError(), s.nextRetryAt(),
                s.user(), s.team(), s.cursor());
    }

    private static void print(CliContext ctx, StatusView v, Optional<StatusResponse> daemon) {
        PrintStream out = ctx.out();
        out.println("Spec Kitty Sync Status");
        KeyValues.line(out, "Server URL", v.serverUrl() == null ? "Not configured" : v.serverUrl());
        KeyValues.line(out, "Config File", v.configFile() + (Files.exists(ctx.home().config()) ? "" : " (not found)"));
        switch (v.connection()) {
            case "not_checked" -> KeyValues.line(out, "Connection", "Not checked (use --check to test)");
            case "not_configured" -> {
                KeyValues.line(out, "Connection", "Not configured");
                KeyValues.detail(out, v.connectionDetail());
            }
            default -> {
                KeyValues.line(out, "Connection", ProbeResult.State.valueOf(v.connection().toUpperCase(Locale.ROOT)).label());
                KeyValues.detail(out, v.connectionDetail());
            }
        }
        if (daemon.isPresent()) {
            StatusResponse s = daemon.get();
            KeyValues.line(out, "Daemon", "Running (pid " + s.pid() + ", version " + s.version() + ", up " + Durations.humanSeconds(s.uptimeS()) + ")");
            KeyValues.line(out, "Link", LinkText.of(s, ctx.clock().instant()));
        } else {
            KeyValues.line(out, "Daemon", "Not running (events queue locally; start it with `spec-kitty daemon start`)");
        }
        QueueStats q = v.queue();
        KeyValues.line(out, "Queue", q.depth() == 0 ? "Empty"
                : Durations.plural(q.depth(), "event", "events") + " (oldest " + Durations.humanSeconds(q.oldestAgeS()) + " old)");
        String retries = q.depth() == 0 || q.retries().isEmpty() ? "" : retriesText(q.retries());
        if (!retries.isEmpty()) {
            KeyValues.line(out, "Retries", retries);
        }
        if (q.parked() == 0) {
            KeyValues.line(out, "Parked", "0");
        } else if (q.lastParked() == null) {
            KeyValues.line(out, "Parked", q.parked() + " (rejected repeatedly; `spec-kitty events parked` shows why)");
        } else {
            KeyValues.line(out, "Parked", q.parked() + " (the server will not take them as they are; last "
                    + q.lastParked().eventId() + ": " + q.lastParked().reason() + ")");
            KeyValues.detail(out, "`spec-kitty events parked` lists them; `spec-kitty events retry --all` or `events discard ID…` once the cause is fixed");
        }
        for (int i = 0; i < v.waiting().size(); i++) {
            WaitingEvents w = v.waiting().get(i);
            String line = w.describe() + " (sent when that login is back; or `spec-kitty events move --team " + w.team()
                    + (w.server().isEmpty() ? "" : " --server " + w.server()) + "` to send them as the current login,"
                    + " `spec-kitty events discard --waiting --team " + w.team() + "` to drop them)";
            if (i == 0) {
                KeyValues.line(out, "Waiting", line);
            } else {
                KeyValues.detail(out, line);
            }
        }
        printInboxIssues(out, v.inboxIssues());
        printScopedQueues(out, v.scopedQueues());
        if (v.lastSync() != null) {
            KeyValues.line(out, "Last sync", lastSyncText(v.lastSync(), ctx.clock().instant()));
        }
    }

    /**
     * spec-kitty 3.x queues (one per server, user and team) holding events this home's daemon does not
     * drain; nothing is printed when there are none.
     */
    private static void printScopedQueues(PrintStream out, StatusView.ScopedQueuesView q) {
        if (q.waiting().isEmpty() && q.notRead() == 0) {
            return;
        }
        List<String> lines = new ArrayList<>();
        for (StatusView.ScopedQueuesView.Waiting w : q.waiting()) {
            lines.add(w.file() + ": " + (w.error() != null ? w.error() : Durations.plural(w.events(), "event", "events")
                    + " not drained by this tool"));
        }
        if (q.notRead() > 0) {
            lines.add(q.notRead() + " more queue file(s) not read (at most " + ScopedQueues.MAX_FILES + " are)");
        }
        lines.add("these are spec-kitty 3.x queues for one server, user and team each; spec-kitty 3.x sends them when"
                + " logged in there (this tool drains queue.db only)");
        KeyValues.line(out, "Other queues", lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            KeyValues.detail(out, line);
        }
    }

    /** Teammates' events that were not taken as they came; nothing is printed when there are none. */
    private static void printInboxIssues(PrintStream out, InboxIssues i) {
        if (!i.any()) {
            return;
        }
        List<String> lines = new ArrayList<>();
        if (i.clockNotAdopted() > 0) {
            InboxIssues.Issue last = i.lastClockNotAdopted();
            lines.add(i.clockNotAdopted() + " kept without moving the clock (lamport_clock at or past the ceiling; last "
                    + (last == null ? "?" : last.eventId() + " with " + last.lamportClock()) + ")");
        }
        if (i.skipped() > 0) {
            InboxIssues.Issue last = i.lastSkipped();
            lines.add(i.skipped() + " skipped (last " + (last == null ? "?" : (last.eventId() == null ? "event" : last.eventId())
                    + " at cursor " + last.cursor() + ": " + last.reason()) + ")");
        }
        KeyValues.line(out, "Pulled", lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            KeyValues.detail(out, line);
        }
    }

    /** The events the server rejected and that wait for another try; "" when none was rejected. */
    private static String retriesText(Map<String, Long> retries) {
        // A loop, not a stream: this runs on the everyday path, where the stream classes cost start-up time.
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Long> e : new TreeMap<>(retries).entrySet()) {
            if (e.getKey().equals("0") || e.getValue() <= 0) {
                continue;
            }
            String times = switch (e.getKey()) {
                case "1" -> "once";
                case "2" -> "twice";
                default -> e.getKey() + " times";
            };
            b.append(b.length() == 0 ? "" : ", ").append(Durations.plural(e.getValue(), "event", "events")).append(" rejected ").append(times);
        }
        return b.length() == 0 ? "" : b + " (tried again on the next sync)";
    }

    private static String lastSyncText(SyncSummary s, java.time.Instant now) {
        String when = s.finishedAt() == null ? "" : Durations.relative(s.finishedAt(), now) + ": ";
        if (!s.ok()) {
            return when + "failed (" + s.error() + ")";
        }
        return when + "pushed " + s.pushed() + ", pulled " + s.pulled() + (s.rejected() > 0 ? ", rejected " + s.rejected() : "");
    }
}
