package dev.speckitty.server.store;

import java.time.Instant;
import java.util.Optional;

/**
 * What the server knows about a presented token. {@code user} is empty when its account was removed
 * (or removed and created again: tokens belong to the account, not to the name). {@code family} is
 * the login it descends from.
 */
public record TokenInfo(TokenKind kind, Optional<User> user, Instant expiresAt, boolean revoked, String family) {
}
