package io.archiveguardian.guardian.broker;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A separate JVM that locks a file the way Kafka locks {@code .lock}, prints LOCKED and waits to be killed. */
public final class LockHolderMain {

    private LockHolderMain() {
    }

    public static void main(String[] args) throws Exception {
        try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            System.out.println(lock == null ? "BUSY" : "LOCKED");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
