package dev.speckitty.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.protocol.Version;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

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

    private record Result(int exit, String out) {
    }

    private static Result run(Path launcher, String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = launcher.toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "launcher did not finish: " + launcher);
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
