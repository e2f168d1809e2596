package dev.speckitty.cli;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The process entry point of {@code bin/spec-kitty}. Kept apart from {@link Main} because the Java
 * launcher reflects over the main class's methods, which would load picocli even for the command
 * lines that never need it (see {@link LeanCommandLine}).
 */
public final class Launcher {
    private static final String SELECTOR_PROVIDER = "java.nio.channels.spi.SelectorProvider";
    private static final String LOGGING_CONFIG = "java.util.logging.config.class";

    private Launcher() {
    }

    public static void main(String[] args) throws IOException {
        String training = System.getProperty(CdsTraining.PROPERTY);
        if (training != null) {
            CdsTraining.run(Path.of(training));
            return;
        }
        if (System.getProperty(LOGGING_CONFIG) == null) {
            // The in-process engine logs through System.Logger; the command reports through its own
            // output, so those lines stay off the terminal (read only if the engine logs at all).
            System.setProperty(LOGGING_CONFIG, QuietLogging.class.getName());
        }
        if (System.getProperty(SELECTOR_PROVIDER) == null && "Linux".equals(System.getProperty("os.name"))) {
            // Without it the first SocketChannel looks for a provider service in every jar on the
            // class path; this is the JDK's own default on Linux.
            System.setProperty(SELECTOR_PROVIDER, "sun.nio.ch.EPollSelectorProvider");
        }
        System.exit(Main.execute(CliContext.system(), args));
    }
}
