package dev.speckitty.cli;

import dev.speckitty.cli.local.SqliteNativeCache;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The process entry point of {@code bin/spec-kitty}. Kept apart from {@link Main} because the Java
 * launcher reflects over the main class's methods, which would load picocli even for the command
 * lines that never need it (see {@link LeanCommandLine}).
 */
public final class Launcher {
    private static final String SELECTOR_PROVIDER = "java.nio.channels.spi.SelectorProvider";

    private Launcher() {
    }

    public static void main(String[] args) throws IOException {
        String training = System.getProperty(CdsTraining.PROPERTY);
        if (training != null) {
            CdsTraining.run(Path.of(training));
            return;
        }
        boolean daemon = args.length >= 2 && args[0].equals("daemon") && args[1].equals("run");
        if (!daemon && System.getProperty("slf4j.provider") == null) {
            // The in-process engine reports through the command's own output; its log lines would only
            // clutter the terminal, and initialising logback costs start-up time.
            System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
            System.setProperty("slf4j.internal.verbosity", "WARN");
        }
        if (!daemon && System.getProperty(SELECTOR_PROVIDER) == null && "Linux".equals(System.getProperty("os.name"))) {
            // Without it the first SocketChannel looks for a provider service in every jar on the
            // class path (~30 ms with ours); this is the JDK's own default on Linux.
            System.setProperty(SELECTOR_PROVIDER, "sun.nio.ch.EPollSelectorProvider");
        }
        if (!daemon) {
            // Load sqlite-jdbc's native library from a per-user cache instead of extracting it anew.
            Optional<Path> nativeCache = SqliteNativeCache.defaultRoot();
            if (nativeCache.isPresent()) {
                SqliteNativeCache.use(nativeCache.get());
            }
        }
        System.exit(Main.execute(CliContext.system(), args));
    }
}
