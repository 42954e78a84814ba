package io.archiveguardian.guardian.cordon;

import io.archiveguardian.guardian.duty.StatusPart;
import java.time.Instant;
import java.util.List;

/**
 * The last run of the cordon duty, as {@code /api/v1/status} shows it under {@code cordon}.
 *
 * @param state     {@code active} (cordons are managed), {@code disabled} (cordon.enabled=false: only
 *                  read), {@code unsupported} (the metadata version cannot cordon), {@code error}
 *                  (the cluster did not answer or refused; {@code detail} says why), {@code off} (no
 *                  cluster or no node id), {@code waiting} (the broker is not running)
 * @param value     the broker's {@code cordoned.log.dirs} value, as read (null when unknown)
 * @param logDirs   each log dir of this broker; empty while the state is unknown
 */
public record CordonReport(Instant time, String state, String detail, String cordonLevel, String value,
                           List<LogDirCordon> logDirs) implements StatusPart {

    public CordonReport {
        logDirs = List.copyOf(logDirs);
    }

    public boolean known() {
        return value != null;
    }

    @Override
    public String statusKey() {
        return "cordon";
    }
}
