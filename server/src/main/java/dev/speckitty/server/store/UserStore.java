package dev.speckitty.server.store;

import java.util.List;
import java.util.Optional;

/** Server accounts with PBKDF2-hashed passwords. Thread-safe; reads the database on every call. */
public interface UserStore {
    /** Creates an account; an {@link IllegalArgumentException} names a bad or taken username or team. */
    User add(String username, String team, String password);

    /** Deletes an account; false when there was none. Its tokens stop working (403). */
    boolean remove(String username);

    /** Every account, by username. */
    List<User> list();

    /** The account when the password matches; empty otherwise (unknown user or wrong password alike). */
    Optional<User> authenticate(String username, String password);
}
