package io.archiveguardian.guardian.drop.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archiveguardian.guardian.ExitCodes;
import io.archiveguardian.guardian.GuardianException;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.config.SettingsResolver;
import io.archiveguardian.guardian.drop.LocalTarget;
import io.archiveguardian.guardian.drop.exec.DropTool.Mode;
import io.archiveguardian.guardian.drop.exec.DropTool.Request;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.admin.MockAdminClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code guardian drop} as Kafka's tools are tested: {@link DropTool#execute} with a MockAdminClient
 * for the error paths, no broker. The end-to-end runs with real brokers are DropExecuteEndToEndTest
 * and DropCommandLineTest.
 */
class DropToolTest {

    @TempDir
    Path temp;

    private GuardianSettings settings;
    private LocalTarget target;
    private final StringWriter out = new StringWriter();

    @BeforeEach
    void brokerOneStoppedWithOneLogDir() throws Exception {
        Path logDir = Files.createDirectories(temp.resolve("kafka-logs"));
        Files.writeString(logDir.resolve("meta.properties"), "node.id=1\n");
        settings = SettingsResolver.resolve(GuardianConfig.of(Map.of(GuardianConfig.NODE_ID, "1",
                GuardianConfig.LOG_DIRS, logDir.toString(), GuardianConfig.STATE_DIR, temp.resolve("state").toString(),
                GuardianConfig.ADMIN_TIMEOUT_MS, "1000")));
        target = LocalTarget.resolve(settings, List.of());
    }

    @Test
    void aPlanFromAClusterThatDoesNotAnswerFailsNamingItAndPrintsNothing() {
        MockAdminClient admin = MockCluster.withArchivePartitions(1);
        admin.timeoutNextRequest(10);

        assertThatThrownBy(() -> DropTool.execute(request(Mode.PLAN, OptionalLong.of(1024)), admin, new PrintWriter(out)))
                .isInstanceOfSatisfying(GuardianException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.FAILED))
                .hasMessageContaining("the cluster did not answer");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aPlanThatCannotFreeEnoughSaysSoChangesNothingAndExits3() {
        int code = DropTool.execute(request(Mode.PLAN, OptionalLong.of(1024)), MockCluster.withArchivePartitions(1),
                new PrintWriter(out));

        assertThat(code).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(out.toString()).endsWith("Nothing was changed. To carry it out, stop the broker and run again with --execute.\n");
        assertThat(temp.resolve("kafka-logs.guardian-trash")).as("a plan writes no trash").doesNotExist();
    }

    @Test
    void aPlanWithoutNeedOrPartitionsIsBadUsage() {
        assertThatThrownBy(() -> DropTool.prepare(request(Mode.PLAN, OptionalLong.empty())))
                .isInstanceOfSatisfying(GuardianException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE))
                .hasMessage("--need SIZE or --partition TOPIC-N is required to plan a drop, e.g. --need 20G; nothing was changed.");
    }

    @Test
    void finishWithoutAnInterruptedDropIsRefusedBeforeAnyClusterIsAsked() {
        assertThatThrownBy(() -> DropTool.prepare(request(Mode.FINISH, OptionalLong.empty())))
                .isInstanceOfSatisfying(GuardianException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.CHECK_FAILED))
                .hasMessage("no interrupted drop to finish next to " + target.logDirs() + "; nothing was changed.");
    }

    @Test
    void emptyTrashWhileTheBrokerIsStoppedIsRefused() {
        assertThatThrownBy(() -> DropTool.prepare(request(Mode.EMPTY_TRASH, OptionalLong.empty())))
                .isInstanceOfSatisfying(GuardianException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.CHECK_FAILED))
                .hasMessageStartingWith("the broker on this host is not running; trashed data is deleted only after");
    }

    private Request request(Mode mode, OptionalLong need) {
        return new Request(mode, settings, target, need, List.of(), false, false);
    }
}
