package dev.speckitty.protocol;

/**
 * The product version, shared by every module. A template: the build fills in the version
 * (protocol/pom.xml), so reading it costs nothing at start-up (a classpath resource lookup opens
 * every jar on the class path before it finds the right one).
 */
public final class Version {
    private static final String CURRENT = "${project.version}";

    private Version() {
    }

    /** The version string, e.g. {@code 0.1.0}. */
    public static String current() {
        return CURRENT;
    }
}
