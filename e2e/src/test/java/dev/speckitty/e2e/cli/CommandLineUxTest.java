package dev.speckitty.e2e.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.e2e.support.SpecKitty;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a gh or kubectl user meets on the command line, through the real launcher with no server:
 * help and typos, exit codes, configuration checked on set, read-only commands that create no
 * files, input decoding, the service file, and one scan of every help page and a set of failures
 * for Java type names, stack frames, repeated phrases and broken words. (That the quickstart prints
 * no terminal escapes when piped is checked by {@code scripts/demo.sh}, which CI runs anyway.)
 */
@Timeout(300)
class CommandLineUxTest {
    /** Every command's path, for the help scan. */
    private static final List<String> COMMANDS = List.of("", "sync", "sync now", "sync status", "auth", "auth login", "auth logout",
            "auth status", "daemon", "daemon start", "daemon stop", "daemon restart", "daemon status", "daemon run", "daemon logs",
            "daemon install", "daemon uninstall", "events", "events emit", "events import", "events list", "config", "config get",
            "config set", "config unset", "config list", "version", "completion", "help");
    private static final Pattern JAVA_TYPE = Pattern.compile("\\b(?:java|javax|dev|picocli|org|io|com)\\.[a-z0-9_.]*[A-Z]\\w*");
    private static final Pattern FRAME = Pattern.compile("(?m)^\\s+at [\\w.$]+\\(|Caused by:|Exception in thread");
    private static final String WP = "{\"wp_id\":\"WP01\",\"from_lane\":\"planned\",\"to_lane\":\"in_progress\"}";

    @TempDir
    Path dir;

    private SpecKitty sk() {
        return new SpecKitty(dir.resolve("home"));
    }

    @Test
    void helpListsCommandsAtEveryDepthAndTyposGetSuggestions() throws Exception {
        Files.createDirectories(dir.resolve("home"));
        SpecKitty sk = sk();
        SpecKitty.Run bare = sk.run();
        assertEquals(0, bare.exit(), bare.toString());
        for (String command : List.of("sync", "auth", "daemon", "events", "config", "version", "completion", "help")) {
            assertTrue(bare.out().contains("\n  " + command + " "), command + " missing from\n" + bare.out());
        }
        assertTrue(bare.out().contains(sk.dist().resolve("docs/CLI.md").toString()), "help points to the shipped docs:\n" + bare.out());
        assertTrue(Files.isRegularFile(sk.dist().resolve("docs/CLI.md")), "the distribution ships docs/CLI.md");

        SpecKitty.Run nested = sk.run("help", "sync", "now");
        assertEquals(0, nested.exit(), nested.toString());
        assertTrue(nested.out().startsWith("Usage: spec-kitty sync now "), nested.out());
        SpecKitty.Run group = sk.run("sync");
        assertEquals(0, group.exit(), group.toString());
        assertTrue(group.out().contains("\n  now ") && group.out().contains("\n  status "), group.out());

        assertUsage(sk.run("snyc", "now"), "error: unknown command 'snyc' for `spec-kitty`\nDid you mean `spec-kitty sync now`?\n");
        assertUsage(sk.run("sync", "nwo"), "error: unknown command 'nwo' for `spec-kitty sync`\nDid you mean `spec-kitty sync now`?\n");
        SpecKitty.Run deamon = sk.run("deamon", "start");
        assertUsage(deamon, "Did you mean `spec-kitty daemon start`?\n");
        assertFalse(deamon.err().contains("config") || deamon.err().contains("completion"), deamon.err());
        assertUsage(sk.run("help", "snyc"), "Did you mean `spec-kitty sync`?");
        assertUsage(sk.run("sync", "now", "--verbos"), "error: unknown option '--verbos' for `spec-kitty sync now`\nDid you mean `--verbose`?");
        assertFalse(sk.run("snyc").err().contains("Unmatched argument"), "picocli's own wording is replaced");

        // The uninstall flags say what uninstall does.
        String uninstall = sk.run("daemon", "uninstall", "--help").out();
        assertTrue(uninstall.contains("Use a launchd agent") && !uninstall.contains("Install a"), uninstall);

        SpecKitty.Run version = sk.run("version");
        assertEquals(0, version.exit(), version.toString());
        assertTrue(version.out().startsWith("Client        0.1.0\nDaemon        not running"), version.out());
        assertTrue(sk.run("version", "--json").out().startsWith("{\"client\":\"0.1.0\",\"daemon\":null,\"server\":null"));
    }

    @Test
    void configIsCheckedOnSetWithTheRuleItIsReadWith() throws Exception {
        SpecKitty sk = sk();
        SpecKitty.Run port = sk.run("config", "set", "sync.server_url", "http://127.0.0.1:99999");
        assertEquals(2, port.exit(), port.toString());
        assertTrue(port.err().contains("port 99999 (expected: 1..65535); nothing was changed"), port.err());
        assertFalse(Files.exists(sk.home().resolve("config.toml")), "nothing was written");

        SpecKitty.Run statusCheck = sk.run("sync", "status", "--check");
        assertEquals(1, statusCheck.exit(), "nothing configured is not connected: " + statusCheck);

        SpecKitty.Run batch = sk.run("config", "get", "sync.batch_size");
        assertEquals(0, batch.exit(), batch.toString());
        assertEquals("1000\n", batch.out());
        assertEquals(1, sk.run("config", "get", "sync.server_url").exit(), "no value and no default");
        assertEquals(0, sk.run("config", "set", "sync.batch_size", "200").exit());
        SpecKitty.Run list = sk.run("config", "list");
        assertEquals(0, list.exit(), list.toString());
        assertTrue(list.out().startsWith("KEY "), list.out());
        assertTrue(list.out().matches("(?s).*\nsync\\.batch_size +200 +" + Pattern.quote(sk.home().resolve("config.toml").toString()) + "\n.*"), list.out());
        assertTrue(list.out().matches("(?s).*\nsync\\.websocket +true +default\n.*"), list.out());
        SpecKitty.Run unset = sk.run("config", "unset", "sync.batch_size");
        assertEquals(0, unset.exit(), unset.toString());
        assertTrue(unset.out().contains("the default 1000 applies"), unset.out());
        assertEquals("1000\n", sk.run("config", "get", "sync.batch_size").out());
        assertUsage(sk.run("config", "get", "sync.batchsize"), "did you mean sync.batch_size?");

        // A file written by hand with a value the reader refuses: the daemon cannot start, and says why without Java.
        Files.writeString(sk.home().resolve("config.toml"), "[sync]\nmax_queue_size = 0\n");
        SpecKitty.Run start = sk.run("daemon", "start");
        assertEquals(1, start.exit(), start.toString());
        assertTrue(start.err().contains("config.toml:2:") && start.err().contains("max_queue_size"), start.err());
        assertNoJava(start);
        // Recording does not depend on sync settings: emit still queues, with a warning.
        SpecKitty.Run emit = sk.run("events", "emit", "WPStatusChanged", "--aggregate-id", "WP01", "--payload", WP);
        assertEquals(0, emit.exit(), emit.toString());
        assertTrue(emit.err().contains("warning: ") && emit.err().contains("recording with the default settings"), emit.err());

        Files.writeString(sk.home().resolve("config.toml"), "");
        Files.writeString(sk.home().resolve("queue.db"), "this is not a database, only text in a file");
        SpecKitty.Run notDb = sk.run("daemon", "start");
        assertEquals(1, notDb.exit(), notDb.toString());
        assertNoJava(notDb);
    }

    /**
     * A queue.db cut short (a full disk, a copy interrupted) or overwritten with other bytes: every
     * command that needs it says which file, that it is damaged, and the way out (move it aside), in
     * plain words; once it is moved aside, recording works again.
     */
    @Test
    void aTruncatedOrGarbledQueueIsNamedWithTheWayOut() throws Exception {
        SpecKitty sk = sk();
        for (int i = 0; i < 20; i++) {
            assertEquals(0, sk.run("events", "emit", "WPStatusChanged", "--aggregate-id", "WP01", "--payload", WP).exit());
        }
        Path queue = sk.home().resolve("queue.db");
        byte[] good = Files.readAllBytes(queue);
        assertTrue(good.length > 8192, "a queue of several pages: " + good.length);
        byte[] garbage = new byte[good.length];
        new java.util.Random(7).nextBytes(garbage);
        Map<String, byte[]> damaged = Map.of("truncated", java.util.Arrays.copyOf(good, 4096 + 100), "garbled", garbage);
        for (Map.Entry<String, byte[]> d : damaged.entrySet()) {
            Files.write(queue, d.getValue());
            for (String suffix : new String[] {"-wal", "-shm"}) {
                Files.deleteIfExists(sk.home().resolve("queue.db" + suffix));
            }
            for (String[] args : List.of(
                    new String[] {"events", "emit", "WPStatusChanged", "--aggregate-id", "WP01", "--payload", WP},
                    new String[] {"sync", "status"}, new String[] {"events", "list"}, new String[] {"daemon", "start"})) {
                SpecKitty.Run r = sk.run(args);
                String what = d.getKey() + " queue.db, `" + String.join(" ", args) + "`: ";
                assertEquals(1, r.exit(), what + r);
                assertTrue(r.err().contains(queue.toString()) || r.err().contains("queue.db"), what + r.err());
                assertTrue(r.err().contains("move it aside"), what + r.err());
                assertNoJava(r);
            }
        }
        Files.move(queue, sk.home().resolve("queue.db.damaged"));
        SpecKitty.Run again = sk.run("events", "emit", "WPStatusChanged", "--aggregate-id", "WP01", "--payload", WP);
        assertEquals(0, again.exit(), again.toString());
    }

    @Test
    void readOnlyCommandsCreateNothingAndTheServiceFileIsPrintedExactly() throws Exception {
        Path home = dir.resolve("home");
        SpecKitty sk = sk();
        for (String[] args : List.of(new String[] {"events", "list"}, new String[] {"auth", "logout"}, new String[] {"sync", "status"},
                new String[] {"auth", "status"}, new String[] {"config", "list"}, new String[] {"daemon", "status"},
                new String[] {"version"})) {
            SpecKitty.Run r = sk.run(args);
            assertTrue(r.exit() == 0 || r.exit() == 4, String.join(" ", args) + ": " + r);
            assertFalse(Files.exists(home), String.join(" ", args) + " created " + home);
        }
        Files.createDirectories(home);
        assertEquals(0, sk.run("events", "list").exit());
        assertEquals(0, sk.run("auth", "logout").exit());
        try (Stream<Path> files = Files.list(home)) {
            assertEquals(List.of(), files.toList(), "events list and auth logout leave the home empty");
        }

        Path fakeHome = Files.createDirectories(dir.resolve("user-home"));
        SpecKitty.Run plist = sk.runWithInput("", Map.of("HOME", fakeHome.toString()), "daemon", "install", "--launchd", "--print");
        assertEquals(0, plist.exit(), plist.toString());
        assertTrue(plist.out().startsWith("<?xml version=\"1.0\""), "exactly the file:\n" + plist.out());
        assertTrue(plist.out().strip().endsWith("</plist>"), plist.out());
        assertEquals("Would write " + fakeHome.resolve("Library/LaunchAgents/dev.speckitty.sync.plist") + "\n", plist.err(),
                "the path goes to stderr, under $HOME");
        SpecKitty.Run unit = sk.runWithInput("", Map.of("HOME", fakeHome.toString(), "XDG_CONFIG_HOME", ""), "daemon", "install", "--systemd", "--print");
        assertTrue(unit.out().contains("Type=notify\n") && unit.out().contains("WatchdogSec="), unit.out());
        assertTrue(unit.err().contains(fakeHome.resolve(".config/systemd/user").toString()), unit.err());

        // --home instead of SPEC_KITTY_HOME, and `daemon logs -n` checked.
        Path other = dir.resolve("other");
        SpecKitty.Run set = sk.run("--home", other.toString(), "config", "set", "sync.websocket", "false");
        assertEquals(0, set.exit(), set.toString());
        assertTrue(Files.isRegularFile(other.resolve("config.toml")) && !Files.exists(home.resolve("config.toml")));
        assertEquals("false\n", sk.run("config", "get", "sync.websocket", "--home=" + other).out());
        assertUsage(sk.run("daemon", "logs", "-n", "-1"), "error: --lines: -1 (expected: 0..1000000)");
    }

    @Test
    void inputIsStrictUtf8WithItsPlaceNamedAndPayloadsCanComeFromFiles() throws Exception {
        SpecKitty sk = sk();
        Path dirOfFiles = Files.createDirectories(dir.resolve("files"));
        Path bom = dirOfFiles.resolve("bom.json");
        Files.write(bom, concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, WP.getBytes(StandardCharsets.UTF_8)));
        SpecKitty.Run fromFile = sk.run("events", "emit", "WPStatusChanged", "--aggregate-id", "WP01", "--payload", "@" + bom);
        assertEquals(0, fromFile.exit(), fromFile.toString());
        SpecKitty.Run fromStdin = sk.runWithInput(WP, "events", "emit", "WPStatusChanged", "--aggregate-id", "WP01", "--payload", "-");
        assertEquals(0, fromStdin.exit(), fromStdin.toString());

        Path latin1 = dirOfFiles.resolve("latin1.json");
        Files.write(latin1, "{\"wp_id\":\"WP01\",\"from_lane\":\"planned\",\"to_lane\":\"in_progress\",\"actor\":\"Jos\u00e9\"}"
                .getBytes(StandardCharsets.ISO_8859_1));
        assertUsage(sk.run("events", "emit", "WPStatusChanged", "--aggregate-id", "WP01", "--payload", "@" + latin1),
                "is not valid UTF-8; nothing was queued");

        Path ndjson = dirOfFiles.resolve("events.ndjson");
        String good = "{\"event_type\":\"WPStatusChanged\",\"aggregate_id\":\"WP01\",\"payload\":" + WP + "}\n";
        Files.write(ndjson, concat(concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, good.getBytes(StandardCharsets.UTF_8)),
                concat("{\"event_type\":\"WPStatusChanged\",\"aggregate_id\":\"WP0".getBytes(StandardCharsets.UTF_8),
                        new byte[] {(byte) 0xFF, '"', '}', '\n'})));
        SpecKitty.Run imported = sk.run("events", "import", ndjson.toString());
        assertEquals(1, imported.exit(), imported.toString());
        assertTrue(imported.err().contains("line 2: byte 52 is not valid UTF-8"), imported.err());
        assertFalse(imported.err().contains("line 1"), "a BOM on the first line is skipped: " + imported.err());

        // A damaged clock.json is named as the problem, not a field of the event.
        Path clockFile = sk.home().resolve("clock.json");
        String clockBefore = Files.readString(clockFile);
        Files.writeString(clockFile, "{\"value\": 5, \"node_id\": \"0123456789ab\\u0000\", \"updated_at\": \"x\"}");
        SpecKitty.Run clock = sk.run("events", "emit", "WPStatusChanged", "--aggregate-id", "WP01", "--payload", WP);
        assertEquals(1, clock.exit(), clock.toString());
        assertTrue(clock.err().contains(clockFile + " is damaged") && clock.err().contains("move it aside"), clock.err());
        assertFalse(clock.err().contains("\u0000"), "escaped: " + clock.err());
        Files.writeString(clockFile, clockBefore);

        // A byte that is not UTF-8, straight on the command line (the JVM would have replaced it): refused.
        ProcessBuilder rawCommand = new ProcessBuilder("sh", "-c", "\"$0\" events emit WPStatusChanged --aggregate-id WP01 --payload \"$(printf '"
                + "{\"wp_id\":\"WP01\",\"from_lane\":\"planned\",\"to_lane\":\"in_progress\",\"actor\":\"\\377\"}')\"",
                sk.dist().resolve("bin/spec-kitty").toString()).redirectErrorStream(true);
        rawCommand.environment().put("SPEC_KITTY_HOME", sk.home().toString());
        Process raw = rawCommand.start();
        raw.getOutputStream().close();
        String rawOut = new String(raw.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(raw.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(2, raw.exitValue(), rawOut);
        assertTrue(rawOut.contains("--payload holds bytes that are not valid UTF-8"), rawOut);

        // Nothing lands outside the home (sqlite-jdbc's native library ships in lib/native/: no cache under $HOME).
        Path fakeHome = Files.createDirectories(dir.resolve("user-home"));
        assertEquals(0, sk.runWithInput("", Map.of("HOME", fakeHome.toString(), "XDG_CACHE_HOME", ""), "events", "list").exit());
        try (Stream<Path> left = Files.list(fakeHome)) {
            assertEquals(List.of(), left.collect(java.util.stream.Collectors.toList()), "written under $HOME");
        }

        SpecKitty.Run list = sk.run("events", "list", "--limit", "1");
        assertEquals(0, list.exit(), list.toString());
        assertTrue(list.out().startsWith("LAMPORT  WHO  STATE   TYPE"), list.out());
        assertTrue(list.out().contains("  you  queued  WPStatusChanged  WP01  "), list.out());
        assertTrue(list.err().startsWith("Showing the newest 1 of "), list.err());
        assertTrue(sk.run("events", "list", "--since", "1h").out().contains("queued"));
        assertEquals("No events match\n", sk.run("events", "list", "--since", "2999-01-01T00:00:00Z").out());
        assertUsage(sk.run("events", "list", "--since", "yesterday"), "--since: 'yesterday' (expected: a duration");
    }

    @Test
    void eventsListFollowPrintsNewEventsAsTheyAreStored() throws Exception {
        SpecKitty sk = sk();
        Files.createDirectories(sk.home());
        assertEquals(0, sk.run("events", "emit", "WPStatusChanged", "--aggregate-id", "WP01", "--payload", WP).exit());
        ProcessBuilder pb = new ProcessBuilder(sk.dist().resolve("bin/spec-kitty").toString(), "events", "list", "--follow")
                .redirectErrorStream(true);
        pb.environment().put("SPEC_KITTY_HOME", sk.home().toString());
        Process follow = pb.start();
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(follow.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = in.readLine()) != null; ) {
                    lines.add(l);
                }
            } catch (java.io.IOException e) {
                // stopped
            }
        }, "follow-output");
        reader.setDaemon(true);
        reader.start();
        try {
            dev.speckitty.testing.Await.until(java.time.Duration.ofSeconds(60), "the listing", () -> lines.size() >= 2);
            SpecKitty.Run emit = sk.run("events", "emit", "HistoryAdded", "--aggregate-id", "WP02",
                    "--payload", "{\"wp_id\":\"WP02\",\"entry_type\":\"note\",\"entry_content\":\"followed\"}");
            assertEquals(0, emit.exit(), emit.toString());
            String id = emit.out().split(" ")[2];
            dev.speckitty.testing.Await.until(java.time.Duration.ofSeconds(30), "the new event",
                    () -> lines.stream().anyMatch(l -> l.contains(id) && l.contains("HistoryAdded") && l.contains("queued")));
            assertTrue(follow.isAlive(), "--follow keeps running");
        } finally {
            follow.destroy();
            follow.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void helpPagesAndFailuresHaveNoJavaNoRepeatsAndNoBrokenWords() throws Exception {
        SpecKitty sk = sk();
        List<SpecKitty.Run> outputs = new ArrayList<>();
        for (String command : COMMANDS) {
            List<String> args = new ArrayList<>(command.isEmpty() ? List.of() : List.of(command.split(" ")));
            args.add("--help");
            SpecKitty.Run help = sk.run(args.toArray(new String[0]));
            assertEquals(0, help.exit(), command + " --help: " + help);
            assertTrue(help.out().startsWith("Usage: spec-kitty"), help.out());
            outputs.add(help);
        }
        Files.createDirectories(sk.home());
        Files.writeString(sk.home().resolve("queue.db"), "garbage");
        for (String[] failure : List.of(new String[] {"snyc"}, new String[] {"sync", "now"}, new String[] {"events", "list"},
                new String[] {"events", "import", "/nonexistent/file.ndjson"}, new String[] {"events", "emit", "Nope", "--aggregate-id", "x", "--payload", "{}"},
                new String[] {"config", "set", "sync.batch_size", "0"}, new String[] {"daemon", "logs"}, new String[] {"sync", "status", "--check"},
                new String[] {"events", "emit", "WPStatusChanged", "--aggregate-id", "WP01"}, new String[] {"--home"})) {
            SpecKitty.Run r = sk.run(failure);
            assertTrue(r.exit() != 0, String.join(" ", failure) + " should fail: " + r);
            outputs.add(r);
        }
        for (SpecKitty.Run r : outputs) {
            assertNoJava(r);
            for (String text : List.of(r.out(), r.err())) {
                assertNoRepeatedPhrase(text);
                assertNoBrokenWord(text);
            }
        }
    }

    @Test
    void theServerCommandLineExplainsItself() throws Exception {
        SpecKitty sk = sk();
        SpecKitty.Run bare = server(sk);
        assertEquals(0, bare.exit(), bare.toString());
        assertTrue(bare.out().contains("\n  run ") && bare.out().contains("\n  user "), bare.out());
        SpecKitty.Run add = server(sk, "user", "add", "--help");
        assertTrue(add.out().matches("(?s).*--username=NAME +The name the user logs in with\\..*"), add.out());

        Path data = dir.resolve("data");
        SpecKitty.Run ttl = server(sk, "run", "--data", data.toString(), "--access-ttl", "15m", "--refresh-ttl", "1m");
        assertEquals(2, ttl.exit(), ttl.toString());
        assertTrue(ttl.err().contains("--access-ttl: 15m, --refresh-ttl: 1m (expected: 0 < access <= refresh)"), ttl.err());
        SpecKitty.Run badTtl = server(sk, "run", "--data", data.toString(), "--access-ttl", "soon");
        assertEquals(2, badTtl.exit(), badTtl.toString());
        assertTrue(badTtl.err().contains("'soon' (expected: a duration such as 90s, 15m, 1h or 7d"), badTtl.err());
        SpecKitty.Run proc = server(sk, "run", "--data", "/proc/nope");
        assertEquals(1, proc.exit(), proc.toString());
        assertTrue(proc.err().contains("cannot create the data directory /proc/nope: ") && proc.err().contains("pass --data with a directory"),
                proc.err());
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            String listen = "127.0.0.1:" + taken.getLocalPort();
            SpecKitty.Run bind = server(sk, "run", "--data", data.toString(), "--listen", listen);
            assertEquals(1, bind.exit(), bind.toString());
            assertTrue(bind.err().contains("cannot listen on " + listen + ": the address is already in use"), bind.err());
            assertNoJava(bind);
        }
        for (SpecKitty.Run r : List.of(bare, add, ttl, badTtl, proc)) {
            assertNoJava(r);
        }
    }

    /** {@code bin/spec-kitty-server ARGS}, bounded in time. */
    private static SpecKitty.Run server(SpecKitty sk, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(sk.dist().resolve("bin/spec-kitty-server").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        java.util.concurrent.CompletableFuture<String> err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return e.toString();
            }
        }, r -> new Thread(r, "server-stderr").start());
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "spec-kitty-server " + String.join(" ", args) + " finished");
        return new SpecKitty.Run(p.exitValue(), out, err.get(10, java.util.concurrent.TimeUnit.SECONDS));
    }

    @Test
    void statusWatchRedrawsOnATerminal() {
        Assumptions.assumeTrue(SpecKitty.terminalAvailable(), "util-linux script is not installed");
        SpecKitty sk = sk();
        SpecKitty.Run watch = sk.onTerminal(Map.of(), 5, "sync", "status", "--watch");
        assertTrue(watch.exit() == 0 || watch.exit() == 124 || watch.exit() == 130, watch.toString());
        int draws = watch.out().split("Spec Kitty Sync Status", -1).length - 1;
        assertTrue(draws >= 2, "redrawn at least twice in 5 s:\n" + watch.out());
        assertTrue(watch.out().contains("\u001b[H\u001b[2J"), "redrawn in place on a terminal");
    }

    private static void assertUsage(SpecKitty.Run r, String expected) {
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains(expected), "expected «" + expected + "» in\n" + r.err());
    }

    private static void assertNoJava(SpecKitty.Run r) {
        for (String text : List.of(r.out(), r.err())) {
            Matcher type = JAVA_TYPE.matcher(text);
            assertFalse(type.find(), "Java type " + (type.find(0) ? type.group() : "") + " in\n" + text);
            assertFalse(FRAME.matcher(text).find(), "stack frame in\n" + text);
        }
    }

    /** The same run of five or more words twice in one message ("cannot reach X (cannot reach X …"). */
    private static void assertNoRepeatedPhrase(String text) {
        for (String line : text.split("\n")) {
            String[] words = line.toLowerCase().replaceAll("[^a-z0-9 ]", " ").trim().split(" +");
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int i = 0; i + 5 <= words.length; i++) {
                String phrase = String.join(" ", java.util.Arrays.copyOfRange(words, i, i + 5));
                assertTrue(seen.add(phrase), "repeated «" + phrase + "» in: " + line);
            }
        }
    }

    /** A word split over two lines: a line ending in "x." or a letter, the next starting with a lower-case fragment glued to it. */
    private static void assertNoBrokenWord(String text) {
        String[] lines = text.split("\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            String end = lines[i];
            String next = lines[i + 1].stripLeading();
            boolean glued = end.matches(".*[a-z]\\.") && next.matches("(db|toml|json|lock|md|sock|log|out)\\b.*");
            boolean midWord = end.matches(".*[A-Za-z]-") || end.matches(".*[{\"]") ;
            assertFalse(glued || midWord, "broken word between\n" + end + "\n" + lines[i + 1]);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
