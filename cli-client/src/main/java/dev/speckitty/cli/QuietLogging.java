package dev.speckitty.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.LogManager;

/**
 * The CLI's java.util.logging configuration ({@code java.util.logging.config.class}), the backend of
 * the engine's System.Logger in a command: nothing is logged, because a command says what happened
 * in its own output (the daemon routes the same lines into its log file).
 */
public final class QuietLogging {
    public QuietLogging() throws IOException {
        LogManager.getLogManager().readConfiguration(new ByteArrayInputStream(".level = OFF\nhandlers =\n".getBytes(StandardCharsets.UTF_8)));
    }
}
