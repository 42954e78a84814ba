package io.archiveguardian.guardian.broker;

/**
 * The broker state read from one log dir, with the evidence behind it.
 *
 * @param lockHolderPid the pid holding {@code .lock}, or −1
 * @param detail        the evidence in words, for status and events
 */
public record LogDirBrokerState(String logDir, BrokerState state, long lockHolderPid, String detail) {
}
