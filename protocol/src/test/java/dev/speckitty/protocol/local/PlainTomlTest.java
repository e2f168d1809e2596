package dev.speckitty.protocol.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tomlj.TomlParseResult;

class PlainTomlTest {
    /** Texts the plain reader must read exactly as tomlj does. */
    private static final List<String> PLAIN = List.of(
            "",
            "\n\n",
            "# only a comment\n",
            "[sync]\nserver_url = \"https://sync.example.com\"\n",
            "[sync]\r\nserver_url = \"https://sync.example.com\"\r\nbatch_size = 500\r\n",
            "  [sync]   # the table\n\tserver_url=\"http://127.0.0.1:9\"# trailing\nwebsocket = false\nmax_queue_size = 0\n",
            "top = 1\n[sync]\nwebsocket = true\npark_after_rejections = 3\n[other]\nkey-1 = \"ünïcødé \t tab\"\n",
            "[sync]\nserver_url = \"\"\npoll_interval_seconds = 999999999999999999\n",
            "[sync]\nserver_url = \"https://a.example\"",
            "[sync]\nbatch_size = 0 # zero is a valid integer; the range is checked later\n");

    /** Texts outside the subset (valid TOML or not): the plain reader must step aside. */
    private static final List<String> NOT_PLAIN = List.of(
            "[sync]\nserver_url = 'literal'\n",
            "[sync]\nserver_url = \"with \\\"escape\\\"\"\n",
            "[sync]\nbatch_size = 1_000\n",
            "[sync]\nbatch_size = +5\n",
            "[sync]\nbatch_size = 007\n",
            "[sync]\nbatch_size = 9999999999999999999\n",
            "[sync]\nbatch_size = 1.5\n",
            "[sync]\nwebsocket = truely\n",
            "[sync]\nbatch_size = 5 6\n",
            "sync.server_url = \"https://a.example\"\n",
            "[sync.sub]\nx = 1\n",
            "[[sync]]\nx = 1\n",
            "[ sync ]\nx = 1\n",
            "[sync]\n\"quoted\" = 1\n",
            "[sync]\nx = 1\nx = 2\n",
            "[sync]\nx = 1\n[sync]\ny = 2\n",
            "sync = 1\n[sync]\nx = 1\n",
            "[sync]\nx = \"unterminated\n",
            "[sync]\nx = \"a\u0001b\"\n",
            "# bad \u0000 comment\n",
            "[sync]\nx = \"a\rb\"\n",
            "\uFEFF[sync]\nx = 1\n",
            "[sync]\nx =\n",
            "[sync]\nx = [1, 2]\n",
            "[sync]\nx = { a = 1 }\n",
            "[sync]\nx = 1979-05-27\n",
            "[]\n",
            "[sync\n",
            "= 1\n");

    @Test
    void readsThePlainSubsetExactlyAsTomljDoes() {
        for (String text : PLAIN) {
            Map<String, Object> plain = PlainToml.parse(text);
            assertNotNull(plain, text);
            TomlParseResult toml = org.tomlj.Toml.parse(text);
            assertFalse(toml.hasErrors(), text);
            Map<String, Object> expected = new HashMap<>();
            for (String key : toml.dottedKeySet()) {
                if (!toml.isTable(key)) {
                    expected.put(key, toml.get(key));
                }
            }
            assertEquals(expected, plain, text);
        }
    }

    @Test
    void leavesEverythingElseToTomlj() {
        for (String text : NOT_PLAIN) {
            assertNull(PlainToml.parse(text), text);
        }
    }
}
