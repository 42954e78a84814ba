package io.archiveguardian.testsupport;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Tracks every child process the harness starts and kills what is left when the JVM exits. */
final class ChildProcesses {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }), "kill-child-brokers"));
    }

    private ChildProcesses() {
    }

    static void track(Process process) {
        LIVE.add(process);
        process.onExit().thenRun(() -> LIVE.remove(process));
    }
}
