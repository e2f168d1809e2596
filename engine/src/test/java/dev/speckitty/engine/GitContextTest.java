package dev.speckitty.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitContextTest {
    private static final String SHA = "3f1e2d4c5b6a79808f7e6d5c4b3a291807f6e5d4";

    @Test
    void readsBranchHeadAndOriginFromLooseRefs(@TempDir Path dir) throws Exception {
        Path repo = dir.resolve("offline-sync");
        Path git = repo.resolve(".git");
        Files.createDirectories(git.resolve("refs/heads"));
        Files.writeString(git.resolve("HEAD"), "ref: refs/heads/feature/x\n");
        Files.createDirectories(git.resolve("refs/heads/feature"));
        Files.writeString(git.resolve("refs/heads/feature/x"), SHA + "\n");
        Files.writeString(git.resolve("config"), "[core]\n\tbare = false\n[remote \"origin\"]\n\turl = git@github.com:acme/offline-sync.git\n");
        Path sub = Files.createDirectories(repo.resolve("src/deep"));

        GitContext c = GitContext.of(sub);

        assertEquals(Optional.of("feature/x"), c.branch());
        assertEquals(Optional.of(SHA), c.headSha());
        assertEquals(Optional.of("acme/offline-sync"), c.repoSlug());
        assertEquals(Optional.of("offline-sync"), c.projectSlug());
    }

    @Test
    void readsPackedRefsAndHttpsOrigins(@TempDir Path dir) throws Exception {
        Path git = Files.createDirectories(dir.resolve(".git"));
        Files.writeString(git.resolve("HEAD"), "ref: refs/heads/main\n");
        Files.writeString(git.resolve("packed-refs"), "# pack-refs with: peeled\n" + SHA + " refs/heads/main\n");
        Files.writeString(git.resolve("config"), "[remote \"origin\"]\n\turl = https://github.com/acme/tool/\n");

        GitContext c = GitContext.of(dir);

        assertEquals(Optional.of("main"), c.branch());
        assertEquals(Optional.of(SHA), c.headSha());
        assertEquals(Optional.of("acme/tool"), c.repoSlug());
    }

    @Test
    void outsideARepositoryEverythingIsEmpty(@TempDir Path dir) {
        assertEquals(GitContext.none(), GitContext.of(dir));
        assertEquals(GitContext.none(), GitContext.of(null));
    }
}
