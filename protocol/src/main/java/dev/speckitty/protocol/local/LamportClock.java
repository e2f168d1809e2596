package dev.speckitty.protocol.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.json.JsonException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The Lamport clock persisted in {@code clock.json}. Every change is read-modify-write under
 * {@code clock.lock}, so processes sharing a home never hand out the same value. A missing file
 * starts at 0; a damaged one restarts from {@code recoveryFloor} (the highest clock seen in the queue
 * and inbox) so the clock never goes backwards. Thread-safe.
 */
public final class LamportClock {
    private final Path file;
    private final Path lock;
    private final Supplier<String> newNodeId;
    private final Clock time;
    private final LongSupplier recoveryFloor;

    public LamportClock(Path file, Path lock, Supplier<String> newNodeId, Clock time, LongSupplier recoveryFloor) {
        this.file = file;
        this.lock = lock;
        this.newNodeId = newNodeId;
        this.time = time;
        this.recoveryFloor = recoveryFloor;
    }

    /** The clock of a home, with this machine's node id and no recovery floor. */
    public static LamportClock of(SpecKittyHome home) {
        return of(home, () -> 0L);
    }

    /** The clock of a home, recovering from a damaged file to at least {@code recoveryFloor}. */
    public static LamportClock of(SpecKittyHome home, LongSupplier recoveryFloor) {
        return new LamportClock(home.clock(), home.clockLock(), NodeId::local, Clock.systemUTC(), recoveryFloor);
    }

    /** The current state, without changing it. */
    public ClockState read() {
        return InterProcessLock.withLock(lock, this::load);
    }

    /** Advances the clock by one for a local event and returns the new value. */
    public long tick() {
        return tick(1);
    }

    /** Reserves {@code n} consecutive values for a bulk enqueue and returns the first. */
    public long tick(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n: " + n + " (expected: >= 1)");
        }
        return update(current -> current + n) - n + 1;
    }

    /** Merges a remote clock value: {@code max(local, remote) + 1}; returns the new value. */
    public long receive(long remote) {
        return update(current -> Math.max(current, remote) + 1);
    }

    /** Merges many remote values in order under one lock (a pulled page); returns the final value. */
    public long receiveAll(long[] remotes) {
        return update(current -> {
            long v = current;
            for (long r : remotes) {
                v = Math.max(v, r) + 1;
            }
            return v;
        });
    }

    private long update(java.util.function.LongUnaryOperator step) {
        return InterProcessLock.withLock(lock, () -> {
            ClockState state = load();
            long next = step.applyAsLong(state.value());
            store(new ClockState(next, state.nodeId(), Timestamps.format(time.instant())));
            return next;
        });
    }

    private ClockState load() {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            return recovered(); // a fresh home starts at 0; a home whose clock file was deleted, above its queue
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        JsonNode json;
        try {
            json = Json.tree(text);
        } catch (JsonException e) {
            return recovered();
        }
        JsonNode value = json == null ? null : json.get("value");
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
            return recovered();
        }
        // Like the Python tool, a file that lost only its node id keeps its value: resetting the value
        // would hand out clock values that were already used.
        JsonNode node = json.get("node_id");
        String nodeId = node != null && node.isTextual() && !node.asText().isBlank() ? node.asText() : newNodeId.get();
        JsonNode updated = json.get("updated_at");
        return new ClockState(value.asLong(), nodeId, updated != null && updated.isTextual() ? updated.asText() : "");
    }

    /**
     * The state after a missing or damaged file (truncated, garbage, negative or missing value): restart above
     * everything this home has seen, never below. The floor is asked for only here because computing
     * it may scan the queue.
     */
    private ClockState recovered() {
        return new ClockState(Math.max(0, recoveryFloor.getAsLong()), newNodeId.get(), Timestamps.format(time.instant()));
    }

    private void store(ClockState state) {
        String text = "{\n"
                + "  \"value\": " + state.value() + ",\n"
                + "  \"node_id\": " + Json.write(state.nodeId()) + ",\n"
                + "  \"updated_at\": " + Json.write(state.updatedAt()) + "\n"
                + "}";
        try {
            AtomicFile.write(file, text, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
