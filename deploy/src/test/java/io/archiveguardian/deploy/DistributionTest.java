package io.archiveguardian.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The release an operator installs (guardian/target): the tarball holds bin/, lib/, docs/, deploy/,
 * grafana/ (rules, dashboard, Prometheus Operator objects), LICENSE, NOTICE and CHANGELOG.md, its
 * SHA-256 file beside it checks out, and lib/ holds no broker, Scala or RocksDB jar: those of the
 * demo are in lib/demo/, which the launcher adds for `guardian demo` only.
 */
class DistributionTest {

    static Path tarball() throws IOException {
        Path target = Deployment.dist().getParent();
        try (Stream<Path> files = Files.list(target)) {
            List<Path> tars = files.filter(p -> p.getFileName().toString().matches("guardian-.+\\.tar\\.gz")).toList();
            assertThat(tars).as("one tarball in " + target).hasSize(1);
            return tars.get(0);
        }
    }

    @Test
    void theTarballCarriesWhatAnOperatorInstalls() throws Exception {
        Deployment.Run list = Deployment.run(List.of("tar", "tzf", tarball().toString()), tarball().getParent());
        assertThat(list.exitCode()).isZero();
        Set<String> entries = new TreeSet<>();
        list.output().lines().map(l -> l.substring(l.indexOf('/') + 1)).forEach(entries::add);
        assertThat(entries).contains("bin/guardian", "LICENSE", "NOTICE", "CHANGELOG.md", "README.md",
                "docs/install.md", "deploy/container/Dockerfile", "deploy/systemd/kafka-guardian.service",
                "deploy/kubernetes/broker-pod-snippet.yaml",
                "grafana/alerts/guardian-rules.yml", "grafana/alerts/guardian-rules.test.yml",
                "grafana/dashboards/guardian.json", "grafana/operator/prometheus-rule.yaml",
                "grafana/operator/pod-monitor.yaml", "grafana/operator/dashboard-configmap.yaml",
                "grafana/src/main/java/io/archiveguardian/grafana/operator/OperatorObjects.java");
        assertThat(entries).noneMatch(e -> e.startsWith("grafana/src/test") || e.contains("/target/") || e.endsWith("pom.xml"));
        assertThat(Files.readString(Deployment.dist().resolve("LICENSE"))).contains("Apache License", "Version 2.0, January 2004");
    }

    @Test
    void theSha256FileBesideTheTarballChecksOut() throws Exception {
        Path tar = tarball();
        Path sum = tar.resolveSibling(tar.getFileName() + ".sha256");
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(tar)));
        assertThat(Files.readString(sum).strip()).isEqualTo(digest + "  " + tar.getFileName());
        Deployment.Run check = Deployment.run(List.of("sha256sum", "-c", sum.getFileName().toString()), tar.getParent());
        assertThat(check.exitCode()).as(check.output()).isZero();
    }

    @Test
    void theProductionLibHoldsNoBrokerScalaOrRocksDb() throws Exception {
        List<String> lib = names(Deployment.dist().resolve("lib"));
        assertThat(lib).anyMatch(n -> n.startsWith("kafka-clients-")).anyMatch(n -> n.startsWith("kafka-streams-"))
                .noneMatch(n -> n.startsWith("kafka_2.13") || n.startsWith("kafka-server") || n.startsWith("kafka-metadata")
                        || n.startsWith("kafka-raft") || n.startsWith("scala-") || n.startsWith("rocksdbjni"));
        List<String> demo = names(Deployment.dist().resolve("lib/demo"));
        assertThat(demo).anyMatch(n -> n.startsWith("kafka_2.13-")).anyMatch(n -> n.startsWith("kafka-server-"))
                .anyMatch(n -> n.startsWith("scala-library-")).noneMatch(n -> n.startsWith("rocksdbjni"));
        assertThat(demo).as("no jar twice").doesNotContainAnyElementsOf(lib);
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
