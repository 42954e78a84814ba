package io.archiveguardian.guardian.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.sidecar.Sidecar;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsDocTest {

    static final Path DOC = Path.of("..", "docs", "metrics.md");

    @TempDir
    Path tmp;

    @Test
    void everyRegisteredGuardianMetricIsDocumented() throws Exception {
        Path logDir = Files.createDirectory(tmp.resolve("kafka-logs"));
        Sidecar sidecar = new Sidecar(SettingsResolver.resolve(GuardianConfig.of(Map.of("log.dirs", logDir.toString()))),
                new GuardianMetrics(), Clock.systemUTC());
        sidecar.runPass();
        Set<String> families = families(sidecar.metrics().scrape());
        assertThat(families).as("the sidecar registers guardian_ metrics").isNotEmpty();
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        Set<String> undocumented = new TreeSet<>();
        for (String family : families) {
            if (!doc.contains("`" + family + "`") && !doc.contains("`" + family.replaceFirst("_max$", "") + "`")) {
                undocumented.add(family);
            }
        }
        assertThat(undocumented).as("metrics missing from docs/metrics.md").isEmpty();
    }

    static Set<String> families(String scrape) {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("^# TYPE (guardian_\\S+) (\\S+)$", Pattern.MULTILINE).matcher(scrape);
        while (m.find()) {
            String name = m.group(1);
            names.add(m.group(2).equals("counter") && !name.endsWith("_total") ? name + "_total" : name);
        }
        return names;
    }
}
