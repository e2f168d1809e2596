package dev.speckitty.server.store;

import java.time.Duration;
import java.util.Optional;

/**
 * The short-lived codes of OAuth 2.0 logins: device codes (RFC 8628) with their user codes, and
 * authorization codes (RFC 6749 §4.1, PKCE). Codes are stored only as SHA-256 hashes, live minutes
 * at most and are single use: claiming one is one conditional UPDATE, so of two racing requests
 * exactly one wins. Thread-safe; reads the database on every call.
 */
public interface OAuthCodes {
    /** Codes not yet expired, in every state: what the server-wide cap counts. */
    int live();

    /** Stores a new pending device code; false when {@code userCode} is already taken by a live code (pick another). */
    boolean addDevice(String deviceCode, String userCode, String clientId, String scope, Duration ttl, Duration interval);

    /** When the live, pending device code with this user code expires; empty when there is none. */
    Optional<java.time.Instant> pendingDevice(String userCode);

    /** Approves (for {@code username}) or denies a live pending device code; false when there was none. */
    boolean decideDevice(String userCode, String username, boolean approve);

    /** One poll of a device code; {@code slowDownStep} is what polling too fast adds to its interval. */
    DevicePoll pollDevice(String deviceCode, Duration slowDownStep);

    /** Stores an approved authorization code of {@code username} for one exchange. */
    void addAuthorization(String code, String username, String clientId, String scope, String redirectUri, String codeChallenge,
            Duration ttl);

    /** Claims an authorization code, single use: whatever the exchange's verdict, the code is spent. */
    Redemption redeemAuthorization(String code);

    /** Records the login a code's exchange started, so that presenting the code again can revoke it. */
    void recordFamily(String code, String family);

    /** What polling a device code found. */
    sealed interface DevicePoll {
        /** Never issued, or purged. */
        record Unknown() implements DevicePoll {
        }

        /** Not decided yet; poll again after {@code interval}. */
        record Pending(Duration interval) implements DevicePoll {
        }

        /** Polled before its interval was over; the interval is now {@code interval}. */
        record SlowDown(Duration interval) implements DevicePoll {
        }

        record Expired() implements DevicePoll {
        }

        record Denied() implements DevicePoll {
        }

        /** Tokens were already issued for it. */
        record Used() implements DevicePoll {
        }

        /** Approved by {@code username}; the code is now used. */
        record Approved(String username, String scope) implements DevicePoll {
        }
    }

    /** What redeeming an authorization code found. */
    sealed interface Redemption {
        record Unknown() implements Redemption {
        }

        record Expired() implements Redemption {
        }

        /** Redeemed before: the login its first exchange started, if it got that far, is to be revoked. */
        record Replayed(Optional<String> family) implements Redemption {
        }

        /** Claimed now: what the exchange must match. {@code username} empty when the account was removed since. */
        record Claimed(Optional<String> username, String clientId, String scope, String redirectUri, String codeChallenge)
                implements Redemption {
        }
    }
}
