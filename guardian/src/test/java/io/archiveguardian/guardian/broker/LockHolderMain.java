package io.archiveguardian.guardian.broker;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A separate JVM that locks a file the way Kafka locks {@code .lock}, prints LOCKED and waits to be killed. */
public final class LockHolderMain {

    private LockHolderMain() {
    }

    /**
     * Starts one holding {@code lockFile} and returns once it holds it (it printed LOCKED); killing
     * the process is a kill -9 of a "broker".
     */
    public static Process start(Path lockFile) throws java.io.IOException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xmx32m", LockHolderMain.class.getName(), lockFile.toString())
                .redirectErrorStream(true).start();
        String first = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8)).readLine();
        if (!"LOCKED".equals(first)) {
            p.destroyForcibly();
            throw new IllegalStateException("the lock holder for " + lockFile + " printed " + first + ", not LOCKED");
        }
        return p;
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
