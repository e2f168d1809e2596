package dev.speckitty.cli.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.cli.CliContext;
import dev.speckitty.cli.CliException;
import dev.speckitty.cli.ExitCodes;
import dev.speckitty.cli.testing.Cli;
import dev.speckitty.cli.testing.FakeTeamServer;
import dev.speckitty.cli.testing.Homes;
import dev.speckitty.protocol.local.SpecKittyHome;
import dev.speckitty.protocol.testing.MutableClock;
import dev.speckitty.protocol.wire.OAuthTokens;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The device flow's polling against a scripted server on a real port; time is a clock the sleeper moves, so nothing waits. */
@Timeout(30)
class DeviceLoginTest {
    @TempDir
    Path home;

    private static final String DEVICE = "{\"device_code\":\"DC\",\"user_code\":\"BCDF-GHJK\",\"verification_uri\":\"http://x/device\","
            + "\"verification_uri_complete\":\"http://x/device?user_code=BCDF-GHJK\",\"expires_in\":60,\"interval\":1}";
    private static final String TOKENS = "{\"access_token\":\"A\",\"token_type\":\"Bearer\",\"expires_in\":900,\"refresh_token\":\"R\","
            + "\"refresh_token_expires_in\":604800,\"session_id\":\"s\"}";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    /** A clock that moves only when the login sleeps. */
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final List<Instant> polls = new CopyOnWriteArrayList<>();

    private DeviceLogin login(FakeTeamServer server) {
        CliContext ctx = new CliContext(SpecKittyHome.at(home), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]),
                Optional.empty(), Optional.empty(), home, clock);
        return new DeviceLogin(new OAuthHttp(server.url(), Duration.ofSeconds(5)), ctx, clock::advance);
    }

    private FakeTeamServer scripted(String... answers) throws Exception {
        AtomicInteger n = new AtomicInteger();
        return new FakeTeamServer().on("/oauth/device", req -> new FakeTeamServer.Answer(200, DEVICE)).on("/oauth/token", req -> {
            polls.add(clock.instant());
            String a = answers[Math.min(n.getAndIncrement(), answers.length - 1)];
            return a.startsWith("{\"access_token\"") ? new FakeTeamServer.Answer(200, a) : new FakeTeamServer.Answer(400, a);
        });
    }

    @Test
    void slowDownMakesTheLoginPollLessOftenFromThenOn() throws Exception {
        try (FakeTeamServer server = scripted("{\"error\":\"authorization_pending\"}", "{\"error\":\"slow_down\"}",
                "{\"error\":\"authorization_pending\"}", TOKENS)) {
            OAuthTokens t = login(server).run().orElseThrow();
            assertEquals("A", t.accessToken());
        }
        assertEquals(4, polls.size());
        assertEquals(Duration.ofSeconds(1), Duration.between(polls.get(0), polls.get(1)));
        assertEquals(Duration.ofSeconds(6), Duration.between(polls.get(1), polls.get(2)), "slow_down adds 5 s");
        assertEquals(Duration.ofSeconds(6), Duration.between(polls.get(2), polls.get(3)), "and it stays");
        String said = out.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("http://x/device?user_code=BCDF-GHJK") && said.contains("BCDF-GHJK"), said);
        assertTrue(said.contains("poll less often: every 6 s"), said);
    }

    @Test
    void aLoginNeverApprovedEndsAtTheCodesLifetime() throws Exception {
        try (FakeTeamServer server = scripted("{\"error\":\"authorization_pending\"}")) {
            CliException e = org.junit.jupiter.api.Assertions.assertThrows(CliException.class, () -> login(server).run());
            assertEquals(ExitCodes.AUTH_REQUIRED, e.exitCode());
            assertTrue(e.getMessage().contains("expired before it was approved (it lived 1 min)"), e.getMessage());
        }
        assertTrue(Duration.between(clock.instant().minusSeconds(60), Instant.parse("2026-12-01T10:00:00Z")).isZero(), "stopped at the deadline");
    }

    @Test
    void aServerWithoutOAuthFallsBackToThePasswordLogin() throws Exception {
        Cli cli = new Cli(home);
        try (FakeTeamServer server = new FakeTeamServer().on("/api/v1/token/", req -> new FakeTeamServer.Answer(401, "{}"))) {
            Homes.serverUrl(cli.home(), server.url().toString());
            Cli.Result r = cli.run("auth", "login", "--headless");
            assertEquals(ExitCodes.USAGE, r.exit(), r.toString());
            assertTrue(r.out().contains("offers no OAuth login; logging in with username and password"), r.out());
            assertTrue(r.err().contains("pass --username U"), r.err());
        }
    }
}
