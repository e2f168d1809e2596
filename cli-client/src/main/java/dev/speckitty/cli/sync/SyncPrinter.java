package dev.speckitty.cli.sync;

import static dev.speckitty.cli.output.Durations.plural;

import dev.speckitty.cli.CliException;
import dev.speckitty.cli.ExitCodes;
import dev.speckitty.cli.output.ProgressBar;
import dev.speckitty.protocol.Printable;
import dev.speckitty.protocol.control.DryRunReport;
import dev.speckitty.protocol.control.EventOutcome;
import dev.speckitty.protocol.control.ParkedEvent;
import dev.speckitty.protocol.control.SyncErrorKind;
import dev.speckitty.protocol.control.SyncSummary;
import dev.speckitty.protocol.control.SyncUpdate;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Turns {@code sync now} updates into what the user reads: the progress bar, one line per event
 * with {@code -v}, then the summary lines of the user documentation, and the exit code. Used by the
 * one thread running the command.
 */
final class SyncPrinter implements Consumer<SyncUpdate> {
    private final PrintStream out;
    private final ProgressBar progress;
    private final boolean verbose;
    private final boolean quiet;

    SyncPrinter(PrintStream out, ProgressBar progress, boolean verbose, boolean quiet) {
        this.out = out;
        this.progress = progress;
        this.verbose = verbose;
        this.quiet = quiet;
    }

    @Override
    public void accept(SyncUpdate update) {
        if (update instanceof SyncUpdate.Progress p) {
            progress.update(p.phase() == null ? "sync" : p.phase(), p.done(), p.total());
        } else if (update instanceof SyncUpdate.EventLine e) {
            if (verbose && !quiet && e.event() != null) {
                progress.clear();
                out.println(eventLine(e.event()));
            }
        }
        // SyncUpdate.Summary: the backend returns it; SyncUpdate.Other: a newer daemon's kind of line, informational
    }

    /** What a parked event needs from the user. */
    static final String PARKED_NEXT = "Parked events are out of the drain until you act: `spec-kitty events parked` lists them with"
            + " the server's reasons; fix the cause, then `spec-kitty events retry ID…|--all`, or drop them with"
            + " `spec-kitty events discard ID…|--all`.";

    /** {@code -v}: every parked event of the queue, with its reason. */
    void printParked(List<ParkedEvent> parked) {
        if (parked.isEmpty() || quiet) {
            return;
        }
        out.println(plural(parked.size(), "parked event", "parked events") + " (not sent until retried):");
        for (ParkedEvent p : parked) {
            out.println("  " + p.eventId() + "  " + p.eventType() + "  " + p.aggregateId() + "  parked after "
                    + plural(p.retryCount(), "rejection", "rejections") + ": " + (p.reason() == null ? "(no reason given)" : p.reason()));
        }
        out.println("Put them back with `spec-kitty events retry ID…|--all` once the cause is fixed, or drop them with `spec-kitty events discard ID…|--all`.");
    }

    static String eventLine(EventOutcome e) {
        return "  " + e.eventId() + "  " + e.eventType() + "  " + e.aggregateId() + "  " + (e.status() == null ? "?" : e.status().wire())
                + (e.reason() == null || e.reason().isBlank() ? "" : ": " + e.reason());
    }

    /** Prints the outcome and returns the exit code ({@code strict}: rejections are a failure). */
    int finish(SyncSummary s, boolean strict) {
        progress.clear(); // the in-process sync ends here without summary(): the bar must not run into the counts
        if (!s.ok()) {
            printCounts(s);
            throw failure(s);
        }
        printCounts(s);
        if (s.rejected() > 0) {
            out.println("Sync finished with " + plural(s.rejected(), "rejected event", "rejected events") + ":");
            for (EventOutcome e : s.rejectedEvents()) {
                out.println(eventLine(e));
            }
            boolean anyParked = false;
            boolean anyQueued = false;
            for (EventOutcome e : s.rejectedEvents()) {
                if (e.status() == EventOutcome.Status.PARKED) {
                    anyParked = true;
                } else {
                    anyQueued = true;
                }
            }
            if (anyQueued) {
                out.println("Rejected events stay in the queue and are retried on the next sync; after repeated rejection they are parked.");
            }
            if (anyParked || s.parked() > 0) {
                out.println(PARKED_NEXT);
            }
            out.println("Next: fix the cause the server gave, then run `spec-kitty sync now --verbose`"
                    + " (`spec-kitty events parked` lists parked events with their reasons).");
            return strict ? ExitCodes.PARTIAL_SYNC : ExitCodes.OK;
        }
        if (s.parked() > 0) {
            out.println(plural(s.parked(), "event is", "events are") + " parked after repeated rejection. " + PARKED_NEXT);
        }
        out.println("Sync complete");
        return ExitCodes.OK;
    }

    private void printCounts(SyncSummary s) {
        if (quiet) {
            return;
        }
        String dup = s.duplicates() > 0 ? "; " + s.duplicates() + " already on the server" : "";
        if (s.pushed() > 0 || s.batches() > 0 || s.ok()) {
            out.println("Pushed " + plural(s.pushed(), "event", "events") + " (" + plural(s.batches(), "batch", "batches") + dup + ")");
        }
        if (s.ok()) {
            out.println("Pulled " + plural(s.pulled(), "new event", "new events"));
        }
        if (!s.ok() && s.remaining() > 0) {
            out.println(plural(s.remaining(), "event stays", "events stay") + " queued");
        }
    }

    /** The error of a sync that stopped early, with the next step and the exit code for its kind. */
    static CliException failure(SyncSummary s) {
        String url = s.serverUrl() == null ? "the server" : s.serverUrl();
        // The engine's reasons are whole sentences ("cannot reach X to upload 5 events (refused); events
        // stay queued"): used as they are, not wrapped in the same words again.
        String reason = s.error() == null ? "unknown error" : Printable.clip(s.error().replaceFirst("[;.] events stay queued\\.?$", ""), 400);
        SyncErrorKind kind = s.errorKind() == null ? SyncErrorKind.SERVER_ERROR : s.errorKind();
        return switch (kind) {
            case UNREACHABLE -> new CliException(ExitCodes.UNREACHABLE, (reason.startsWith("cannot reach") ? reason
                    : "cannot reach " + url + " (" + reason + ")")
                    + ". Events stay queued; run `spec-kitty sync status --check` to diagnose, then `spec-kitty sync now`");
            case AUTH_REQUIRED -> authRequired(url, reason);
            case NOT_CONFIGURED -> CliException.failure(reason
                    + " (set the server with `spec-kitty config set sync.server_url URL` and log in with `spec-kitty auth login`)");
            case SERVER_ERROR -> CliException.failure((reason.startsWith("the ") || reason.startsWith("cannot ") ? reason
                    : "sync with " + url + " failed (" + reason + ")") + ". Events stay queued;"
                    + " check `spec-kitty auth status` and `spec-kitty sync status --check`, then run `spec-kitty sync now --verbose`");
        };
    }

    /**
     * "auth required": the engine's reason without the next step it already carries (the daemon's
     * "; events keep queueing. Run `spec-kitty auth login`", a mismatch's "(events stay queued)"), so
     * that step is said once.
     */
    private static CliException authRequired(String url, String reason) {
        String why = reason.replaceFirst("; events keep queueing\\. Run `spec-kitty auth login`$", "")
                .replaceFirst(" \\(events stay queued\\)$", "");
        if (why.startsWith("auth required for ")) { // another server's login: the reason names the login to run
            return new CliException(ExitCodes.AUTH_REQUIRED, why + ", then `spec-kitty sync now`. Events stay queued");
        }
        return new CliException(ExitCodes.AUTH_REQUIRED, "authentication expired or missing for " + url
                + " (" + why + "). Events stay queued; run `spec-kitty auth login`, then `spec-kitty sync now`");
    }

    /** The {@code --dry-run} report; {@code queued} lists the events that would be pushed ({@code -v}), else empty. */
    static void printDryRun(PrintStream out, DryRunReport r, List<String> queued) {
        out.println("Dry run: nothing will be sent or changed");
        out.println("Would push " + plural(r.toPush(), "event", "events") + " (" + plural(r.batches(), "batch", "batches") + ")");
        int width = r.byType().keySet().stream().mapToInt(String::length).max().orElse(0);
        for (Map.Entry<String, Long> e : new TreeMap<>(r.byType()).entrySet()) {
            out.println("  " + e.getKey() + " ".repeat(width - e.getKey().length() + 2) + e.getValue());
        }
        for (String line : queued) {
            out.println(line);
        }
        if (queued.size() > 0 && r.toPush() > queued.size()) {
            out.println("  …and " + (r.toPush() - queued.size()) + " more");
        }
        if (r.parked() > 0) {
            out.println(plural(r.parked(), "parked event", "parked events") + " would not be pushed (see `spec-kitty sync status`)");
        }
        out.println(r.toPull() < 0 ? "Would pull: unknown (the server was not asked)"
                : "Would pull " + plural(r.toPull(), "new event", "new events"));
    }
}
