package dev.speckitty.server.store;

/**
 * Who a live token speaks for: the account, and the token family (one login and every token rotated
 * or issued from it) it belongs to. A WebSocket session keeps it, and lives only while the family does.
 */
public record Principal(User user, String family) {
}
