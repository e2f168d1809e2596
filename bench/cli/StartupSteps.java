import dev.speckitty.cli.CliContext;
import dev.speckitty.protocol.control.StatusResponse;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.local.ConfigFile;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * Times each start-up step of the CLI once, in a fresh JVM (run by startup.sh with the source
 * launcher): the context, picocli's first command model, config.toml through tomlj, Jackson's first
 * mapper use, and a StatusResponse read. Prints tab-separated name=ms pairs.
 */
public class StartupSteps {
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("sk-steps");
        Path config = Files.writeString(dir.resolve("config.toml"), "[sync]\nserver_url = \"https://sync.example.com\"\n");
        long t0 = System.nanoTime();
        CliContext.system();
        long t1 = System.nanoTime();
        new CommandLine(new dev.speckitty.cli.sync.SyncStatusCommand());
        long t2 = System.nanoTime();
        ConfigFile.load(config);
        long t3 = System.nanoTime();
        Json.mapper();
        long t4 = System.nanoTime();
        Json.read("{\"version\":\"0\",\"pid\":1,\"uptime_s\":1,\"server_url\":null,\"connection\":\"connected\",\"last_error\":null,"
                + "\"next_retry_at\":null,\"user\":null,\"team\":null,\"queue\":{\"depth\":0,\"oldest_age_s\":0,\"retries\":{},\"parked\":0},"
                + "\"last_sync\":null,\"cursor\":\"0\",\"clock\":0,\"node_id\":\"x\",\"inbox\":0}", StatusResponse.class);
        long t5 = System.nanoTime();
        System.out.printf("context=%d\tpicocli first model=%d\tconfig.toml (tomlj)=%d\tJackson mapper=%d\tStatusResponse read=%d%n",
                ms(t1 - t0), ms(t2 - t1), ms(t3 - t2), ms(t4 - t3), ms(t5 - t4));
        Files.delete(config);
        Files.delete(dir);
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
