package dev.speckitty.cli.server;

/**
 * The outcome of {@code sync status --check}: a state as the user documentation names it and a
 * detail line ({@code Server online (access forbidden)}, the connect error…).
 */
public record ProbeResult(State state, String detail) {
    /** The documented connection states. */
    public enum State {
        CONNECTED("Connected", "connected"),
        REACHABLE("Reachable (auth required)", "reachable"),
        UNREACHABLE("Unreachable", "unreachable"),
        ERROR("Error", "error");

        private final String label;
        private final String wire;

        State(String label, String wire) {
            this.label = label;
            this.wire = wire;
        }

        /** As printed after {@code Connection}. */
        public String label() {
            return label;
        }

        /** As written in {@code --json}. */
        public String wire() {
            return wire;
        }
    }
}
