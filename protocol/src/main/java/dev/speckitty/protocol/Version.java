package dev.speckitty.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The product version, stamped into the jar at build time and shared by every module. */
public final class Version {
    private static final String CURRENT = load();

    private Version() {
    }

    /** The version string, e.g. {@code 0.1.0}. */
    public static String current() {
        return CURRENT;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties props = new Properties();
            props.load(in);
            return props.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read version.properties from the protocol jar", e);
        }
    }
}
