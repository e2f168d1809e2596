package dev.speckitty.cli.events;

import dev.speckitty.cli.backend.SyncBackend;
import dev.speckitty.protocol.event.EventDrafts;
import dev.speckitty.protocol.control.EnqueueRequest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.cli.CliCommand;
import dev.speckitty.cli.CliContext;
import dev.speckitty.cli.CliException;
import dev.speckitty.cli.ExitCodes;
import dev.speckitty.protocol.control.LeanJson;
import dev.speckitty.protocol.event.Violation;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.json.JsonException;
import java.io.IOException;
import java.io.InputStream;
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
    /** One line is one event: no longer than an event may be. */
    private static final int MAX_LINE_BYTES = dev.speckitty.protocol.event.EventLimits.MAX_EVENT_BYTES;

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
        try (InputStream in = open(ctx)) {
            Lines lines = new Lines(in);
            byte[] line;
            while ((line = lines.next()) != null) {
                int number = lines.number();
                if (lines.tooLong()) {
                    problems.add("line " + number + ": longer than an event may be (" + MAX_LINE_BYTES / 1024 + " KiB)");
                    continue;
                }
                int[] bad = new int[1];
                java.util.Optional<String> text = TextInput.decode(line, 0, line.length, bad);
                if (text.isEmpty()) {
                    problems.add("line " + number + ": byte " + (bad[0] + 1) + " is not valid UTF-8");
                    continue;
                }
                if (text.get().isBlank()) {
                    continue;
                }
                JsonNode event;
                try {
                    event = LeanJson.tree(text.get());
                } catch (JsonException e) {
                    problems.add("line " + number + ": not valid JSON (" + dev.speckitty.protocol.Printable.clip(e.getMessage(), 200) + ")");
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
            throw CliException.failure("cannot read " + source + " (" + dev.speckitty.cli.ErrorText.of(e) + ")");
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
        SyncBackend.Enqueued result;
        try (SyncBackend backend = backend(null)) {
            result = backend.enqueue(new EnqueueRequest(events, ctx.cwd().toString()), ExitCodes.FAILURE);
        }
        if (json) {
            ctx.out().println(Json.write(result.response()));
        } else {
            ctx.out().println("Imported " + result.response().accepted() + " event" + (result.response().accepted() == 1 ? "" : "s")
                    + " from " + source + " (" + result.response().queueDepth() + " in the queue"
                    + (result.throughDaemon() ? "" : "; daemon not running") + ")");
        }
        return ExitCodes.OK;
    }

    private InputStream open(CliContext ctx) throws IOException {
        if (file.equals("-")) {
            return ctx.in();
        }
        return Files.newInputStream(ctx.cwd().resolve(file));
    }

    /** NDJSON lines as bytes (decoded strictly per line, so a bad byte is reported with its line number), each bounded. */
    private static final class Lines {
        private final java.io.BufferedInputStream in;
        private int number;
        private boolean tooLong;

        Lines(InputStream in) {
            this.in = new java.io.BufferedInputStream(in, 1 << 16);
        }

        /** The next line without its line ending (a longer one is cut and flagged), or null at the end. */
        byte[] next() throws IOException {
            java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
            tooLong = false;
            int c;
            boolean any = false;
            while ((c = in.read()) != -1) {
                any = true;
                if (c == '\n') {
                    break;
                }
                if (line.size() < MAX_LINE_BYTES) {
                    line.write(c);
                } else {
                    tooLong = true;
                }
            }
            if (!any) {
                return null;
            }
            number++;
            byte[] bytes = line.toByteArray();
            int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
            return end == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, end);
        }

        int number() {
            return number;
        }

        boolean tooLong() {
            return tooLong;
        }
    }
}
