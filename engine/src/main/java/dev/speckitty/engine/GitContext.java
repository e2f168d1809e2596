package dev.speckitty.engine;

import dev.speckitty.protocol.local.FileStamp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The git metadata of an event: branch, head commit and {@code owner/name} of the repository that
 * contains the working directory. Read straight from {@code .git} (no {@code git} process on the
 * enqueue path). Every field is optional: outside a repository all are empty. Stateless.
 */
public record GitContext(Optional<String> branch, Optional<String> headSha, Optional<String> repoSlug, Optional<String> projectSlug) {
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern ORIGIN = Pattern.compile("\\[remote \"origin\"\\][^\\[]*?url\\s*=\\s*(\\S+)", Pattern.DOTALL);

    public static GitContext none() {
        return new GitContext(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The context of the repository containing {@code cwd}, or {@link #none()}. */
    public static GitContext of(Path cwd) {
        return of(cwd, new ArrayList<>());
    }

    /** {@link #of(Path)}, adding to {@code consulted} every path it looked at (present or not), in order. */
    private static GitContext of(Path cwd, List<Path> consulted) {
        if (cwd == null) {
            return none();
        }
        try {
            for (Path dir = cwd.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
                Path git = dir.resolve(".git");
                consulted.add(git);
                if (Files.isDirectory(git)) {
                    return read(dir, git, consulted);
                }
                if (Files.isRegularFile(git)) {
                    // A worktree or submodule: ".git" names the real git directory.
                    String link = Files.readString(git, StandardCharsets.UTF_8).trim();
                    if (link.startsWith("gitdir:")) {
                        return read(dir, dir.resolve(link.substring(7).trim()).normalize(), consulted);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return none();
        }
        return none();
    }

    /**
     * {@link GitContext#of} for the daemon, which is asked for the same few directories at every emit:
     * an answer is kept with the {@code stat} (inode, mtime, size; or absence) of every file it was
     * read from, and reused while all of them are unchanged, so a checkout, a commit or a new origin
     * shows in the next event. At most {@link #MAX_ENTRIES} directories. Thread-safe.
     */
    public static final class Cache {
        static final int MAX_ENTRIES = 64;

        private record Entry(GitContext context, List<Path> paths, List<FileStamp> stamps) {
        }

        private final java.util.LinkedHashMap<Path, Entry> entries = new java.util.LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(java.util.Map.Entry<Path, Entry> eldest) {
                return size() > MAX_ENTRIES;
            }
        };

        public GitContext of(Path cwd) {
            if (cwd == null) {
                return none();
            }
            Entry entry;
            synchronized (entries) {
                entry = entries.get(cwd);
            }
            if (entry != null && unchanged(entry)) {
                return entry.context();
            }
            // Read once to learn which files count, stamp them, and read again: the answer kept is never
            // older than its stamps, so a change at any moment shows at the next call.
            List<Path> paths = new ArrayList<>();
            GitContext.of(cwd, paths);
            List<FileStamp> stamps = new ArrayList<>(paths.size());
            for (Path p : paths) {
                stamps.add(FileStamp.of(p));
            }
            List<Path> again = new ArrayList<>();
            GitContext context = GitContext.of(cwd, again);
            if (again.equals(paths)) {
                synchronized (entries) {
                    entries.put(cwd, new Entry(context, List.copyOf(paths), List.copyOf(stamps)));
                }
            }
            return context;
        }

        private static boolean unchanged(Entry entry) {
            for (int i = 0; i < entry.paths().size(); i++) {
                if (!FileStamp.of(entry.paths().get(i), entry.stamps().get(i)).equals(entry.stamps().get(i))) {
                    return false;
                }
            }
            return true;
        }
    }

    private static GitContext read(Path root, Path git, List<Path> consulted) throws IOException {
        consulted.add(git.resolve("HEAD"));
        String head = Files.readString(git.resolve("HEAD"), StandardCharsets.UTF_8).trim();
        Path common = commonDir(git, consulted);
        Optional<String> branch = Optional.empty();
        Optional<String> sha;
        if (head.startsWith("ref:")) {
            String ref = head.substring(4).trim();
            branch = Optional.of(ref.startsWith("refs/heads/") ? ref.substring(11) : ref);
            sha = resolve(git, common, ref, consulted);
        } else {
            sha = SHA.matcher(head).matches() ? Optional.of(head) : Optional.empty();
        }
        consulted.add(common.resolve("config"));
        return new GitContext(branch, sha, originSlug(common), Optional.ofNullable(root.getFileName()).map(Path::toString));
    }

    /**
     * The SHA {@code ref} names: its loose file in {@code git}, else in {@code common} (a worktree's
     * shared directory), else a line of their {@code packed-refs}. A packed-refs file is consulted only
     * where the loose file is absent: while the loose one exists it alone decides, and its going away
     * shows in its own stamp.
     */
    private static Optional<String> resolve(Path git, Path common, String ref, List<Path> consulted) throws IOException {
        for (Path dir : git.equals(common) ? List.of(git) : List.of(git, common)) {
            Path loose = dir.resolve(ref);
            consulted.add(loose);
            if (Files.isRegularFile(loose)) {
                String sha = Files.readString(loose, StandardCharsets.UTF_8).trim();
                return SHA.matcher(sha).matches() ? Optional.of(sha) : Optional.empty();
            }
            Path packed = dir.resolve("packed-refs");
            consulted.add(packed);
            if (Files.isRegularFile(packed)) {
                for (String line : Files.readAllLines(packed, StandardCharsets.UTF_8)) {
                    if (line.endsWith(" " + ref) && SHA.matcher(line.substring(0, 40)).matches()) {
                        return Optional.of(line.substring(0, 40));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static Path commonDir(Path git, List<Path> consulted) throws IOException {
        Path common = git.resolve("commondir");
        consulted.add(common);
        return Files.isRegularFile(common) ? git.resolve(Files.readString(common, StandardCharsets.UTF_8).trim()).normalize() : git;
    }

    /** {@code owner/name} from origin's URL ({@code git@host:owner/name.git} or {@code https://host/owner/name}). */
    static Optional<String> originSlug(Path git) throws IOException {
        Path config = git.resolve("config");
        if (!Files.isRegularFile(config)) {
            return Optional.empty();
        }
        Matcher m = ORIGIN.matcher(Files.readString(config, StandardCharsets.UTF_8));
        if (!m.find()) {
            return Optional.empty();
        }
        String url = m.group(1).replaceAll("\\.git$", "").replaceAll("/+$", "");
        String[] parts = url.split("[/:]");
        if (parts.length < 2) {
            return Optional.empty();
        }
        return Optional.of(parts[parts.length - 2] + "/" + parts[parts.length - 1]);
    }
}
