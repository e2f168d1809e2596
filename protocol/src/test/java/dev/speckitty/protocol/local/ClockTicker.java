package dev.speckitty.protocol.local;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A separate JVM for {@link LamportClockProcessTest}: ticks the clock of a home {@code count} times and
 * writes every value it was handed to a file. Prints {@code ready} and waits for a line on stdin, so
 * the test can start all tickers at the same moment.
 * Usage: {@code ClockTicker <home> <count> <values-file> [<block>]}; with a block, the clock is a
 * reserving one (the daemon's) holding that many values ahead.
 */
public final class ClockTicker {
    private ClockTicker() {
    }

    public static void main(String[] args) throws Exception {
        SpecKittyHome home = SpecKittyHome.at(Path.of(args[0]));
        int count = Integer.parseInt(args[1]);
        LamportClock clock = args.length > 3
                ? LamportClock.reserving(home.clock(), home.clockLock(), () -> "ticker", Clock.systemUTC(), () -> 0L, Integer.parseInt(args[3]))
                : new LamportClock(home.clock(), home.clockLock(), () -> "ticker", Clock.systemUTC(), () -> 0L);
        System.out.println("ready");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if (!"go".equals(in.readLine())) {
            System.exit(2);
        }
        StringBuilder values = new StringBuilder(count * 8);
        for (int i = 0; i < count; i++) {
            values.append(clock.tick()).append('\n');
        }
        Files.writeString(Path.of(args[2]), values);
    }
}
