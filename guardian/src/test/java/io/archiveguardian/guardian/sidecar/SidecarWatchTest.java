package io.archiveguardian.guardian.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.archiveguardian.guardian.cli.CliRun;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.events.StateChangeEvent;
import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.testsupport.SmallFilesystemExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The watch duty inside the running sidecar: real ballast joined to its disk, the status API, pressure events. */
class SidecarWatchTest {

    static final long MIB = SmallFilesystemExtension.MIB;

    @RegisterExtension
    final SmallFilesystemExtension disk = SmallFilesystemExtension.ext4(128 * MIB);

    @Test
    void theStatusApiHasEachDisksPressureWithItsArmedBallastAndAPressureChangeRaisesAnEvent() throws Exception {
        Path logDir = Files.createDirectory(disk.root().resolve("kafka-logs"));
        CliRun arm = CliRun.of("ballast", "arm", "--logdir", logDir.toString(), "--size", "16M", "--tiers", "4");
        assertThat(arm.exitCode()).as(arm.err()).isZero();
        // ratios only: a 128 MiB disk would be critical by the default floors
        var settings = SettingsResolver.resolve(GuardianConfig.of(Map.of("log.dirs", logDir.toString(),
                "http.listen", "127.0.0.1:0", "scan.interval.ms", "600000", "pressure.warn.floor.bytes", "0",
                "pressure.high.floor.bytes", "0", "pressure.critical.floor.bytes", "0")));
        try (SidecarServer server = SidecarServer.start(settings)) {
            Sidecar sidecar = server.sidecar();
            sidecar.runPass();
            JsonNode first = status(server);
            JsonNode disk0 = first.at("/watch/disks/0");
            assertThat(disk0.get("mount").asText()).isEqualTo(disk.root().toString());
            assertThat(disk0.get("ballast_bytes").asLong()).isEqualTo(16 * MIB);
            assertThat(disk0.at("/pressure/level").asText()).isEqualTo("ok");
            assertThat(disk0.at("/forecast/trend").asText()).isEqualTo("insufficient-data");
            assertThat(disk0.at("/forecast/time_to_full_seconds").isMissingNode()).isTrue();
            assertThat(first.at("/watch/log_dirs/0/path").asText()).isEqualTo(logDir.toString());

            long total = disk0.get("total_bytes").asLong();
            Files.write(disk.root().resolve("data"), new byte[(int) (0.88 * total) - (int) (total - disk0.get("usable_bytes").asLong())]);
            sidecar.runPass();
            JsonNode warn = status(server).at("/watch/disks/0/pressure");
            assertThat(warn.get("level").asText()).isEqualTo("warn");
            assertThat(warn.get("level_without_ballast").asText()).isEqualTo("ok");
            assertThat(sidecar.events().recent()).extracting(StateChangeEvent::subject, StateChangeEvent::previousState,
                    StateChangeEvent::state).contains(Tuple.tuple("disk:" + disk.root(), "OK", "WARN"));
        }
    }

    @Test
    void guardianStatusCountsArmedBallastAsReclaimableOnItsDisk() throws Exception {
        Path logDir = Files.createDirectory(disk.root().resolve("kafka-logs"));
        CliRun arm = CliRun.of("ballast", "arm", "--logdir", logDir.toString(), "--size", "16M", "--tiers", "2");
        assertThat(arm.exitCode()).as(arm.err()).isZero();
        CliRun json = CliRun.of("status", "--logdir", logDir.toString(), "--output", "json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode status = Json.MAPPER.readTree(json.out());
        assertThat(status.at("/ballast/0/armed_bytes").asLong()).isEqualTo(16 * MIB);
        assertThat(status.at("/watch/disks/0/ballast_bytes").asLong()).isEqualTo(16 * MIB);
        CliRun text = CliRun.of("status", "--logdir", logDir.toString());
        // a 128 MiB disk 14% used is ok, with or without its ballast (the floors scale with the disk;
        // the 1 GiB critical floor once made any disk this small critical)
        assertThat(text.out()).contains("; 16 MiB ballast reclaimable (ok without it)\n");
    }

    private static JsonNode status(SidecarServer server) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(server.baseUrl() + "/api/v1/status")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body());
    }
}
