package dev.speckitty.server.store;

/** The server's stores on one database; closing it closes the database. */
public interface Storage extends AutoCloseable {
    EventStore events();

    UserStore users();

    TokenStore tokens();

    /** The short-lived codes of OAuth logins. */
    OAuthCodes oauthCodes();

    /** Where the data lives, for log lines (never contains a password). */
    String describe();

    @Override
    void close();
}
