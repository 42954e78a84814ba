package io.archiveguardian.guardian.recovery;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/** A separate JVM that writes one growth record into {@code args[0]}, for tracing its system calls. */
public final class GrowthRecordWriteMain {

    private GrowthRecordWriteMain() {
    }

    public static void main(String[] args) throws Exception {
        Instant now = Instant.now();
        new GrowthRecord(now, Map.of("/data/kafka", new GrowthRecord.LogDir(1024.0, now))).write(Path.of(args[0]));
        System.out.println("WRITTEN");
    }
}
