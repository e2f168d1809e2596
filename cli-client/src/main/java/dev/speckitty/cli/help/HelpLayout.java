package dev.speckitty.cli.help;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The help pages' text sections, wrapped at spaces only: picocli's own layout breaks lines with a
 * {@code BreakIterator}, which splits words such as {@code queue.db} and JSON examples. Lists are two
 * columns (names, text), the text column indented under itself. Stateless.
 */
public final class HelpLayout {
    /** Columns of a help page; 80 unless {@code COLUMNS} says the terminal is wider or narrower. */
    static final int WIDTH = width(System.getenv("COLUMNS"));
    private static final int MAX_NAME_COLUMN = 28;

    private HelpLayout() {
    }

    /** Puts these renderers on {@code cmd} and every command under it. */
    public static void apply(CommandLine cmd, String footer) {
        Map<String, CommandLine.IHelpSectionRenderer> sections = cmd.getHelpSectionMap();
        sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_DESCRIPTION, HelpLayout::description);
        sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_PARAMETER_LIST, HelpLayout::parameters);
        sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST, HelpLayout::options);
        sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, HelpLayout::commands);
        sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_EXIT_CODE_LIST, HelpLayout::exitCodes);
        // The lists below carry their own headings.
        for (String heading : new String[] {CommandLine.Model.UsageMessageSpec.SECTION_KEY_PARAMETER_LIST_HEADING,
                CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING,
                CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING,
                CommandLine.Model.UsageMessageSpec.SECTION_KEY_EXIT_CODE_LIST_HEADING,
                CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER_HEADING}) {
            sections.put(heading, help -> "");
        }
        sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER, help -> "\n" + wrap(footer, 0, WIDTH) + "\n");
        cmd.getCommandSpec().usageMessage().width(WIDTH);
        cmd.getSubcommands().values().forEach(sub -> apply(sub, footer));
    }

    private static String description(Help help) {
        StringBuilder b = new StringBuilder();
        for (String paragraph : help.commandSpec().usageMessage().description()) {
            b.append(wrap(paragraph, 0, WIDTH)).append('\n');
        }
        return b.toString();
    }

    private static String parameters(Help help) {
        Map<String, String> rows = new LinkedHashMap<>();
        for (PositionalParamSpec p : help.commandSpec().positionalParameters()) {
            if (!p.hidden()) {
                rows.put(p.paramLabel(), text(p));
            }
        }
        return rows.isEmpty() ? "" : "\nArguments:\n" + table(rows);
    }

    private static String options(Help help) {
        List<OptionSpec> own = new ArrayList<>();
        List<OptionSpec> inherited = new ArrayList<>();
        for (OptionSpec o : help.commandSpec().options()) {
            if (!o.hidden()) {
                (o.inherited() ? inherited : own).add(o);
            }
        }
        StringBuilder b = new StringBuilder();
        if (!own.isEmpty()) {
            b.append("\nOptions:\n").append(table(optionRows(own)));
        }
        if (!inherited.isEmpty()) {
            b.append("\nGlobal options:\n").append(table(optionRows(inherited)));
        }
        return b.toString();
    }

    private static Map<String, String> optionRows(List<OptionSpec> options) {
        List<OptionSpec> sorted = new ArrayList<>(options);
        sorted.sort(java.util.Comparator.comparing(HelpLayout::sortKey));
        Map<String, String> rows = new LinkedHashMap<>();
        for (OptionSpec o : sorted) {
            String shortName = o.shortestName().length() == 2 ? o.shortestName() : null;
            StringBuilder names = new StringBuilder(shortName == null ? "    " : shortName + ", ");
            names.append(o.longestName().equals(shortName) ? "" : o.longestName());
            if (o.typeInfo().isBoolean() || o.arity().max() == 0) {
                rows.put(names.toString(), text(o));
            } else {
                rows.put(names + "=" + o.paramLabel(), text(o));
            }
        }
        return rows;
    }

    private static String sortKey(OptionSpec o) {
        return o.longestName().replaceFirst("^-+", "");
    }

    private static String commands(Help help) {
        Map<String, String> rows = new LinkedHashMap<>();
        for (Map.Entry<String, CommandLine> e : help.commandSpec().subcommands().entrySet()) {
            CommandSpec sub = e.getValue().getCommandSpec();
            if (sub.usageMessage().hidden()) {
                continue;
            }
            String[] description = sub.usageMessage().description();
            rows.put(e.getKey(), description.length == 0 ? "" : firstSentence(description[0]));
        }
        return rows.isEmpty() ? "" : "\nCommands:\n" + table(rows);
    }

    private static String exitCodes(Help help) {
        Map<String, String> codes = help.commandSpec().usageMessage().exitCodeList();
        if (codes.isEmpty()) {
            return "";
        }
        Map<String, String> rows = new LinkedHashMap<>();
        codes.forEach((code, text) -> rows.put(code.trim(), text));
        return "\nExit codes:\n" + table(rows);
    }

    private static String text(ArgSpec arg) {
        return String.join(" ", arg.renderedDescription());
    }

    /** The first sentence, for the command list (each command's page has the rest). */
    static String firstSentence(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\. (?=[A-Z])").matcher(text);
        return m.find() ? text.substring(0, m.start() + 1) : text;
    }

    /** Two columns, two spaces in; a name too long for the column gets the text on the next line. */
    static String table(Map<String, String> rows) {
        int column = 0;
        for (String name : rows.keySet()) {
            column = Math.max(column, Math.min(MAX_NAME_COLUMN, name.length()));
        }
        int indent = 2 + column + 3;
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> row : rows.entrySet()) {
            String name = "  " + row.getKey();
            String body = wrap(row.getValue(), indent, WIDTH);
            if (name.length() + 3 > indent) {
                b.append(name).append('\n').append(body.isEmpty() ? "" : body + "\n");
            } else {
                b.append(name).append(" ".repeat(indent - name.length())).append(body.substring(Math.min(indent, body.length()))).append('\n');
            }
        }
        return b.toString();
    }

    /** {@code text} wrapped at spaces to {@code width}, every line indented by {@code indent}; a longer word keeps its own line. */
    public static String wrap(String text, int indent, int width) {
        StringBuilder out = new StringBuilder();
        StringBuilder line = new StringBuilder(" ".repeat(indent));
        boolean empty = true;
        for (String word : text.trim().split(" +")) {
            if (word.isEmpty()) {
                continue;
            }
            if (!empty && line.length() + 1 + word.length() > width) {
                out.append(line).append('\n');
                line = new StringBuilder(" ".repeat(indent));
                empty = true;
            }
            if (!empty) {
                line.append(' ');
            }
            line.append(word);
            empty = false;
        }
        if (!empty) {
            out.append(line);
        }
        return out.toString();
    }

    static int width(String columns) {
        try {
            int n = columns == null ? 80 : Integer.parseInt(columns.trim());
            return Math.max(60, Math.min(120, n));
        } catch (NumberFormatException e) {
            return 80;
        }
    }
}
