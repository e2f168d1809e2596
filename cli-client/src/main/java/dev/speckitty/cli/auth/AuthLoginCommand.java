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
import dev.speckitty.protocol.wire.TokenResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spec-kitty auth login}: exchanges a username and password for tokens and stores them in {@code credentials}. */
@Command(name = "login",
        description = {
                "Log in to the team server in sync.server_url and store the tokens in SPEC_KITTY_HOME/credentials (mode 0600).",
                "The password is read from stdin with --password-stdin, otherwise prompted for without echo on a terminal."})
public final class AuthLoginCommand extends CliCommand {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Option(names = {"-u", "--username"}, paramLabel = "U", description = "Your username on the team server (prompted for when omitted on a terminal).")
    String username;

    @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
    boolean passwordStdin;

    @Option(names = "--server", paramLabel = "URL", description = "Set sync.server_url to URL first.")
    String server;

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
