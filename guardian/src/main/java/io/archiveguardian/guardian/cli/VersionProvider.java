package io.archiveguardian.guardian.cli;

import picocli.CommandLine.IVersionProvider;

final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = GuardianCommand.class.getPackage().getImplementationVersion();
        return new String[] {
                "guardian " + (version == null ? "(development build)" : version),
                "Kafka clients " + org.apache.kafka.common.utils.AppInfoParser.getVersion(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
    }
}
