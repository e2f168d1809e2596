package dev.speckitty.cli.backend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.cli.CliException;
import dev.speckitty.cli.ExitCodes;
import dev.speckitty.cli.control.ControlApiException;
import dev.speckitty.cli.control.ControlClient;
import dev.speckitty.cli.control.ControlResponse;
import dev.speckitty.cli.control.DaemonNotRunningException;
import dev.speckitty.protocol.control.LeanJson;
import dev.speckitty.protocol.control.ControlApi;
import dev.speckitty.protocol.control.DaemonInfo;
import dev.speckitty.protocol.control.DryRunReport;
import dev.speckitty.protocol.control.EnqueueRequest;
import dev.speckitty.protocol.control.InboxIssues;
import dev.speckitty.protocol.control.ParkedAction;
import dev.speckitty.protocol.control.ParkedEvent;
import dev.speckitty.protocol.control.StatusResponse;
import dev.speckitty.protocol.control.SyncRequest;
import dev.speckitty.protocol.control.SyncSummary;
import dev.speckitty.protocol.control.SyncUpdate;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.json.JsonException;
import dev.speckitty.protocol.wire.ErrorDetail;
import dev.speckitty.protocol.wire.ErrorResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The daemon's control API as typed calls, in the spirit of tailscale's {@code client/local}: each
 * method is one request, and the control API's status codes become {@link CliException}s (with the
 * exit codes of {@link ExitCodes}) here, once. Every call throws {@link DaemonNotRunningException}
 * when no daemon answers, so that a caller can go on without one ({@link SyncBackends}). Stateless
 * apart from its {@link ControlClient}; used by one command.
 */
public final class DaemonClient implements SyncBackend {
    /** A sync of a large backlog sends progress lines often; silence this long means the daemon is stuck. */
    static final Duration SYNC_IDLE_TIMEOUT = Duration.ofMinutes(5);

    private final ControlClient control;

    public DaemonClient(ControlClient control) {
        this.control = control;
    }

    public Path socket() {
        return control.socket();
    }

    /**
     * {@code GET /v1/status}: the daemon's own report.
     *
     * @throws ControlApiException when it answers badly, with {@link ControlApiException#httpStatus()} for an error status
     */
    public StatusResponse daemonStatus() {
        try (ControlResponse r = control.get(ControlApi.STATUS)) {
            if (!r.ok()) {
                throw ControlApiException.refused(r.status(), ControlApi.STATUS, r.error().error());
            }
            return LeanJson.status(r.tree());
        }
    }

    /**
     * {@code GET /v1/daemon}: which daemon runs, without the status's counts of the queue; from a daemon
     * older than that path (404), the same fields of its status.
     *
     * @throws ControlApiException when it answers badly, with {@link ControlApiException#httpStatus()} for an error status
     */
    public DaemonInfo daemonInfo() {
        try (ControlResponse r = control.get(ControlApi.DAEMON)) {
            if (r.ok()) {
                return LeanJson.daemonInfo(r.tree());
            }
            if (r.status() != 404) {
                throw ControlApiException.refused(r.status(), ControlApi.DAEMON, r.error().error());
            }
        }
        return DaemonInfo.of(daemonStatus());
    }

    /** {@link #daemonInfo}, or empty when none answers or it answers badly (for reports that only mention the daemon). */
    public Optional<DaemonInfo> infoIfAnswering() {
        try {
            return Optional.of(daemonInfo());
        } catch (DaemonNotRunningException | ControlApiException e) {
            return Optional.empty();
        }
    }

    /** The daemon's status, or empty when none answers or it answers badly (for reports that only mention the daemon). */
    public Optional<StatusResponse> statusIfAnswering() {
        try {
            return Optional.of(daemonStatus());
        } catch (DaemonNotRunningException | ControlApiException e) {
            return Optional.empty();
        }
    }

    /** Whether a daemon answers right now ({@link ControlClient#answers}). */
    public boolean answers() {
        return control.answers();
    }

    /**
     * {@code POST /v1/shutdown}; returns once the daemon has taken it.
     *
     * @throws ControlApiException when it refused (an error status) or the exchange broke (it may be going down)
     */
    public void shutdown() {
        try (ControlResponse r = control.post(ControlApi.SHUTDOWN, null)) {
            if (!r.ok()) {
                throw ControlApiException.refused(r.status(), ControlApi.SHUTDOWN, r.error().error());
            }
            r.bytes();
        }
    }

    @Override
    public Status status() {
        StatusResponse s = daemonStatus();
        // null from a daemon older than the field
        return new Status(Optional.of(s), s.queue(), s.inboxIssues() == null ? InboxIssues.NONE : s.inboxIssues(),
                s.waiting() == null ? List.of() : s.waiting());
    }

    /**
     * {@code POST /v1/events}.
     *
     * @throws DaemonBusyException when the daemon could not take them (503: at its connection bound, or shutting down)
     */
    @Override
    public Enqueued enqueue(EnqueueRequest request, int invalidExitCode) {
        return enqueue(Encoded.of(request), invalidExitCode);
    }

    /** A request and its body, written as JSON (off the sending thread, for an import). */
    public record Encoded(EnqueueRequest request, byte[] body) {
        public static Encoded of(EnqueueRequest request) {
            return new Encoded(request, LeanJson.enqueueRequest(request));
        }
    }

    /** {@link #enqueue(EnqueueRequest, int)} of a request written already. */
    public Enqueued enqueue(Encoded request, int invalidExitCode) {
        try (ControlResponse r = control.postJson(ControlApi.EVENTS, request.body())) {
            if (r.ok()) {
                return new Enqueued(LeanJson.enqueueResponse(r.tree()), true);
            }
            ErrorResponse error = r.error();
            if (r.status() == 503) {
                throw new DaemonBusyException(error.error());
            }
            throw enqueueRefused(r.status(), error, invalidExitCode);
        }
    }

    /** Part by part, each queued whole; a refused part says how many events the parts before it queued. */
    @Override
    public Enqueued enqueueAll(Iterator<EnqueueRequest> parts, boolean keepIds, int invalidExitCode) {
        ImportTally tally = new ImportTally(keepIds);
        while (parts.hasNext()) {
            try {
                tally.add(enqueue(parts.next(), invalidExitCode).response());
            } catch (CliException e) {
                throw tally.partly(e);
            }
        }
        return tally.through(true);
    }

    private static CliException enqueueRefused(int status, ErrorResponse error, int invalidExitCode) {
        StringBuilder details = new StringBuilder();
        for (ErrorDetail d : error.details()) {
            details.append("\n  ").append(d.reason());
        }
        if (status == 507 || status == 409) {
            // The daemon's message says which store is full (the queue's cap or the disk) and what to do.
            return new CliException(ExitCodes.QUEUE_FULL, error.error() + details);
        }
        if (status == 400 || status == 422) {
            return new CliException(invalidExitCode, "the daemon refused the events; nothing was queued: " + error.error() + details);
        }
        if (status == 413) {
            // The daemon's own message names the bound it read past (events, values or nesting); the
            // size bound is answered before the body is read, without one.
            String why = error.error() != null && error.error().startsWith("nothing was queued: ") ? error.error()
                    : "the request was larger than the daemon takes (32 MiB); nothing was queued";
            return CliException.failure(why + ". Send fewer events at a time (`spec-kitty events import` splits a file by itself)");
        }
        return CliException.failure("the daemon could not queue the events (HTTP " + status + ": " + error.error() + details
                + "); nothing was queued. See `spec-kitty daemon logs`");
    }

    /** {@code POST /v1/sync}, reading its NDJSON lines into {@code updates} as they come. */
    @Override
    public SyncSummary sync(SyncRequest request, Consumer<SyncUpdate> updates) {
        try (ControlResponse r = control.withIdleTimeout(SYNC_IDLE_TIMEOUT).post(ControlApi.SYNC, request)) {
            if (!r.ok()) {
                throw syncRefused(r);
            }
            return SyncStream.read(r, updates);
        }
    }

    @Override
    public DryRunReport dryRun(SyncRequest request) {
        try (ControlResponse r = control.post(ControlApi.SYNC, request)) {
            if (!r.ok()) {
                throw syncRefused(r);
            }
            return r.json(DryRunReport.class);
        }
    }

    @Override
    public List<ParkedEvent> parked() {
        try (ControlResponse r = control.get(ControlApi.PARKED)) {
            checked(r, ControlApi.PARKED);
            List<ParkedEvent> parked = new ArrayList<>();
            for (JsonNode n : r.tree()) {
                parked.add(Json.read(Json.write(n), ParkedEvent.class));
            }
            return parked;
        }
    }

    @Override
    public int retryParked(ParkedAction action) {
        return parkedAction(ControlApi.PARKED_RETRY, action);
    }

    @Override
    public int discardParked(ParkedAction action) {
        return parkedAction(ControlApi.PARKED_DISCARD, action);
    }

    private int parkedAction(String path, ParkedAction action) {
        try (ControlResponse r = control.post(path, action)) {
            checked(r, path);
            return r.tree().path("count").asInt();
        }
    }

    /** Nothing to release: every call used its own connection. */
    @Override
    public void close() {
    }

    private static void checked(ControlResponse r, String path) {
        if (!r.ok()) {
            throw CliException.failure(ControlApiException.refused(r.status(), path, r.error().error()).getMessage()
                    + "; see `spec-kitty daemon logs`");
        }
    }

    private static CliException syncRefused(ControlResponse r) {
        String error = r.error().error();
        return new CliException(r.status() == 401 ? ExitCodes.AUTH_REQUIRED : ExitCodes.FAILURE,
                "the daemon refused the sync (HTTP " + r.status() + "): " + error + "; see `spec-kitty daemon logs`");
    }

    /**
     * The NDJSON lines of a sync. A class of its own so that the commands that never sync (the
     * everyday {@code events emit} and {@code sync status}) do not load the reader classes it needs.
     */
    private static final class SyncStream {
        static SyncSummary read(ControlResponse r, Consumer<SyncUpdate> updates) {
            SyncSummary summary = null;
            try {
                BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
                String line;
                while ((line = lines.readLine()) != null) {
                    if (!line.isBlank()) {
                        SyncUpdate update = parse(line);
                        if (update instanceof SyncUpdate.Summary s) {
                            summary = s.summary();
                        }
                        updates.accept(update);
                    }
                }
            } catch (IOException e) {
                throw CliException.failure("the sync stream from the daemon broke off (" + e.getMessage()
                        + "). Events stay queued; see `spec-kitty daemon logs` and run `spec-kitty sync now` again");
            }
            if (summary == null) {
                throw CliException.failure("the sync stream ended without a summary; the daemon may have stopped."
                        + " Events stay queued; see `spec-kitty daemon logs` and run `spec-kitty sync now` again");
            }
            return summary;
        }

        private static SyncUpdate parse(String line) {
            try {
                return Json.read(line, SyncUpdate.class);
            } catch (JsonException | UncheckedIOException e) {
                throw CliException.failure("the daemon sent a sync line this CLI cannot read (" + e.getMessage()
                        + "); run `spec-kitty daemon restart` so both run the same version");
            }
        }
    }

    /** The daemon answered 503 to an enqueue: it did not take the events, and it drains {@code queue.db} by itself. */
    public static final class DaemonBusyException extends RuntimeException {
        DaemonBusyException(String reason) {
            super(reason);
        }
    }
}
