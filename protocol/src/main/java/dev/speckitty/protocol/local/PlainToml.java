package dev.speckitty.protocol.local;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A reader for the plain subset of TOML that {@code config.toml} files are in practice: blank and
 * comment lines, {@code [table]} headers with bare names, and {@code bare_key = value} lines whose
 * value is a basic string without escapes, a decimal integer without sign, underscores or leading
 * zeros, or {@code true}/{@code false}, each optionally followed by a comment. It exists because
 * tomlj (an ANTLR parser) costs tens of milliseconds of every CLI start.
 *
 * <p>It never decides anything tomlj would decide differently: any line outside the subset, a
 * repeated key or table, or anything else it is unsure of answers {@code null}, and the caller then
 * parses the text with tomlj (which also produces the error messages). Stateless.
 */
final class PlainToml {
    private PlainToml() {
    }

    /** Dotted key to value (String, Long or Boolean), or {@code null} when the text is not plain. */
    static Map<String, Object> parse(String text) {
        Map<String, Object> values = new HashMap<>();
        Set<String> tables = new HashSet<>();
        String table = null;
        int pos = 0;
        int length = text.length();
        while (pos < length) {
            int end = text.indexOf('\n', pos);
            if (end < 0) {
                end = length;
            }
            int lineEnd = end > pos && text.charAt(end - 1) == '\r' ? end - 1 : end;
            String line = text.substring(pos, lineEnd);
            pos = end + 1;
            int i = skipSpace(line, 0);
            if (i == line.length()) {
                continue;
            }
            char c = line.charAt(i);
            if (c == '#') {
                if (!comment(line, i)) {
                    return null;
                }
                continue;
            }
            if (c == '[') {
                int nameEnd = bareKeyEnd(line, i + 1);
                if (nameEnd == i + 1 || nameEnd >= line.length() || line.charAt(nameEnd) != ']' || !rest(line, nameEnd + 1)) {
                    return null;
                }
                String name = line.substring(i + 1, nameEnd);
                if (!tables.add(name) || values.containsKey(name)) {
                    return null;
                }
                table = name;
                continue;
            }
            int keyEnd = bareKeyEnd(line, i);
            if (keyEnd == i) {
                return null;
            }
            String key = line.substring(i, keyEnd);
            i = skipSpace(line, keyEnd);
            if (i >= line.length() || line.charAt(i) != '=') {
                return null;
            }
            i = skipSpace(line, i + 1);
            if (i >= line.length()) {
                return null;
            }
            Object value;
            c = line.charAt(i);
            if (c == '"') {
                int close = i + 1;
                while (close < line.length() && line.charAt(close) != '"') {
                    char s = line.charAt(close);
                    if (s == '\\' || (s < 0x20 && s != '\t') || s == 0x7f) {
                        return null;
                    }
                    close++;
                }
                if (close >= line.length()) {
                    return null;
                }
                value = line.substring(i + 1, close);
                i = close + 1;
            } else if (line.startsWith("true", i)) {
                value = Boolean.TRUE;
                i += 4;
            } else if (line.startsWith("false", i)) {
                value = Boolean.FALSE;
                i += 5;
            } else if (c >= '0' && c <= '9') {
                int digitsEnd = i;
                while (digitsEnd < line.length() && line.charAt(digitsEnd) >= '0' && line.charAt(digitsEnd) <= '9') {
                    digitsEnd++;
                }
                if ((c == '0' && digitsEnd - i > 1) || digitsEnd - i > 18) {
                    return null; // leading zeros are an error; very long numbers may overflow: tomlj decides
                }
                value = Long.parseLong(line.substring(i, digitsEnd));
                i = digitsEnd;
            } else {
                return null;
            }
            if (!rest(line, i)) {
                return null;
            }
            String dotted = table == null ? key : table + "." + key;
            if (values.containsKey(dotted) || tables.contains(dotted) || values.put(dotted, value) != null) {
                return null;
            }
        }
        return values;
    }

    private static int skipSpace(String line, int i) {
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    /** Index after the bare key (A-Z a-z 0-9 _ -) starting at {@code i}; {@code i} when there is none. */
    private static int bareKeyEnd(String line, int i) {
        while (i < line.length()) {
            char c = line.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
                break;
            }
            i++;
        }
        return i;
    }

    /** Only spaces, then nothing or a comment, from {@code i}. */
    private static boolean rest(String line, int i) {
        i = skipSpace(line, i);
        return i == line.length() || (line.charAt(i) == '#' && comment(line, i));
    }

    /** A comment from the {@code #} at {@code i}: no control characters but tab. */
    private static boolean comment(String line, int i) {
        for (int j = i + 1; j < line.length(); j++) {
            char c = line.charAt(j);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return false;
            }
        }
        return true;
    }
}
