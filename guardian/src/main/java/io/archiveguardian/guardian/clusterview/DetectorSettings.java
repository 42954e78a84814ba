package io.archiveguardian.guardian.clusterview;

import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.InvalidConfigException;
import java.time.Duration;

/**
 * The failure detector's parameters: the heartbeat interval, the silence timeout and the
 * mass-silence brake.
 *
 * <ul>
 *   <li>SUSPECT: no fresh heartbeat for more than 1.5 intervals (one missed, with half an interval of slack);</li>
 *   <li>SILENT: none for {@code silenceTimeout};</li>
 *   <li>the brake: more than {@code brakeRatio} of the sidecars (and at least two) silent at once.</li>
 * </ul>
 */
public record DetectorSettings(Duration interval, Duration silenceTimeout, double brakeRatio) {

    public DetectorSettings {
        if (silenceTimeout.compareTo(interval.multipliedBy(2)) < 0) {
            throw new InvalidConfigException(GuardianConfig.CLUSTER_SILENCE_TIMEOUT_MS + "=" + silenceTimeout.toMillis()
                    + " is shorter than two scan intervals (" + interval.multipliedBy(2).toMillis()
                    + " ms): a sidecar would be SILENT before it could be SUSPECT. Use 0 (three intervals, at least "
                    + "30 s) or a value of at least " + interval.multipliedBy(2).toMillis() + ".");
        }
    }

    public static DetectorSettings from(GuardianConfig config) {
        Duration interval = Duration.ofMillis(config.getLong(GuardianConfig.SCAN_INTERVAL_MS));
        long configured = config.getLong(GuardianConfig.CLUSTER_SILENCE_TIMEOUT_MS);
        Duration timeout = configured > 0 ? Duration.ofMillis(configured) : defaultTimeout(interval);
        return new DetectorSettings(interval, timeout, config.getDouble(GuardianConfig.CLUSTER_SILENCE_BRAKE_RATIO));
    }

    /** Three intervals, at least 30 seconds. */
    public static Duration defaultTimeout(Duration interval) {
        Duration three = interval.multipliedBy(3);
        return three.compareTo(Duration.ofSeconds(30)) < 0 ? Duration.ofSeconds(30) : three;
    }

    public Duration suspectAfter() {
        return interval.plus(interval.dividedBy(2));
    }
}
