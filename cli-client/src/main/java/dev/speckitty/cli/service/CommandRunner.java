package dev.speckitty.cli.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs a service-manager command; answers the problem, or empty when it succeeded. */
@FunctionalInterface
public interface CommandRunner {
    Optional<String> run(List<String> command);

    /** Runs commands as real processes, each bounded to 30 seconds. */
    static CommandRunner processes() {
        return command -> {
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
                p.getOutputStream().close();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return Optional.of("timed out after 30 s");
                }
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                return p.exitValue() == 0 ? Optional.empty() : Optional.of("exit " + p.exitValue() + (out.isEmpty() ? "" : " (" + out.lines().findFirst().orElse("") + ")"));
            } catch (IOException e) {
                return Optional.of(e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of("interrupted");
            }
        };
    }
}
