package io.archiveguardian.guardian.broker;

import java.util.Map;

/** A separate JVM that probes one listener ({@code args[0]} host, {@code args[1]} port) and prints the answer and the time. */
public final class ListenerProbeMain {

    private ListenerProbeMain() {
    }

    public static void main(String[] args) {
        ListenerProbe probe = ListenerProbe.of(Map.of("listeners", "PLAINTEXT://" + args[0] + ":" + args[1])).orElseThrow();
        long start = System.nanoTime();
        ListenerProbe.Answer answer = probe.probe();
        System.out.println(answer + " " + (System.nanoTime() - start) / 1_000_000);
    }
}
