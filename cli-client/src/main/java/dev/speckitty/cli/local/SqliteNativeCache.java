package dev.speckitty.cli.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.zip.CRC32;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;
import org.sqlite.util.OSInfo;

/**
 * A per-user cache of sqlite-jdbc's native library, so a short CLI run loads it in place instead of
 * letting the driver extract ~1 MB to a fresh temp file (and compare it byte by byte, and run
 * {@code uname} to pick the platform) on every start.
 *
 * <p>Layout: {@code <root>/sqlite-jdbc-<version>-<os.name>-<os.arch>/} (0700, owned by this user)
 * holding the library under its platform name and {@code <library>.source}, the jar entry it was
 * extracted from. A cached library is used only when the directory and its parent belong to this
 * user and are writable by nobody else, the file is a regular file (not a link) owned by this user,
 * and its size and CRC-32 equal the jar entry's; otherwise it is extracted again (to a temp file,
 * checked, then atomically renamed). When anything is off (no POSIX file system, no writable cache,
 * a foreign owner, a library the driver jar does not hold) the driver is left to its default
 * behaviour. The driver still falls back to extracting when loading the cached file fails.
 *
 * <p>Only the CLI launcher turns the cache on ({@link #use}); tests and the daemon use the driver's
 * default. Thread-safe.
 */
public final class SqliteNativeCache {
    static final String LIB_PATH = "org.sqlite.lib.path";
    static final String LIB_NAME = "org.sqlite.lib.name";
    private static final String RESOURCE_PREFIX = "org/sqlite/native/";
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> LIBRARY_MODE = PosixFilePermissions.fromString("rwx------");

    private static Path root;
    private static boolean prepared;

    private SqliteNativeCache() {
    }

    /** Turns the cache on for this process, under {@code cacheRoot} (see {@link #defaultRoot}). */
    public static synchronized void use(Path cacheRoot) {
        root = cacheRoot;
    }

    /**
     * The per-user cache directory: {@code $XDG_CACHE_HOME/spec-kitty/native}, else
     * {@code ~/.cache/spec-kitty/native}; empty without a usable home.
     */
    public static Optional<Path> defaultRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && xdg.startsWith("/")) {
            return Optional.of(Path.of(xdg, "spec-kitty", "native"));
        }
        String home = System.getProperty("user.home");
        if (home == null || !home.startsWith("/")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(home, ".cache", "spec-kitty", "native"));
    }

    /**
     * Points the driver at the cached library (extracting it first if needed) before its first
     * connection. Once per process; a no-op unless {@link #use} was called, or when the driver's
     * library location was set explicitly.
     */
    public static synchronized void prepare() {
        if (prepared || root == null) {
            return;
        }
        prepared = true;
        if (System.getProperty(LIB_PATH) != null || System.getProperty(LIB_NAME) != null) {
            return;
        }
        Optional<Path> lib = locate(root);
        if (lib.isPresent()) {
            System.setProperty(LIB_PATH, lib.get().getParent().toString());
            System.setProperty(LIB_NAME, lib.get().getFileName().toString());
        }
    }

    /**
     * The verified library under {@code cacheRoot}: the cached one when it checks out, else a fresh
     * extraction; empty when the cache cannot be used. Never throws. Does not point the driver at
     * it (that is {@link #prepare}); public for the CDS training run.
     */
    public static Optional<Path> locate(Path cacheRoot) {
        try {
            if (!cacheRoot.isAbsolute() || !java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                return Optional.empty();
            }
            String libName = LibraryLoaderUtil.getNativeLibName();
            Path dir = cacheRoot.resolve(safe("sqlite-jdbc-" + SQLiteJDBCLoader.getVersion() + "-"
                    + System.getProperty("os.name") + "-" + System.getProperty("os.arch")));
            Path lib = dir.resolve(libName);
            Path source = dir.resolve(libName + ".source");
            Optional<Path> cached = cached(dir, lib, source, libName);
            if (cached.isPresent()) {
                return cached;
            }
            return extract(cacheRoot, dir, lib, source, libName);
        } catch (IOException | RuntimeException | LinkageError e) {
            return Optional.empty();
        }
    }

    /** The cached library if every check passes. */
    private static Optional<Path> cached(Path dir, Path lib, Path source, String libName) throws IOException {
        if (!privateDirectory(dir.getParent()) || !privateDirectory(dir) || !ownFile(source) || !ownFile(lib)) {
            return Optional.empty();
        }
        String resource = new String(Files.readAllBytes(source), StandardCharsets.UTF_8).trim();
        if (!validResource(resource, libName)) {
            return Optional.empty();
        }
        Optional<JarEntryInfo> entry = entry(resource);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        byte[] bytes = Files.readAllBytes(lib);
        return entry.get().matches(bytes.length, crc(bytes)) ? Optional.of(lib) : Optional.empty();
    }

    /** Extracts the driver's library for this platform into {@code dir}, atomically. */
    private static Optional<Path> extract(Path cacheRoot, Path dir, Path lib, Path source, String libName) throws IOException {
        String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + libName;
        resource = resource.startsWith("/") ? resource.substring(1) : resource;
        if (!validResource(resource, libName)) {
            return Optional.empty();
        }
        Optional<JarEntryInfo> entry = entry(resource);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        createPrivateDirectory(cacheRoot);
        if (!privateDirectory(cacheRoot)) {
            return Optional.empty();
        }
        createPrivateDirectory(dir);
        if (!privateDirectory(dir)) {
            return Optional.empty();
        }
        Path tmpLib = Files.createTempFile(dir, ".lib", ".tmp");
        Path tmpSource = null;
        try {
            long size = 0;
            CRC32 crc = new CRC32();
            URL url = SQLiteJDBCLoader.class.getClassLoader().getResource(resource);
            URLConnection connection = url.openConnection();
            connection.setUseCaches(false);
            try (InputStream in = connection.getInputStream();
                 FileChannel channel = FileChannel.open(tmpLib, StandardOpenOption.WRITE);
                 OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) != -1; ) {
                    out.write(buffer, 0, n);
                    crc.update(buffer, 0, n);
                    size += n;
                }
                out.flush();
                channel.force(true);
            }
            if (!entry.get().matches(size, crc.getValue())) {
                return Optional.empty();
            }
            Files.setPosixFilePermissions(tmpLib, LIBRARY_MODE);
            tmpSource = Files.createTempFile(dir, ".source", ".tmp");
            Files.write(tmpSource, (resource + "\n").getBytes(StandardCharsets.UTF_8));
            Files.move(tmpLib, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmpSource, source, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return Optional.of(lib);
        } finally {
            Files.deleteIfExists(tmpLib);
            if (tmpSource != null) {
                Files.deleteIfExists(tmpSource);
            }
        }
    }

    /** Size and CRC-32 of a jar entry, read from the jar's directory (no inflation). */
    private record JarEntryInfo(long size, long crc) {
        boolean matches(long actualSize, long actualCrc) {
            return size >= 0 && crc >= 0 && size == actualSize && crc == actualCrc;
        }
    }

    private static Optional<JarEntryInfo> entry(String resource) throws IOException {
        URL url = SQLiteJDBCLoader.class.getClassLoader().getResource(resource);
        if (url == null || !"jar".equals(url.getProtocol())) {
            return Optional.empty();
        }
        JarURLConnection connection = (JarURLConnection) url.openConnection();
        connection.setUseCaches(false);
        try (java.util.jar.JarFile jar = connection.getJarFile()) {
            JarEntry entry = jar.getJarEntry(connection.getEntryName());
            return entry == null || entry.isDirectory() ? Optional.empty() : Optional.of(new JarEntryInfo(entry.getSize(), entry.getCrc()));
        }
    }

    private static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length);
        return crc.getValue();
    }

    private static boolean validResource(String resource, String libName) {
        if (!resource.startsWith(RESOURCE_PREFIX) || !resource.endsWith("/" + libName) || resource.contains("..")
                || resource.contains("//")) {
            return false;
        }
        for (int i = 0; i < resource.length(); i++) {
            char c = resource.charAt(i);
            if (c <= ' ' || c >= 127 || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** A directory (not a link) of this user that nobody else may write to. */
    private static boolean privateDirectory(Path dir) throws IOException {
        PosixFileAttributes a = attributes(dir);
        return a != null && a.isDirectory() && ownedByMe(a)
                && !a.permissions().contains(PosixFilePermission.GROUP_WRITE)
                && !a.permissions().contains(PosixFilePermission.OTHERS_WRITE);
    }

    /** A regular file (not a link) of this user that nobody else may write to. */
    private static boolean ownFile(Path file) throws IOException {
        PosixFileAttributes a = attributes(file);
        return a != null && a.isRegularFile() && ownedByMe(a)
                && !a.permissions().contains(PosixFilePermission.GROUP_WRITE)
                && !a.permissions().contains(PosixFilePermission.OTHERS_WRITE);
    }

    private static PosixFileAttributes attributes(Path path) throws IOException {
        try {
            return Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    private static boolean ownedByMe(PosixFileAttributes a) {
        return a.owner().getName().equals(System.getProperty("user.name"));
    }

    /** Creates the directory (and missing parents) with mode 0700; an existing one is left as it is. */
    private static void createPrivateDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null && !Files.exists(parent)) {
            createPrivateDirectory(parent);
        }
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
        } catch (FileAlreadyExistsException e) {
            // created concurrently; checked by the caller
        }
    }

    private static String safe(String name) {
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            b.append((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' ? c : '_');
        }
        return b.toString();
    }
}
