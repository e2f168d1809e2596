package dev.speckitty.server.http;

import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Token buckets for password logins, one per client address and one per username: each attempt takes
 * a token before the password is hashed and a successful login gives it back, so in the long run only
 * failures count, while a burst of concurrent attempts is bounded too. An empty bucket answers how
 * long until it holds a token again (the {@code Retry-After} of the 429). Each table keeps at most
 * {@link #MAX_KEYS} keys, dropping the least recently used (a full bucket is the same as no bucket).
 * Thread-safe: one lock per table; logins are rare enough for that.
 */
public final class LoginThrottle {
    /** A bucket's size and how long it takes to earn one token back. */
    public record Rate(int burst, Duration refill) {
        public Rate {
            if (burst < 1 || refill.isNegative() || refill.isZero()) {
                throw new IllegalArgumentException("rate: " + burst + " per " + refill + " (expected: burst >= 1, refill > 0)");
            }
        }
    }

    /** 30 attempts, then one every 2 s (30 a minute), per address: room for a team behind one NAT. */
    public static final Rate PER_ADDRESS = new Rate(30, Duration.ofSeconds(2));
    /** 10 attempts, then one every 6 s (10 a minute), per username: at most 14,400 guesses a day at one account. */
    public static final Rate PER_USER = new Rate(10, Duration.ofSeconds(6));
    static final int MAX_KEYS = 10_000;

    private final Buckets<InetAddress> byAddress;
    private final Buckets<String> byUser;

    public LoginThrottle(Rate perAddress, Rate perUser, LongSupplier nanoTime) {
        this.byAddress = new Buckets<>(perAddress, nanoTime);
        this.byUser = new Buckets<>(perUser, nanoTime);
    }

    public static LoginThrottle defaults() {
        return new LoginThrottle(PER_ADDRESS, PER_USER, System::nanoTime);
    }

    /** Takes a token for {@code address}; empty when taken, otherwise how long to wait. */
    public Optional<Duration> takeAddress(InetAddress address) {
        return byAddress.take(address);
    }

    /** Takes a token for {@code username}; empty when taken, otherwise how long to wait. */
    public Optional<Duration> takeUser(String username) {
        return byUser.take(username);
    }

    /** A login succeeded: the tokens it took are given back. */
    public void succeeded(InetAddress address, String username) {
        byAddress.giveBack(address);
        byUser.giveBack(username);
    }

    /** One table of buckets; guarded by its own monitor. */
    private static final class Buckets<K> {
        private final Rate rate;
        private final LongSupplier nanoTime;
        private final LinkedHashMap<K, Bucket> buckets = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Bucket> eldest) {
                return size() > MAX_KEYS;
            }
        };

        Buckets(Rate rate, LongSupplier nanoTime) {
            this.rate = rate;
            this.nanoTime = nanoTime;
        }

        synchronized Optional<Duration> take(K key) {
            Bucket b = refilled(key);
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return Optional.empty();
            }
            return Optional.of(Duration.ofNanos((long) Math.ceil((1 - b.tokens) * rate.refill().toNanos())));
        }

        synchronized void giveBack(K key) {
            Bucket b = refilled(key);
            b.tokens = Math.min(rate.burst(), b.tokens + 1);
        }

        /** The bucket of {@code key}, topped up to now. */
        private Bucket refilled(K key) {
            long now = nanoTime.getAsLong();
            Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(rate.burst(), now));
            b.tokens = Math.min(rate.burst(), b.tokens + (now - b.refilledAt) / (double) rate.refill().toNanos());
            b.refilledAt = now;
            return b;
        }
    }

    /** Tokens left and when they were last topped up; guarded by its table's monitor. */
    private static final class Bucket {
        double tokens;
        long refilledAt;

        Bucket(double tokens, long refilledAt) {
            this.tokens = tokens;
            this.refilledAt = refilledAt;
        }
    }
}
