package dev.speckitty.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.cli.testing.Cli;
import dev.speckitty.protocol.Version;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompletionCommandTest {
    @TempDir
    Path home;

    @Test
    void bashAndZshScriptsCoverTheCommandTree() {
        Cli cli = new Cli(home);
        Cli.Result bash = cli.run("completion", "bash");
        assertEquals(ExitCodes.OK, bash.exit(), bash.toString());
        assertTrue(bash.out().contains("complete -F _complete_spec-kitty"), bash.out());
        for (String word : new String[] {"sync", "status", "--check", "emit", "WPStatusChanged", "sync.server_url", "--password-stdin"}) {
            assertTrue(bash.out().contains(word), word);
        }
        Cli.Result zsh = cli.run("completion", "zsh");
        assertTrue(zsh.out().startsWith("autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n"), zsh.out());
        assertEquals(ExitCodes.USAGE, cli.run("completion", "fish").exit());
    }

    @Test
    void versionAndHelpListTheExitCodes() {
        Cli cli = new Cli(home);
        assertEquals("spec-kitty " + Version.current() + "\n", cli.run("--version").out());
        Cli.Result help = cli.run("sync", "now", "--help");
        assertEquals(ExitCodes.OK, help.exit());
        assertTrue(help.out().contains("Exit codes:") && help.out().contains("5   partial sync"), help.out());
    }
}
