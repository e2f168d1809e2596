package dev.speckitty.server.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.LoggerFactory;

/**
 * Sends every log line to stderr, so stdout carries only the command's own output (for {@code run},
 * exactly the one {@code listening on} line). Configured in code, not by a logback.xml, so that the
 * server's jar does not fight other modules' configuration on a shared class path.
 */
public final class ServerLogging {
    private ServerLogging() {
    }

    public static void toStderr(boolean verbose) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            return;
        }
        ctx.reset();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{24} - %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(ctx);
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        root.setLevel(verbose ? Level.INFO : Level.WARN);
        ctx.getLogger("com.zaxxer.hikari").setLevel(Level.WARN);
        ctx.getLogger("io.netty").setLevel(Level.WARN);
    }
}
