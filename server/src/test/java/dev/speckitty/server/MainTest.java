package dev.speckitty.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.testing.TestEvents;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MainTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result run(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    /** {@code args} with the store options of {@code dir} (--data or --db) inserted after the first {@code at} words. */
    private String[] with(int at, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(at, TestStore.cliArgs(dir));
        return all.toArray(String[]::new);
    }

    @Test
    void userAddListRemove() {
        if (!TestStore.postgres()) {
            Result none = run("", "user", "list", "--data", dir.resolve("typo").toString());
            assertEquals(1, none.code());
            assertTrue(none.err().contains("no server database"), none.err());
            assertFalse(Files.exists(dir.resolve("typo")));
        }
        Result add = run("s3cret\n", with(2, "user", "add", "--username", "ada", "--team", "team-a", "--password-stdin"));
        assertEquals(0, add.code(), add.err());
        assertEquals("added user ada (team team-a)\n", add.out());
        assertFalse(add.out().contains("s3cret") || add.err().contains("s3cret"));
        Result again = run("x\n", with(2, "user", "add", "--username", "ada", "--team", "team-a", "--password-stdin"));
        assertEquals(1, again.code());
        assertTrue(again.err().contains("already exists"), again.err());
        assertEquals(2, run("", with(2, "user", "add", "--username", "bob", "--team", "team-a", "--password-stdin")).code());
        assertEquals(2, run("pw\n", with(2, "user", "add", "--username", "bob", "--team", "team-a")).code());

        Result list = run("", with(2, "user", "list", "--json"));
        assertEquals(0, list.code());
        JsonNode users = Json.tree(list.out());
        assertEquals(1, users.size());
        assertEquals("ada", users.get(0).get("username").asText());
        assertEquals("team-a", users.get(0).get("team").asText());
        assertTrue(run("", with(2, "user", "list")).out().contains("ada"));

        Result revoked = run("", with(2, "user", "revoke", "--username", "ada"));
        assertEquals(0, revoked.code(), revoked.err());
        assertTrue(revoked.out().startsWith("revoked the tokens of user ada"), revoked.out());
        assertEquals(1, run("", with(2, "user", "revoke", "--username", "nobody")).code());
        assertEquals(0, run("", with(2, "user", "remove", "--username", "ada")).code());
        Result gone = run("", with(2, "user", "remove", "--username", "ada"));
        assertEquals(1, gone.code());
        assertTrue(gone.err().contains("no user 'ada'"));
        assertEquals("[]", run("", with(2, "user", "list", "--json")).out().trim());
    }

    @Test
    void runRefusesPlainHttpOnANonLoopbackAddress() {
        Result r = run("", "run", "--listen", "0.0.0.0:0", "--data", dir.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--allow-insecure-non-loopback"), r.err());
        assertEquals(2, run("", "run", "--listen", "nonsense", "--data", dir.toString()).code());
        assertEquals(2, run("", "run", "--listen", "127.0.0.1:0", "--data", dir.toString(), "--tls-cert", "x").code());
        Result cap = run("", "run", "--listen", "127.0.0.1:0", "--data", dir.toString(), "--max-connections-per-address", "0");
        assertEquals(2, cap.code());
        assertTrue(cap.err().contains("--max-connections-per-address: 0 (expected: >= 1)"), cap.err());
    }

    private static String readLog(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    @Test
    void runPrintsOneListeningLineServesAndStopsOnSigterm() throws Exception {
        Result add = run("pw\n", with(2, "user", "add", "--username", "ada", "--team", "team-a", "--password-stdin"));
        assertEquals(0, add.code());
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "run", "--listen", "127.0.0.1:0"));
        command.addAll(TestStore.cliArgs(dir));
        Process p = new ProcessBuilder(command)
                .redirectError(dir.resolve("server.log").toFile()).start();
        try {
            java.util.concurrent.LinkedBlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l = out.readLine(); l != null; l = out.readLine()) {
                        lines.add(l);
                    }
                } catch (java.io.IOException e) {
                    // stream closed when the process is gone
                }
            }, "server-stdout");
            reader.setDaemon(true);
            reader.start();
            String line = lines.poll(30, TimeUnit.SECONDS);
            assertTrue(line != null && line.matches("listening on http://127\\.0\\.0\\.1:\\d+"),
                    () -> line + "; alive " + p.isAlive() + "; server log:\n" + readLog(dir.resolve("server.log")));
            ApiClient client = new ApiClient(URI.create(line.substring("listening on ".length())));
            String access = client.login("ada", "pw").access();
            assertEquals(200, client.batchRaw(access, TestEvents.fresh("team-a", 2)).statusCode());

            p.destroy(); // SIGTERM
            long t0 = System.nanoTime();
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "server did not stop on SIGTERM");
            String log = Files.readString(dir.resolve("server.log"));
            System.err.println("stopped in " + (System.nanoTime() - t0) / 1_000_000 + " ms; server log:\n" + log);
            reader.join(5000);
            assertTrue(lines.isEmpty(), "stdout carries exactly one line: " + lines);
            assertTrue(log.contains("POST /api/v1/events/batch/ 200"), log);
            assertTrue(log.contains("stopped"), log);
            assertFalse(log.contains(access), "no token in the log");
        } finally {
            p.destroyForcibly();
        }
    }
}
