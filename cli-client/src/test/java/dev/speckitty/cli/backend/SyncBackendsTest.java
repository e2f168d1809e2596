package dev.speckitty.cli.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.cli.CliContext;
import dev.speckitty.cli.CliException;
import dev.speckitty.cli.ExitCodes;
import dev.speckitty.cli.control.ControlClient;
import dev.speckitty.cli.control.PeerCheck;
import dev.speckitty.cli.control.VersionCheck;
import dev.speckitty.testing.FakeDaemon;
import dev.speckitty.protocol.Version;
import dev.speckitty.protocol.control.ControlApi;
import dev.speckitty.protocol.control.EnqueueRequest;
import dev.speckitty.protocol.control.SyncRequest;
import dev.speckitty.protocol.control.SyncUpdate;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.local.SpecKittyHome;
import dev.speckitty.protocol.wire.ErrorResponse;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The choice between the daemon and this process, over a real Unix socket and a real queue.db. */
class SyncBackendsTest {
    private static final String DRAFT = "{\"event_type\":\"WPStatusChanged\",\"aggregate_id\":\"WP01\","
            + "\"payload\":{\"wp_id\":\"WP01\",\"from_lane\":\"planned\",\"to_lane\":\"in_progress\"}}";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private CliContext ctx() {
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        return new CliContext(SpecKittyHome.at(dir), e, e, InputStream.nullInputStream(), Optional.empty(), Optional.empty(), dir,
                Clock.systemUTC());
    }

    private SyncBackend backend(CliContext ctx, Runnable whenInProcess) {
        PrintStream e = ctx.err();
        return SyncBackends.forCommand(ctx, new ControlClient(ctx.home().socket(), Duration.ofSeconds(5), VersionCheck.current(e), new PeerCheck(e)),
                whenInProcess);
    }

    private static EnqueueRequest oneDraft(Path cwd) {
        return new EnqueueRequest(List.of(Json.tree(DRAFT)), cwd.toString());
    }

    @Test
    void withNoDaemonEveryCallRunsHereAndTheCommandIsToldOnce() {
        CliContext ctx = ctx();
        AtomicInteger told = new AtomicInteger();
        try (SyncBackend backend = backend(ctx, told::incrementAndGet)) {
            SyncBackend.Enqueued queued = backend.enqueue(oneDraft(dir), ExitCodes.USAGE);
            assertFalse(queued.throughDaemon());
            assertEquals(1, queued.response().queueDepth());
            assertEquals(List.of(), backend.parked());
            SyncBackend.Status status = backend.status();
            assertTrue(status.daemon().isEmpty());
            assertEquals(1, status.queue().depth(), "read back from queue.db");
        }
        assertEquals(1, told.get());
        assertTrue(Files.exists(ctx.home().queueDb()));
    }

    @Test
    void aBusyDaemonsEventsGoToQueueDbWithTheWarning() throws Exception {
        CliContext ctx = ctx();
        try (FakeDaemon daemon = new FakeDaemon(ctx.home().socket())
                .json("POST", ControlApi.EVENTS, 503, ErrorResponse.of("busy: 64 control connections open"));
             SyncBackend backend = backend(ctx, null)) {
            SyncBackend.Enqueued queued = backend.enqueue(oneDraft(dir), ExitCodes.USAGE);
            assertFalse(queued.throughDaemon());
            assertEquals(1, queued.response().queueDepth());
            assertEquals(1, daemon.requests().size());
        }
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("warning: the daemon could not take the events (busy: 64 control"
                + " connections open); queuing them in " + ctx.home().queueDb() + ", which it sends from"), err.toString());
    }

    @Test
    void aDaemonThatAnswersStatusBadlyIsReportedAndTheFilesAreShown() throws Exception {
        CliContext ctx = ctx();
        AtomicInteger told = new AtomicInteger();
        try (FakeDaemon daemon = new FakeDaemon(ctx.home().socket()).json("GET", ControlApi.STATUS, 500, ErrorResponse.of("boom"));
             SyncBackend backend = backend(ctx, told::incrementAndGet)) {
            SyncBackend.Status status = backend.status();
            assertTrue(status.daemon().isEmpty());
            assertEquals(0, status.queue().depth());
        }
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(
                "warning: the daemon answered HTTP 500 to /v1/status (boom); showing the local files instead"), err.toString());
        assertFalse(Files.exists(ctx.home().queueDb()), "a status creates no queue.db");
    }

    @Test
    void anAnsweringDaemonIsUsedAndNothingIsOpenedHere() throws Exception {
        CliContext ctx = ctx();
        AtomicInteger told = new AtomicInteger();
        try (FakeDaemon daemon = new FakeDaemon(ctx.home().socket())
                .json("POST", ControlApi.EVENTS, 200, Json.tree("{\"accepted\":1,\"event_ids\":[\"01KAT0V6J8Q5R9S1T2V3W4X5Y6\"],\"queue_depth\":7}"));
             SyncBackend backend = backend(ctx, told::incrementAndGet)) {
            SyncBackend.Enqueued queued = backend.enqueue(oneDraft(dir), ExitCodes.USAGE);
            assertTrue(queued.throughDaemon());
            assertEquals(7, queued.response().queueDepth());
            assertTrue(daemon.requests().get(0).body().contains("\"aggregate_id\":\"WP01\""), daemon.requests().toString());
        }
        assertEquals(0, told.get());
        assertFalse(Files.exists(ctx.home().queueDb()));
    }

    @Test
    void aSyncStreamWithoutASummaryAndARefusedSyncAreFailuresWithTheirExitCodes() throws Exception {
        CliContext ctx = ctx();
        List<SyncUpdate> seen = new ArrayList<>();
        try (FakeDaemon daemon = new FakeDaemon(ctx.home().socket()).on("POST", ControlApi.SYNC, r -> FakeDaemon.chunked(200,
                ControlApi.NDJSON, List.of("{\"type\":\"progress\",\"phase\":\"push\",\"done\":1,\"total\":2}\n")));
             SyncBackend backend = backend(ctx, null)) {
            CliException cut = assertThrows(CliException.class, () -> backend.sync(new SyncRequest(false, false), seen::add));
            assertEquals(ExitCodes.FAILURE, cut.exitCode());
            assertTrue(cut.getMessage().contains("the sync stream ended without a summary"), cut.getMessage());
            assertEquals(1, seen.size(), "the progress line went to the printer first");
        }
        try (FakeDaemon daemon = new FakeDaemon(ctx.home().socket()).json("POST", ControlApi.SYNC, 401, ErrorResponse.of("not logged in"));
             SyncBackend backend = backend(ctx, null)) {
            CliException refused = assertThrows(CliException.class, () -> backend.sync(new SyncRequest(false, false), seen::add));
            assertEquals(ExitCodes.AUTH_REQUIRED, refused.exitCode());
            assertEquals("the daemon refused the sync (HTTP 401): not logged in; see `spec-kitty daemon logs`", refused.getMessage());
        }
    }

    @Test
    void theDaemonsErrorStatusIsKeptForTheCallerThatTellsItApart() throws Exception {
        CliContext ctx = ctx();
        try (FakeDaemon daemon = new FakeDaemon(ctx.home().socket()).json("POST", ControlApi.SHUTDOWN, 409, ErrorResponse.of("draining"))) {
            DaemonClient client = new DaemonClient(new ControlClient(ctx.home().socket(), Duration.ofSeconds(5),
                    new VersionCheck(Version.current(), ctx.err()), new PeerCheck(ctx.err())));
            dev.speckitty.cli.control.ControlApiException e = assertThrows(dev.speckitty.cli.control.ControlApiException.class, client::shutdown);
            assertEquals(409, e.httpStatus().getAsInt());
            assertEquals("draining", e.refusal());
            assertTrue(client.statusIfAnswering().isEmpty(), "no status route: an error answer, so none");
        }
    }
}
