package io.archiveguardian.guardian.cli;

import io.archiveguardian.guardian.GuardianVersion;
import picocli.CommandLine.IVersionProvider;

final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {
                "guardian " + GuardianVersion.current() + " (revision " + GuardianVersion.revision() + ")",
                "Kafka clients " + org.apache.kafka.common.utils.AppInfoParser.getVersion(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
    }
}
