package dev.speckitty.cli.sync;

import dev.speckitty.cli.CliCommand;
import dev.speckitty.cli.CliContext;
import dev.speckitty.cli.CliException;
import dev.speckitty.cli.ExitCodes;
import dev.speckitty.cli.Settings;
import dev.speckitty.cli.backend.SyncBackend;
import dev.speckitty.protocol.control.LeanJson;
import dev.speckitty.cli.local.QueueFileEvents;
import dev.speckitty.cli.output.ProgressBar;
import dev.speckitty.protocol.control.DryRunReport;
import dev.speckitty.protocol.control.ParkedEvent;
import dev.speckitty.protocol.control.SyncRequest;
import dev.speckitty.protocol.control.SyncSummary;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.local.AtomicFile;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
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
        Runnable inProcess = json ? null : () -> ctx.out().println(dryRun
                ? "(daemon not running; reading the local queue)" : "(daemon not running; syncing in this process)");
        try (SyncBackend backend = backend(inProcess)) {
            if (dryRun) {
                return printDryRun(ctx, backend.dryRun(request));
            }
            SyncPrinter printer = printer(ctx);
            return finish(ctx, backend, printer, backend.sync(request, printer));
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

    private int finish(CliContext ctx, SyncBackend backend, SyncPrinter printer, SyncSummary summary) {
        List<ParkedEvent> parked = verbose || report != null ? parkedEvents(ctx, backend) : List.of();
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
    private static List<ParkedEvent> parkedEvents(CliContext ctx, SyncBackend backend) {
        try {
            return backend.parked();
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
}
