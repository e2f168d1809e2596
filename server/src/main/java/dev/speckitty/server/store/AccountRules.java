package dev.speckitty.server.store;

import dev.speckitty.protocol.event.Patterns;
import java.util.regex.Pattern;

/** What a username, team and password must look like; shared by every {@link UserStore}. Stateless. */
public final class AccountRules {
    public static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

    private AccountRules() {
    }

    public static void check(String username, String team, String password) {
        checkUsername(username);
        if (team == null || !Patterns.TEAM_SLUG.matcher(team).matches()) {
            throw new IllegalArgumentException("team: '" + team + "' (expected: lowercase letters, digits, '-' or '_', "
                    + "1 to 64 characters, starting with a letter or digit, e.g. team-a)");
        }
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("password: empty (expected: at least one character)");
        }
    }

    public static void checkUsername(String username) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new IllegalArgumentException("username: '" + username + "' (expected: 1 to 64 letters, digits, "
                    + "'.', '_', '@' or '-', starting with a letter or digit)");
        }
    }
}
