package dev.speckitty.cli.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.cli.ExitCodes;
import dev.speckitty.cli.testing.Cli;
import dev.speckitty.cli.testing.FakeTeamServer;
import dev.speckitty.cli.testing.Homes;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.local.Credentials;
import dev.speckitty.protocol.local.CredentialsStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class AuthCommandsTest {
    @TempDir
    Path home;

    private static FakeTeamServer tokenServer() throws Exception {
        return new FakeTeamServer().on("/api/v1/token/", req -> req.body().contains("\"password\":\"s3cret pw\"")
                ? new FakeTeamServer.Answer(200, "{\"access\":\"AAA-token\",\"refresh\":\"RRR-token\",\"access_lifetime\":900,"
                        + "\"refresh_lifetime\":604800,\"team_slug\":\"team-a\"}")
                : new FakeTeamServer.Answer(401, "{\"error\":\"invalid credentials\"}"));
    }

    @Test
    void loginWithPasswordStdinStoresTheTokensPrivatelyAndNeverPrintsThem() throws Exception {
        Cli cli = new Cli(home);
        try (FakeTeamServer server = tokenServer()) {
            Homes.serverUrl(cli.home(), server.url().toString());
            Cli.Result r = cli.runWithInput("s3cret pw\n", "auth", "login", "--username", "ada", "--password-stdin");
            assertEquals(ExitCodes.OK, r.exit(), r.toString());
            assertEquals("Logged in as ada (team team-a) on " + server.url() + "\n", r.out());
            assertEquals("{\"username\":\"ada\",\"password\":\"s3cret pw\"}", server.requests().get(0).body());

            Credentials c = CredentialsStore.of(cli.home()).read().orElseThrow();
            assertEquals("AAA-token", c.accessToken());
            assertEquals("RRR-token", c.refreshToken());
            assertEquals(Cli.NOW.plusSeconds(900), c.accessExpiresAt());
            assertEquals(Cli.NOW.plusSeconds(604800), c.refreshExpiresAt());
            assertEquals("team-a", c.teamSlug());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cli.home().credentials())));

            Cli.Result status = cli.run("auth", "status");
            assertEquals(ExitCodes.OK, status.exit(), status.toString());
            assertTrue(status.out().contains("User          ada\nTeam          team-a\nServer        " + server.url() + "\n"), status.out());
            assertTrue(status.out().contains("Access        valid for 15m (2026-11-25T10:15:00+00:00)"), status.out());
            assertTrue(status.out().contains("Refresh       valid for 7d"), status.out());
            for (Cli.Result any : new Cli.Result[] {r, status, cli.run("auth", "status", "--json")}) {
                assertFalse((any.out() + any.err()).contains("AAA-token") || (any.out() + any.err()).contains("s3cret"), any.toString());
            }
            JsonNode json = Json.tree(cli.run("auth", "status", "--json").out());
            assertEquals("valid", json.at("/state").asText());
            assertEquals("ada", json.at("/user").asText());
        }
    }

    @Test
    void aRefusedLoginIsAuthRequiredAndKeepsNoCredentials() throws Exception {
        Cli cli = new Cli(home);
        try (FakeTeamServer server = tokenServer()) {
            Homes.serverUrl(cli.home(), server.url().toString());
            Cli.Result r = cli.runWithInput("wrong\n", "auth", "login", "--username", "ada", "--password-stdin");
            assertEquals(ExitCodes.AUTH_REQUIRED, r.exit(), r.toString());
            assertTrue(r.err().contains("wrong username or password (invalid credentials)"), r.err());
            assertFalse(r.err().contains("wrong\n"), "the password is not echoed");
            assertFalse(Files.exists(cli.home().credentials()));
        }
    }

    @Test
    void serverOptionSetsTheUrlAndUnreachableServerExitsThree() throws Exception {
        Cli cli = new Cli(home);
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Cli.Result r = cli.runWithInput("pw\n", "auth", "login", "--server", "http://127.0.0.1:" + port, "-u", "ada", "--password-stdin");
        assertEquals(ExitCodes.UNREACHABLE, r.exit(), r.toString());
        assertTrue(r.err().contains("cannot reach http://127.0.0.1:" + port + " (connection refused)"), r.err());
        assertEquals("http://127.0.0.1:" + port, cli.run("config", "get", "sync.server_url").out().strip());
    }

    @Test
    void loginNeedsAServerUrlAndAWayToReadThePassword() throws Exception {
        Cli cli = new Cli(home);
        Cli.Result noUrl = cli.runWithInput("pw\n", "auth", "login", "-u", "ada", "--password-stdin");
        assertEquals(ExitCodes.FAILURE, noUrl.exit(), noUrl.toString());
        assertTrue(noUrl.err().contains("spec-kitty config set sync.server_url"), noUrl.err());

        Homes.serverUrl(cli.home(), "https://sync.example.com");
        Cli.Result noTerminal = cli.run("auth", "login", "-u", "ada");
        assertEquals(ExitCodes.USAGE, noTerminal.exit(), noTerminal.toString());
        assertTrue(noTerminal.err().contains("--password-stdin"), noTerminal.err());

        Cli.Result noUser = cli.runWithInput("pw\n", "auth", "login", "--password-stdin");
        assertEquals(ExitCodes.USAGE, noUser.exit(), noUser.toString());
        assertTrue(noUser.err().contains("--username"), noUser.err());

        Cli.Result badUrl = cli.run("auth", "login", "--server", "http://sync.example.com", "-u", "ada", "--password-stdin");
        assertEquals(ExitCodes.USAGE, badUrl.exit(), badUrl.toString());
        assertTrue(badUrl.err().contains("use https://"), badUrl.err());
    }

    @Test
    void statusWhenLoggedOutOrExpiredExitsFourAndLogoutRemovesTheFile() {
        Cli cli = new Cli(home);
        Cli.Result out = cli.run("auth", "status");
        assertEquals(ExitCodes.AUTH_REQUIRED, out.exit());
        assertTrue(out.out().contains("Not logged in") && out.out().contains("spec-kitty auth login"), out.out());
        assertEquals("logged_out", Json.tree(cli.run("auth", "status", "--json").out()).at("/state").asText());

        Homes.loggedIn(cli.home(), "https://sync.example.com", Cli.NOW.minusSeconds(60), Cli.NOW.plusSeconds(3600));
        Cli.Result accessExpired = cli.run("auth", "status");
        assertEquals(ExitCodes.OK, accessExpired.exit(), accessExpired.toString());
        assertTrue(accessExpired.out().contains("Access        expired 1m ago"), accessExpired.out());

        Homes.loggedIn(cli.home(), "https://sync.example.com", Cli.NOW.minusSeconds(7200), Cli.NOW.minusSeconds(3600));
        Cli.Result expired = cli.run("auth", "status");
        assertEquals(ExitCodes.AUTH_REQUIRED, expired.exit(), expired.toString());
        assertTrue(expired.out().contains("Session       Expired: run `spec-kitty auth login`"), expired.out());

        Cli.Result logout = cli.run("auth", "logout");
        assertEquals(ExitCodes.OK, logout.exit());
        assertEquals("Logged out (removed " + cli.home().credentials() + ")\n", logout.out());
        assertFalse(Files.exists(cli.home().credentials()));
        assertEquals("Not logged in; nothing to remove\n", cli.run("auth", "logout").out());
    }
}
