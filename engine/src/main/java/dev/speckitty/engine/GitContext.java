package dev.speckitty.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
        if (cwd == null) {
            return none();
        }
        try {
            for (Path dir = cwd.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
                Path git = dir.resolve(".git");
                if (Files.isDirectory(git)) {
                    return read(dir, git);
                }
                if (Files.isRegularFile(git)) {
                    // A worktree or submodule: ".git" names the real git directory.
                    String link = Files.readString(git, StandardCharsets.UTF_8).trim();
                    if (link.startsWith("gitdir:")) {
                        return read(dir, dir.resolve(link.substring(7).trim()).normalize());
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return none();
        }
        return none();
    }

    private static GitContext read(Path root, Path git) throws IOException {
        String head = Files.readString(git.resolve("HEAD"), StandardCharsets.UTF_8).trim();
        Optional<String> branch = Optional.empty();
        Optional<String> sha;
        if (head.startsWith("ref:")) {
            String ref = head.substring(4).trim();
            branch = Optional.of(ref.startsWith("refs/heads/") ? ref.substring(11) : ref);
            sha = resolve(git, ref);
        } else {
            sha = SHA.matcher(head).matches() ? Optional.of(head) : Optional.empty();
        }
        Path common = commonDir(git);
        return new GitContext(branch, sha, originSlug(common), Optional.ofNullable(root.getFileName()).map(Path::toString));
    }

    private static Optional<String> resolve(Path git, String ref) throws IOException {
        for (Path dir : List.of(git, commonDir(git))) {
            Path loose = dir.resolve(ref);
            if (Files.isRegularFile(loose)) {
                String sha = Files.readString(loose, StandardCharsets.UTF_8).trim();
                return SHA.matcher(sha).matches() ? Optional.of(sha) : Optional.empty();
            }
            Path packed = dir.resolve("packed-refs");
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

    private static Path commonDir(Path git) throws IOException {
        Path common = git.resolve("commondir");
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
