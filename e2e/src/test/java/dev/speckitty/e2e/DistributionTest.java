package dev.speckitty.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.protocol.Version;
import dev.speckitty.protocol.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistributionTest {
    @Test
    void launchersPrintVersionAndHelp() throws Exception {
        Path dist = Distribution.root();
        for (String launcher : new String[] {"spec-kitty", "spec-kitty-server"}) {
            Result version = run(dist.resolve("bin").resolve(launcher), "--version");
            assertEquals(0, version.exit, version.out);
            assertEquals(launcher + " " + Version.current(), version.out.strip());
            Result help = run(dist.resolve("bin").resolve(launcher), "--help");
            assertEquals(0, help.exit, help.out);
            assertTrue(help.out.contains("Usage: " + launcher), help.out);
        }
    }

    /** The release tarball, unpacked into an empty directory far from the source tree, runs the whole quickstart. */
    @Test
    void theTarballInstallsAnywhereAndRunsTheQuickstart(@TempDir Path dir) throws Exception {
        Path tarball = Distribution.root().resolveSibling("spec-kitty-" + Version.current() + ".tar.gz");
        assertTrue(Files.isRegularFile(tarball), "no release tarball at " + tarball);
        Process untar = new ProcessBuilder("tar", "xzf", tarball.toString(), "-C", dir.toString()).inheritIO().start();
        assertTrue(untar.waitFor(60, TimeUnit.SECONDS) && untar.exitValue() == 0, "tar failed");
        Path installed = dir.resolve("spec-kitty-" + Version.current());

        Result version = run(installed.resolve("bin/spec-kitty"), "--version");
        assertEquals("spec-kitty " + Version.current(), version.out.strip());
        Result quickstart = run(installed.resolve("bin/spec-kitty-quickstart"));
        assertEquals(0, quickstart.exit, quickstart.out);
        assertTrue(quickstart.out.contains("Queue         4 events"), "events queued while offline:\n" + quickstart.out);
        assertTrue(quickstart.out.contains("Queue drained with no command issued.") && quickstart.out.contains("Demo complete."),
                quickstart.out);
    }

    /** The launchers work through symlinks, as the Debian package's /usr/bin ones, relative or absolute. */
    @Test
    void launchersRunThroughSymlinks(@TempDir Path dir) throws Exception {
        Path bin = Distribution.root().resolve("bin");
        for (String launcher : new String[] {"spec-kitty", "spec-kitty-server"}) {
            Path absolute = Files.createSymbolicLink(dir.resolve(launcher), bin.resolve(launcher));
            Path relative = Files.createSymbolicLink(dir.resolve("rel-" + launcher), dir.relativize(bin.resolve(launcher)));
            Path chained = Files.createSymbolicLink(dir.resolve("chain-" + launcher), absolute.getFileName());
            for (Path link : new Path[] {absolute, relative, chained}) {
                Result version = run(link, "--version");
                assertEquals(0, version.exit, link + ": " + version.out);
                assertEquals(launcher + " " + Version.current(), version.out.strip(), link.toString());
            }
        }
    }

    /**
     * A copy of the built directory elsewhere (its class-data archive then records other paths) runs
     * as the original does: nothing from the JVM in a command's output, nothing on stderr.
     */
    @Test
    void aCopiedInstallPrintsOnlyTheCommandsOutput(@TempDir Path dir) throws Exception {
        Path dist = Distribution.root();
        Assumptions.assumeTrue(Files.isRegularFile(dist.resolve("lib/cli.jsa")), "no class-data archive was built");
        Path copy = dir.resolve("copy");
        for (String folder : new String[] {"bin", "lib"}) {
            Files.createDirectories(copy.resolve(folder));
            try (Stream<Path> files = Files.list(dist.resolve(folder))) {
                for (Path file : files.toList()) {
                    Files.copy(file, copy.resolve(folder).resolve(file.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        Path home = Files.createDirectories(dir.resolve("home"));
        ProcessBuilder status = new ProcessBuilder(copy.resolve("bin/spec-kitty").toString(), "sync", "status", "--json")
                .redirectError(dir.resolve("err").toFile()).redirectOutput(dir.resolve("out").toFile());
        status.environment().put("SPEC_KITTY_HOME", home.toString());
        Process p = status.start();
        p.getOutputStream().close();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals("", Files.readString(dir.resolve("err")));
        assertEquals("not_configured", Json.tree(Files.readString(dir.resolve("out"))).path("connection").asText(),
                Files.readString(dir.resolve("out")));
        for (String launcher : new String[] {"spec-kitty", "spec-kitty-server"}) {
            Result version = run(copy.resolve("bin").resolve(launcher), "--version");
            assertEquals(launcher + " " + Version.current() + "\n", version.out);
        }
    }

    /** The Debian package, where dpkg-deb exists, puts the launchers on PATH and ships what the launcher points sqlite-jdbc at. */
    @Test
    void theDebianPackageLinksTheLaunchers() throws Exception {
        Path deb = Distribution.root().resolveSibling("spec-kitty_" + Version.current() + "_all.deb");
        Assumptions.assumeTrue(Files.isRegularFile(deb), "no Debian package was built (dpkg-deb not available)");
        Result contents = run(Path.of("dpkg-deb"), "-c", deb.toString());
        for (String launcher : new String[] {"spec-kitty", "spec-kitty-server", "spec-kitty-quickstart"}) {
            assertTrue(contents.out.contains("./usr/bin/" + launcher + " -> /opt/spec-kitty/bin/" + launcher), contents.out);
        }
        assertTrue(contents.out.contains("./opt/spec-kitty/lib/"), contents.out);
        assertTrue(contents.out.contains("./opt/spec-kitty/lib/native/Linux-x86_64/libsqlitejdbc.so"), "sqlite-jdbc's library, unpacked: " + contents.out);
    }

    private record Result(int exit, String out) {
    }

    private static Result run(Path launcher, String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = launcher.toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        java.util.concurrent.CompletableFuture<String> out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        if (!p.waitFor(240, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(launcher + " did not finish within 240 s");
        }
        try {
            return new Result(p.exitValue(), out.get(30, TimeUnit.SECONDS));
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException(e);
        }
    }
}
