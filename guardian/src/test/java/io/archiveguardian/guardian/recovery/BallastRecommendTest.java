package io.archiveguardian.guardian.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.archiveguardian.guardian.cli.CliRun;
import io.archiveguardian.guardian.json.Json;
import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BallastRecommendTest {

    static final long MIB = 1024 * 1024;

    @TempDir
    Path tmp;

    @Test
    void sizesTheBallastFromTheRecordedWriteRateTimesTheOutagePlusRecoveryAndMargin() throws Exception {
        Path logDir = logDir();
        Path state = tmp.resolve("state");
        new GrowthRecord(Instant.now(), Map.of(logDir.toString(), new GrowthRecord.LogDir(1.0 * MIB, Instant.now()))).write(state);

        CliRun run = CliRun.of("ballast", "recommend", "--logdir", logDir.toString(), "--outage", "10m",
                "--config", config(state).toString(), "--output", "json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode r = Json.MAPPER.readTree(run.out()).at("/recommendations/0");
        assertThat(r.at("/rate_source").asText()).isEqualTo("recorded by the sidecar");
        assertThat(r.at("/need/catch_up_bytes").asLong()).isBetween(600 * MIB, 604 * MIB);
        // catch-up + 10% margin, rounded up to MiB
        assertThat(r.at("/recommended_bytes").asLong()).isBetween(660 * MIB, 666 * MIB);
        CliRun text = CliRun.of("ballast", "recommend", "--logdir", logDir.toString(), "--outage", "10m",
                "--config", config(state).toString());
        assertThat(text.out()).contains("in the guardian's properties: reserve.size=").contains("x 10 min outage");
    }

    @Test
    void withoutARecordTheWriteRateIsMeasuredFromTheLogDir() throws Exception {
        Path logDir = logDir();
        Path segment = logDir.resolve("archive-0").resolve("00000000000000000000.log");
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            try (FileOutputStream out = new FileOutputStream(segment.toFile(), true)) {
                byte[] chunk = new byte[(int) (MIB / 4)];
                while (writing.get()) {
                    out.write(chunk);
                    Thread.sleep(125); // about 2 MiB/s
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        try {
            CliRun run = CliRun.of("ballast", "recommend", "--logdir", logDir.toString(), "--outage", "60m",
                    "--sample", "4s", "--config", config(tmp.resolve("no-state")).toString(), "--output", "json");
            assertThat(run.exitCode()).as(run.err()).isZero();
            JsonNode r = Json.MAPPER.readTree(run.out()).at("/recommendations/0");
            assertThat(r.at("/rate_source").asText()).isEqualTo("measured over 4 s");
            assertThat(r.at("/write_bytes_per_second").asDouble()).isBetween(1.2 * MIB, 2.4 * MIB);
        } finally {
            writing.set(false);
            writer.join();
        }
    }

    private Path logDir() throws Exception {
        Path logDir = Files.createDirectories(tmp.resolve("kafka-logs"));
        Files.writeString(logDir.resolve("meta.properties"), "node.id=1\n");
        Files.createDirectories(logDir.resolve("archive-0"));
        Files.write(logDir.resolve("archive-0").resolve("00000000000000000000.log"), new byte[(int) MIB]);
        return logDir;
    }

    private Path config(Path state) throws Exception {
        Path file = tmp.resolve("guardian.properties");
        Files.writeString(file, "state.dir=" + state + "\nrecovery.margin.min.bytes=" + 4 * MIB + "\n");
        return file;
    }
}
