package io.archiveguardian.guardian.cordon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CordonRecordStoreTest {

    @TempDir
    Path stateDir;

    @Test
    void theGuardiansCordonsSurviveARestartOfTheStore() {
        Instant t = Instant.parse("2026-11-30T10:00:00Z");
        new CordonRecordStore(stateDir, 3).update(r -> r.with("/data/a", t, "disk pressure high"));

        CordonRecord read = new CordonRecordStore(stateDir, 3).read();
        assertThat(read.dirs()).containsExactly("/data/a");
        assertThat(read.entry("/data/a").orElseThrow().since()).isEqualTo(t);
        assertThat(stateDir.resolve("cordons-broker-3.json")).exists();
        assertThat(stateDir).isDirectoryNotContaining("glob:**.tmp");

        new CordonRecordStore(stateDir, 3).update(r -> r.without("/data/a"));
        assertThat(new CordonRecordStore(stateDir, 3).read().dirs()).isEmpty();
    }

    @Test
    void noFileMeansNoCordonsOfTheGuardian() {
        assertThat(new CordonRecordStore(stateDir.resolve("absent"), 1).read()).isEqualTo(CordonRecord.empty(1));
    }

    @Test
    void anUnreadableRecordIsAnErrorNotAnEmptyRecord() throws Exception {
        Files.writeString(stateDir.resolve("cordons-broker-1.json"), "{not json");

        assertThatThrownBy(() -> new CordonRecordStore(stateDir, 1).read())
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot read the guardian's cordon record " + stateDir.resolve("cordons-broker-1.json"));
    }
}
