package dev.speckitty.cli.auth;

import dev.speckitty.cli.CliCommand;
import dev.speckitty.cli.CliContext;
import dev.speckitty.cli.CliException;
import dev.speckitty.cli.ExitCodes;
import dev.speckitty.cli.Settings;
import dev.speckitty.cli.server.TeamServerClient;
import dev.speckitty.protocol.local.ConfigFile;
import dev.speckitty.protocol.local.ConfigKey;
import dev.speckitty.protocol.local.Credentials;
import dev.speckitty.protocol.local.CredentialsStore;
import dev.speckitty.protocol.wire.MeResponse;
import dev.speckitty.protocol.wire.OAuthTokens;
import dev.speckitty.protocol.wire.SyncHealth;
import dev.speckitty.protocol.wire.TokenResponse;
import java.util.List;
import java.util.Optional;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spec-kitty auth login}: gets tokens from the team server and stores them in {@code credentials}:
 * by OAuth (a browser login where a display is, the device flow with {@code --headless}) when the
 * server offers it, else, or with {@code --password}, {@code --username} or {@code --password-stdin},
 * by username and password.
 */
@Command(name = "login",
        description = {
                "Log in to the team server in sync.server_url and store the tokens in SPEC_KITTY_HOME/credentials (mode 0600).",
                "A server that offers OAuth is logged in to in the browser (on a machine with a display) or, with --headless,",
                "by a code you approve on any device. Otherwise, or with --password/--username/--password-stdin, by username",
                "and password: the password is read from stdin with --password-stdin, else prompted for without echo."})
public final class AuthLoginCommand extends CliCommand {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Option(names = {"-u", "--username"}, paramLabel = "U", description = "Your username on the team server (prompted for when omitted on a terminal).")
    String username;

    @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
    boolean passwordStdin;

    @Option(names = "--server", paramLabel = "URL", description = "Set sync.server_url to URL first.")
    String server;

    @Option(names = "--headless", description = "Log in with the device flow: print a code and a URL to approve it at on any device, and wait.")
    boolean headless;

    @Option(names = "--browser", description = "Log in in the browser (PKCE, answer on a loopback port), even without a detected display.")
    boolean browser;

    @Option(names = "--password", description = "Log in with username and password even when the server offers OAuth.")
    boolean password;

    @Override
    public Integer call() {
        CliContext ctx = ctx();
        if (server != null) {
            try {
                ConfigFile.set(ctx.home().config(), ConfigKey.SERVER_URL, server);
            } catch (IllegalArgumentException e) {
                throw CliException.usage(e.getMessage());
            }
        }
        URI url = Settings.serverUrl(ctx);
        if ((headless ? 1 : 0) + (browser ? 1 : 0) + (password ? 1 : 0) > 1) {
            throw CliException.usage("--headless, --browser and --password are different ways to log in; pass one of them");
        }
        if (!password && username == null && !passwordStdin) {
            Optional<Integer> done = oauth(ctx, url);
            if (done.isPresent()) {
                return done.get();
            }
        }
        String user = username != null ? username : promptUsername(ctx);
        if (user.isBlank()) {
            throw CliException.usage("the username is empty; pass --username U");
        }
        char[] password = passwordStdin ? readStdinPassword(ctx) : promptPassword(ctx, user, url);
        TokenResponse tokens;
        try {
            if (password.length == 0) {
                throw CliException.usage("the password is empty");
            }
            tokens = new TeamServerClient(TIMEOUT).login(url, user, password);
        } finally {
            Arrays.fill(password, '\0');
        }
        Instant now = ctx.clock().instant();
        CredentialsStore.of(ctx.home()).write(new Credentials(tokens.access(), tokens.refresh(),
                now.plusSeconds(tokens.accessLifetime()), now.plusSeconds(tokens.refreshLifetime()),
                user, tokens.teamSlug(), url.toString()));
        ctx.out().println("Logged in as " + user + " (team " + tokens.teamSlug() + ") on " + url);
        WaitingWarning.afterLogin(ctx);
        return ExitCodes.OK;
    }

    /** The OAuth login the server offers and this machine suits; empty when the server has password login only. */
    private Optional<Integer> oauth(CliContext ctx, URI url) {
        OAuthHttp http = new OAuthHttp(url, TIMEOUT);
        Optional<OAuthTokens> tokens;
        String how;
        if (headless) {
            tokens = new DeviceLogin(http, ctx, d -> Thread.sleep(Math.max(1, d.toMillis()))).run();
            how = "with a device code";
        } else {
            List<String> offered;
            try {
                offered = http.health().map(SyncHealth::authMethods).orElse(List.of());
            } catch (CliException e) {
                if (e.exitCode() != ExitCodes.UNREACHABLE || browser) {
                    throw e;
                }
                return Optional.empty(); // unreachable: the password login says so, after what it needs from the user
            }
            if (offered.contains(SyncHealth.AUTH_AUTHORIZATION_CODE) && (browser || BrowserLogin.displayAvailable())) {
                tokens = Optional.of(new BrowserLogin(http, ctx, BrowserLogin.WAIT).run());
                how = "in the browser";
            } else if (!browser && offered.contains(SyncHealth.AUTH_DEVICE_CODE)) {
                ctx.out().println("No display found: logging in with a device code (pass --browser to use a browser anyway).");
                tokens = new DeviceLogin(http, ctx, d -> Thread.sleep(Math.max(1, d.toMillis()))).run();
                how = "with a device code";
            } else {
                tokens = Optional.empty();
                how = "";
            }
        }
        if (tokens.isEmpty()) {
            ctx.out().println(url + " offers no OAuth login; logging in with username and password.");
            return Optional.empty();
        }
        OAuthTokens t = tokens.get();
        MeResponse me = http.me(t.accessToken());
        MeResponse.Team team = me.teams().stream().filter(MeResponse.Team::isPrivateTeamspace).findFirst().orElse(me.teams().get(0));
        Instant now = ctx.clock().instant();
        Instant refreshExpires = refreshExpiry(t, now);
        CredentialsStore.of(ctx.home()).write(new Credentials(t.accessToken(), t.refreshToken(), now.plusSeconds(t.expiresIn()),
                refreshExpires, me.userId(), team.id(), url.toString()));
        ctx.out().println("Logged in as " + me.userId() + " (team " + team.id() + ") on " + url + " " + how);
        return Optional.of(ExitCodes.OK);
    }

    private static Instant refreshExpiry(OAuthTokens t, Instant now) {
        if (t.refreshTokenExpiresAt() != null) {
            try {
                return Instant.parse(t.refreshTokenExpiresAt());
            } catch (java.time.format.DateTimeParseException e) {
                // fall back to the lifetime
            }
        }
        return now.plusSeconds(t.refreshTokenExpiresIn() > 0 ? t.refreshTokenExpiresIn() : Duration.ofDays(7).toSeconds());
    }

    private String promptUsername(CliContext ctx) {
        return ctx.console()
                .map(c -> c.readLine("Username: "))
                .map(String::trim)
                .orElseThrow(() -> CliException.usage("no username: pass --username U (no terminal to prompt on)"));
    }

    private static char[] promptPassword(CliContext ctx, String user, URI url) {
        char[] password = ctx.console()
                .map(c -> c.readPassword("Password for %s on %s: ", user, url))
                .orElseThrow(() -> CliException.usage("no terminal to prompt for the password on;"
                        + " pipe it in with `--password-stdin` (e.g. `printf '%s\\n' \"$PW\" | spec-kitty auth login --username U --password-stdin`)"));
        return password == null ? new char[0] : password;
    }

    /** The first line of stdin, without its line ending; the bytes are wiped after decoding. */
    private static char[] readStdinPassword(CliContext ctx) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            int c;
            while ((c = ctx.in().read()) != -1 && c != '\n') {
                buf.write(c);
            }
        } catch (IOException e) {
            throw CliException.failure("cannot read the password from stdin (" + e.getMessage() + ")");
        }
        byte[] bytes = buf.toByteArray();
        int len = bytes.length;
        if (len > 0 && bytes[len - 1] == '\r') {
            len--;
        }
        java.nio.CharBuffer decoded = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(bytes, 0, len));
        char[] password = new char[decoded.remaining()];
        decoded.get(password);
        Arrays.fill(bytes, (byte) 0);
        return password;
    }
}
