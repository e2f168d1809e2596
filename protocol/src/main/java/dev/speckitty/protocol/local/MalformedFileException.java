package dev.speckitty.protocol.local;

import java.nio.file.Path;

/** A local file (config, credentials, clock) that cannot be parsed; names the file, line and column. */
public final class MalformedFileException extends RuntimeException {
    private final Path file;
    private final int line;
    private final int column;

    public MalformedFileException(Path file, int line, int column, String problem) {
        super(file + ":" + line + ":" + column + ": " + problem + " (fix or remove the file, then retry)");
        this.file = file;
        this.line = line;
        this.column = column;
    }

    public Path file() {
        return file;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
