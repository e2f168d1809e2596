package dev.speckitty.cli.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.cli.CliContext;
import dev.speckitty.cli.CliException;
import dev.speckitty.cli.ExitCodes;
import dev.speckitty.cli.control.ControlClient;
import dev.speckitty.cli.control.ControlResponse;
import dev.speckitty.cli.control.DaemonNotRunningException;
import dev.speckitty.cli.control.LeanJson;
import dev.speckitty.cli.local.LocalBackend;
import dev.speckitty.cli.local.LocalBackends;
import dev.speckitty.protocol.control.ControlApi;
import dev.speckitty.protocol.control.EnqueueRequest;
import dev.speckitty.protocol.control.EnqueueResponse;
import dev.speckitty.protocol.event.InvalidEventException;
import dev.speckitty.protocol.wire.ErrorDetail;
import dev.speckitty.protocol.wire.ErrorResponse;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Queues already-checked events: through the daemon's {@code POST /v1/events} when it answers,
 * otherwise straight into {@code queue.db} in this process (under the clock lock). All or nothing.
 * Used by one command.
 */
final class Enqueuer {
    /** Where the events went, for the confirmation line. */
    record Result(EnqueueResponse response, boolean throughDaemon) {
    }

    private final CliContext ctx;
    private final ControlClient control;
    private final int invalidExitCode;

    Enqueuer(CliContext ctx, ControlClient control, int invalidExitCode) {
        this.ctx = ctx;
        this.control = control;
        this.invalidExitCode = invalidExitCode;
    }

    Result enqueue(List<JsonNode> events) {
        EnqueueRequest request = new EnqueueRequest(events, ctx.cwd().toString());
        try (ControlResponse r = control.postJson(ControlApi.EVENTS, LeanJson.enqueueRequest(request))) {
            if (r.ok()) {
                return new Result(LeanJson.enqueueResponse(r.tree()), true);
            }
            if (r.status() == 503) {
                // Busy (all its control connections taken) or shutting down: the daemon did not take
                // them, and it drains queue.db by itself, so the events go there directly.
                ctx.err().println("warning: the daemon could not take the events (" + r.error().error()
                        + "); queuing them in " + ctx.home().queueDb() + ", which it sends from");
                return local(request);
            }
            throw refused(r.status(), r.error());
        } catch (DaemonNotRunningException e) {
            return local(request);
        }
    }

    private Result local(EnqueueRequest request) {
        try (LocalBackend engine = LocalBackends.openForRecording(ctx.home(), problem -> ctx.err().println("warning: " + problem
                + "; recording with the default settings (fix the file before `spec-kitty sync now`)"))) {
            return new Result(engine.enqueue(request), false);
        } catch (InvalidEventException invalid) {
            if (invalid.violations().stream().anyMatch(v -> v.field().equals("node_id") || v.field().equals("lamport_clock"))) {
                // Those fields come from clock.json, not from the user's input: name the file.
                throw CliException.failure("nothing was queued: " + ctx.home().clock() + " is damaged ("
                        + dev.speckitty.protocol.Printable.clip(invalid.violations().stream().map(Object::toString)
                                .collect(Collectors.joining("; ")), 300)
                        + "); move it aside (`mv " + ctx.home().clock() + " " + ctx.home().clock() + ".bad`) and record the event again");
            }
            throw new CliException(invalidExitCode, "nothing was queued; the event is invalid:\n" + invalid.violations().stream()
                    .map(v -> "  " + v).collect(Collectors.joining("\n")));
        }
    }

    private CliException refused(int status, ErrorResponse error) {
        String details = error.details().stream()
                .map(ErrorDetail::reason)
                .map(d -> "\n  " + d)
                .collect(Collectors.joining());
        if (status == 507 || status == 409) {
            // The daemon's message says which store is full (the queue's cap or the disk) and what to do.
            return new CliException(ExitCodes.QUEUE_FULL, error.error() + details);
        }
        if (status == 400 || status == 422) {
            return new CliException(invalidExitCode, "the daemon refused the events; nothing was queued: " + error.error() + details);
        }
        return CliException.failure("the daemon could not queue the events (HTTP " + status + ": " + error.error() + details
                + "); nothing was queued. See `spec-kitty daemon logs`");
    }
}
