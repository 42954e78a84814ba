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
import io.archiveguardian.guardian.text.Times;
import java.time.Instant;
import java.time.ZoneOffset;
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
                + "<b>does not answer</b> <span class=muted>since " + Times.local(NOW.minusSeconds(900)) + "</span><br>could not describe "
                + "the cluster within 30000 ms (admin.timeout.ms): &lt;no answer&gt;</p>");
        var answers = new io.archiveguardian.guardian.cluster.ClusterReachability("b1:9092", true, "abc", NOW, NOW, null);
        assertThat(StatusPage.render(Optional.of(new StatusReport("1.0", o, List.of(), null, null, List.of(), null, null, answers))))
                .contains("Cluster <span class=path>b1:9092</span>: answers <span class=muted>since " + Times.local(NOW) + "</span></p>");
        assertThat(StatusPage.render(Optional.of(new StatusReport("1.0", o, List.of(), null, null, List.of(), null, null, null))))
                .as("no cluster configured").doesNotContain("cluster-reachable");
    }

    @Test
    void theFirstLineSaysInWordsWhetherAnythingNeedsDoing() {
        Observation running = new Observation(NOW, "host-1", 7, BrokerState.RUNNING, List.of(), List.of(), 0.01);
        var answers = new io.archiveguardian.guardian.cluster.ClusterReachability("b1:9092", true, "abc", NOW, NOW, null);
        String calm = StatusPage.render(Optional.of(new StatusReport("1.0", running, List.of(), null, null, List.of(), null,
                null, answers)));
        assertThat(calm).contains("<h1>Kafka Archive Guardian</h1><p id=\"verdict\" class=\"verdict calm\"><b>Nothing to do</b>: "
                + "the broker runs and the cluster answers.</p>");

        var silent = new io.archiveguardian.guardian.cluster.ClusterReachability("b1:9092", false, null, NOW,
                NOW.minusSeconds(900), "no answer");
        String one = StatusPage.render(Optional.of(new StatusReport("1.0", running, List.of(), null, null, List.of(), null,
                null, silent)));
        assertThat(one).contains("<div id=\"verdict\" class=\"verdict act\"><b>To do: The cluster does not answer since "
                + Times.local(NOW.minusSeconds(900)) + ": retention, drop candidates and the catch-up estimate wait for it.</b></div>");

        Observation stopped = new Observation(NOW, "host-1", 7, BrokerState.STOPPED_UNCLEAN, List.of(), List.of(), 0.01);
        String two = StatusPage.render(Optional.of(new StatusReport("1.0", stopped, List.of(), null, null, List.of(), null,
                null, silent)));
        assertThat(two).contains("<b>2 things to look at:</b><ul><li>The broker stopped uncleanly: its next start recovers "
                + "its logs; start it (prestart checks the space first).</li><li>The cluster does not answer since ");
    }

    @Test
    void timesAreLocalToTheSecondAndCountsArePlural() {
        assertThat(Times.local(Instant.parse("2026-11-22T06:00:01.123456789Z"), ZoneOffset.UTC)).isEqualTo("2026-11-22 06:00:01 Z");
        assertThat(Times.local("2026-11-22T06:00:01.5Z")).doesNotContain(".5").matches("2026-11-2[12] \\d\\d:\\d\\d:01 .+");
        assertThat(io.archiveguardian.guardian.text.Plural.of(1, "broker")).isEqualTo("1 broker");
        assertThat(io.archiveguardian.guardian.text.Plural.of(0, "sidecar")).isEqualTo("0 sidecars");
        var manual = new io.archiveguardian.guardian.ballast.ReserveView.LastActionView("2026-11-22T06:00:01.5Z", "arm",
                "manual", List.of(1), 1, "demo", "guardian demo", 1);
        assertThat(StatusPage.lastAction(manual)).startsWith("armed by hand (guardian demo) at 2026-11-2");
    }
}
