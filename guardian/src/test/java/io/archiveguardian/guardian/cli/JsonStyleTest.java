package io.archiveguardian.guardian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.json.Json;
import io.archiveguardian.guardian.sidecar.SidecarServer;
import io.archiveguardian.testsupport.InProcessCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * One JSON style: every command that has {@code --output json} and every HTTP route is run for real
 * (a 3-broker cluster, a real log dir, the real sidecar) and every key of what it prints must be
 * snake_case. The lists of commands and routes are taken from the CLI and the HTTP server
 * themselves, so a command or route added later is walked too (or fails here as not walked).
 */
@Tag("broker")
class JsonStyleTest {

    /** snake_case: lower-case words of letters and digits joined by single underscores. */
    static final Pattern SNAKE = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");

    /**
     * Names of objects whose keys are data (paths, topics), not names: their keys are not checked.
     * None today; a map keyed by data that is added later is declared here, deliberately.
     */
    static final Set<String> DATA_KEYED = Set.of();

    @TempDir
    Path tmp;

    @Test
    void everyCommandsJsonAndEveryRoutesJsonIsSnakeCase() throws Exception {
        try (InProcessCluster cluster = InProcessCluster.start(3); Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic("archive", 2, (short) 3))).all().get(60, TimeUnit.SECONDS);
            Properties props = new Properties();
            props.put("bootstrap.servers", cluster.bootstrapServers());
            props.put("acks", "all");
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < 100; i++) {
                    producer.send(new ProducerRecord<>("archive", new byte[4096]));
                }
            }
            int broker = cluster.brokerIds().iterator().next();
            Path logDir = cluster.logDirs(broker).get(0);
            Path config = Files.writeString(tmp.resolve("guardian.properties"), String.join("\n",
                    "node.id=" + broker, "state.dir=" + tmp.resolve("state"), "reserve.size=2M", "reserve.tiers=2",
                    "reserve.dirs=" + tmp.resolve("reserve"), "retention.topics=archive", "") );
            List<String> common = List.of("--logdir", logDir.toString(), "--config", config.toString(),
                    "--bootstrap-server", cluster.bootstrapServers(), "--output", "json");

            Map<String, List<String>> commands = new java.util.LinkedHashMap<>();
            commands.put("status", List.of());
            commands.put("ballast status", List.of());
            commands.put("ballast arm", List.of());
            commands.put("ballast release", List.of("--logdir", logDir.toString(), "--reason", "json style test"));
            commands.put("ballast rearm", List.of());
            commands.put("ballast recommend", List.of("--outage", "1h", "--sample", "1s"));
            commands.put("drop-candidates", List.of("--need", "1M"));
            commands.put("drop", List.of("--need", "1M"));
            commands.put("retention check", List.of());
            commands.put("retention apply", List.of("--dry-run"));
            commands.put("cordon status", List.of());
            commands.put("cordon add", List.of("--logdir", logDir.toString()));
            commands.put("cordon remove", List.of("--logdir", logDir.toString(), "--force"));
            commands.put("prestart", List.of("--dry-run"));

            Set<String> walked = new java.util.TreeSet<>(commands.keySet());
            walked.add("cluster"); // asks a running sidecar: walked below, once the sidecar runs
            assertThat(walked).as("every command with --output is walked")
                    .containsExactlyInAnyOrderElementsOf(commandsWithOutputOption());
            List<String> problems = new ArrayList<>();
            for (var c : commands.entrySet()) {
                List<String> args = new ArrayList<>(List.of(c.getKey().split(" ")));
                args.addAll(c.getValue());
                args.addAll(common);
                CliRun run = CliRun.of(args.toArray(String[]::new));
                assertThat(run.out()).as("%s printed JSON (exit %d, stderr %s)", c.getKey(), run.exitCode(), run.err())
                        .matches("(?s)\\s*[\\[{].*");
                JsonNode json = Json.MAPPER.readTree(run.out());
                walk("guardian " + c.getKey(), "$", json, problems);
            }

            var settings = SettingsResolver.resolve(GuardianConfig.of(Map.of(
                    "log.dirs", logDir.toString(), "node.id", Integer.toString(broker),
                    "bootstrap.servers", cluster.bootstrapServers(), "http.listen", "127.0.0.1:0",
                    "http.token", "secret", "scan.interval.ms", "60000", "state.dir", tmp.resolve("state").toString(),
                    "reserve.dirs", tmp.resolve("reserve").toString(), "reserve.size", "2M", "reserve.tiers", "2")));
            try (SidecarServer server = SidecarServer.start(settings)) {
                server.sidecar().runPass();
                HttpClient http = HttpClient.newHttpClient();
                Map<String, String> query = Map.of("/api/v1/drop-candidates", "?need=1M",
                        "/api/v1/ballast/release", "?reason=json-style-test&logdir=" + logDir);
                Set<String> routes = server.httpRoutes();
                assertThat(routes).contains("GET /api/v1/status", "GET /api/v1/drop-candidates", "POST /api/v1/ballast/release");
                for (String route : routes) {
                    String method = route.substring(0, route.indexOf(' '));
                    String path = route.substring(route.indexOf(' ') + 1);
                    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(server.baseUrl() + path
                            + query.getOrDefault(path, ""))).header("Authorization", "Bearer secret");
                    req = "POST".equals(method) ? req.POST(HttpRequest.BodyPublishers.noBody()) : req.GET();
                    HttpResponse<String> r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(r.headers().firstValue("Content-Type").orElse("")).as(route + ": " + r.body())
                            .startsWith("application/json");
                    walk(route + " (" + r.statusCode() + ")", "$", Json.MAPPER.readTree(r.body()), problems);
                }
                CliRun view = org.awaitility.Awaitility.await("the cluster view has settled").atMost(java.time.Duration.ofSeconds(120))
                        .pollInterval(java.time.Duration.ofSeconds(1))
                        .until(() -> CliRun.of("cluster", "--sidecar", server.baseUrl(), "--output", "json"), r -> r.exitCode() != 1);
                assertThat(view.out()).as("cluster printed JSON (exit %d, stderr %s)", view.exitCode(), view.err())
                        .matches("(?s)\\s*[\\[{].*");
                walk("guardian cluster", "$", Json.MAPPER.readTree(view.out()), problems);
                HttpResponse<String> one = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                        + "/api/v1/cluster/brokers/" + broker)).build(), HttpResponse.BodyHandlers.ofString());
                walk("GET /api/v1/cluster/brokers/" + broker + " (" + one.statusCode() + ")", "$",
                        Json.MAPPER.readTree(one.body()), problems);
                // an error answer is JSON of the same style
                HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                        + "/api/v1/drop-candidates?need=lots")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(bad.statusCode()).isEqualTo(400);
                walk("GET /api/v1/drop-candidates?need=lots", "$", Json.MAPPER.readTree(bad.body()), problems);
            }
            assertThat(problems).as("keys that break the snake_case style").isEmpty();
        }
    }

    @Test
    void theWalkFindsEveryKeyThatBreaksTheStyleAtAnyDepth() throws Exception {
        List<String> problems = new ArrayList<>();
        walk("sample", "$", Json.MAPPER.readTree("{\"log_dir\":1,\"drop_plan\":{\"savedAtStartBytes\":2,"
                + "\"drops\":[{\"logDir\":\"/d\",\"Topic\":\"t\",\"new__replicas\":[],\"x_\":0,\"ok_2\":0}]}}"), problems);
        assertThat(problems).containsExactly("sample: $.drop_plan.savedAtStartBytes", "sample: $.drop_plan.drops[].logDir",
                "sample: $.drop_plan.drops[].Topic", "sample: $.drop_plan.drops[].new__replicas", "sample: $.drop_plan.drops[].x_");
    }

    private static void walk(String source, String path, JsonNode node, List<String> problems) {
        if (node.isObject()) {
            boolean dataKeyed = DATA_KEYED.contains(path.substring(path.lastIndexOf('.') + 1));
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                var e = it.next();
                if (!dataKeyed && !SNAKE.matcher(e.getKey()).matches()) {
                    problems.add(source + ": " + path + "." + e.getKey());
                }
                walk(source, path + "." + e.getKey(), e.getValue(), problems);
            }
        } else if (node.isArray()) {
            for (JsonNode child : node) {
                walk(source, path + "[]", child, problems);
            }
        }
    }

    /** "ballast arm", "status", ...: every command of the CLI that has an --output option. */
    private static Set<String> commandsWithOutputOption() {
        Set<String> out = new TreeSet<>();
        collect(Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())), "", out);
        return out;
    }

    private static void collect(CommandLine cl, String prefix, Set<String> out) {
        for (var sub : cl.getSubcommands().entrySet()) {
            String name = (prefix + " " + sub.getKey()).trim();
            if (sub.getValue().getCommandSpec().findOption("--output") != null) {
                out.add(name);
            }
            collect(sub.getValue(), name, out);
        }
    }
}
