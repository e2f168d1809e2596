package dev.speckitty.cli.events;

import dev.speckitty.cli.backend.SyncBackend;
import dev.speckitty.cli.CliCommand;
import dev.speckitty.cli.CliContext;
import dev.speckitty.cli.ExitCodes;
import dev.speckitty.cli.output.Durations;
import dev.speckitty.protocol.control.ParkedEvent;
import dev.speckitty.protocol.json.Json;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spec-kitty events parked}: the events taken out of the drain, with the server's reason. */
@Command(name = "parked",
        description = {
                "List the parked events: rejected repeatedly (or too large), taken out of the drain, with the server's last reason.",
                "Put them back with `spec-kitty events retry ID…|--all` once the cause is fixed, or drop them with"
                        + " `spec-kitty events discard ID…|--all`."})
public final class EventsParkedCommand extends CliCommand {
    @Option(names = "--json", description = "Print a JSON array: event_id, event_type, aggregate_id, retry_count, reason, parked_at.")
    boolean json;

    @Override
    public Integer call() {
        CliContext ctx = ctx();
        List<ParkedEvent> parked;
        try (SyncBackend backend = backend(null)) {
            parked = backend.parked();
        }
        if (json) {
            ctx.out().println(Json.write(parked));
            return ExitCodes.OK;
        }
        if (parked.isEmpty()) {
            ctx.out().println("No parked events.");
            return ExitCodes.OK;
        }
        ctx.out().println(Durations.plural(parked.size(), "parked event", "parked events") + ":");
        for (ParkedEvent p : parked) {
            ctx.out().println("  " + p.eventId() + "  " + p.eventType() + (p.aggregateId() == null ? "" : " " + p.aggregateId())
                    + "  parked " + Durations.relative(p.parkedAt(), ctx.clock().instant()) + " after " + p.retryCount()
                    + (p.retryCount() == 1 ? " rejection" : " rejections"));
            ctx.out().println("      " + (p.reason() == null ? "(no reason given)" : p.reason()));
        }
        ctx.out().println("Fix the cause, then `spec-kitty events retry --all` (or IDs); `spec-kitty events discard ID…` drops them.");
        return ExitCodes.OK;
    }
}
