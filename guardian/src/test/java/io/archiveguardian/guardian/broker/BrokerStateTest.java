package io.archiveguardian.guardian.broker;

import static io.archiveguardian.guardian.broker.BrokerState.NOT_FORMATTED;
import static io.archiveguardian.guardian.broker.BrokerState.RUNNING;
import static io.archiveguardian.guardian.broker.BrokerState.STOPPED_CLEAN;
import static io.archiveguardian.guardian.broker.BrokerState.STOPPED_UNCLEAN;
import static io.archiveguardian.guardian.broker.BrokerState.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BrokerStateTest {

    @Test
    void oneUncleanLogDirMeansTheNextStartRecovers() {
        assertThat(BrokerState.combine(List.of(STOPPED_CLEAN, STOPPED_UNCLEAN))).isEqualTo(STOPPED_UNCLEAN);
    }

    @Test
    void aLockAnywhereMeansRunning() {
        assertThat(BrokerState.combine(List.of(STOPPED_UNCLEAN, RUNNING))).isEqualTo(RUNNING);
    }

    @Test
    void anUnreadableLogDirIsNotHiddenBehindACleanOne() {
        assertThat(BrokerState.combine(List.of(STOPPED_CLEAN, UNKNOWN))).isEqualTo(UNKNOWN);
        assertThat(BrokerState.combine(List.of())).isEqualTo(UNKNOWN);
    }

    @Test
    void allCleanIsCleanAndUnformattedIsReported() {
        assertThat(BrokerState.combine(List.of(STOPPED_CLEAN, STOPPED_CLEAN))).isEqualTo(STOPPED_CLEAN);
        assertThat(BrokerState.combine(List.of(STOPPED_CLEAN, NOT_FORMATTED))).isEqualTo(NOT_FORMATTED);
    }
}
