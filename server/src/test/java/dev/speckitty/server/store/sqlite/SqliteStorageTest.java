package dev.speckitty.server.store.sqlite;

import dev.speckitty.protocol.testing.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.speckitty.protocol.event.Event;
import dev.speckitty.protocol.wire.EventResult;
import dev.speckitty.protocol.wire.PullPage;
import dev.speckitty.protocol.wire.ResultStatus;
import dev.speckitty.testing.TestEvents;
import dev.speckitty.server.store.SequencedEvent;
import dev.speckitty.server.store.Principal;
import dev.speckitty.server.store.TokenInfo;
import dev.speckitty.server.store.TokenKind;
import dev.speckitty.server.store.TokenPair;
import dev.speckitty.server.store.User;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SqliteStorageTest {
    @TempDir
    Path dir;

    @Test
    void ingestAssignsDenseSequencesAndIsIdempotentWithinAndAcrossBatches() {
        List<SequencedEvent> announced = new CopyOnWriteArrayList<>();
        try (SqliteStorage s = SqliteStorage.open(dir, Clock.systemUTC(), (team, evs) -> announced.addAll(evs), 2)) {
            List<JsonNode> batch = new ArrayList<>(TestEvents.fresh("team-a", 3));
            batch.add(batch.get(0));
            List<EventResult> r = s.events().ingest("team-a", batch);
            assertEquals(List.of(ResultStatus.SUCCESS, ResultStatus.SUCCESS, ResultStatus.SUCCESS, ResultStatus.DUPLICATE),
                    r.stream().map(EventResult::status).toList());
            List<JsonNode> second = new ArrayList<>(TestEvents.fresh("team-a", 1));
            second.add(0, batch.get(1));
            r = s.events().ingest("team-a", second);
            assertEquals(ResultStatus.DUPLICATE, r.get(0).status());
            assertEquals(ResultStatus.SUCCESS, r.get(1).status());
            assertEquals(4, s.events().latest("team-a"));
            assertEquals(List.of(1L, 2L, 3L, 4L), announced.stream().map(SequencedEvent::sequence).toList());

            PullPage page = s.events().pull("team-a", 0, 3);
            assertEquals(3, page.events().size());
            assertEquals("3", page.nextCursor());
            assertTrue(page.hasMore());
            page = s.events().pull("team-a", 3, 3);
            assertEquals(1, page.events().size());
            assertFalse(page.hasMore());
            assertEquals(second.get(1).get("event_id").asText(), page.events().get(0).eventId());
            page = s.events().pull("team-a", 4, 3);
            assertEquals("4", page.nextCursor());
            assertEquals(0, s.events().latest("team-b"));
        }
    }

    @Test
    void rejectsInvalidEventsAndEventsOfAnotherTeamWithoutConsumingSequences() {
        try (SqliteStorage s = SqliteStorage.open(dir)) {
            ObjectNode bad = TestEvents.fresh("team-a");
            ((ObjectNode) bad.get("payload")).put("to_lane", "nowhere");
            ObjectNode other = TestEvents.fresh("team-b");
            List<EventResult> r = s.events().ingest("team-a", List.of(bad, other, TestEvents.fresh("team-a")));
            assertEquals(ResultStatus.REJECTED, r.get(0).status());
            assertTrue(r.get(0).errorMessage().contains("payload.to_lane"), r.get(0).errorMessage());
            assertEquals(bad.get("event_id").asText(), r.get(0).eventId());
            assertEquals("team_slug 'team-b' (expected: 'team-a', the team of your token)", r.get(1).errorMessage());
            assertEquals(ResultStatus.SUCCESS, r.get(2).status());
            assertEquals(1, s.events().latest("team-a"));
        }
    }

    @Test
    void teamsHaveTheirOwnSequencesAndEventIds() {
        try (SqliteStorage s = SqliteStorage.open(dir)) {
            s.events().ingest("team-a", TestEvents.fresh("team-a", 2));
            s.events().ingest("team-b", TestEvents.fresh("team-b", 1));
            assertEquals(2, s.events().latest("team-a"));
            assertEquals(1, s.events().latest("team-b"));
            List<Event> b = s.events().pull("team-b", 0, 10).events();
            assertEquals(1, b.size());
            assertEquals("team-b", b.get(0).teamSlug());
        }
    }

    @Test
    void usersHashPasswordsAndSurviveReopening() throws Exception {
        try (SqliteStorage s = SqliteStorage.open(dir)) {
            s.users().add("ada", "team-a", "correct horse");
            assertThrows(IllegalArgumentException.class, () -> s.users().add("ada", "team-b", "x"));
            assertThrows(IllegalArgumentException.class, () -> s.users().add("bob", "Team A", "x"));
            assertTrue(s.users().authenticate("ada", "correct horse").isPresent());
            assertTrue(s.users().authenticate("ada", "wrong").isEmpty());
            assertTrue(s.users().authenticate("nobody", "x").isEmpty());
        }
        try (SqliteStorage s = SqliteStorage.open(dir)) {
            assertEquals(List.of("ada"), s.users().list().stream().map(User::username).toList());
            assertEquals("team-a", s.users().authenticate("ada", "correct horse").orElseThrow().team());
            assertTrue(s.users().remove("ada"));
            assertFalse(s.users().remove("ada"));
            assertTrue(s.users().list().isEmpty());
        }
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("server.db"));
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT version FROM schema_version")) {
            assertTrue(rs.next());
            assertEquals(SqliteStorage.schemaVersion(), rs.getInt(1));
        }
    }

    @Test
    void tokensAreHashedExpireAndAreSingleUseWhenConsumed() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
        try (SqliteStorage s = SqliteStorage.open(dir, clock, (t, e) -> { }, 2)) {
            s.users().add("ada", "team-a", "pw");
            TokenPair login = s.tokens().login("ada", Duration.ofMinutes(5), Duration.ofDays(7));
            String access = login.access();
            TokenInfo info = s.tokens().find(access).orElseThrow();
            Principal ada = new Principal(info.user().orElseThrow(), info.family());
            String ws = s.tokens().issueWs(ada, Duration.ofSeconds(60));
            assertEquals(43, access.length());
            assertEquals(TokenKind.ACCESS, info.kind());
            assertEquals(info.family(), s.tokens().find(login.refresh()).orElseThrow().family(), "one login, one family");
            assertTrue(s.tokens().find("nope").isEmpty());
            assertTrue(s.tokens().consume(ws, TokenKind.ACCESS).isEmpty());
            assertEquals("ada", s.tokens().consume(ws, TokenKind.WS).orElseThrow().user().username());
            assertTrue(s.tokens().consume(ws, TokenKind.WS).isEmpty());
            String ws2 = s.tokens().issueWs(ada, Duration.ofSeconds(60));
            clock.advance(Duration.ofSeconds(61));
            assertTrue(s.tokens().consume(ws2, TokenKind.WS).isEmpty());
            assertEquals(java.util.Set.of(info.family()), s.tokens().liveFamilies(List.of(info.family(), "unknown")));
            s.users().remove("ada");
            assertTrue(s.tokens().find(access).orElseThrow().user().isEmpty());
            assertTrue(s.tokens().liveFamilies(List.of(info.family())).isEmpty(), "a removed account's logins are dead");
            s.users().add("ada", "team-a", "pw");
            assertTrue(s.tokens().find(access).orElseThrow().user().isEmpty(), "a re-created account must not revive old tokens");
            assertTrue(s.tokens().liveFamilies(List.of(info.family())).isEmpty(), "nor its logins");
        }
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("server.db"));
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT token_hash FROM tokens")) {
            while (rs.next()) {
                assertEquals(64, rs.getString(1).length());
            }
        }
    }

    @Test
    void tokensIssuedBeforeTokenFamiliesStillWorkAfterTheMigration() throws Exception {
        java.nio.file.Files.createDirectories(dir);
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("server.db"));
                Statement st = c.createStatement()) {
            st.execute(dev.speckitty.server.store.SchemaMigrations.CREATE_VERSION_TABLE);
            for (String sql : SqliteSchema.MIGRATIONS.get(0)) {
                st.execute(sql);
            }
            st.execute("INSERT INTO schema_version(version) VALUES (1)");
            st.execute("INSERT INTO users(username, team, salt, password_hash, iterations, created_at) VALUES ('ada', 'team-a', x'00', x'00', 1, 0)");
            long far = Instant.now().plus(Duration.ofDays(1)).toEpochMilli();
            st.execute("INSERT INTO tokens(token_hash, kind, user_id, expires_at, revoked, created_at) VALUES ('"
                    + dev.speckitty.server.store.Tokens.hash("legacy-refresh") + "', 'refresh', 1, " + far + ", 0, 0)");
        }
        try (SqliteStorage s = SqliteStorage.open(dir)) {
            var renewed = (dev.speckitty.server.store.Refresh.Renewed) s.tokens().refresh("legacy-refresh", Duration.ofMinutes(5),
                    Duration.ofDays(7));
            assertEquals("ada", renewed.user().username());
            assertEquals(TokenKind.ACCESS, s.tokens().find(renewed.tokens().access()).orElseThrow().kind());
        }
    }
}
