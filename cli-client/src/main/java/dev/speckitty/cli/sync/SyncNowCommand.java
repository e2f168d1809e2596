package dev.speckitty.cli.sync;

import dev.speckitty.cli.CliCommand;
import dev.speckitty.cli.CliContext;
import dev.speckitty.cli.CliException;
import dev.speckitty.cli.ExitCodes;
import dev.speckitty.cli.Settings;
import dev.speckitty.cli.control.ControlResponse;
import dev.speckitty.cli.control.DaemonNotRunningException;
import dev.speckitty.cli.control.LeanJson;
import dev.speckitty.cli.events.ParkedStore;
import dev.speckitty.cli.local.LocalBackend;
import dev.speckitty.cli.local.LocalBackends;
import dev.speckitty.cli.local.QueueFileEvents;
import dev.speckitty.cli.output.ProgressBar;
import dev.speckitty.protocol.control.ControlApi;
import dev.speckitty.protocol.control.DryRunReport;
import dev.speckitty.protocol.control.ParkedEvent;
import dev.speckitty.protocol.control.SyncRequest;
import dev.speckitty.protocol.control.SyncSummary;
import dev.speckitty.protocol.control.SyncUpdate;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.json.JsonException;
import dev.speckitty.protocol.local.AtomicFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spec-kitty sync now}: push queued events and pull teammates' events, through the daemon or in this process. */
@Command(name = "now",
        description = {
                "Push queued events to the team server in batches, then pull new events.",
                "Runs through the daemon when it is running, otherwise in this process. Safe to run repeatedly.",
                "A partial sync (some events rejected) lists them with the server's reasons and exits 0 unless --strict."})
public final class SyncNowCommand extends CliCommand {
    /** A sync of a large backlog sends progress lines often; silence this long means the daemon is stuck. */
    private static final Duration SYNC_IDLE_TIMEOUT = Duration.ofMinutes(5);
    /** Events {@code -n -v} lists one per line before "…and N more". */
    private static final int DRY_RUN_LISTED = 1000;

    @Option(names = {"-v", "--verbose"}, description = "Print one line per event: id, type, aggregate, result, server reason (with -n: the events that would be pushed).")
    boolean verbose;

    @Option(names = {"-n", "--dry-run"}, description = "Show what would be pushed and pulled; change nothing.")
    boolean dryRun;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the sync summary with the rejected events as JSON to FILE (with -n: the dry-run report).")
    Path report;

    @Option(names = "--strict", description = "Exit 5 when the server rejected any event.")
    boolean strict;

    @Option(names = "--json", description = "Print the summary (or the dry-run report) as JSON.")
    boolean json;

    @Override
    public Integer call() {
        CliContext ctx = ctx();
        URI server = Settings.serverUrl(ctx);
        Settings.requireCredentials(ctx);
        SyncRequest request = new SyncRequest(verbose, dryRun);
        if (!json) {
            ctx.out().println((dryRun ? "Would sync with " : "Syncing with ") + server + "...");
        }
        try {
            return dryRun ? dryRunThroughDaemon(ctx, request) : syncThroughDaemon(ctx, request);
        } catch (DaemonNotRunningException e) {
            if (!json) {
                ctx.out().println(dryRun ? "(daemon not running; reading the local queue)" : "(daemon not running; syncing in this process)");
            }
            try (LocalBackend engine = LocalBackends.open(ctx.home())) {
                if (dryRun) {
                    return printDryRun(ctx, engine.dryRun());
                }
                SyncPrinter printer = printer(ctx);
                return finish(ctx, printer, engine.sync(request, printer));
            }
        }
    }

    private int syncThroughDaemon(CliContext ctx, SyncRequest request) {
        SyncPrinter printer = printer(ctx);
        try (ControlResponse r = control(SYNC_IDLE_TIMEOUT).post(ControlApi.SYNC, request)) {
            if (!r.ok()) {
                throw daemonRefused(r);
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
            String line;
            while ((line = lines.readLine()) != null) {
                if (!line.isBlank()) {
                    printer.accept(parseUpdate(line));
                }
            }
        } catch (IOException e) {
            throw CliException.failure("the sync stream from the daemon broke off (" + e.getMessage()
                    + "). Events stay queued; see `spec-kitty daemon logs` and run `spec-kitty sync now` again");
        }
        return finish(ctx, printer, printer.summary());
    }

    private int dryRunThroughDaemon(CliContext ctx, SyncRequest request) {
        try (ControlResponse r = control().post(ControlApi.SYNC, request)) {
            if (!r.ok()) {
                throw daemonRefused(r);
            }
            return printDryRun(ctx, r.json(DryRunReport.class));
        }
    }

    private int printDryRun(CliContext ctx, DryRunReport dry) {
        if (report != null) {
            writeReport(dry);
        }
        if (json) {
            ctx.out().println(Json.write(dry));
        } else {
            SyncPrinter.printDryRun(ctx.out(), dry, verbose ? queuedLines(ctx) : List.of());
            if (report != null) {
                ctx.out().println("Report written to " + report.toAbsolutePath());
            }
        }
        return ExitCodes.OK;
    }

    /** {@code -n -v}: the events that would be pushed, in drain order, read from queue.db without changing it. */
    private static List<String> queuedLines(CliContext ctx) {
        List<String> lines = new ArrayList<>();
        try (QueueFileEvents file = QueueFileEvents.open(ctx.home().queueDb()).orElse(null)) {
            if (file == null) {
                return lines;
            }
            for (QueueFileEvents.Row r : file.queued(DRY_RUN_LISTED)) {
                com.fasterxml.jackson.databind.JsonNode e = LeanJson.tree(r.data());
                lines.add("  " + e.path("event_id").asText("?") + "  " + e.path("event_type").asText("?") + "  "
                        + e.path("aggregate_id").asText("?") + "  would push");
            }
        }
        return lines;
    }

    private SyncPrinter printer(CliContext ctx) {
        return new SyncPrinter(ctx.out(), new ProgressBar(ctx.err(), ctx.interactive() && !json), verbose, json);
    }

    private int finish(CliContext ctx, SyncPrinter printer, SyncSummary summary) {
        List<ParkedEvent> parked = verbose || report != null ? parkedEvents(ctx) : List.of();
        if (report != null) {
            com.fasterxml.jackson.databind.node.ObjectNode written = (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().valueToTree(summary);
            written.set("parked_events", Json.mapper().valueToTree(parked));
            writeReport(written);
        }
        if (verbose && !json) {
            try {
                return printer.finish(summary, strict);
            } finally {
                printer.printParked(parked);
                if (report != null) {
                    ctx.out().println("Report written to " + report.toAbsolutePath());
                }
            }
        }
        if (json) {
            ctx.out().println(Json.write(summary));
            if (!summary.ok()) {
                throw SyncPrinter.failure(summary);
            }
            return strict && summary.rejected() > 0 ? ExitCodes.PARTIAL_SYNC : ExitCodes.OK;
        }
        int code = printer.finish(summary, strict);
        if (report != null) {
            ctx.out().println("Report written to " + report.toAbsolutePath());
        }
        return code;
    }

    /** Every parked event, through the daemon or from queue.db; none when they cannot be read (the sync itself is reported). */
    private List<ParkedEvent> parkedEvents(CliContext ctx) {
        try {
            return new ParkedStore(control(), ctx.home()).list();
        } catch (RuntimeException e) {
            ctx.err().println("warning: cannot list the parked events (" + e.getMessage() + ")");
            return List.of();
        }
    }

    private void writeReport(Object summary) {
        try {
            AtomicFile.write(report.toAbsolutePath(), Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(summary) + "\n", false);
        } catch (IOException e) {
            throw CliException.failure("cannot write the sync report to " + report + " (" + e.getMessage() + ")");
        }
    }

    private static SyncUpdate parseUpdate(String line) {
        try {
            return Json.read(line, SyncUpdate.class);
        } catch (JsonException | UncheckedIOException e) {
            throw CliException.failure("the daemon sent a sync line this CLI cannot read (" + e.getMessage()
                    + "); run `spec-kitty daemon restart` so both run the same version");
        }
    }

    static CliException daemonRefused(ControlResponse r) {
        String error = r.error().error();
        return new CliException(r.status() == 401 ? ExitCodes.AUTH_REQUIRED : ExitCodes.FAILURE,
                "the daemon refused the sync (HTTP " + r.status() + "): " + error + "; see `spec-kitty daemon logs`");
    }
}
