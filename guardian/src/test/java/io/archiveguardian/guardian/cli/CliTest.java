package io.archiveguardian.guardian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.archiveguardian.guardian.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {

    @TempDir
    Path tmp;

    @Test
    void helpListsEverySubcommandOfTheContractAndTheExitCodes() {
        CliRun run = CliRun.of("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("run", "status", "prestart", "ballast", "retention", "drop-candidates",
                "drop", "demo", "generate-completion", "10  disk too full");
    }

    @Test
    void versionNamesTheGuardianAndTheKafkaClientVersion() {
        CliRun run = CliRun.of("--version");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("guardian ").contains("Kafka clients 4.3.1");
    }

    /** The build writes the commit it built (guardian/pom.xml, build.properties); from this checkout that is HEAD. */
    @Test
    void versionNamesTheGitRevisionTheBuildCameFrom() throws Exception {
        Process git = new ProcessBuilder("git", "rev-parse", "--short=12", "HEAD").redirectErrorStream(true).start();
        String head = new String(git.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        String expected = git.waitFor() == 0 && head.matches("[0-9a-f]{12}") ? head : "unknown";
        CliRun run = CliRun.of("--version");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("(revision " + expected + ")");
    }

    @Test
    void anUnknownOptionIsBadUsageWithExitCode2() {
        CliRun run = CliRun.of("status", "--no-such-option");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unknown option: '--no-such-option'");
    }

    @Test
    void badConfigurationPrintsOneLineAndExits2() throws Exception {
        Path config = Files.writeString(tmp.resolve("g.properties"), "scan.interval.ms=fast\n");
        CliRun run = CliRun.of("status", "--config", config.toString(), "--logdir", tmp.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).startsWith("guardian: configuration: scan.interval.ms=fast: Not a number of type LONG; allowed: 100 to 3600000 milliseconds (100ms to 1h)")
                .doesNotContain("\n").doesNotContain("at io.");
    }

    @Test
    void verbosePrintsTheStackTraceOfAnExpectedFailure() {
        CliRun run = CliRun.of("--verbose", "status", "--logdir", tmp.resolve("missing").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("does not exist").contains("at io.archiveguardian");
    }

    @Test
    void statusPrintsTheLogDirItsFilesystemAndTheBrokerState() throws Exception {
        Path logDir = Files.createDirectory(tmp.resolve("kafka-logs"));
        CliRun run = CliRun.of("status", "--logdir", logDir.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Filesystems").contains("log dirs: " + logDir)
                .contains(logDir + "  online  NOT_FORMATTED: no meta.properties");
    }

    @Test
    void statusPrintsLogDirTotalsAndPressureAndSaysOnePassIsNotEnoughForAForecast() throws Exception {
        Path logDir = Files.createDirectory(tmp.resolve("kafka-logs"));
        Path partition = Files.createDirectory(logDir.resolve("archive-0"));
        Files.write(partition.resolve("00000000000000000000.log"), new byte[8192]);
        Files.write(partition.resolve("00000000000000000000.index"), new byte[4096]);
        Files.write(partition.resolve("00000000000000000000.timeindex"), new byte[4096]);
        CliRun run = CliRun.of("status", "--logdir", logDir.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("\n    pressure: (ok|warn|high|critical): ")
                .contains("\n    forecast: not enough history for a forecast (")
                .contains("\n    1 partitions, 1 segments, log 8 KiB, index 8 KiB allocated / 8 KiB apparent\n")
                .contains("; not enough history for rates\n");
    }

    @Test
    void statusAsJsonHasTheObservationInSnakeCase() throws Exception {
        Path logDir = Files.createDirectory(tmp.resolve("kafka-logs"));
        Files.writeString(logDir.resolve("meta.properties"), "node.id=3\n");
        CliRun run = CliRun.of("status", "--logdir", logDir.toString(), "--output", "json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode json = Json.MAPPER.readTree(run.out());
        JsonNode fs = json.at("/observation/filesystems/0/usage");
        assertThat(fs.get("total_bytes").asLong()).isPositive();
        assertThat(fs.get("usable_bytes").asLong()).isPositive();
        assertThat(json.at("/observation/broker_state").asText()).isEqualTo("STOPPED_UNCLEAN");
        assertThat(json.at("/observation/log_dirs/0/path").asText()).isEqualTo(logDir.toString());
        assertThat(json.at("/watch/disks/0/pressure/level").asText()).isIn("ok", "warn", "high", "critical");
        assertThat(json.at("/watch/disks/0/forecast/trend").asText()).isEqualTo("insufficient-data");
    }

    @Test
    void logdirNamesTheLogDirsWhenNothingElseDoesAndIsRepeatable() throws Exception {
        Path a = Files.createDirectory(tmp.resolve("a"));
        Path b = Files.createDirectory(tmp.resolve("b"));
        CliRun run = CliRun.of("status", "--logdir", a.toString(), "--logdir", b.toString(), "--output", "json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode json = Json.MAPPER.readTree(run.out());
        assertThat(json.at("/observation/log_dirs/0/path").asText()).isEqualTo(a.toString());
        assertThat(json.at("/observation/log_dirs/1/path").asText()).isEqualTo(b.toString());
        assertThat(run.err()).isEmpty();
    }

    @Test
    void aCommaInLogdirIsRefusedAndTheRepeatedFormItPrintsWorks() throws Exception {
        Path a = Files.createDirectory(tmp.resolve("a"));
        Path b = Files.createDirectory(tmp.resolve("b"));
        CliRun refused = CliRun.of("status", "--logdir", a + "," + b, "--output", "json");
        assertThat(refused.exitCode()).isEqualTo(2);
        String advice = refused.err().substring(refused.err().indexOf("Repeat --logdir for several: ")
                + "Repeat --logdir for several: ".length()).strip().replaceFirst("\\.$", "");

        List<String> args = new java.util.ArrayList<>(List.of("status"));
        args.addAll(List.of(advice.split(" ")));
        args.addAll(List.of("--output", "json"));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(advice + ": " + run.err()).isZero();
        JsonNode json = Json.MAPPER.readTree(run.out());
        assertThat(json.at("/observation/log_dirs/0/path").asText()).isEqualTo(a.toString());
        assertThat(json.at("/observation/log_dirs/1/path").asText()).isEqualTo(b.toString());
    }

    @Test
    void aCommandThatCoversEveryLogDirRefusesALogdirSubsetOfTheConfiguredOnes() throws Exception {
        Path a = Files.createDirectory(tmp.resolve("a"));
        Path b = Files.createDirectory(tmp.resolve("b"));
        Path config = Files.writeString(tmp.resolve("g.properties"), "log.dirs=" + a + "," + b + "\n");
        CliRun run = CliRun.of("status", "--config", config.toString(), "--logdir", a.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("guardian: --logdir " + a + ": guardian status works on every log dir of the broker ("
                + a + ", " + b + "), taken from the configuration; --logdir picks log dirs only in drop, drop-candidates, "
                + "ballast and cordon. Leave --logdir out.\n");
        CliRun all = CliRun.of("status", "--config", config.toString(), "--logdir", b.toString(), "--logdir", a.toString());
        assertThat(all.exitCode()).as("naming every one of them is no subset: " + all.err()).isZero();
    }

    @Test
    void theOldLogDirsOptionStillWorksAndSaysItIsDeprecated() throws Exception {
        Path a = Files.createDirectory(tmp.resolve("a"));
        Path b = Files.createDirectory(tmp.resolve("b"));
        CliRun run = CliRun.of("status", "--log-dirs", a + "," + b, "--output", "json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).isEqualTo("guardian: warning: --log-dirs is deprecated and will be removed; "
                + "name the log dirs with --logdir DIR, once per log dir (or log.dirs in --config).\n");
        JsonNode json = Json.MAPPER.readTree(run.out());
        assertThat(json.at("/observation/log_dirs/1/path").asText()).isEqualTo(b.toString());
        assertThat(CliRun.of("status", "--help").out()).contains("--logdir=DIR").doesNotContain("--log-dirs");
    }

    @Test
    void generateCompletionPrintsABashCompletionScript() {
        CliRun run = CliRun.of("generate-completion");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("complete -F").contains("guardian");
    }
}
