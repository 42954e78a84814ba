package io.archiveguardian.guardian.cordon;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.server.common.MetadataVersion;
import org.junit.jupiter.api.Test;

/** The cordon's metadata version, written out in CordonAdmin, is Kafka's 4.3-IV0. */
class CordonMetadataVersionTest {

    @Test
    void theWrittenOutLevelAndNameAreKafkasOwn() {
        assertThat(CordonAdmin.CORDON_METADATA_LEVEL).isEqualTo(MetadataVersion.IBP_4_3_IV0.featureLevel());
        assertThat(CordonAdmin.CORDON_METADATA_VERSION).isEqualTo(MetadataVersion.IBP_4_3_IV0.version());
    }
}
