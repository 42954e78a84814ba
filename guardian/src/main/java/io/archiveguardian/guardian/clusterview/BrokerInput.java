package io.archiveguardian.guardian.clusterview;

/** What the per-broker processor of the topology reads: a heartbeat or a replica placement. */
public sealed interface BrokerInput permits Heartbeat, Placement {
}
