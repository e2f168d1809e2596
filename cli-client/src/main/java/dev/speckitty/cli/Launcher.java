package dev.speckitty.cli;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * The process entry point of {@code bin/spec-kitty}. Kept apart from {@link Main} because the Java
 * launcher reflects over the main class's methods, which would load picocli even for the command
 * lines that never need it (see {@link LeanCommandLine}).
 */
public final class Launcher {
    private static final String SELECTOR_PROVIDER = "java.nio.channels.spi.SelectorProvider";
    private static final String LOGGING_CONFIG = "java.util.logging.config.class";
    /** {@link QuietLogging}, by name. */
    private static final String QUIET_LOGGING = "dev.speckitty.cli.QuietLogging";

    /**
     * System property: turns a launcher run into the training run of the CLI's class-data-sharing
     * archive (packaging's build); its value is a scratch directory.
     */
    static final String CDS_TRAINING = "spec-kitty.cds-training";
    /** System property: the directory holding the training run's classes, which this jar does not ship. */
    static final String CDS_TRAINING_CLASSES = "spec-kitty.cds-training.classes";

    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty(LOGGING_CONFIG) == null) {
            // The in-process engine logs through System.Logger; the command reports through its own
            // output, so those lines stay off the terminal (read only if the engine logs at all).
            // By name: naming the class would load it (from the jar, past the class-data archive) on every start.
            System.setProperty(LOGGING_CONFIG, QUIET_LOGGING);
        }
        if (System.getProperty(SELECTOR_PROVIDER) == null && "Linux".equals(System.getProperty("os.name"))) {
            // Without it the first SocketChannel looks for a provider service in every jar on the
            // class path; this is the JDK's own default on Linux.
            System.setProperty(SELECTOR_PROVIDER, "sun.nio.ch.EPollSelectorProvider");
        }
        // The training run sets up as every run does, so the archive holds what a real run loads.
        String training = System.getProperty(CDS_TRAINING);
        if (training != null) {
            train(Path.of(training), Path.of(System.getProperty(CDS_TRAINING_CLASSES, "")));
            return;
        }
        System.exit(Main.execute(CliContext.system(), args));
    }

    /**
     * Runs {@code dev.speckitty.cds.CdsTraining} from {@code classes} in a class loader of its own: the
     * CLI's classes it drives still come from this class path, which is the one the archive records.
     */
    private static void train(Path scratch, Path classes) throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, Launcher.class.getClassLoader())) {
            loader.loadClass("dev.speckitty.cds.CdsTraining").getMethod("run", Path.class).invoke(null, scratch);
        }
    }
}
