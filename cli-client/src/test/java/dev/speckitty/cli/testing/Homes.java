package dev.speckitty.cli.testing;

import dev.speckitty.protocol.local.ConfigFile;
import dev.speckitty.protocol.local.ConfigKey;
import dev.speckitty.protocol.local.Credentials;
import dev.speckitty.protocol.local.CredentialsStore;
import dev.speckitty.protocol.local.SpecKittyHome;
import java.time.Instant;

/** Prepares a temp home: server URL, credentials. */
public final class Homes {
    public static final String ACCESS = "access-token-SECRET-a1";
    public static final String REFRESH = "refresh-token-SECRET-r1";

    private Homes() {
    }

    public static void serverUrl(SpecKittyHome home, String url) {
        ConfigFile.set(home.config(), ConfigKey.SERVER_URL, url);
    }

    public static void loggedIn(SpecKittyHome home, String url, Instant accessExpiry, Instant refreshExpiry) {
        CredentialsStore.of(home).write(new Credentials(ACCESS, REFRESH, accessExpiry, refreshExpiry, "ada", "team-a", url));
    }

    public static void loggedIn(SpecKittyHome home, String url) {
        loggedIn(home, url, Cli.NOW.plusSeconds(900), Cli.NOW.plusSeconds(86_400));
    }
}
