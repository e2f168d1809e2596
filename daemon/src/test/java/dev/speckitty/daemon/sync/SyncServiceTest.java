package dev.speckitty.daemon.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.engine.LocalEngine;
import dev.speckitty.protocol.control.ConnectionState;
import dev.speckitty.protocol.control.EnqueueRequest;
import dev.speckitty.protocol.local.ConfigFile;
import dev.speckitty.protocol.local.ConfigKey;
import dev.speckitty.protocol.local.Credentials;
import dev.speckitty.protocol.local.CredentialsStore;
import dev.speckitty.protocol.local.SpecKittyHome;
import dev.speckitty.protocol.testing.VirtualTime;
import dev.speckitty.protocol.wire.Api;
import dev.speckitty.testing.TestEvents;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's sync loop in virtual time: the real engine on a real {@code queue.db} in a temporary
 * home, against a real HTTP server on loopback whose answers each test scripts, with the service's
 * timers on a {@link VirtualTime} that the test moves. Nothing sleeps: each test moves time to just
 * before and just at the moment a behaviour is due, and fails if it happens early, late or not at all.
 */
@Timeout(60)
class SyncServiceTest {
    private static final Duration MS = Duration.ofMillis(1);
    /** The policy the daemon runs ({@link Backoff#standard}), with the jitter at its ceiling so each delay is known. */
    private static final Backoff STANDARD_AT_CEILING = Backoff.standard(() -> 1.0);
    private static final Duration POLL = Duration.ofSeconds(30);
    private static final SyncService.Settings NO_WEBSOCKET = new SyncService.Settings(false, POLL, Duration.ofSeconds(5), Duration.ofSeconds(12));

    @TempDir
    Path dir;

    private final VirtualTime time = new VirtualTime();
    private ScriptedTeamServer server;
    private SpecKittyHome home;
    private LocalEngine local;
    private SyncService service;
    private EventLoopGroup network;

    @BeforeEach
    void home() throws Exception {
        server = ScriptedTeamServer.start();
        home = SpecKittyHome.at(Files.createDirectories(dir.resolve("home")));
        ConfigFile.set(home.config(), ConfigKey.SERVER_URL, server.url().toString());
        login("access-1");
        local = LocalEngine.open(home);
    }

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
            time.runDue();
        }
        local.close();
        server.close();
        if (network != null) {
            network.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Writes the credentials file as `auth login` does. */
    private void login(String access) {
        Instant now = Instant.now();
        CredentialsStore.of(home).write(new Credentials(access, "refresh-" + access, now.plus(Duration.ofMinutes(15)),
                now.plus(Duration.ofDays(30)), "ada", "team-a", server.url().toString()));
    }

    private SyncService start(SyncService.Settings settings) {
        service = new SyncService(local.engine(), local.store(), local.store(), local.clock(), local.tokens(), local.servers()::current,
                local::identityKey, time, time, network, STANDARD_AT_CEILING, settings, time.clock());
        service.start();
        time.runDue();
        return service;
    }

    /** Queues one event as another writer would (the CLI without a daemon, the Python tool): the service is not told. */
    private void queueBehindItsBack(String note) {
        local.enqueue(new EnqueueRequest(List.of(TestEvents.noteDraft(note)), null));
    }

    private long depth() {
        return local.queueStats().depth();
    }

    /** The next attempt's delay as the status shows it (next retry at, minus now). */
    private Duration nextRetryIn() {
        return Duration.between(time.clock().instant(), service.nextRetryAt().orElseThrow());
    }

    /** Pins the reconnect schedule: 0.5 s doubling to the 30 s cap, no attempt before its delay, and back to 0.5 s after a success. */
    @Test
    void failedAttemptsBackOffDoublingToTheCapAndASuccessResetsTheDelay() {
        server.answer(503, null);
        start(NO_WEBSOCKET);
        assertEquals(ConnectionState.OFFLINE, service.state());
        assertEquals(1, server.calls(Api.EVENTS), "the first attempt at once");

        List<Long> expectedMillis = List.of(500L, 1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 30_000L, 30_000L, 30_000L);
        for (long millis : expectedMillis) {
            Duration delay = Duration.ofMillis(millis);
            int attempts = server.calls(Api.EVENTS);
            assertEquals(delay, nextRetryIn(), "the delay after attempt " + attempts);
            time.advance(delay.minus(MS));
            assertEquals(attempts, server.calls(Api.EVENTS), "no attempt before " + delay);
            time.advance(MS);
            assertEquals(attempts + 1, server.calls(Api.EVENTS), "an attempt at " + delay);
            assertEquals(ConnectionState.OFFLINE, service.state());
        }

        server.answer(200, null);
        time.advance(Duration.ofSeconds(30));
        assertEquals(ConnectionState.CONNECTED, service.state());
        assertEquals(Optional.empty(), service.nextRetryAt());

        server.answer(503, null);
        queueBehindItsBack("fails");
        service.enqueued();
        time.runDue(); // the drain leaves at once, and fails
        assertEquals(ConnectionState.OFFLINE, service.state());
        assertEquals(Duration.ofMillis(500), nextRetryIn(), "reset by the success: the first delay again");
    }

    /** Pins Retry-After: the server's pause replaces a shorter backoff, up to the 10-minute bound. */
    @Test
    void aRetryAfterIsWaitedOutUpToItsBound() {
        server.answer(503, "45");
        start(NO_WEBSOCKET);
        assertEquals(ConnectionState.OFFLINE, service.state());
        assertEquals(Duration.ofSeconds(45), nextRetryIn(), "45 s asked, not the 0.5 s of the first backoff");
        time.advance(Duration.ofSeconds(45).minus(MS));
        assertEquals(1, server.calls(Api.EVENTS));
        server.answer(429, "7200");
        time.advance(MS);
        assertEquals(2, server.calls(Api.EVENTS));
        assertEquals(Backoff.MAX_RETRY_AFTER, nextRetryIn(), "two hours asked, ten minutes waited");
        time.advance(Backoff.MAX_RETRY_AFTER);
        assertEquals(3, server.calls(Api.EVENTS));
    }

    /** Pins adaptive send on an idle link: the first enqueue drains at once, with no virtual time passing, in one drain. */
    @Test
    void anEnqueueOnAnIdleLinkDrainsAtOnce() {
        start(NO_WEBSOCKET);
        assertEquals(ConnectionState.CONNECTED, service.state());
        int pulls = server.calls(Api.EVENTS);
        Duration at = time.elapsed();

        queueBehindItsBack("alone");
        service.enqueued();
        time.runDue();
        assertEquals(List.of(1), server.batchSizes(), "sent before any time passed");
        assertEquals(at, time.elapsed(), "zero virtual delay");
        assertEquals(0, depth());
        assertEquals(pulls + 1, server.calls(Api.EVENTS), "one drain: its push, then its pull");

        time.advance(Duration.ofSeconds(5));
        assertEquals(1, server.calls(Api.EVENTS_BATCH), "no second drain for the same event");
        assertEquals(pulls + 1, server.calls(Api.EVENTS));
    }

    /**
     * Pins adaptive send on a busy link: enqueues while a drain is in flight (here during its pull,
     * after its push) do not start drains of their own; they ride exactly one follow-up drain, which
     * starts as soon as the first ends, with no timer in between.
     */
    @Test
    void enqueuesDuringADrainRideOneFollowUpDrainThatStartsWhenItEnds() {
        start(NO_WEBSOCKET);
        assertEquals(ConnectionState.CONNECTED, service.state());
        int pulls = server.calls(Api.EVENTS);
        Duration at = time.elapsed();

        queueBehindItsBack("first");
        server.duringNext(Api.EVENTS, () -> {
            for (int i = 0; i < 3; i++) {
                queueBehindItsBack("during " + i);
                service.enqueued();
            }
        });
        service.enqueued();
        time.runDue();
        assertEquals(List.of(1, 3), server.batchSizes(), "the first alone, the three queued during its pull in the next drain");
        assertEquals(pulls + 2, server.calls(Api.EVENTS), "exactly two drains: the first and one follow-up, not one per enqueue");
        assertEquals(at, time.elapsed(), "the follow-up started when the first ended: no timer waited");
        assertEquals(0, depth());

        time.advance(Duration.ofSeconds(5));
        assertEquals(2, server.calls(Api.EVENTS_BATCH), "nothing more for the same events");
        assertEquals(pulls + 2, server.calls(Api.EVENTS));
    }

    /**
     * Pins that a burst on an idle link is not a drain per event: 25 enqueues before the drain
     * starts and 25 more while its first batch is being uploaded make at most two drains (whether
     * the second half rides the first drain's next batch or the follow-up drain).
     */
    @Test
    void aBurstOnAnIdleLinkMakesAtMostTwoDrains() {
        start(NO_WEBSOCKET);
        assertEquals(ConnectionState.CONNECTED, service.state());
        int pulls = server.calls(Api.EVENTS);
        for (int i = 0; i < 25; i++) {
            queueBehindItsBack("burst " + i);
            service.enqueued();
        }
        server.duringNext(Api.EVENTS_BATCH, () -> {
            for (int i = 25; i < 50; i++) {
                queueBehindItsBack("burst " + i);
                service.enqueued();
            }
        });
        time.runDue();
        assertEquals(0, depth(), "all sent, with no virtual time passing");
        assertEquals(50, server.batchSizes().stream().mapToInt(Integer::intValue).sum(), () -> "batches " + server.batchSizes());
        assertEquals(25, server.batchSizes().get(0), "the first batch: what was queued when the drain started");
        int drains = server.calls(Api.EVENTS) - pulls;
        assertTrue(drains >= 1 && drains <= 2, "50 enqueues, " + drains + " drains");

        time.advance(Duration.ofSeconds(5));
        assertEquals(drains, server.calls(Api.EVENTS) - pulls, "no more drains afterwards");
    }

    /** Pins the auth re-check: every 2 s it looks at the credentials file only (no request), and a new login resumes at the next look. */
    @Test
    void whileAuthIsRequiredTheCredentialsAreLookedAtEveryTwoSecondsWithoutCallingTheServer() {
        server.answer(401, null);
        start(NO_WEBSOCKET);
        assertEquals(ConnectionState.AUTH_REQUIRED, service.state());
        assertEquals(1, server.calls(Api.TOKEN_REFRESH), "one refresh after the 401, refused too");
        int requests = server.total();

        time.advance(Duration.ofSeconds(10));
        assertEquals(ConnectionState.AUTH_REQUIRED, service.state());
        assertEquals(requests, server.total(), "an unchanged login is never sent again");
        assertEquals(Optional.empty(), service.nextRetryAt(), "no retry time to show: it waits for a login");

        server.answer(200, null);
        time.advance(Duration.ofMillis(500));
        login("access-2"); // at 10.5 s; the looks are at 12 s, 14 s, …
        time.advance(Duration.ofMillis(1_500).minus(MS));
        assertEquals(ConnectionState.AUTH_REQUIRED, service.state(), "not before the next look");
        assertEquals(requests, server.total());
        time.advance(MS);
        assertEquals(ConnectionState.CONNECTED, service.state(), "connected at the look after the login");
    }

    /** Pins the fallback: a server that refuses the WebSocket is synced on the poll timer, which also tries the WebSocket again. */
    @Test
    void whenTheServerRefusesTheWebSocketTheQueueDrainsOnThePollTimer() {
        network = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        start(new SyncService.Settings(true, POLL, Duration.ofSeconds(5), Duration.ofSeconds(12)));
        assertEquals(ConnectionState.CONNECTED, service.state(), () -> "connected over HTTP; " + service.lastError().orElse(""));
        assertFalse(service.live(), "without a live link");
        assertEquals(1, server.calls(Api.WEBSOCKET), "the upgrade was asked for, and refused");
        assertEquals(1, server.calls(Api.WS_TOKEN));

        queueBehindItsBack("polled");
        time.advance(POLL.minus(MS));
        assertEquals(1, depth(), "nothing tells the service; only the timer drains");
        assertEquals(List.of(), server.batchSizes());

        time.advance(MS);
        assertEquals(0, depth(), "drained at the poll interval");
        assertEquals(List.of(1), server.batchSizes());
        assertEquals(2, server.calls(Api.WEBSOCKET), "the WebSocket tried again on the same tick");
        assertEquals(ConnectionState.CONNECTED, service.state());
        // The refused link's close is not the session's: taken for it, the service went offline and
        // reconnected after each refusal, a sync more each time.
        assertEquals(2, server.calls(Api.EVENTS), "one pull at the connect, one at the poll: never offline in between");
    }

    /** Pins the poll timer with {@code sync.websocket = false}: it drains every interval and never asks for a WebSocket. */
    @Test
    void withTheWebSocketOffTheQueueDrainsOnThePollTimer() {
        start(NO_WEBSOCKET);
        assertEquals(ConnectionState.CONNECTED, service.state());
        for (int round = 1; round <= 3; round++) {
            queueBehindItsBack("round " + round);
            time.advance(POLL.minus(MS));
            assertEquals(1, depth(), "round " + round + ": not before the interval");
            time.advance(MS);
            assertEquals(0, depth(), "round " + round + ": drained at the interval");
        }
        assertEquals(List.of(1, 1, 1), server.batchSizes());
        assertEquals(0, server.calls(Api.WS_TOKEN) + server.calls(Api.WEBSOCKET));
        assertTrue(service.alive(Duration.ofSeconds(2)), "the heartbeat ran on the virtual timer");
    }
}
