package io.archiveguardian.reserve;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A separate JVM that waits for a start file, then releases towards a usable-space target, so
 * several processes ask at the same moment. Prints {@code RELEASED [tiers] bytes}.
 *
 * <pre>release-to LOGDIR TARGET_BYTES GO_FILE</pre>
 */
public final class ReleaseTargetChildMain {

    private ReleaseTargetChildMain() {
    }

    public static void main(String[] args) throws Exception {
        Path logDir = Path.of(args[0]);
        long target = Long.parseLong(args[1]);
        Path go = Path.of(args[2]);
        ReserveLocation location = ReservePlacement.resolve(logDir, List.of(logDir));
        Reserve reserve = Reserve.at(location, ReserveOptions.defaults("child release-to")
                .withLockTimeout(Duration.ofSeconds(60)));
        System.out.println("READY");
        System.out.flush();
        while (!Files.exists(go)) {
            Thread.onSpinWait();
        }
        ReleaseResult r = reserve.release(ReleaseRequest.usableAtLeast(target), Trigger.PRESTART, "race to a target");
        System.out.println("RELEASED " + r.releasedTiers() + " " + r.releasedBytes());
        System.out.flush();
    }
}
