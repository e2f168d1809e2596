package dev.speckitty.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that only groups others ({@code sync}, {@code auth}, …): run alone it prints its help
 * page with the list of its commands, as {@code gh pr} or {@code kubectl config} do.
 */
public abstract class GroupCommand implements Runnable {
    @Spec
    protected CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
