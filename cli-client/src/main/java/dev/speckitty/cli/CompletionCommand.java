package dev.speckitty.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code spec-kitty completion bash|zsh}: prints a completion script generated from the command tree. */
@Command(name = "completion",
        description = {
                "Print a shell completion script.",
                "bash: source <(spec-kitty completion bash)   (or save it under /etc/bash_completion.d/)",
                "zsh:  source <(spec-kitty completion zsh)    (in ~/.zshrc)"})
public final class CompletionCommand extends CliCommand {
    /** The shells a script can be generated for. */
    enum Shell { bash, zsh }

    @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh")
    Shell shell;

    @Override
    public Integer call() {
        CliContext ctx = ctx();
        String script = AutoComplete.bash("spec-kitty", Main.commandLine(ctx));
        if (shell == Shell.zsh) {
            // picocli's script runs in zsh through bashcompinit; load it first so `source` just works.
            ctx.out().println("autoload -U +X compinit && compinit");
            ctx.out().println("autoload -U +X bashcompinit && bashcompinit");
        }
        ctx.out().print(script);
        ctx.out().flush();
        return ExitCodes.OK;
    }
}
