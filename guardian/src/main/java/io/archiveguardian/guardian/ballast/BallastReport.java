package io.archiveguardian.guardian.ballast;

import io.archiveguardian.guardian.duty.StatusPart;
import java.util.List;

/** The ballast duty's part of the status report: every reserve as of the last read. */
public record BallastReport(List<ReserveView> reserves) implements StatusPart {

    public BallastReport {
        reserves = List.copyOf(reserves);
    }

    @Override
    public String statusKey() {
        return "ballast";
    }
}
