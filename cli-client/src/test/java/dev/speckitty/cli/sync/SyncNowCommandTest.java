package dev.speckitty.cli.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.cli.ExitCodes;
import dev.speckitty.cli.testing.Cli;
import dev.speckitty.testing.FakeDaemon;
import dev.speckitty.cli.testing.Homes;
import dev.speckitty.protocol.control.ControlApi;
import dev.speckitty.protocol.control.DryRunReport;
import dev.speckitty.protocol.control.EventOutcome;
import dev.speckitty.protocol.control.SyncErrorKind;
import dev.speckitty.protocol.control.SyncSummary;
import dev.speckitty.protocol.control.SyncUpdate;
import dev.speckitty.protocol.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class SyncNowCommandTest {
    static final String URL = "https://sync.example.com";
    static final String ID1 = "01KAT0V6J8Q5R9S1T2V3W4X5Y6";
    static final String ID2 = "01KAT0V6J8Q5R9S1T2V3W4X5Y7";

    @TempDir
    Path home;
    Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(home);
        Homes.serverUrl(cli.home(), URL);
        Homes.loggedIn(cli.home(), URL);
    }

    static SyncSummary summary(long pushed, long batches, long pulled, List<EventOutcome> rejected) {
        return new SyncSummary(true, URL, pushed, 0, rejected.size(), pulled, batches, 0, rejected.size(), rejected, null, null, 12, "2026-11-25T10:00:00+00:00");
    }

    static SyncSummary failed(SyncErrorKind kind, String error) {
        return new SyncSummary(false, URL, 0, 0, 0, 0, 0, 0, 7, List.of(), error, kind, 3, null);
    }

    private FakeDaemon daemonStreaming(SyncUpdate... updates) throws Exception {
        List<String> lines = new ArrayList<>();
        for (SyncUpdate u : updates) {
            lines.add(Json.write(u) + "\n");
        }
        return new FakeDaemon(cli.home().socket()).on("POST", ControlApi.SYNC, r -> FakeDaemon.chunked(200, ControlApi.NDJSON, lines));
    }

    @Test
    void printsTheDocumentedLines() throws Exception {
        try (FakeDaemon d = daemonStreaming(SyncUpdate.progress("push", 6, 12), SyncUpdate.progress("push", 12, 12),
                SyncUpdate.summary(summary(12, 2, 5, List.of())))) {
            Cli.Result r = cli.run("sync", "now");
            assertEquals(ExitCodes.OK, r.exit(), r.toString());
            assertEquals("Syncing with " + URL + "...\nPushed 12 events (2 batches)\nPulled 5 new events\nSync complete\n", r.out());
            assertEquals("", r.err(), "no progress bar when not on a terminal");
            assertEquals("{\"verbose\":false,\"dry_run\":false}", d.requests().get(0).body());
        }
    }

    @Test
    void singularFormsForOne() throws Exception {
        try (FakeDaemon d = daemonStreaming(SyncUpdate.summary(summary(1, 1, 1, List.of())))) {
            Cli.Result r = cli.run("sync", "now");
            assertTrue(r.out().contains("Pushed 1 event (1 batch)\nPulled 1 new event\n"), r.toString());
        }
    }

    @Test
    void verboseAddsOneLinePerEventWithTheServerReason() throws Exception {
        EventOutcome ok = new EventOutcome(ID1, "WPStatusChanged", "WP01", EventOutcome.Status.SUCCESS, null);
        EventOutcome dup = new EventOutcome(ID2, "HistoryAdded", "WP01", EventOutcome.Status.DUPLICATE, "already stored");
        try (FakeDaemon d = daemonStreaming(SyncUpdate.event(ok), SyncUpdate.event(dup), SyncUpdate.summary(summary(1, 1, 0, List.of())))) {
            Cli.Result r = cli.run("sync", "now", "-v");
            assertEquals(ExitCodes.OK, r.exit(), r.toString());
            assertTrue(r.out().contains("  " + ID1 + "  WPStatusChanged  WP01  success\n"), r.out());
            assertTrue(r.out().contains("  " + ID2 + "  HistoryAdded  WP01  duplicate: already stored\n"), r.out());
            assertEquals("{\"verbose\":true,\"dry_run\":false}", d.requests().get(0).body());
            assertFalse(r.out().contains(Homes.ACCESS), "never a token");
        }
    }

    @Test
    void partialSyncListsRejectedEventsAndTheNextStepAndExitsZeroUnlessStrict() throws Exception {
        EventOutcome bad = new EventOutcome(ID2, "WPStatusChanged", "WP02", EventOutcome.Status.REJECTED, "payload.to_lane: unknown lane");
        SyncSummary s = summary(11, 1, 0, List.of(bad));
        try (FakeDaemon d = daemonStreaming(SyncUpdate.summary(s))) {
            Path report = home.resolve("report.json");
            Cli.Result r = cli.run("sync", "now", "--report", report.toString());
            assertEquals(ExitCodes.OK, r.exit(), r.toString());
            assertTrue(r.out().contains("Sync finished with 1 rejected event:\n  " + ID2 + "  WPStatusChanged  WP02  rejected: payload.to_lane: unknown lane\n"), r.out());
            assertTrue(r.out().contains("spec-kitty sync now --verbose"), r.out());
            assertFalse(r.out().contains("Sync complete"), r.out());
            SyncSummary written = Json.read(Files.readString(report), SyncSummary.class);
            assertEquals(List.of(bad), written.rejectedEvents());

            Cli.Result strict = cli.run("sync", "now", "--strict");
            assertEquals(ExitCodes.PARTIAL_SYNC, strict.exit(), strict.toString());
        }
    }

    @Test
    void jsonPrintsTheSummary() throws Exception {
        SyncSummary s = summary(3, 1, 2, List.of());
        try (FakeDaemon d = daemonStreaming(SyncUpdate.summary(s))) {
            Cli.Result r = cli.run("sync", "now", "--json");
            assertEquals(ExitCodes.OK, r.exit(), r.toString());
            assertEquals(s, Json.read(r.out(), SyncSummary.class));
        }
    }

    @Test
    void unreachableAndAuthFailuresHaveTheirExitCodesAndNextSteps() throws Exception {
        try (FakeDaemon d = daemonStreaming(SyncUpdate.summary(failed(SyncErrorKind.UNREACHABLE, "connection refused")))) {
            Cli.Result r = cli.run("sync", "now");
            assertEquals(ExitCodes.UNREACHABLE, r.exit(), r.toString());
            assertTrue(r.err().contains("cannot reach " + URL + " (connection refused)"), r.err());
            assertTrue(r.err().contains("spec-kitty sync status --check"), r.err());
            assertTrue(r.out().contains("7 events stay queued"), r.out());
        }
        try (FakeDaemon d = daemonStreaming(SyncUpdate.summary(failed(SyncErrorKind.AUTH_REQUIRED, "refresh token expired")))) {
            Cli.Result r = cli.run("sync", "now");
            assertEquals(ExitCodes.AUTH_REQUIRED, r.exit(), r.toString());
            assertTrue(r.err().contains("spec-kitty auth login"), r.err());
        }
        try (FakeDaemon d = daemonStreaming(SyncUpdate.summary(failed(SyncErrorKind.SERVER_ERROR, "HTTP 500")))) {
            Cli.Result r = cli.run("sync", "now");
            assertEquals(ExitCodes.FAILURE, r.exit(), r.toString());
            assertTrue(r.err().contains("spec-kitty auth status") && r.err().contains("--verbose"), r.err());
        }
    }

    @Test
    void aStreamWithoutSummaryIsAFailureThatSaysEventsStayQueued() throws Exception {
        try (FakeDaemon d = daemonStreaming(SyncUpdate.progress("push", 1, 10))) {
            Cli.Result r = cli.run("sync", "now");
            assertEquals(ExitCodes.FAILURE, r.exit(), r.toString());
            assertTrue(r.err().contains("without a summary") && r.err().contains("Events stay queued"), r.err());
        }
    }

    @Test
    void dryRunShowsCountsBatchesTypesAndPull() throws Exception {
        DryRunReport report = new DryRunReport(URL, 1200, 2, Map.of("WPStatusChanged", 1000L, "HistoryAdded", 200L), 1, 5);
        try (FakeDaemon d = new FakeDaemon(cli.home().socket()).json("POST", ControlApi.SYNC, 200, report)) {
            Cli.Result r = cli.run("sync", "now", "-n");
            assertEquals(ExitCodes.OK, r.exit(), r.toString());
            assertEquals("Would sync with " + URL + "...\n"
                    + "Dry run: nothing will be sent or changed\n"
                    + "Would push 1200 events (2 batches)\n"
                    + "  HistoryAdded     200\n"
                    + "  WPStatusChanged  1000\n"
                    + "1 parked event would not be pushed (see `spec-kitty sync status`)\n"
                    + "Would pull 5 new events\n", r.out());
            assertEquals("{\"verbose\":false,\"dry_run\":true}", d.requests().get(0).body());
            Cli.Result json = cli.run("sync", "now", "--dry-run", "--json");
            assertEquals(report, Json.read(json.out(), DryRunReport.class));
        }
    }

    @Test
    void missingServerUrlOrCredentialsSayWhatToRun() throws Exception {
        Cli other = new Cli(Files.createDirectory(home.resolve("empty")));
        Cli.Result noUrl = other.run("sync", "now");
        assertEquals(ExitCodes.FAILURE, noUrl.exit(), noUrl.toString());
        assertTrue(noUrl.err().contains("spec-kitty config set sync.server_url"), noUrl.err());

        Homes.serverUrl(other.home(), URL);
        Cli.Result noCreds = other.run("sync", "now");
        assertEquals(ExitCodes.AUTH_REQUIRED, noCreds.exit(), noCreds.toString());
        assertTrue(noCreds.err().contains("spec-kitty auth login"), noCreds.err());
    }

    @Test
    void aMalformedConfigNamesFileLineAndColumn() throws Exception {
        Files.writeString(cli.home().config(), "[sync]\nserver_url = \"https://x\n");
        Cli.Result r = cli.run("sync", "now");
        assertEquals(ExitCodes.FAILURE, r.exit(), r.toString());
        assertTrue(r.err().contains(cli.home().config() + ":2:"), r.err());
    }

    @Test
    void badFlagsAreUsageErrors() {
        Cli.Result r = cli.run("sync", "now", "--bogus");
        assertEquals(ExitCodes.USAGE, r.exit(), r.toString());
    }
}
