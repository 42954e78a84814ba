package io.archiveguardian.guardian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.sidecar.SidecarServer;
import io.archiveguardian.reserve.ReserveSize;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * One size syntax, shared: every option, key and query parameter that takes a size is given the same
 * texts and must read them as the same bytes, or refuse them, naming the value. A percentage is
 * accepted only where it means a share of the filesystem (reserve.size, reserve.first.tier.size,
 * ballast arm --size).
 */
class SizeSyntaxTest {

    /** A size-taking surface: reads a text, answers the bytes (empty when a percentage) or throws naming it. */
    interface Surface {
        OptionalLong read(String text) throws Exception;
    }

    record Named(String name, boolean percentMeansSomething, Surface surface) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    @TempDir
    static Path tmp;

    static SidecarServer sidecar;

    @BeforeAll
    static void startSidecar() throws Exception {
        Path logDir = Files.createDirectories(tmp.resolve("kafka-logs"));
        sidecar = SidecarServer.start(SettingsResolver.resolve(GuardianConfig.of(Map.of("log.dirs", logDir.toString(),
                "http.listen", "127.0.0.1:0", "scan.interval.ms", "600000", "state.dir", tmp.resolve("state").toString()))));
    }

    @AfterAll
    static void stopSidecar() {
        sidecar.close();
    }

    static List<Named> surfaces() {
        return List.of(
                new Named("reserve.size", true, text -> key(GuardianConfig.RESERVE_SIZE, text)),
                new Named("reserve.first.tier.size", true, text -> key(GuardianConfig.RESERVE_FIRST_TIER_SIZE, text)),
                new Named("ballast arm --size", true, text -> {
                    BallastCommand.Arm arm = parse(BallastCommand.Arm.class, "ballast", "arm", "--size", text);
                    try {
                        return bytes(ReserveSize.parse(arm.size));
                    } catch (IllegalArgumentException e) {
                        throw new Refused(e.getMessage());
                    }
                }),
                new Named("drop --need", false, text -> OptionalLong.of(parse(DropCommand.class, "drop", "--need", text).need)),
                new Named("drop-candidates --need", false,
                        text -> OptionalLong.of(parse(DropCandidatesCommand.class, "drop-candidates", "--need", text).need)),
                new Named("GET /api/v1/drop-candidates?need=", false, text -> {
                    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                            sidecar.baseUrl() + "/api/v1/drop-candidates?need=" + URLEncoder.encode(text, StandardCharsets.UTF_8)))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 400) {
                        throw new Refused(r.body());
                    }
                    // accepted: no candidates without a cluster (503), never a complaint about the size
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
                    return OptionalLong.empty();
                }));
    }

    static Stream<Arguments> accepted() {
        Map<String, Long> texts = Map.of("1.5G", 3L << 29, "512M", 512L << 20, "20000000000", 20_000_000_000L,
                "20000000000B", 20_000_000_000L, "20GiB", 20L << 30, "0.5k", 512L, "2T", 2L << 40);
        return surfaces().stream().flatMap(s -> texts.entrySet().stream().map(t -> Arguments.of(s, t.getKey(), t.getValue())));
    }

    static Stream<Arguments> refused() {
        return surfaces().stream().flatMap(s -> Stream.of("lots", "99999999999999T", "-1G", "1.5X", "")
                .map(t -> Arguments.of(s, t)));
    }

    @ParameterizedTest(name = "{0} accepts {1}")
    @MethodSource("accepted")
    void everySurfaceReadsTheSameTextAsTheSameBytes(Named surface, String text, long bytes) throws Exception {
        OptionalLong read = surface.surface().read(text);
        read.ifPresent(b -> assertThat(b).isEqualTo(bytes));
    }

    @ParameterizedTest(name = "{0} refuses \"{1}\"")
    @MethodSource("refused")
    void everySurfaceRefusesTheSameTextNamingIt(Named surface, String text) {
        if (text.isEmpty() && surface.name().equals("reserve.first.tier.size")) {
            return; // empty is this key's default: all tiers equal
        }
        if (text.isEmpty() && surface.name().startsWith("GET")) {
            return; // need= omitted or empty: 0, the candidates without a need
        }
        try {
            surface.surface().read(text);
            throw new AssertionError(surface + " accepted '" + text + "'");
        } catch (Refused e) {
            assertThat(e.getMessage()).contains("'" + text + "'");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("surfaces")
    void aPercentageOnlyWhereItMeansAShareOfTheFilesystem(Named surface) throws Exception {
        if (surface.percentMeansSomething()) {
            assertThat(surface.surface().read("5%")).as("a percentage: resolved against the filesystem").isEmpty();
        } else {
            try {
                surface.surface().read("5%");
                throw new AssertionError(surface + " accepted 5%");
            } catch (Refused e) {
                assertThat(e.getMessage()).contains("'5%'");
            }
        }
    }

    private static OptionalLong key(String key, String text) {
        try {
            GuardianConfig.of(Map.of(key, text));
        } catch (ConfigException | io.archiveguardian.guardian.config.InvalidConfigException e) {
            throw new Refused(e.getMessage());
        }
        return bytes(ReserveSize.parse(text));
    }

    private static OptionalLong bytes(ReserveSize size) {
        return size instanceof ReserveSize.Bytes b ? OptionalLong.of(b.bytes()) : OptionalLong.empty();
    }

    private static <T> T parse(Class<T> type, String... args) {
        CommandLine cl = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        try {
            CommandLine.ParseResult result = cl.parseArgs(args);
            while (result.hasSubcommand()) {
                result = result.subcommand();
            }
            return type.cast(result.commandSpec().userObject());
        } catch (CommandLine.ParameterException e) {
            throw new Refused(e.getMessage());
        }
    }
}
