package dev.speckitty.e2e.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/** Prints a result line and appends it to {@code target/reliability-summary.txt}, where the docs' figures come from. */
final class Summary {
    private Summary() {
    }

    static void print(String test, String line) {
        String full = "[" + Profile.current().name() + "] " + test + ": " + line;
        System.out.println(full);
        try {
            Files.writeString(Path.of("target", "reliability-summary.txt"), Instant.now() + " " + full + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.out.println("(cannot append to target/reliability-summary.txt: " + e.getMessage() + ")");
        }
    }
}
