package io.archiveguardian.guardian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad input the guardian knows of, run as an operator runs it (the real CLI on a real log dir
 * in a temporary directory): exit code 2, a message naming the value and what is allowed, and
 * nothing changed on disk (the whole tree compared before and after, sizes and times included).
 */
class BadInputTest {

    @TempDir
    Path tmp;

    /** One bad input: the command line (given the fixture), what stderr must contain. */
    record Case(String name, Function<Fixture, List<String>> args, List<String> message) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A broker host: one log dir with a partition, the guardian's config file, a state dir. */
    record Fixture(Path root, Path logDir, Path state) {

        Path config(String... lines) throws IOException {
            Path file = root.resolve("guardian-" + System.nanoTime() + ".properties");
            List<String> all = new ArrayList<>(List.of("state.dir=" + state, "node.id=1"));
            all.addAll(List.of(lines));
            return Files.write(file, all);
        }

        List<String> cmd(List<String> command, String... configLines) {
            try {
                List<String> args = new ArrayList<>(command);
                args.addAll(List.of("--logdir", logDir.toString(), "--config", config(configLines).toString()));
                return args;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static Stream<Arguments> badInputs() {
        List<Case> cases = List.of(
                new Case("http.listen host that does not resolve",
                        f -> f.cmd(List.of("run"), "http.listen=nosuchhost.invalid:9797"),
                        List.of("http.listen=nosuchhost.invalid:9797", "does not resolve", "127.0.0.1")),
                new Case("--http-listen host that does not resolve",
                        f -> f.cmd(List.of("run", "--http-listen", "nosuchhost.invalid:9797")),
                        List.of("nosuchhost.invalid", "does not resolve")),
                new Case("http.listen on an IP this host does not have",
                        f -> f.cmd(List.of("run"), "http.listen=192.0.2.1:9797"),
                        List.of("http.listen=192.0.2.1:9797", "is not an address of this host", "0.0.0.0")),
                new Case("--outage Long.MAX_VALUE without a unit",
                        f -> f.cmd(List.of("ballast", "recommend", "--outage", "9223372036854775807")),
                        List.of("'9223372036854775807' is not a duration", "ms, s, m, h or d")),
                new Case("--outage Long.MAX_VALUE ms",
                        f -> f.cmd(List.of("ballast", "recommend", "--outage", "9223372036854775807ms")),
                        List.of("--outage", "'9223372036854775807ms' is outside what is allowed: from 1m to 365d")),
                new Case("--outage beyond a year",
                        f -> f.cmd(List.of("ballast", "recommend", "--outage", "99999999d")),
                        List.of("--outage", "'99999999d' is outside what is allowed: from 1m to 365d")),
                new Case("--outage in days that overflow",
                        f -> f.cmd(List.of("ballast", "recommend", "--outage", "9223372036854775807d")),
                        List.of("'9223372036854775807d' is too long a duration")),
                new Case("negative --outage",
                        f -> f.cmd(List.of("ballast", "recommend", "--outage", "-2h")),
                        List.of("'-2h' is not a duration", "cannot be negative", "ms, s, m, h or d")),
                new Case("drop --execute --sidecar that is not a URL",
                        f -> f.cmd(List.of("drop", "--execute", "--need", "1G", "--sidecar", "127.0.0.1:9797")),
                        List.of("--sidecar 127.0.0.1:9797 is neither a URL nor 'none'", "http://127.0.0.1:9797")),
                new Case("prestart --sidecar that is not a URL",
                        f -> f.cmd(List.of("prestart", "--sidecar", "sidecar-host")),
                        List.of("--sidecar sidecar-host is neither a URL nor 'none'")),
                new Case("bare minutes --outage",
                        f -> f.cmd(List.of("ballast", "recommend", "--outage", "90")),
                        List.of("'90' is not a duration", "write 90m for minutes")),
                new Case("bare milliseconds --outage: the hint is in range (not 3600000m)",
                        f -> f.cmd(List.of("ballast", "recommend", "--outage", "3600000")),
                        List.of("'3600000' is not a duration", "write 1h for 3600000 milliseconds", "from 1m to 365d")),
                new Case("--sample beyond an hour",
                        f -> f.cmd(List.of("ballast", "recommend", "--sample", "2h")),
                        List.of("--sample", "'2h' is outside what is allowed: from 1s to 1h")),
                new Case("negative --sample",
                        f -> f.cmd(List.of("ballast", "recommend", "--sample", "-1s")),
                        List.of("'-1s' is not a duration")),
                new Case("negative duration key",
                        f -> f.cmd(List.of("status"), "scan.interval.ms=-5"),
                        List.of("scan.interval.ms", "-5")),
                new Case("recovery.outage.ms beyond a year",
                        f -> f.cmd(List.of("ballast", "recommend"), "recovery.outage.ms=9223372036854775807"),
                        List.of("recovery.outage.ms", "9223372036854775807")),
                new Case("state.dir inside a log dir",
                        f -> f.cmd(List.of("status"), "state.dir=" + f.logDir().resolve("guardian-state")),
                        List.of("state.dir=" + "LOGDIR/guardian-state", "is inside the log dir", "outside every log dir")),
                new Case("state.dir through a symbolic link into a log dir",
                        f -> f.cmd(List.of("status"), "state.dir=" + f.root().resolve("link-to-logdir").resolve("state")),
                        List.of("state.dir=", "link-to-logdir/state", "is inside the log dir")),
                new Case("reserve.size that overflows",
                        f -> f.cmd(List.of("ballast", "status"), "reserve.size=99999999999999T"),
                        List.of("reserve.size", "'99999999999999T' is too large a size")),
                new Case("ballast arm --size that overflows",
                        f -> f.cmd(List.of("ballast", "arm", "--size", "99999999999999T")),
                        List.of("--size", "'99999999999999T' is too large a size")),
                new Case("reserve.size percentage where none makes sense: reserve.first.tier.size is fine, --need is not",
                        f -> f.cmd(List.of("drop-candidates", "--need", "5%")),
                        List.of("'5%' is not a size", "20000000000B", "1.5G")),
                new Case("--need that overflows",
                        f -> f.cmd(List.of("drop", "--need", "8192P")),
                        List.of("'8192P' is too large a size")),
                new Case("prestart with a --logdir the configured log.dirs does not list",
                        f -> f.cmd(List.of("prestart", "--logdir", f.root().resolve("elsewhere").toString()),
                                "log.dirs=" + f.logDir()),
                        List.of("--logdir ROOT/elsewhere --logdir LOGDIR:", "guardian prestart works on every log dir of the broker",
                                "picks log dirs only in drop, drop-candidates, ballast and cordon", "Leave --logdir out")),
                new Case("--logdir with a comma (the old --log-dirs syntax)",
                        f -> f.cmd(List.of("status", "--logdir", "/data/a,/data/b")),
                        List.of("--logdir /data/a,/data/b: a log dir path cannot contain a comma",
                                "Repeat --logdir for several: --logdir /data/a --logdir /data/b.")),
                new Case("an empty --logdir (an unset shell variable)",
                        f -> f.cmd(List.of("ballast", "release", "--logdir", "", "--reason", "x")),
                        List.of("--logdir '': an empty log dir (an unset shell variable?)", "absolute path")),
                new Case("ballast release with a --logdir that is not one of the configured log dirs",
                        f -> f.cmd(List.of("ballast", "release", "--logdir", f.root().resolve("elsewhere").toString(),
                                "--reason", "x"), "log.dirs=" + f.logDir()),
                        List.of("--logdir ROOT/elsewhere: not one of the log dirs [LOGDIR]; nothing was released")),
                new Case("drop with a --logdir that is not one of the broker's",
                        f -> f.cmd(List.of("drop", "--need", "1G", "--logdir", f.root().resolve("elsewhere").toString()),
                                "log.dirs=" + f.logDir()),
                        List.of("--logdir ROOT/elsewhere is not a log dir of broker 1", "its log dirs are [LOGDIR]")),
                new Case("drop.trash.dir that is a symbolic link into a log dir",
                        f -> f.cmd(List.of("drop", "--undo"), "drop.trash.dir=" + f.root().resolve("link-to-logdir")),
                        List.of("drop trash", "a symbolic link to", "would be inside log dir", "outside every log dir")),
                new Case("drop --execute without --need or --partition (it made <logdir>.guardian-trash/ before refusing)",
                        f -> f.cmd(List.of("drop", "--execute")),
                        List.of("--need SIZE or --partition TOPIC-N is required to plan a drop", "nothing was changed")),
                new Case("drop --execute with both --need and --partition",
                        f -> f.cmd(List.of("drop", "--execute", "--need", "1G", "--partition", "archive-0")),
                        List.of("give either --need SIZE or --partition TOPIC-N, not both")),
                new Case("drop --undo --purge",
                        f -> f.cmd(List.of("drop", "--undo", "--purge")),
                        List.of("--purge goes with a plan or --execute, not with --undo")),
                new Case("drop --execute with a --partition that is not TOPIC-N",
                        f -> f.cmd(List.of("drop", "--execute", "--partition", "archive")),
                        List.of("'archive' is not a partition: use TOPIC-N, e.g. archive-4", "guardian drop --help")),
                new Case("ballast arm --tiers 0",
                        f -> f.cmd(List.of("ballast", "arm", "--tiers", "0")),
                        List.of("--tiers 0: give 1 to 64 tiers")),
                new Case("ballast arm --size that is no size",
                        f -> f.cmd(List.of("ballast", "arm", "--size", "lots")),
                        List.of("--size", "'lots'")),
                new Case("ballast release --tiers 0",
                        f -> f.cmd(List.of("ballast", "release", "--tiers", "0", "--reason", "x")),
                        List.of("--tiers 0: release at least 1 tier")),
                new Case("an unknown option",
                        f -> f.cmd(List.of("drop", "--execute", "--purg")),
                        List.of("Unknown option: '--purg'", "did you mean --purge", "Run 'guardian drop --help'")),
                new Case("several bad keys at once, each with its range and unit",
                        f -> f.cmd(List.of("status"), "scan.interval.ms=5", "forecast.window.ms=lots",
                                "pressure.warn.ratio=0.97", "scan.intervall.ms=5000"),
                        List.of("4 problems", "scan.interval.ms=5: Value must be at least 100; allowed: 100 to",
                                " milliseconds (100ms to ", "forecast.window.ms=lots", "60000 to 2592000000 milliseconds (1m to 30d)",
                                "pressure.warn.ratio=0.97: must be at most pressure.high.ratio, which is 0.9 (its default)",
                                "scan.intervall.ms: unknown key (did you mean scan.interval.ms?)", "docs/configuration.md")),
                new Case("forecast.min.span.ms above forecast.window.ms names both keys",
                        f -> f.cmd(List.of("status"), "forecast.window.ms=120000", "forecast.min.span.ms=600000"),
                        List.of("forecast.min.span.ms=600000: must be at most forecast.window.ms, which is 120000 ms")),
                new Case("trash manifest whose id is not its directory",
                        f -> f.cmd(List.of("drop", "--undo"), "drop.trash.dir=" + f.root().resolve("trash-bad-id")),
                        List.of("manifest.json does not match its directory", "its id 'b7'", "'b1'", "refuses to act on it")),
                new Case("trash manifest whose entry names a path, not a partition",
                        f -> f.cmd(List.of("drop", "--undo"), "drop.trash.dir=" + f.root().resolve("trash-bad-name")),
                        List.of("manifest.json does not match its directory", "'..' partition 0", "refuses to act on it")),
                new Case("trash holding a directory its manifest does not list",
                        f -> f.cmd(List.of("drop", "--undo"), "drop.trash.dir=" + f.root().resolve("trash-unlisted")),
                        List.of("manifest.json does not match its directory", "the directory other-3 is in the batch but not in the manifest")));
        return cases.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void exitsWithTwoNamingTheValueAndChangesNothing(Case bad) throws Exception {
        Fixture f = fixture();
        List<String> args = bad.args().apply(f);
        Map<String, String> before = tree(tmp);

        CliRun run = CompletableFuture.supplyAsync(() -> CliRun.of(args.toArray(String[]::new)))
                .get(120, TimeUnit.SECONDS); // a bad input that is not refused would start the sidecar and never return

        assertThat(run.exitCode()).as("exit code of %s; stderr: %s", args, run.err()).isEqualTo(2);
        for (String part : bad.message()) {
            assertThat(run.err()).as("stderr of %s", args).contains(part.replace("LOGDIR", f.logDir().toString())
                    .replace("ROOT", f.root().toString()));
        }
        assertThat(run.err()).as("a refusal is a line or a few, not the usage").doesNotContain("Usage: ");
        assertThat(run.err().lines().count()).as("stderr of %s", args).isLessThanOrEqualTo(5);
        assertThat(tree(tmp)).as("nothing changed on disk").isEqualTo(before);
    }

    /** A server.properties without log.dirs or log.dir: the refusal says that Kafka's default was assumed. */
    @org.junit.jupiter.api.Test
    void aBrokerConfigWithoutLogDirsSaysKafkasDefaultWasAssumed() throws Exception {
        io.archiveguardian.testsupport.TestEnvironment.require(!Files.exists(Path.of("/tmp/kafka-logs")),
                "no /tmp/kafka-logs on this host (Kafka's default log dir, which the case needs to be absent)");
        Path server = Files.writeString(tmp.resolve("server.properties"), "node.id=1\nprocess.roles=broker\n");
        Map<String, String> before = tree(tmp);
        CliRun run = CliRun.of("status", "--broker-config", server.toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("guardian: log dir /tmp/kafka-logs does not exist: " + server + " sets neither "
                + "log.dirs nor log.dir, so Kafka's default /tmp/kafka-logs was assumed. Give the broker's real "
                + "server.properties with --broker-config, or set log.dirs there.\n");
        assertThat(tree(tmp)).isEqualTo(before);
    }

    private Fixture fixture() throws IOException {
        Path logDir = Files.createDirectories(tmp.resolve("kafka-logs"));
        Files.writeString(logDir.resolve("meta.properties"), "node.id=1\n");
        Files.createDirectories(logDir.resolve("archive-0"));
        Files.write(logDir.resolve("archive-0/00000000000000000000.log"), new byte[4096]);
        Files.createSymbolicLink(tmp.resolve("link-to-logdir"), logDir);
        Path state = Files.createDirectories(tmp.resolve("state"));
        // trash dirs as drop --execute leaves them: <drop.trash.dir>/<log dir path with _>/<batch id>/manifest.json
        trash("trash-bad-id", logDir, "b1", "{\"id\":\"b7\",\"time\":\"2026-11-30T10:00:00Z\",\"broker\":1,\"logDir\":\""
                + logDir + "\",\"entries\":[{\"topic\":\"gone\",\"partition\":0,\"bytes\":10,\"previousReplicas\":[1,2],"
                + "\"newReplicas\":[2]}]}", "gone-0");
        trash("trash-bad-name", logDir, "b1", "{\"id\":\"b1\",\"time\":\"2026-11-30T10:00:00Z\",\"broker\":1,\"logDir\":\""
                + logDir + "\",\"entries\":[{\"topic\":\"..\",\"partition\":0,\"bytes\":10,\"previousReplicas\":[1,2],"
                + "\"newReplicas\":[2]}]}", "gone-0");
        trash("trash-unlisted", logDir, "b1", "{\"id\":\"b1\",\"time\":\"2026-11-30T10:00:00Z\",\"broker\":1,\"logDir\":\""
                + logDir + "\",\"entries\":[{\"topic\":\"gone\",\"partition\":0,\"bytes\":10,\"previousReplicas\":[1,2],"
                + "\"newReplicas\":[2]}]}", "gone-0", "other-3");
        return new Fixture(tmp, logDir, state);
    }

    private void trash(String base, Path logDir, String batch, String manifest, String... dirs) throws IOException {
        Path batchDir = Files.createDirectories(tmp.resolve(base)
                .resolve(logDir.toString().replaceAll("^/+", "").replace('/', '_')).resolve(batch));
        Files.writeString(batchDir.resolve("manifest.json"), manifest);
        for (String d : dirs) {
            Files.write(Files.createDirectories(batchDir.resolve(d)).resolve("00000000000000000000.log"), new byte[10]);
        }
    }

    /** Every path under {@code root} (links not followed) with its type, size and modification time. */
    private static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                out.put(root.relativize(p).toString(), (a.isDirectory() ? "d" : a.isSymbolicLink() ? "l" : "f")
                        + (a.isDirectory() ? "" : " " + a.size()) + " " + a.lastModifiedTime().toMillis());
            }
        }
        return out;
    }
}
