package dev.speckitty.cli.events;

import dev.speckitty.cli.CliCommand;
import dev.speckitty.cli.CliContext;
import dev.speckitty.cli.CliException;
import dev.speckitty.cli.ExitCodes;
import dev.speckitty.cli.local.LocalBackend;
import dev.speckitty.cli.local.LocalBackends;
import dev.speckitty.protocol.event.Event;
import dev.speckitty.protocol.event.EventType;
import dev.speckitty.protocol.json.Json;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spec-kitty events list}: local (queued) and pulled events in Lamport order. */
@Command(name = "list", description = "List queued and pulled events in Lamport order (lamport_clock, then node_id).")
public final class EventsListCommand extends CliCommand {
    @Option(names = "--aggregate", paramLabel = "ID", description = "Only events about this aggregate id.")
    String aggregate;

    @Option(names = "--type", paramLabel = "TYPE", completionCandidates = EventsEmitCommand.Types.class, description = "Only events of this type.")
    String type;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N events (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "Print the events as a JSON array of envelopes.")
    boolean json;

    @Override
    public Integer call() {
        CliContext ctx = ctx();
        if (type != null && EventType.fromWire(type).isEmpty()) {
            throw CliException.usage("unknown event type '" + type + "' (expected one of: " + String.join(", ", EventType.wireNames()) + ")");
        }
        if (limit < 1) {
            throw CliException.usage("--limit " + limit + " (expected: >= 1)");
        }
        List<Event> events;
        try (LocalBackend engine = LocalBackends.open(ctx.home())) {
            events = engine.listEvents(Optional.ofNullable(aggregate), Optional.ofNullable(type), limit);
        }
        if (json) {
            ctx.out().println(Json.write(events));
            return ExitCodes.OK;
        }
        if (events.isEmpty()) {
            ctx.out().println("No events" + (aggregate == null && type == null ? "" : " match"));
            return ExitCodes.OK;
        }
        int typeWidth = Math.max(4, events.stream().mapToInt(e -> e.eventType().length()).max().orElse(4));
        int aggWidth = Math.max(9, events.stream().mapToInt(e -> e.aggregateId().length()).max().orElse(9));
        String format = "%-8s %-12s %-" + typeWidth + "s %-" + aggWidth + "s %-26s %s%n";
        ctx.out().printf(format, "LAMPORT", "NODE", "TYPE", "AGGREGATE", "EVENT ID", "TIMESTAMP");
        for (Event e : events) {
            ctx.out().printf(format, e.lamportClock(), e.nodeId(), e.eventType(), e.aggregateId(), e.eventId(), e.timestamp());
        }
        return ExitCodes.OK;
    }
}
