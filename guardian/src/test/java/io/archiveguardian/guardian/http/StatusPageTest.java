package io.archiveguardian.guardian.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.guardian.broker.BrokerState;
import io.archiveguardian.guardian.broker.LogDirBrokerState;
import io.archiveguardian.guardian.events.StateChangeEvent;
import io.archiveguardian.guardian.observe.LogDirObservation;
import io.archiveguardian.guardian.observe.Observation;
import io.archiveguardian.guardian.report.StatusReport;
import io.archiveguardian.guardian.watch.LogDirWatch;
import io.archiveguardian.guardian.watch.WatchReport;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the page says in the cases a live sidecar rarely shows: before the first pass, an offline log dir, odd names. */
class StatusPageTest {

    static final Instant NOW = Instant.parse("2026-11-22T06:00:00Z");

    @Test
    void beforeTheFirstPassThePageSaysSo() {
        assertThat(StatusPage.render(Optional.empty())).contains("<p>No pass has completed yet.</p>");
    }

    @Test
    void anOfflineLogDirIsShownWithItsReasonAndNamesAreEscaped() {
        String path = "/data/<b>odd</b>";
        LogDirObservation offline = new LogDirObservation(path, false, "NoSuchFileException: " + path, null,
                new LogDirBrokerState(path, BrokerState.UNKNOWN, -1, "cannot read"), null, null, null);
        Observation o = new Observation(NOW, "host-1", 7, BrokerState.UNKNOWN, List.of(offline), List.of(), 0.01);
        StateChangeEvent event = new StateChangeEvent(NOW, "host-1", 7, "logdir:" + path, "ONLINE", "OFFLINE", "gone");
        WatchReport watch = new WatchReport(NOW, List.of(), List.of(new LogDirWatch(path, null, false, 0, 0, null)));
        String html = StatusPage.render(Optional.of(new StatusReport("1.0", o, List.of(), null, null, List.of(event), watch, null, null)));
        assertThat(html).doesNotContain("<b>odd</b>")
                .contains("<b>/data/&lt;b&gt;odd&lt;/b&gt;</b> <b>offline</b>: NoSuchFileException: /data/&lt;b&gt;odd&lt;/b&gt;")
                .contains("<td class=path>logdir:/data/&lt;b&gt;odd&lt;/b&gt;</td><td>ONLINE → OFFLINE</td>")
                .contains("<p class=muted id=\"ballast\">No reserve configured or readable.</p>")
                .contains("broker <b>7</b>: <b id=\"broker-state\">UNKNOWN</b>");
    }

    @Test
    void whetherTheClusterAnswersIsShownWithSinceWhenAndWhyNot() {
        Observation o = new Observation(NOW, "host-1", 7, BrokerState.RUNNING, List.of(), List.of(), 0.01);
        var silent = new io.archiveguardian.guardian.cluster.ClusterReachability("b1:9092,b2:9092", false, null, NOW,
                NOW.minusSeconds(900), "could not describe the cluster within 30000 ms (admin.timeout.ms): <no answer>");
        String html = StatusPage.render(Optional.of(new StatusReport("1.0", o, List.of(), null, null, List.of(), null, null, silent)));
        assertThat(html).contains("<p class=small id=\"cluster-reachable\">Cluster <span class=path>b1:9092,b2:9092</span>: "
                + "<b>does not answer</b> <span class=muted>since " + NOW.minusSeconds(900) + "</span><br>could not describe "
                + "the cluster within 30000 ms (admin.timeout.ms): &lt;no answer&gt;</p>");
        var answers = new io.archiveguardian.guardian.cluster.ClusterReachability("b1:9092", true, "abc", NOW, NOW, null);
        assertThat(StatusPage.render(Optional.of(new StatusReport("1.0", o, List.of(), null, null, List.of(), null, null, answers))))
                .contains("Cluster <span class=path>b1:9092</span>: answers <span class=muted>since " + NOW + "</span></p>");
        assertThat(StatusPage.render(Optional.of(new StatusReport("1.0", o, List.of(), null, null, List.of(), null, null, null))))
                .as("no cluster configured").doesNotContain("cluster-reachable");
    }
}
