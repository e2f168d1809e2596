package dev.speckitty.protocol.local;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sets one key in TOML text by editing lines, so that comments, spacing and every other key stay as a
 * person or the Python tool wrote them (tomlj can read TOML but not write it back). Stateless.
 * {@link ConfigFile#set} re-parses the result and refuses layouts this editor gets wrong.
 */
final class TomlLineEditor {
    private TomlLineEditor() {
    }

    /** One key of a TOML key path: bare, "basic" (with escapes) or 'literal'. */
    private static final String KEY_PART = "(?:[A-Za-z0-9_-]+|\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*')";

    /**
     * A table header line such as {@code [sync]}, {@code [sync.repo_defaults."acme/app"]} (the Python
     * tool writes those) or {@code [[servers]]}, with an optional comment. A line inside a multi-line
     * array such as {@code [1, 2],} is not one.
     */
    private static final Pattern HEADER = Pattern.compile(
            "\\s*\\[\\[?\\s*(" + KEY_PART + "(?:\\s*\\.\\s*" + KEY_PART + ")*)\\s*]]?\\s*(#.*)?", Pattern.DOTALL);

    /** The table a header names, with quotes and spaces of simple keys removed, e.g. {@code sync}. */
    private static String tableName(String keyPath) {
        return keyPath.replaceAll("\\s*\\.\\s*", ".").replaceAll("\"([A-Za-z0-9_-]+)\"", "$1").replaceAll("'([A-Za-z0-9_-]+)'", "$1");
    }

    /**
     * Replaces {@code name = …} inside {@code [table]} (or {@code table.name = …} before the first
     * table), keeping the line's indentation and trailing comment; or appends it to the table; or
     * appends the table.
     */
    static String set(String text, String table, String name, String literal) {
        List<String> lines = new ArrayList<>(text.isEmpty() ? List.of() : List.of(text.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        String assignment = name + " = " + literal;
        Pattern inTable = assignmentOf(Pattern.quote(name));
        Pattern inRoot = assignmentOf(Pattern.quote(table) + "\\s*\\.\\s*\"?" + Pattern.quote(name));
        Pattern anyRootKeyOfTable = Pattern.compile("\\s*\"?" + Pattern.quote(table) + "\"?\\s*\\..*", Pattern.DOTALL);
        boolean inRootSection = true;
        int lastRootKeyOfTable = -1;
        int tableStart = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher header = HEADER.matcher(line);
            if (header.matches()) {
                inRootSection = false;
                if (tableStart >= 0) {
                    lines.add(lastContentLine(lines, tableStart, i) + 1, assignment);
                    return String.join("\n", lines) + "\n";
                }
                if (tableName(header.group(1)).equals(table) && !line.trim().startsWith("[[")) {
                    tableStart = i;
                }
                continue;
            }
            if (inRootSection && anyRootKeyOfTable.matcher(line).matches()) {
                lastRootKeyOfTable = i;
            }
            Pattern target = tableStart >= 0 ? inTable : inRootSection ? inRoot : null;
            Matcher m = target == null ? null : target.matcher(line);
            if (m != null && m.matches()) {
                String kept = tableStart >= 0 ? assignment : table + "." + assignment;
                lines.set(i, m.group(1) + kept + trailingComment(m.group(2)));
                return String.join("\n", lines) + "\n";
            }
        }
        if (tableStart >= 0) {
            lines.add(lastContentLine(lines, tableStart, lines.size()) + 1, assignment);
        } else if (lastRootKeyOfTable >= 0) {
            // The table exists through dotted keys; TOML forbids opening it again with a header.
            lines.add(lastRootKeyOfTable + 1, table + "." + assignment);
        } else {
            if (!lines.isEmpty()) {
                lines.add("");
            }
            lines.add("[" + table + "]");
            lines.add(assignment);
        }
        return String.join("\n", lines) + "\n";
    }

    /**
     * Removes the line that sets {@code name} inside {@code [table]} (or {@code table.name} before the
     * first table); the text unchanged when no line sets it.
     */
    static String unset(String text, String table, String name) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        Pattern inTable = assignmentOf(Pattern.quote(name));
        Pattern inRoot = assignmentOf(Pattern.quote(table) + "\\s*\\.\\s*\"?" + Pattern.quote(name));
        boolean inRootSection = true;
        boolean inOurTable = false;
        for (int i = 0; i < lines.size(); i++) {
            Matcher header = HEADER.matcher(lines.get(i));
            if (header.matches()) {
                inRootSection = false;
                inOurTable = tableName(header.group(1)).equals(table) && !lines.get(i).trim().startsWith("[[");
                continue;
            }
            Pattern target = inOurTable ? inTable : inRootSection ? inRoot : null;
            if (target != null && target.matcher(lines.get(i)).matches()) {
                lines.remove(i);
                return String.join("\n", lines);
            }
        }
        return text;
    }

    /** {@code key = value}, the key bare or quoted; group 1 is the indentation, group 2 the value and the rest of the line. */
    private static Pattern assignmentOf(String quotedKey) {
        return Pattern.compile("(\\s*)\"?" + quotedKey + "\"?\\s*=(.*)", Pattern.DOTALL);
    }

    /** The comment after a value (with the spaces before it), or "" — a '#' inside a string is not one. */
    static String trailingComment(String valueAndRest) {
        char quote = 0;
        for (int i = 0; i < valueAndRest.length(); i++) {
            char c = valueAndRest.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote == '"') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '#') {
                int start = i;
                while (start > 0 && Character.isWhitespace(valueAndRest.charAt(start - 1))) {
                    start--;
                }
                return valueAndRest.substring(start);
            }
        }
        return "";
    }

    private static int lastContentLine(List<String> lines, int from, int to) {
        int last = from;
        for (int i = from; i < to; i++) {
            if (!lines.get(i).isBlank()) {
                last = i;
            }
        }
        return last;
    }
}
