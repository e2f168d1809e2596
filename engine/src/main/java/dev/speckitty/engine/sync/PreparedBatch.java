package dev.speckitty.engine.sync;

import dev.speckitty.engine.store.BatchOutcome;
import dev.speckitty.engine.store.DrainPosition;
import dev.speckitty.engine.store.QueuedEvent;
import dev.speckitty.protocol.event.Event;
import dev.speckitty.protocol.event.EventLimits;
import dev.speckitty.protocol.local.Credentials;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * One batch read from the queue after {@code after}, ready to upload: the events that fit
 * {@code maxBytes} of JSON before gzip (always at least one), their gzip body, and the events set
 * aside because no batch may carry them (larger than {@link EventLimits#MAX_EVENT_BYTES}), with the
 * reason each is parked for. {@code last} is the last row taken or set aside; rows read past it are
 * read again by the next batch. {@code sent} is the text uploaded for each event (its stored JSON, or
 * the copy with the logged-in team filled in), which is what the server will hold. Built on the
 * prepare thread, read by the sync thread after.
 */
record PreparedBatch(DrainPosition after, List<QueuedEvent> events, List<String> sent, byte[] body, int rawBytes, List<QueuedEvent> oversized,
                     List<String> reasons, DrainPosition last, boolean exhausted, BatchOutcome parked) {
    private static final byte[] HEAD = "{\"events\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TAIL = "]}".getBytes(StandardCharsets.US_ASCII);
    private static final BatchOutcome NONE_PARKED = new BatchOutcome(0, 0, 0, 0, List.of());

    /** Takes {@code rows} (read after {@code after}, in drain order) in order while they fit {@code maxBytes}. */
    static PreparedBatch of(DrainPosition after, List<QueuedEvent> rows, int maxBytes, String team) {
        if (rows.isEmpty()) {
            return new PreparedBatch(after, List.of(), List.of(), new byte[0], 0, List.of(), List.of(), after, true, NONE_PARKED);
        }
        List<QueuedEvent> events = new ArrayList<>(rows.size());
        List<String> sent = new ArrayList<>(rows.size());
        List<QueuedEvent> oversized = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        DrainPosition last = after;
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        int raw = HEAD.length + TAIL.length;
        // The queue stores each event's JSON verbatim, so the body is spliced, not re-serialised, and
        // compressed as it is written.
        // Rows reach the deflater 64 KiB at a time: one write per row made it 5% slower than compressing
        // the whole body at once.
        try (OutputStream gz = new BufferedOutputStream(new GZIPOutputStream(out, 8192), 64 * 1024)) {
            gz.write(HEAD);
            for (QueuedEvent row : rows) {
                String text = forTeam(row, team);
                byte[] json = text.getBytes(StandardCharsets.UTF_8);
                if (json.length > EventLimits.MAX_EVENT_BYTES) {
                    oversized.add(row);
                    reasons.add(Sizes.eventTooLarge(json.length) + "; the server refuses it, so it is parked, not sent");
                    last = row.position();
                    continue;
                }
                int cost = json.length + (events.isEmpty() ? 0 : 1);
                if (!events.isEmpty() && raw + cost > maxBytes) {
                    break;
                }
                if (!events.isEmpty()) {
                    gz.write(',');
                }
                gz.write(json);
                raw += cost;
                events.add(row);
                sent.add(text);
                last = row.position();
            }
            gz.write(TAIL);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new PreparedBatch(after, List.copyOf(events), List.copyOf(sent), events.isEmpty() ? new byte[0] : out.toByteArray(), raw,
                List.copyOf(oversized), List.copyOf(reasons), last, false, NONE_PARKED);
    }

    /** This batch once its oversized events were parked. */
    PreparedBatch withParked(BatchOutcome outcome) {
        return new PreparedBatch(after, events, sent, body, rawBytes, oversized, reasons, last, exhausted, outcome);
    }

    /**
     * Events recorded before the first login carry the team {@code local} (a 3.x envelope: no team);
     * they belong to the team that is logged in when they leave. Any other team is sent as recorded (the server judges it).
     */
    private static String forTeam(QueuedEvent row, String team) {
        if (!row.localTeam() || Credentials.NO_TEAM.equals(team)) {
            return row.data();
        }
        try {
            // As spec-kitty 3.x drains: the team filled in, drain_blocked_reason (an emit-time note) left out.
            Event e = Event.parse(row.data());
            if (e.teamSlug() == null || e.teamSlug().isEmpty() || Credentials.NO_TEAM.equals(e.teamSlug())) {
                e = e.withTeamSlug(team);
            }
            return e.withoutExtension("drain_blocked_reason").toJson();
        } catch (RuntimeException e) {
            return row.data();
        }
    }
}
