package io.archiveguardian.guardian.cordon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigOp.OpType;
import org.junit.jupiter.api.Test;

class CordonAlterTest {

    private static String text(AlterConfigOp op) {
        return op.opType() + " " + op.configEntry().name() + "=" + op.configEntry().value();
    }

    @Test
    void withoutAValueOrOverAPerBrokerDynamicValueTheDirIsAppended() {
        assertThat(text(CordonAlter.add(List.of("/a"), CurrentCordons.none()).orElseThrow()))
                .isEqualTo("APPEND cordoned.log.dirs=/a");
        assertThat(text(CordonAlter.add(List.of("/a", "/b"),
                CurrentCordons.parse("/c", CurrentCordons.DYNAMIC_BROKER)).orElseThrow()))
                .isEqualTo("APPEND cordoned.log.dirs=/a,/b");
    }

    @Test
    void overAStaticValueTheUnionIsSetBecauseAPerBrokerAppendWouldHideTheStaticEntries() {
        assertThat(text(CordonAlter.add(List.of("/b"), CurrentCordons.parse("/a", "STATIC_BROKER_CONFIG")).orElseThrow()))
                .isEqualTo("SET cordoned.log.dirs=/a,/b");
    }

    @Test
    void removingSubtractsTheDirAsTheValueSpellsIt() {
        assertThat(text(CordonAlter.remove(List.of("/a"),
                CurrentCordons.parse("/a/,/b", CurrentCordons.DYNAMIC_BROKER)).orElseThrow()))
                .isEqualTo("SUBTRACT cordoned.log.dirs=/a/");
    }

    @Test
    void removingFromAStaticValueSetsTheRest() {
        assertThat(text(CordonAlter.remove(List.of("/a"), CurrentCordons.parse("/a,/b", "STATIC_BROKER_CONFIG")).orElseThrow()))
                .isEqualTo("SET cordoned.log.dirs=/b");
    }

    @Test
    void nothingToAddOrRemoveIsNoOperation() {
        assertThat(CordonAlter.add(List.of(), CurrentCordons.none())).isEmpty();
        assertThat(CordonAlter.remove(List.of("/a"), CurrentCordons.parse("*", CurrentCordons.DYNAMIC_BROKER))).isEmpty();
    }
}
