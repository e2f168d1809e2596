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

    @Test
    void theCacheSeesACheckoutACommitAndANewOriginAtTheNextCall(@TempDir Path dir) throws Exception {
        Path repo = dir.resolve("tool");
        Path git = repo.resolve(".git");
        Files.createDirectories(git.resolve("refs/heads"));
        Files.writeString(git.resolve("HEAD"), "ref: refs/heads/main\n");
        Files.writeString(git.resolve("packed-refs"), SHA + " refs/heads/main\n");
        Files.writeString(git.resolve("config"), "[remote \"origin\"]\n\turl = https://github.com/acme/tool\n");
        Path sub = Files.createDirectories(repo.resolve("src"));
        GitContext.Cache cache = new GitContext.Cache();

        assertEquals(GitContext.of(sub), cache.of(sub));
        assertEquals(Optional.of(SHA), cache.of(sub).headSha(), "answered from the cache");

        String next = "0123456789abcdef0123456789abcdef01234567";
        Files.writeString(git.resolve("refs/heads/main"), next + "\n"); // a commit writes a loose ref
        assertEquals(Optional.of(next), cache.of(sub).headSha());

        replace(git.resolve("HEAD"), "ref: refs/heads/topic\n"); // a checkout, written as git does (a rename)
        Files.writeString(git.resolve("refs/heads/topic"), SHA + "\n");
        assertEquals(Optional.of("topic"), cache.of(sub).branch());
        assertEquals(Optional.of(SHA), cache.of(sub).headSha());

        // While the loose ref exists packed-refs is not looked at; `git pack-refs` then moves the ref there.
        replace(git.resolve("packed-refs"), next + " refs/heads/topic\n");
        assertEquals(Optional.of(SHA), cache.of(sub).headSha(), "the loose ref decides");
        Files.delete(git.resolve("refs/heads/topic"));
        assertEquals(Optional.of(next), cache.of(sub).headSha(), "packed: the loose ref's absence shows");
        Files.writeString(git.resolve("refs/heads/topic"), SHA + "\n");
        assertEquals(Optional.of(SHA), cache.of(sub).headSha());

        replace(git.resolve("config"), "[remote \"origin\"]\n\turl = git@github.com:team/other.git\n");
        assertEquals(Optional.of("team/other"), cache.of(sub).repoSlug());
        assertEquals(GitContext.of(sub), cache.of(sub));

        Files.delete(git.resolve("HEAD"));
        Files.delete(git.resolve("config"));
        Files.delete(git.resolve("packed-refs"));
        Files.delete(git.resolve("refs/heads/main"));
        Files.delete(git.resolve("refs/heads/topic"));
        Files.delete(git.resolve("refs/heads"));
        Files.delete(git.resolve("refs"));
        Files.delete(git);
        assertEquals(GitContext.none(), cache.of(sub), "no longer a repository");
    }

    @Test
    void aWorktreeReadsItsHeadThereAndItsRefsAndOriginFromTheSharedDirectory(@TempDir Path dir) throws Exception {
        Path common = dir.resolve("tool/.git");
        Files.createDirectories(common.resolve("refs/heads"));
        Files.writeString(common.resolve("HEAD"), "ref: refs/heads/main\n");
        Files.writeString(common.resolve("config"), "[remote \"origin\"]\n\turl = https://github.com/acme/tool\n");
        Files.writeString(common.resolve("refs/heads/feature"), SHA + "\n");
        Path own = Files.createDirectories(common.resolve("worktrees/wt"));
        Files.writeString(own.resolve("HEAD"), "ref: refs/heads/feature\n");
        Files.writeString(own.resolve("commondir"), "../..\n");
        Path tree = Files.createDirectories(dir.resolve("wt"));
        Files.writeString(tree.resolve(".git"), "gitdir: " + own + "\n");
        GitContext.Cache cache = new GitContext.Cache();

        assertEquals(Optional.of("feature"), cache.of(tree).branch());
        assertEquals(Optional.of(SHA), cache.of(tree).headSha());
        assertEquals(Optional.of("acme/tool"), cache.of(tree).repoSlug());

        String next = "0123456789abcdef0123456789abcdef01234567";
        replace(common.resolve("refs/heads/feature"), next + "\n"); // a commit in the worktree
        assertEquals(Optional.of(next), cache.of(tree).headSha());
        assertEquals(GitContext.of(tree), cache.of(tree));
    }

    private static void replace(Path file, String text) throws Exception {
        Path temp = file.resolveSibling(file.getFileName() + ".lock");
        Files.writeString(temp, text);
        Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
