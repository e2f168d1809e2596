package dev.speckitty.e2e.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.e2e.support.SpecKitty;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module graph as the installed distribution runs it: the CLI starts from
 * {@code lib/cli-client-*.jar} alone, whose manifest names protocol, engine and their libraries but
 * no Netty and no logging framework; the daemon starts from {@code lib/daemon-*.jar}, which adds them.
 */
class DistributionClasspathTest {
    private static final Pattern DAEMON_ONLY = Pattern.compile("netty|logback|slf4j");
    static final String WP = "{\"wp_id\":\"WP01\",\"from_lane\":\"planned\",\"to_lane\":\"in_progress\"}";

    @TempDir
    Path dir;

    private static List<String> manifestClassPath(Path lib, String module) throws IOException {
        Path jar;
        try (Stream<Path> files = Files.list(lib)) {
            jar = files.filter(p -> p.getFileName().toString().matches(Pattern.quote(module) + "-[0-9].*\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + module + " jar in " + lib));
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            String classPath = file.getManifest().getMainAttributes().getValue("Class-Path");
            assertTrue(classPath != null && !classPath.isBlank(), jar + " has no Class-Path in its manifest");
            List<String> entries = Arrays.asList(classPath.trim().split("\\s+"));
            for (String entry : entries) {
                assertTrue(Files.isRegularFile(lib.resolve(entry)), jar.getFileName() + " names " + entry + ", which lib/ does not hold");
            }
            return entries;
        }
    }

    @Test
    void theCliClassPathHoldsNoNettyAndNoLoggingFramework() throws IOException {
        Path lib = new SpecKitty(dir.resolve("home")).dist().resolve("lib");
        List<String> cli = manifestClassPath(lib, "cli-client");
        List<String> leaked = cli.stream().filter(e -> DAEMON_ONLY.matcher(e).find()).collect(Collectors.toList());
        assertEquals(List.of(), leaked, "the CLI's class path: " + cli);
        assertTrue(cli.stream().anyMatch(e -> e.startsWith("engine-")), "the CLI runs the engine in-process: " + cli);
        assertTrue(cli.stream().anyMatch(e -> e.startsWith("protocol-")), cli.toString());
        assertFalse(cli.stream().anyMatch(e -> e.startsWith("daemon-")), "the CLI does not need the daemon module: " + cli);

        List<String> daemon = manifestClassPath(lib, "daemon");
        assertTrue(daemon.stream().anyMatch(e -> e.startsWith("engine-")), daemon.toString());
        assertTrue(daemon.stream().anyMatch(e -> e.startsWith("netty-transport-")), daemon.toString());
        assertTrue(daemon.stream().anyMatch(e -> e.startsWith("logback-classic-")), daemon.toString());
        assertFalse(daemon.stream().anyMatch(e -> e.startsWith("cli-client-")), daemon.toString());
    }

    @Test
    void aCommandThatRunsTheEngineInProcessLoadsNoNettyOrLoggingClass() throws IOException {
        SpecKitty sk = new SpecKitty(dir.resolve("home"));
        Path classes = dir.resolve("classes.log");
        // No daemon runs: emit records through the in-process engine (queue.db, clock.json, SQLite).
        SpecKitty.Run emit = sk.runWithInput("", Map.of("SPEC_KITTY_JAVA_OPTS", "-Xlog:class+load=info:file=" + classes),
                "events", "emit", "WPStatusChanged", "--aggregate-id", "WP01", "--payload", WP);
        assertEquals(0, emit.exit(), emit.toString());
        String loaded = Files.readString(classes);
        assertTrue(loaded.contains("dev.speckitty.engine."), "the engine ran in this process");
        assertTrue(loaded.contains("org.sqlite."), "SQLite ran in this process");
        List<String> foreign = loaded.lines().filter(l -> l.contains(" io.netty.") || l.contains(" ch.qos.") || l.contains(" org.slf4j."))
                .limit(5).collect(Collectors.toList());
        assertEquals(List.of(), foreign, "classes the CLI must not load");
    }

    @Test
    void versionLoadsEveryClassFromTheClassDataArchive() throws IOException {
        SpecKitty sk = new SpecKitty(dir.resolve("home"));
        Assumptions.assumeTrue(Files.isRegularFile(sk.dist().resolve("lib/cli.jsa")), "a distribution without the CLI's archive");
        Path classes = dir.resolve("version-classes.log");
        SpecKitty.Run version = sk.runWithInput("", Map.of("SPEC_KITTY_JAVA_OPTS", "-Xlog:class+load=info:file=" + classes), "--version");
        assertEquals(0, version.exit(), version.toString());
        // A class from outside the archive opens its jar (tens of classes and milliseconds more).
        List<String> outside = Files.readString(classes).lines().filter(l -> !l.contains("source: shared objects file"))
                .limit(5).collect(Collectors.toList());
        assertEquals(List.of(), outside, "classes --version loaded from outside lib/cli.jsa");
    }

    /**
     * The platform directory the package step unpacks sqlite-jdbc's library into, named as the JDK's
     * release file names this runtime ({@code OS_NAME-OS_ARCH}); empty on a platform none is shipped for.
     */
    private static java.util.Optional<Path> shippedLibrary(Path dist) {
        String os = System.getProperty("os.name").startsWith("Mac") ? "Darwin" : System.getProperty("os.name");
        String arch = System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch");
        String name = os.equals("Darwin") ? "libsqlitejdbc.dylib" : "libsqlitejdbc.so";
        Path lib = dist.resolve("lib/native/" + os + "-" + arch + "/" + name);
        return Files.isRegularFile(lib) ? java.util.Optional.of(lib) : java.util.Optional.empty();
    }

    @Test
    void theDistributionShipsSqlitesLibraryAndTheLaunchersPointTheDriverAtIt() throws IOException {
        SpecKitty sk = new SpecKitty(dir.resolve("home"));
        Path dist = sk.dist();
        for (String platform : List.of("Linux-x86_64/libsqlitejdbc.so", "Linux-aarch64/libsqlitejdbc.so",
                "Darwin-x86_64/libsqlitejdbc.dylib", "Darwin-aarch64/libsqlitejdbc.dylib")) {
            Path lib = dist.resolve("lib/native/" + platform);
            assertTrue(Files.size(lib) > 100_000, lib + " unpacked from the sqlite-jdbc jar");
        }
        Path lib = shippedLibrary(dist).orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(lib != null, "no library shipped for this platform");
        // No temp directory to extract to: the command works only if the driver loads the shipped file.
        Path log = dir.resolve("cli-library.log");
        SpecKitty.Run emit = sk.runWithInput("", Map.of("SPEC_KITTY_JAVA_OPTS", "-Djava.io.tmpdir=" + dir.resolve("no-such-dir")
                + " -Xlog:library=info:file=" + log), "events", "emit", "WPStatusChanged", "--aggregate-id", "WP01", "--payload", WP);
        assertEquals(0, emit.exit(), emit.toString());
        assertTrue(Files.readString(log).contains("Loaded library " + lib + ","), "the CLI loaded " + lib);

        Path daemonLog = dir.resolve("daemon-library.log");
        assertEquals(0, sk.run("config", "set", "sync.server_url", "http://127.0.0.1:9").exit());
        SpecKitty.Run start = sk.runWithInput("", Map.of("SPEC_KITTY_DAEMON_OPTS", "-Xlog:library=info:file=" + daemonLog), "daemon", "start");
        try {
            assertEquals(0, start.exit(), start.toString());
        } finally {
            sk.run("daemon", "stop");
        }
        assertTrue(Files.readString(daemonLog).contains("Loaded library " + lib + ","), "the daemon loaded " + lib);
    }

    /** The CDS training run (with its fake daemon) is built and run at package time, never shipped. */
    @Test
    void theCliJarHoldsNoBuildTimeCode() throws IOException {
        Path lib = new SpecKitty(dir.resolve("home")).dist().resolve("lib");
        List<Path> jars;
        try (Stream<Path> files = Files.list(lib)) {
            jars = files.filter(p -> p.getFileName().toString().matches("cli-client-[0-9].*\\.jar")).collect(Collectors.toList());
        }
        assertEquals(1, jars.size(), "one CLI jar in " + lib + ": " + jars);
        try (JarFile file = new JarFile(jars.get(0).toFile())) {
            List<String> classes = file.stream().map(java.util.jar.JarEntry::getName).filter(n -> n.endsWith(".class"))
                    .collect(Collectors.toList());
            assertTrue(classes.contains("dev/speckitty/cli/Launcher.class"), "the CLI's own classes: " + classes.size());
            List<String> buildOnly = classes.stream().filter(n -> n.contains("CdsTraining") || n.contains("SqliteNativeCache"))
                    .collect(Collectors.toList());
            assertEquals(List.of(), buildOnly, jars.get(0).getFileName() + " ships the CDS training run or the native-library cache");
        }
    }
}
