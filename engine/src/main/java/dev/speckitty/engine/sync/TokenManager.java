package dev.speckitty.engine.sync;

import dev.speckitty.engine.net.ServerCallException;
import dev.speckitty.engine.net.ServerClient;
import dev.speckitty.protocol.local.Credentials;
import dev.speckitty.protocol.local.CredentialsStore;
import dev.speckitty.protocol.local.FileStamp;
import dev.speckitty.protocol.wire.TokenResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Hands out a valid access token from the {@code credentials} file: refreshes it shortly before it
 * expires and once after a 401, writes the rotated tokens back (under {@code credentials.lock}), and
 * remembers a refused refresh until the file changes (the user ran {@code auth login}). Thread-safe.
 */
public final class TokenManager {
    /** Refresh this long before the access token expires, so a batch never leaves with a dying token. */
    static final long MARGIN_SECONDS = 60;

    private final CredentialsStore store;
    private final Supplier<ServerClient> client;
    private final Clock clock;
    private Credentials cached;
    private FileStamp cachedStamp;
    private FileStamp refusedStamp;

    public TokenManager(CredentialsStore store, Supplier<ServerClient> client, Clock clock) {
        this.store = store;
        this.client = client;
        this.clock = clock;
    }

    /** Whether the credentials file exists (a login happened on this home). */
    public synchronized boolean loggedIn() {
        return current().isPresent();
    }

    /** The logged-in user and team, if any. */
    public synchronized Optional<Credentials> credentials() {
        return current();
    }

    /** A valid access token, refreshed first if it is about to expire. */
    public synchronized String accessToken() {
        Credentials c = forConfiguredServer();
        if (Objects.equals(refusedStamp, cachedStamp)) {
            throw new AuthRequiredException("the server refused the saved credentials of " + c.username());
        }
        if (c.accessValidAt(clock.instant(), MARGIN_SECONDS)) {
            return c.accessToken();
        }
        return refresh(c);
    }

    /**
     * {@code call} with a valid access token and, after a 401, once more with a refreshed one; a
     * second 401 is the caller's to judge. Not under the lock: the calls go to the network.
     */
    public <T> T withAccess(Function<String, T> call) {
        String access = accessToken();
        try {
            return call.apply(access);
        } catch (ServerCallException e) {
            if (e.kind() != ServerCallException.Kind.UNAUTHORIZED) {
                throw e;
            }
            return call.apply(refreshAfterUnauthorized(access));
        }
    }

    /** After a 401 on {@code rejectedAccess}: refresh once (unless another thread already did) and answer the new token. */
    public synchronized String refreshAfterUnauthorized(String rejectedAccess) {
        Credentials c = forConfiguredServer();
        if (!c.accessToken().equals(rejectedAccess)) {
            return c.accessToken();
        }
        return refresh(c);
    }

    /**
     * The credentials, if they were issued by the configured server. Tokens belong to the server that
     * issued them: after {@code config set sync.server_url} names another one, no request may carry
     * them (the new server would see, and could keep, the old one's tokens), so this is "auth required
     * for the new server" until {@code auth login} there.
     */
    private Credentials forConfiguredServer() {
        Credentials c = current().orElseThrow(() -> new AuthRequiredException("not logged in"));
        String configured = client.get().server().toString();
        if (!c.issuedBy(configured)) {
            throw new AuthRequiredException(c.notIssuedByMessage(configured));
        }
        return c;
    }

    /** Whether a refused login may be retried: the credentials file changed since the refusal. */
    public synchronized boolean credentialsChanged() {
        try {
            current();
        } catch (AuthRequiredException e) {
            // Still unreadable: nothing to retry with. Thrown from the re-check timer, it stopped the
            // timer, and the daemon stayed "auth required" after `auth login` repaired the file.
            return false;
        }
        return !Objects.equals(refusedStamp, cachedStamp);
    }

    private String refresh(Credentials c) {
        if (!c.refreshValidAt(clock.instant())) {
            refusedStamp = cachedStamp;
            throw new AuthRequiredException("the refresh token of " + c.username() + " expired at " + c.refreshExpiresAt());
        }
        TokenResponse tokens;
        try {
            tokens = client.get().refresh(c.refreshToken());
        } catch (ServerCallException e) {
            if (e.refusedCredentials()) {
                refusedStamp = cachedStamp;
                throw new AuthRequiredException("the server refused to refresh the tokens of " + c.username());
            }
            throw e;
        }
        Instant now = clock.instant();
        Credentials renewed = new Credentials(tokens.access(), tokens.refresh(),
                now.plusSeconds(tokens.accessLifetime()), now.plusSeconds(tokens.refreshLifetime()),
                c.username(), tokens.teamSlug() == null ? c.teamSlug() : tokens.teamSlug(), c.serverUrl());
        store.write(renewed);
        cached = renewed;
        cachedStamp = FileStamp.of(store.file());
        return renewed.accessToken();
    }

    /** The credentials, re-read when the file changed (size or modification time). */
    private Optional<Credentials> current() {
        FileStamp stamp = FileStamp.of(store.file(), cachedStamp);
        if (!stamp.equals(cachedStamp) || cached == null) {
            try {
                cached = stamp.missing() ? null : store.read().orElse(null);
            } catch (RuntimeException e) {
                // A damaged credentials file is an auth problem, not a crash: events keep queueing.
                cached = null;
                cachedStamp = stamp;
                refusedStamp = stamp;
                throw new AuthRequiredException("cannot read " + store.file() + ": " + e.getMessage());
            }
            cachedStamp = stamp;
        }
        return Optional.ofNullable(cached);
    }
}
