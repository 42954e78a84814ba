package io.archiveguardian.guardian.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigDocsTest {

    /** Surefire runs in the module directory; the docs live at the repository root. */
    static final Path DOC = Path.of("..", "docs", "configuration.md");

    @Test
    void committedConfigurationReferenceMatchesTheDeclaredKeys() throws Exception {
        String generated = ConfigDocs.markdown();
        if (Boolean.getBoolean("guardian.docs.regenerate")) {
            Files.writeString(DOC, generated, StandardCharsets.UTF_8);
        }
        assertThat(DOC).as("docs/configuration.md is stale: regenerate it (command at the top of the file)").exists();
        assertThat(Files.readString(DOC, StandardCharsets.UTF_8))
                .as("docs/configuration.md is stale: regenerate it (command at the top of the file)")
                .isEqualTo(generated);
    }

    @Test
    void everyKeyIsDocumentedWithATypeAndADescription() {
        GuardianConfig.DEFINITION.configKeys().values().forEach(key -> {
            assertThat(key.documentation).as(key.name).isNotBlank();
            assertThat(key.type).as(key.name).isNotNull();
        });
    }
}
