package dev.speckitty.cli.events;

import dev.speckitty.cli.backend.SyncBackend;
import dev.speckitty.protocol.event.EventDrafts;
import dev.speckitty.protocol.control.EnqueueRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.speckitty.cli.CliCommand;
import dev.speckitty.cli.CliContext;
import dev.speckitty.cli.CliException;
import dev.speckitty.cli.ExitCodes;
import dev.speckitty.protocol.control.LeanJson;
import dev.speckitty.protocol.event.EventType;
import dev.speckitty.protocol.event.Generation;
import dev.speckitty.protocol.local.ConfigFile;
import dev.speckitty.protocol.event.Violation;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.json.JsonException;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spec-kitty events emit}: validates one event and queues it; never waits for the network. */
@Command(name = "emit", description = {
        "Record one event in the local queue (through the daemon, or straight into queue.db when it is not running).",
        "Never waits for the network. The event is checked against the protocol rules first; an invalid one exits 2."})
public final class EventsEmitCommand extends CliCommand {
    /** The event types, for help and completion. */
    static final class Types implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return EventType.wireNames().iterator();
        }
    }

    @Parameters(index = "0", paramLabel = "TYPE", completionCandidates = Types.class, description = "One of: ${COMPLETION-CANDIDATES}")
    String type;

    @Option(names = "--aggregate-id", required = true, paramLabel = "ID", description = "What the event is about, e.g. WP01 or 001-offline-sync.")
    String aggregateId;

    @Option(names = "--aggregate-type", paramLabel = "T", description = "WorkPackage, Feature or MissionDossier (default: the type's usual one).")
    String aggregateType;

    @Option(names = "--payload", required = true, paramLabel = "JSON", description = "The payload as a JSON object, e.g. '{\"wp_id\":\"WP01\",...}'; @FILE reads it from a UTF-8 file, - from stdin.")
    String payload;

    @Option(names = "--json", description = "Print the queued event id and queue depth as JSON.")
    boolean json;

    /** The command with its options already parsed (the lean command line). */
    public static EventsEmitCommand of(String type, String aggregateId, String aggregateType, String payload, boolean json) {
        EventsEmitCommand command = new EventsEmitCommand();
        command.type = type;
        command.aggregateId = aggregateId;
        command.aggregateType = aggregateType;
        command.payload = payload;
        command.json = json;
        return command;
    }

    /**
     * The generation drafts are written in ({@code sync.schema}); a malformed config.toml does not stop
     * recording: the default (2.x) applies, and the recording path warns about the file.
     */
    static Generation schema(CliContext ctx) {
        try {
            return ConfigFile.load(ctx.home().config()).schema();
        } catch (RuntimeException e) {
            return Generation.V2;
        }
    }

    @Override
    public Integer call() {
        CliContext ctx = ctx();
        Generation generation = schema(ctx);
        if (generation.rules().type(type).isEmpty()) {
            throw CliException.usage("unknown event type '" + type + "' (expected one of the " + generation.label() + " types"
                    + (generation == Generation.V2 ? "" : " (sync.schema = \"3\")") + ": "
                    + String.join(", ", generation.rules().typeNames()) + ")");
        }
        JsonNode payloadJson;
        try {
            payloadJson = LeanJson.tree(TextInput.payload(payload, ctx.cwd(), ctx.in()));
        } catch (JsonException e) {
            throw CliException.usage("--payload is not valid JSON: " + e.getMessage());
        }
        ObjectNode draft = EventDrafts.draft(type, aggregateId, aggregateType, payloadJson, generation);
        List<Violation> violations = EventDrafts.check(draft, generation);
        if (!violations.isEmpty()) {
            throw CliException.usage("invalid " + type + " event; nothing was queued:\n"
                    + violations.stream().map(v -> "  " + v).collect(Collectors.joining("\n")));
        }
        SyncBackend.Enqueued result;
        try (SyncBackend backend = backend(null)) {
            result = backend.enqueue(new EnqueueRequest(List.of(draft), ctx.cwd().toString()), ExitCodes.USAGE);
        }
        String id = result.response().eventIds().isEmpty() ? "?" : result.response().eventIds().get(0);
        if (json) {
            ctx.out().println(Json.write(result.response()));
        } else {
            ctx.out().println("Queued " + type + " " + id + " for " + aggregateId + " (" + result.response().queueDepth()
                    + " in the queue" + (result.throughDaemon() ? "" : "; daemon not running, it syncs on the next `spec-kitty sync now`") + ")");
        }
        return ExitCodes.OK;
    }
}
