package io.archiveguardian.guardian.retention;

import java.util.List;

/** The retention defaults of the brokers that could be described, and a failure for each that could not. */
public record DescribedBrokers(List<BrokerRetention> brokers, List<AdminFailure> failures) {

    public DescribedBrokers {
        brokers = List.copyOf(brokers);
        failures = List.copyOf(failures);
    }
}
