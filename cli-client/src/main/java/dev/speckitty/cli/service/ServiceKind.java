package dev.speckitty.cli.service;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The per-user service managers we can install the daemon under, with where each keeps its files. */
public enum ServiceKind {
    SYSTEMD("spec-kitty-sync.service") {
        @Override
        public Path directory(Path userHome, Map<String, String> env) {
            String xdg = env.get("XDG_CONFIG_HOME");
            Path config = xdg != null && !xdg.isBlank() ? Path.of(xdg) : userHome.resolve(".config");
            return config.resolve("systemd/user");
        }

        @Override
        String escape(String value) {
            // Inside a double-quoted systemd value: quotes and backslashes are escaped, % is a specifier.
            return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("%", "%%");
        }

        @Override
        public List<List<String>> activate(Path file) {
            return List.of(List.of("systemctl", "--user", "daemon-reload"),
                    List.of("systemctl", "--user", "enable", "--now", "spec-kitty-sync.service"));
        }

        @Override
        public List<List<String>> deactivate(Path file) {
            return List.of(List.of("systemctl", "--user", "disable", "--now", "spec-kitty-sync.service"));
        }

        @Override
        public String inspectCommand() {
            return "systemctl --user status spec-kitty-sync   (logs: journalctl --user -u spec-kitty-sync)";
        }
    },
    LAUNCHD("dev.speckitty.sync.plist") {
        @Override
        public Path directory(Path userHome, Map<String, String> env) {
            return userHome.resolve("Library/LaunchAgents");
        }

        @Override
        String escape(String value) {
            return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
        }

        @Override
        public List<List<String>> activate(Path file) {
            return List.of(List.of("launchctl", "load", "-w", file.toString()));
        }

        @Override
        public List<List<String>> deactivate(Path file) {
            return List.of(List.of("launchctl", "unload", "-w", file.toString()));
        }

        @Override
        public String inspectCommand() {
            return "launchctl list dev.speckitty.sync";
        }
    };

    private final String fileName;

    ServiceKind(String fileName) {
        this.fileName = fileName;
    }

    /** The file name of the unit or plist; also the template's name in the distribution's {@code service/}. */
    public String fileName() {
        return fileName;
    }

    /** The directory the service manager reads per-user services from. */
    public abstract Path directory(Path userHome, Map<String, String> env);

    /** Escapes a value for the file's syntax. */
    abstract String escape(String value);

    /** Commands that load and start the service once its file is written. */
    public abstract List<List<String>> activate(Path file);

    /** Commands that stop and unload the service before its file is removed. */
    public abstract List<List<String>> deactivate(Path file);

    /** What a user runs to look at the installed service. */
    public abstract String inspectCommand();

    /** The right manager for an operating system name ({@code os.name}). */
    public static ServiceKind forOs(String osName) {
        return osName.toLowerCase(Locale.ROOT).contains("mac") ? LAUNCHD : SYSTEMD;
    }
}
