package dev.speckitty.protocol.local;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The keys of {@code config.toml} that this tool reads and {@code spec-kitty config set} may write. */
public enum ConfigKey {
    SERVER_URL("sync", "server_url", Kind.STRING, 0, "team server URL (https://…; http:// only for loopback)"),
    MAX_QUEUE_SIZE("sync", "max_queue_size", Kind.POSITIVE_INT, Long.MAX_VALUE, "events the queue may hold before new ones are refused (default 1000000)"),
    WEBSOCKET("sync", "websocket", Kind.BOOLEAN, 0, "keep a WebSocket open for live sync (default true); false = periodic drains"),
    BATCH_SIZE("sync", "batch_size", Kind.POSITIVE_INT, 1000, "events per upload batch, 1..1000 (default 1000)"),
    PARK_AFTER_REJECTIONS("sync", "park_after_rejections", Kind.POSITIVE_INT, 1_000_000, "rejections before an event is parked (default 3)"),
    POLL_INTERVAL_SECONDS("sync", "poll_interval_seconds", Kind.POSITIVE_INT, 86_400, "seconds between drains when the WebSocket is off (default 30)"),
    SCHEMA("sync", "schema", Kind.STRING, 0, "event schema new events are written in: \"2\" (spec-kitty 2.x, default) or \"3\" (3.x envelopes)");

    /** The TOML value kinds a key may have. */
    public enum Kind { STRING, POSITIVE_INT, BOOLEAN }

    private final String table;
    private final String key;
    private final Kind kind;
    private final long max;
    private final String description;

    ConfigKey(String table, String name, Kind kind, long max, String description) {
        this.table = table;
        this.key = name;
        this.kind = kind;
        this.max = max;
        this.description = description;
    }

    /** The largest value a {@link Kind#POSITIVE_INT} key accepts (the smallest is 1); 0 for other kinds. */
    public long maxValue() {
        return max;
    }

    public String table() {
        return table;
    }

    /** The key inside its table, e.g. {@code server_url}. */
    public String key() {
        return key;
    }

    public Kind kind() {
        return kind;
    }

    public String description() {
        return description;
    }

    /** The value that applies when the file does not set this key, as {@code config get} prints it; empty for the server URL. */
    public Optional<String> defaultText() {
        SyncConfig d = SyncConfig.defaults();
        return switch (this) {
            case SERVER_URL -> Optional.empty();
            case MAX_QUEUE_SIZE -> Optional.of(Long.toString(d.maxQueueSize()));
            case WEBSOCKET -> Optional.of(Boolean.toString(d.websocket()));
            case BATCH_SIZE -> Optional.of(Integer.toString(d.batchSize()));
            case PARK_AFTER_REJECTIONS -> Optional.of(Integer.toString(d.parkAfterRejections()));
            case POLL_INTERVAL_SECONDS -> Optional.of(Integer.toString(d.pollIntervalSeconds()));
            case SCHEMA -> Optional.of(schemaText(d.schema()));
        };
    }

    /** The {@code sync.schema} value of a generation: "2" or "3". */
    public static String schemaText(dev.speckitty.protocol.event.Generation g) {
        return g == dev.speckitty.protocol.event.Generation.V3 ? "3" : "2";
    }

    /** The generation a {@code sync.schema} value names, if it is "2" or "3". */
    public static Optional<dev.speckitty.protocol.event.Generation> schemaOf(String value) {
        return switch (value.trim()) {
            case "2" -> Optional.of(dev.speckitty.protocol.event.Generation.V2);
            case "3" -> Optional.of(dev.speckitty.protocol.event.Generation.V3);
            default -> Optional.empty();
        };
    }

    /** The dotted key users type, e.g. {@code sync.server_url}. */
    public String dotted() {
        return table + "." + key;
    }

    /** The key for a dotted name, if it is one of ours. */
    public static Optional<ConfigKey> fromDotted(String dotted) {
        return Arrays.stream(values()).filter(k -> k.dotted().equals(dotted)).findFirst();
    }

    /** All dotted names, for help text and errors. */
    public static List<String> dottedNames() {
        return Arrays.stream(values()).map(ConfigKey::dotted).toList();
    }

    /** Converts user text to the TOML literal for this key, or throws saying what is expected. */
    public String toTomlLiteral(String value) {
        return switch (kind) {
            case STRING -> {
                if (this == SERVER_URL) {
                    ServerUrl.parse(value);
                }
                if (this == SCHEMA) {
                    yield Toml.quote(schemaOf(value).map(ConfigKey::schemaText).orElseThrow(() -> new IllegalArgumentException(
                            dotted() + ": '" + value + "' (expected: 2 for spec-kitty 2.x events or 3 for 3.x envelopes)")));
                }
                yield Toml.quote(value);
            }
            case POSITIVE_INT -> {
                // One range for `config set` and for reading the file, so set never writes what load refuses.
                String expected = max == Long.MAX_VALUE ? "an integer >= 1" : "1.." + max;
                try {
                    long n = Long.parseLong(value.trim());
                    if (n < 1 || n > max) {
                        throw new NumberFormatException();
                    }
                    yield Long.toString(n);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(dotted() + ": '" + value + "' (expected: " + expected + ")");
                }
            }
            case BOOLEAN -> {
                String v = value.trim().toLowerCase(Locale.ROOT);
                if (!v.equals("true") && !v.equals("false")) {
                    throw new IllegalArgumentException(dotted() + ": '" + value + "' (expected: true or false)");
                }
                yield v;
            }
        };
    }
}
