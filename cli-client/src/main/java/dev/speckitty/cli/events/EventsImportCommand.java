package dev.speckitty.cli.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.cli.CliCommand;
import dev.speckitty.cli.CliContext;
import dev.speckitty.cli.CliException;
import dev.speckitty.cli.ExitCodes;
import dev.speckitty.cli.control.LeanJson;
import dev.speckitty.protocol.event.Violation;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.json.JsonException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spec-kitty events import FILE|-}: checks every NDJSON line, then queues them all in one transaction. */
@Command(name = "import", description = {
        "Queue many events from an NDJSON file (or - for stdin), all in one transaction.",
        "Each line is a draft {event_type, aggregate_id, aggregate_type?, payload} or a complete envelope (with event_id).",
        "Every line is checked first; if any is invalid, nothing is queued and each problem is listed with its line number."})
public final class EventsImportCommand extends CliCommand {
    /** Problems listed before "…and N more": enough to see the pattern, not a wall of text. */
    private static final int MAX_LISTED = 20;

    @Parameters(index = "0", paramLabel = "FILE", description = "NDJSON file, or - for standard input.")
    String file;

    @Option(names = "--json", description = "Print the queued ids and queue depth as JSON.")
    boolean json;

    @Override
    public Integer call() {
        CliContext ctx = ctx();
        List<JsonNode> events = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String source = file.equals("-") ? "stdin" : file;
        try (BufferedReader in = open(ctx)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode event;
                try {
                    event = LeanJson.tree(line);
                } catch (JsonException e) {
                    problems.add("line " + number + ": not valid JSON (" + e.getMessage() + ")");
                    continue;
                }
                List<Violation> violations = EventDrafts.check(event);
                for (Violation v : violations) {
                    problems.add("line " + number + ": " + v);
                }
                events.add(event);
            }
        } catch (NoSuchFileException e) {
            throw CliException.failure("no such file: " + file);
        } catch (IOException e) {
            throw CliException.failure("cannot read " + source + " (" + e.getMessage() + ")");
        }
        if (!problems.isEmpty()) {
            StringBuilder message = new StringBuilder("nothing was queued; " + problems.size() + " problem"
                    + (problems.size() == 1 ? "" : "s") + " in " + source + ":");
            problems.stream().limit(MAX_LISTED).forEach(p -> message.append("\n  ").append(p));
            if (problems.size() > MAX_LISTED) {
                message.append("\n  …and ").append(problems.size() - MAX_LISTED).append(" more");
            }
            throw CliException.failure(message.toString());
        }
        if (events.isEmpty()) {
            ctx.out().println("No events in " + source + "; nothing to queue");
            return ExitCodes.OK;
        }
        Enqueuer.Result result = new Enqueuer(ctx, control(), ExitCodes.FAILURE).enqueue(events);
        if (json) {
            ctx.out().println(Json.write(result.response()));
        } else {
            ctx.out().println("Imported " + result.response().accepted() + " event" + (result.response().accepted() == 1 ? "" : "s")
                    + " from " + source + " (" + result.response().queueDepth() + " in the queue"
                    + (result.throughDaemon() ? "" : "; daemon not running") + ")");
        }
        return ExitCodes.OK;
    }

    private BufferedReader open(CliContext ctx) throws IOException {
        if (file.equals("-")) {
            return new BufferedReader(new InputStreamReader(ctx.in(), StandardCharsets.UTF_8));
        }
        Path path = ctx.cwd().resolve(file);
        return Files.newBufferedReader(path, StandardCharsets.UTF_8);
    }
}
