package dev.speckitty.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the unpacked distribution that {@code mvn package} leaves in {@code packaging/target/spec-kitty}. */
final class Distribution {
    private Distribution() {
    }

    static Path root() {
        Path dist = Path.of(System.getProperty("spec-kitty.dist", "../packaging/target/spec-kitty")).toAbsolutePath().normalize();
        assertTrue(Files.isExecutable(dist.resolve("bin/spec-kitty")),
                "no distribution at " + dist + "; build it first with `mvn -B -DskipTests package`");
        return dist;
    }
}
