package io.archiveguardian.guardian.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.guardian.GuardianVersion;
import org.junit.jupiter.api.Test;

/** guardian_build_info carries the version and revision that `guardian --version` prints, with value 1. */
class BuildInfoMetricTest {

    @Test
    void theScrapeNamesTheVersionAndTheRevision() {
        String scrape = new GuardianMetrics().scrape();
        assertThat(GuardianVersion.revision()).as("the build wrote build.properties").matches("[0-9a-f]{12}|unknown");
        assertThat(scrape).contains("guardian_build_info{revision=\"" + GuardianVersion.revision()
                + "\",version=\"" + GuardianVersion.current() + "\"} 1");
    }
}
