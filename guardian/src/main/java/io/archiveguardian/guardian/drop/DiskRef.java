package io.archiveguardian.guardian.drop;

/** A log dir of a broker: the place to free space on. */
public record DiskRef(int broker, String logDir) {

    @Override
    public String toString() {
        return logDir + " of broker " + broker;
    }
}
