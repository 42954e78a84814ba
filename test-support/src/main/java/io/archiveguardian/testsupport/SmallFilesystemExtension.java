package io.archiveguardian.testsupport;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit extension that mounts a small real filesystem. Register it as a {@code static} field to
 * mount once for the class, or as an instance field to mount a fresh one for each test:
 *
 * <pre>{@code
 * @RegisterExtension
 * final SmallFilesystemExtension disk = SmallFilesystemExtension.ext4(64 * MIB);
 * }</pre>
 *
 * Not root: the test is skipped, or fails when {@code GUARDIAN_STRICT_TESTS=true}.
 */
public final class SmallFilesystemExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    public static final long MIB = 1024L * 1024L;

    private final SmallFilesystem.Type type;
    private final long sizeBytes;
    private SmallFilesystem filesystem;
    private boolean perClass;

    private SmallFilesystemExtension(SmallFilesystem.Type type, long sizeBytes) {
        this.type = type;
        this.sizeBytes = sizeBytes;
    }

    public static SmallFilesystemExtension tmpfs(long sizeBytes) {
        return new SmallFilesystemExtension(SmallFilesystem.Type.TMPFS, sizeBytes);
    }

    public static SmallFilesystemExtension ext4(long sizeBytes) {
        return new SmallFilesystemExtension(SmallFilesystem.Type.EXT4, sizeBytes);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        mountIfRoot();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (perClass) {
            TestEnvironment.requireRoot();
            return;
        }
        mountIfRoot();
    }

    private void mountIfRoot() {
        TestEnvironment.requireRoot();
        filesystem = SmallFilesystem.mount(type, sizeBytes);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            closeFilesystem();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeFilesystem();
    }

    private void closeFilesystem() {
        if (filesystem != null) {
            filesystem.close();
            filesystem = null;
        }
    }

    public SmallFilesystem filesystem() {
        if (filesystem == null) {
            throw new IllegalStateException("no filesystem is mounted (outside a test, or not root)");
        }
        return filesystem;
    }

    /** The root directory of the mounted filesystem. */
    public Path root() {
        return filesystem().root();
    }
}
