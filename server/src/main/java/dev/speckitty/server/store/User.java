package dev.speckitty.server.store;

import java.time.Instant;

/** A server account: a login name, the one team it belongs to, and when it was created. */
public record User(String username, String team, Instant createdAt) {
}
