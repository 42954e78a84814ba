package io.archiveguardian.testsupport;

/**
 * Entry point of a broker child process: starts a watchdog that halts this JVM as soon as the
 * parent (the test JVM) is gone, so a broker never outlives the test run even when the test JVM
 * is killed, then hands over to {@code kafka.Kafka}.
 *
 * <p>Arguments: {@code <parent-pid> <server.properties>}.
 */
public final class ChildBrokerMain {

    private ChildBrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        long parentPid = Long.parseLong(args[0]);
        Thread watchdog = new Thread(() -> {
            ProcessHandle parent = ProcessHandle.of(parentPid).orElse(null);
            while (parent != null && parent.isAlive()) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
            Runtime.getRuntime().halt(137);
        }, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        kafka.Kafka.main(new String[] {args[1]});
    }
}
