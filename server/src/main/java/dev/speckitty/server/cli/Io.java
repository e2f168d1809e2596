package dev.speckitty.server.cli;

import java.io.InputStream;
import java.io.PrintWriter;

/** The streams a command reads and writes, injected so commands run in tests without touching System. */
public record Io(InputStream in, PrintWriter out, PrintWriter err) {
}
