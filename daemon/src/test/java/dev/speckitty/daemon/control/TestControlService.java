package dev.speckitty.daemon.control;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.engine.store.QueueFullException;
import dev.speckitty.protocol.control.ConnectionState;
import dev.speckitty.protocol.control.DaemonInfo;
import dev.speckitty.protocol.control.DryRunReport;
import dev.speckitty.protocol.control.EnqueueRequest;
import dev.speckitty.protocol.control.EnqueueResponse;
import dev.speckitty.protocol.control.EventOutcome;
import dev.speckitty.protocol.control.ParkedAction;
import dev.speckitty.protocol.control.ParkedEvent;
import dev.speckitty.protocol.control.QueueStats;
import dev.speckitty.protocol.control.StatusResponse;
import dev.speckitty.protocol.control.SyncRequest;
import dev.speckitty.protocol.control.SyncSummary;
import dev.speckitty.protocol.control.SyncUpdate;
import dev.speckitty.protocol.event.InvalidEventException;
import dev.speckitty.protocol.event.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** A scripted control service: answers canned values, fails on request, and records the threads it ran on. */
final class TestControlService implements ControlService {
    static final SyncSummary SUMMARY = new SyncSummary(true, "http://127.0.0.1:9", 2, 1, 1, 4, 1, 0, 0,
            List.of(new EventOutcome("01KAT0V6J8Q5R9S1T2V3W4X5Y6", "WPStatusChanged", "WP01", EventOutcome.Status.REJECTED, "bad lane")),
            null, null, 12, "2026-11-25T10:00:00+00:00");

    final List<String> threads = new CopyOnWriteArrayList<>();
    final CountDownLatch shutdown = new CountDownLatch(1);
    /** Released by a test to let a sync emit its next update; null = run straight through. */
    volatile Semaphore step;
    volatile String syncFailure; // "before" or "after" the first line
    final List<SyncRequest> syncRequests = new CopyOnWriteArrayList<>();

    @Override
    public DaemonInfo daemonInfo() {
        threads.add(Thread.currentThread().getName());
        return DaemonInfo.of(canned());
    }

    @Override
    public StatusResponse status() {
        threads.add(Thread.currentThread().getName());
        return canned();
    }

    private static StatusResponse canned() {
        return new StatusResponse("0.1.0", 42, 5, null, ConnectionState.NOT_CONFIGURED, null, null, null, null,
                new QueueStats(3, 61, Map.of("0", 2L, "1", 1L), 0), null, "0", 41, "b805cd5cee74", 0);
    }

    @Override
    public EnqueueResponse enqueue(EnqueueRequest request) {
        threads.add(Thread.currentThread().getName());
        List<String> ids = new ArrayList<>();
        for (JsonNode e : request.events()) {
            String kind = e.path("event_type").asText();
            switch (kind) {
                case "bad":
                    throw new InvalidEventException(List.of(new Violation("payload.to_lane", "must be one of planned, done"),
                            new Violation("aggregate_id", "is required")));
                case "full":
                    throw new QueueFullException(10, 10, 1);
                case "boom":
                    throw new IllegalStateException("disk on fire");
                case "arg":
                    throw new IllegalArgumentException("cwd: /nope (expected: an existing directory)");
                default:
                    ids.add(e.path("event_id").asText());
            }
        }
        return new EnqueueResponse(ids.size(), ids, 3 + ids.size());
    }

    @Override
    public SyncSummary sync(SyncRequest request, Consumer<SyncUpdate> updates) {
        threads.add(Thread.currentThread().getName());
        syncRequests.add(request);
        if ("before".equals(syncFailure)) {
            throw new IllegalStateException("no credentials");
        }
        updates.accept(SyncUpdate.progress("push", 1, 3));
        await();
        if ("after".equals(syncFailure)) {
            throw new IllegalStateException("socket closed");
        }
        updates.accept(SyncUpdate.progress("push", 3, 3));
        await();
        updates.accept(SyncUpdate.summary(SUMMARY)); // the server writes the returned one instead
        return SUMMARY;
    }

    private void await() {
        Semaphore s = step;
        if (s != null) {
            try {
                if (!s.tryAcquire(20, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never released the next sync step");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public DryRunReport dryRun() {
        return new DryRunReport("http://127.0.0.1:9", 1200, 2, Map.of("WPStatusChanged", 1200L), 1, -1);
    }

    @Override
    public List<ParkedEvent> parked() {
        return List.of(new ParkedEvent("01KAT0V6J8Q5R9S1T2V3W4X5Y6", "WPStatusChanged", "WP01", 3, "bad lane", "2026-11-25T10:00:00Z"));
    }

    @Override
    public int retryParked(ParkedAction action) {
        return action.all() ? 5 : action.eventIds().size();
    }

    @Override
    public int discardParked(ParkedAction action) {
        if (!action.all() && action.eventIds().isEmpty()) {
            throw new IllegalArgumentException("the request names no parked events (expected: event_ids, or all: true)");
        }
        return action.all() ? 7 : action.eventIds().size();
    }

    @Override
    public String metrics() {
        return "# TYPE speckitty_queue_depth gauge\nspeckitty_queue_depth 3\n";
    }

    @Override
    public void shutdown() {
        threads.add(Thread.currentThread().getName());
        shutdown.countDown();
    }
}
