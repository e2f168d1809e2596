package dev.speckitty.cli;

import dev.speckitty.cli.auth.AuthCommand;
import dev.speckitty.cli.auth.AuthLoginCommand;
import dev.speckitty.cli.auth.AuthLogoutCommand;
import dev.speckitty.cli.auth.AuthStatusCommand;
import dev.speckitty.cli.config.ConfigCommand;
import dev.speckitty.cli.daemon.DaemonCommand;
import dev.speckitty.cli.daemon.DaemonLogsCommand;
import dev.speckitty.cli.daemon.DaemonRestartCommand;
import dev.speckitty.cli.daemon.DaemonRunCommand;
import dev.speckitty.cli.daemon.DaemonStartCommand;
import dev.speckitty.cli.daemon.DaemonStatusCommand;
import dev.speckitty.cli.daemon.DaemonStopCommand;
import dev.speckitty.cli.events.EventsCommand;
import dev.speckitty.cli.events.EventsEmitCommand;
import dev.speckitty.cli.events.EventsImportCommand;
import dev.speckitty.cli.events.EventsListCommand;
import dev.speckitty.cli.help.HelpCommand;
import dev.speckitty.cli.service.ServiceCommands;
import dev.speckitty.cli.sync.SyncCommand;
import dev.speckitty.cli.sync.SyncNowCommand;
import dev.speckitty.cli.sync.SyncStatusCommand;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * The command tree, built lazily: picocli reads the annotations of every command it is given, which
 * costs more start-up time than the command itself, so a command line only gets the branch its
 * arguments name (the whole tree for help, completion, and anything it cannot place). Stateless.
 */
final class CommandTree {
    /** One top-level command: its own object and its subcommands, in help order. */
    private record Group(Supplier<Object> command, Map<String, Supplier<Object>> subcommands) {
    }

    private static final Map<String, Group> GROUPS = new LinkedHashMap<>();

    static {
        GROUPS.put("sync", new Group(SyncCommand::new, new Branch()
                .add("now", SyncNowCommand::new)
                .add("status", SyncStatusCommand::new).commands));
        GROUPS.put("auth", new Group(AuthCommand::new, new Branch()
                .add("login", AuthLoginCommand::new)
                .add("logout", AuthLogoutCommand::new)
                .add("status", AuthStatusCommand::new).commands));
        GROUPS.put("daemon", new Group(DaemonCommand::new, new Branch()
                .add("start", DaemonStartCommand::new)
                .add("stop", DaemonStopCommand::new)
                .add("restart", DaemonRestartCommand::new)
                .add("status", DaemonStatusCommand::new)
                .add("run", DaemonRunCommand::new)
                .add("logs", DaemonLogsCommand::new)
                .add("install", ServiceCommands.Install::new)
                .add("uninstall", ServiceCommands.Uninstall::new).commands));
        GROUPS.put("events", new Group(EventsCommand::new, new Branch()
                .add("emit", EventsEmitCommand::new)
                .add("import", EventsImportCommand::new)
                .add("list", EventsListCommand::new)
                .add("parked", dev.speckitty.cli.events.EventsParkedCommand::new)
                .add("retry", dev.speckitty.cli.events.EventsRetryCommand::new)
                .add("discard", dev.speckitty.cli.events.EventsDiscardCommand::new)
                .add("move", dev.speckitty.cli.events.EventsMoveCommand::new).commands));
        GROUPS.put("config", new Group(ConfigCommand::new, new Branch()
                .add("get", ConfigCommand.Get::new)
                .add("set", ConfigCommand.Set::new)
                .add("unset", ConfigCommand.Unset::new)
                .add("list", ConfigCommand.ListKeys::new).commands));
        GROUPS.put("version", new Group(VersionCommand::new, Map.of()));
        GROUPS.put("completion", new Group(CompletionCommand::new, Map.of()));
    }

    private CommandTree() {
    }

    /** Adds every command under {@code root}. */
    static void addAll(CommandLine root) {
        GROUPS.forEach((name, group) -> root.addSubcommand(name, group(group, Optional.empty())));
        root.addSubcommand("help", new HelpCommand());
    }

    /** Adds only the branch {@code args} name; everything when they name no known command. */
    static void addFor(CommandLine root, String[] args) {
        List<String> words = java.util.Arrays.stream(args).filter(a -> !a.startsWith("-")).limit(2).toList();
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            return; // the version needs no command model at all
        }
        Group group = words.isEmpty() ? null : GROUPS.get(words.get(0));
        if (group == null) {
            addAll(root);
            return;
        }
        Optional<String> sub = words.size() > 1 && group.subcommands().containsKey(words.get(1)) ? Optional.of(words.get(1)) : Optional.empty();
        root.addSubcommand(words.get(0), group(group, sub));
    }

    private static CommandLine group(Group group, Optional<String> only) {
        CommandLine cmd = new CommandLine(group.command().get());
        group.subcommands().forEach((name, factory) -> {
            if (only.isEmpty() || only.get().equals(name)) {
                cmd.addSubcommand(name, new CommandLine(factory.get()));
            }
        });
        return cmd;
    }

    /** Builds one group's subcommands in help order. */
    private static final class Branch {
        final Map<String, Supplier<Object>> commands = new LinkedHashMap<>();

        Branch add(String name, Supplier<Object> factory) {
            commands.put(name, factory);
            return this;
        }
    }
}
