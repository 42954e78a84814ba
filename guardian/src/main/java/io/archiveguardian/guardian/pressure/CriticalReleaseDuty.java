package io.archiveguardian.guardian.pressure;

import io.archiveguardian.guardian.ballast.BallastDuty;
import io.archiveguardian.guardian.disk.PressureLevel;
import io.archiveguardian.guardian.duty.Duty;
import io.archiveguardian.guardian.facts.DiskFacts;
import io.archiveguardian.guardian.facts.PassFacts;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pressure action: a disk that has just reached critical pressure while the broker runs gets one
 * ballast tier back, once per entry into critical (the watch duty's hysteresis keeps it from
 * flapping). Reads the pass's facts; releases through the ballast duty's one entrance, with the
 * trigger {@code critical-pressure}, which {@code guardian_ballast_releases_total} counts.
 */
public final class CriticalReleaseDuty implements Duty {

    private static final Logger LOG = LoggerFactory.getLogger(CriticalReleaseDuty.class);

    private final BallastDuty ballast;

    public CriticalReleaseDuty(BallastDuty ballast) {
        this.ballast = ballast;
    }

    @Override
    public String name() {
        return "critical-release";
    }

    @Override
    public PassFacts onPass(PassFacts facts) {
        if (!facts.brokerRunning()) {
            return facts;
        }
        for (DiskFacts d : facts.diskList()) {
            if (!d.entered(PressureLevel.CRITICAL) || d.armedBallastBytes() <= 0 || d.logDirs().isEmpty()) {
                continue;
            }
            Optional<String> failure = ballast.releaseOneTier(d, "disk " + d.mount() + " reached critical pressure: "
                    + d.pressureReason());
            if (failure.isEmpty()) {
                LOG.warn("disk {} reached critical pressure; released one ballast tier", d.mount());
            } else {
                LOG.error("disk {} reached critical pressure but no ballast tier could be released: {}", d.mount(), failure.get());
            }
        }
        return facts;
    }
}
