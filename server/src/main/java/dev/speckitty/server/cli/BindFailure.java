package dev.speckitty.server.cli;

/** Explains a failure to start listening in terms of the address the user gave. Stateless. */
final class BindFailure {
    private BindFailure() {
    }

    /** {@code e} as a message naming {@code listen}, when it is a bind failure; {@code e} itself otherwise. */
    static Exception explain(Exception e, String listen) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage();
            if (m.contains("Address already in use")) {
                return new IllegalStateException("cannot listen on " + listen + ": the address is already in use (is another server"
                        + " running there?); stop it, or pass another --listen HOST:PORT (port 0 picks a free one)", e);
            }
            if (m.contains("Cannot assign requested address") || m.contains("Permission denied")) {
                return new IllegalStateException("cannot listen on " + listen + ": "
                        + (m.contains("Permission denied") ? "permission denied (ports below 1024 need privileges)"
                        : "no interface of this machine has that address") + "; pass another --listen HOST:PORT", e);
            }
        }
        return e;
    }
}
