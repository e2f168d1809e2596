package dev.speckitty.engine;

import dev.speckitty.engine.store.QueueStore;
import dev.speckitty.protocol.control.EnqueueResponse;
import dev.speckitty.protocol.event.Event;
import dev.speckitty.protocol.local.LamportClock;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit of the daemon's enqueues: requests validated on their callers' threads
 * ({@link EventFactory#prepare}) are added to a waiting list, and the first caller that finds no
 * commit running becomes the committer (a combining lock, no extra thread and no hand-off when the
 * daemon is idle): it takes every request that is waiting, up to {@link #MAX_GROUP_EVENTS} events and
 * {@link #MAX_GROUP_BYTES} bytes of request bodies (a request larger than that is a group of its own;
 * a request is never split; a request recorded for another server than the group's, after a login
 * changed, starts the next group), reserves the group's Lamport values in one clock step, queues the group in
 * one SQLite transaction ({@link QueueStore#enqueueGroup}), and goes on while requests are waiting.
 * The others return at once and are answered by the committer. Each request's future completes only
 * once its events are committed; a request refused at the queue's cap fails alone, a failure of the
 * transaction (disk full) fails the whole group, with nothing of it queued. Values increase in commit
 * order: groups commit one after the other, requests in the order they were added.
 *
 * <p>A request too large to gain from a group (an import's part) is added with {@link #submitAlone}:
 * its own work queues it (built on a second thread while it is written, {@link LocalEngine}), run by
 * the committer in its turn, so it too commits after the requests added before it and before those
 * after it, with no other commit moving the clock meanwhile.
 *
 * <p>Requests waiting are bounded by their callers: the control API answers one request per
 * connection at a time and holds at most 64 connections. Thread-safe.
 */
public final class GroupCommit implements AutoCloseable {
    /** Events in one group, at most (unless one request alone has more). */
    public static final int MAX_GROUP_EVENTS = 1_000;
    /** Bytes of request bodies in one group, at most (unless one request alone has more). */
    public static final long MAX_GROUP_BYTES = 4L * 1024 * 1024;

    /** The daemon is stopping: the request was not taken (nothing queued). */
    public static final class ClosedException extends IllegalStateException {
        ClosedException() {
            super("the daemon is shutting down; nothing was queued. Run `spec-kitty daemon start` and emit the events again");
        }
    }

    /** A request waiting: prepared for a group, or ({@code prepared} null) queued alone by {@code alone}. */
    private record Submission(EventFactory.Prepared prepared, long bytes, java.util.function.Supplier<EnqueueResponse> alone,
                              CompletableFuture<EnqueueResponse> answer) {
    }

    private final QueueStore store;
    private final LamportClock clock;
    private final ConcurrentLinkedQueue<Submission> waiting = new ConcurrentLinkedQueue<>();
    /** Held by the caller that commits; only {@link #tryCommit} and {@link #close} take it. */
    private final ReentrantLock committing = new ReentrantLock();
    private boolean closed; // guarded by this

    public GroupCommit(QueueStore store, LamportClock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Adds a prepared request to the next group, and commits the waiting groups in this thread when no
     * other does; the future completes once the request is committed (or refused).
     */
    public CompletableFuture<EnqueueResponse> submit(EventFactory.Prepared prepared, long bytes) {
        return add(new Submission(prepared, bytes, null, new CompletableFuture<>()));
    }

    /**
     * Adds a request that {@code work} queues on its own, in its turn (see the class comment); the
     * future completes with what {@code work} answers, or fails with what it throws.
     */
    public CompletableFuture<EnqueueResponse> submitAlone(java.util.function.Supplier<EnqueueResponse> work) {
        return add(new Submission(null, 0, work, new CompletableFuture<>()));
    }

    private CompletableFuture<EnqueueResponse> add(Submission submission) {
        synchronized (this) {
            if (closed) {
                throw new ClosedException();
            }
            waiting.add(submission);
        }
        tryCommit();
        return submission.answer();
    }

    /**
     * Commits groups while requests wait, unless another thread does. A request added while the
     * committer is finishing is not stranded: the committer looks again after it lets go of the lock,
     * and the request's own caller tries the lock after adding it.
     */
    private void tryCommit() {
        while (!waiting.isEmpty() && committing.tryLock()) {
            try {
                drain();
            } finally {
                committing.unlock();
            }
        }
    }

    /** Commits every waiting request, group by group; holds {@link #committing}. */
    private void drain() {
        List<Submission> group = new ArrayList<>();
        while (true) {
            Submission first = waiting.poll();
            if (first == null) {
                return;
            }
            if (first.alone() != null) {
                commitAlone(first);
                continue;
            }
            group.clear();
            group.add(first);
            long events = first.prepared().size();
            long bytes = first.bytes();
            for (Submission next; (next = waiting.peek()) != null; ) {
                if (next.alone() != null || events + next.prepared().size() > MAX_GROUP_EVENTS || bytes + next.bytes() > MAX_GROUP_BYTES
                        || !next.prepared().server().equals(first.prepared().server())) { // a login changed between them
                    break;
                }
                group.add(waiting.poll());
                events += next.prepared().size();
                bytes += next.bytes();
            }
            commit(group);
        }
    }

    private static void commitAlone(Submission s) {
        EnqueueResponse answer;
        try {
            answer = s.alone().get();
        } catch (RuntimeException | Error e) {
            s.answer().completeExceptionally(e);
            return;
        }
        s.answer().complete(answer);
    }

    private void commit(List<Submission> group) {
        List<EnqueueResponse> answers;
        List<RuntimeException> refusals;
        try {
            int fresh = 0;
            int remotes = 0;
            for (Submission s : group) {
                fresh += s.prepared().fresh();
                remotes += s.prepared().remotes().length;
            }
            // One step of the clock for the whole group: its drafts' values, then the complete envelopes' merged.
            long next = fresh == 0 ? 0 : clock.tick(fresh);
            if (remotes > 0) {
                long[] all = new long[remotes];
                int at = 0;
                for (Submission s : group) {
                    long[] r = s.prepared().remotes();
                    System.arraycopy(r, 0, all, at, r.length);
                    at += r.length;
                }
                clock.receiveAll(all);
            }
            List<List<Event>> stamped = new ArrayList<>(group.size());
            for (Submission s : group) {
                stamped.add(EventFactory.stamp(s.prepared(), next));
                next += s.prepared().fresh();
            }
            QueueStore.GroupResult result = store.enqueueGroup(stamped, group.get(0).prepared().server());
            answers = new ArrayList<>(group.size());
            refusals = new ArrayList<>(group.size());
            for (int i = 0; i < group.size(); i++) {
                QueueStore.GroupOutcome outcome = result.outcomes().get(i);
                refusals.add(outcome.refused());
                answers.add(outcome.refused() != null ? null : new EnqueueResponse(outcome.queued().size(),
                        stamped.get(i).stream().map(Event::eventId).toList(), result.depth()));
            }
        } catch (RuntimeException | Error e) {
            for (Submission s : group) {
                s.answer().completeExceptionally(e);
            }
            return;
        }
        for (int i = 0; i < group.size(); i++) {
            if (refusals.get(i) != null) {
                group.get(i).answer().completeExceptionally(refusals.get(i));
            } else {
                group.get(i).answer().complete(answers.get(i));
            }
        }
    }

    /** Takes no more requests and commits those already added (waiting for a commit in progress). */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        committing.lock();
        try {
            drain();
        } finally {
            committing.unlock();
        }
    }
}
