package io.archiveguardian.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One container as a container runtime builds it, with the kernel's own means (root):
 * {@code unshare --mount --pid --fork} gives it its own mount and PID namespace, and inside them
 * its own root, a private tmpfs holding only the host's /usr (the JVM and the shell, standing in
 * for the image's), a copy of the few /etc files a JVM reads, fresh /proc and /tmp, and the
 * pod's volumes bind-mounted at the paths the manifest names. Nothing else of the host is
 * visible: a path the manifest does not mount (the default /var/lib/kafka-guardian, for one) is
 * the container's own, and gone when it ends. Optionally it joins a network namespace (a pod's).
 * Its pid 1 is the container's command; killing it ends the container, as for a real one.
 */
final class Container implements AutoCloseable {

    private static final String ROOT_SCRIPT = String.join("\n",
            "#!/bin/sh",
            "# $1: the directory the root is mounted on; $2: the file of bind mounts (host path, container path);",
            "# the rest: the command. Runs as pid 1 of a new PID and mount namespace.",
            "set -e",
            "R=\"$1\"; MOUNTS=\"$2\"; shift 2",
            "mount --make-rprivate /",
            "mount -t tmpfs -o size=64m,mode=0755 container-root \"$R\"",
            "for d in bin sbin lib lib32 lib64 libx32; do",
            "  if [ -L \"/$d\" ]; then ln -s \"$(readlink \"/$d\")\" \"$R/$d\"; fi",
            "done",
            "mkdir -p \"$R/usr\" \"$R/etc\" \"$R/dev\" \"$R/proc\" \"$R/sys\" \"$R/tmp\" \"$R/run\" \"$R/root\"",
            "mount --rbind /usr \"$R/usr\"",
            "for f in passwd group hosts nsswitch.conf resolv.conf host.conf localtime os-release alternatives ssl java-17-openjdk; do",
            "  if [ -e \"/etc/$f\" ]; then cp -a \"/etc/$f\" \"$R/etc/\"; fi",
            "done",
            "mount --rbind /dev \"$R/dev\"",
            "mount -t proc proc \"$R/proc\"",
            "mount --rbind -o ro /sys \"$R/sys\" 2>/dev/null || mount --rbind /sys \"$R/sys\"",
            "mount -t tmpfs -o size=64m tmp \"$R/tmp\"",
            "while read -r host target; do",
            "  if [ -d \"$host\" ]; then mkdir -p \"$R$target\"; else mkdir -p \"$(dirname \"$R$target\")\"; touch \"$R$target\"; fi",
            "  mount --bind \"$host\" \"$R$target\"",
            "done < \"$MOUNTS\"",
            "cd /",
            "exec chroot \"$R\" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/root \"JAVA_HOME=$JAVA_HOME\" \"$@\"",
            "");

    /** Containers still running; killed with everything under them if the test JVM exits first. */
    private static final Set<Process> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }), "kill-containers"));
    }

    private final String name;
    private final Process process;
    private final Path output;
    /** Where this run's part of the (per name, appended) log starts. */
    private final long offset;

    private Container(String name, Process process, Path output, long offset) {
        this.name = name;
        this.process = process;
        this.output = output;
        this.offset = offset;
    }

    /** What a container mounts: volume host paths by container path, in mount order. */
    static final class Mounts {
        final Map<String, Path> byTarget = new LinkedHashMap<>();

        Mounts add(String containerPath, Path hostPath) {
            byTarget.put(containerPath, hostPath);
            return this;
        }

        /** The host paths the test's JVM class path lives under (the broker's "image"), at the same paths. */
        Mounts addClassPath() {
            Set<Path> roots = new LinkedHashSet<>();
            for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
                Path p = Path.of(entry).toAbsolutePath().normalize();
                if (p.getNameCount() >= 2) {
                    roots.add(p.getRoot().resolve(p.subpath(0, 2)));
                }
            }
            // Surefire may hand the JVM a manifest-only jar whose Class-Path names the local repository.
            Path repository = Path.of(System.getProperty("user.home"), ".m2");
            if (Files.isDirectory(repository)) {
                roots.add(repository.toAbsolutePath().normalize());
            }
            roots.forEach(r -> add(r.toString(), r));
            return this;
        }
    }

    /**
     * Starts the container; returns at once.
     *
     * @param netns a network namespace from {@code ip netns add} to join, or empty for the host's
     */
    static Container start(String name, Path work, Mounts mounts, List<String> command, Optional<String> netns)
            throws IOException {
        Path dir = Files.createDirectories(work.resolve("containers"));
        Path script = dir.resolve("container-root.sh");
        if (!Files.exists(script)) {
            Files.writeString(script, ROOT_SCRIPT);
        }
        Path root = Files.createTempDirectory(dir, name + "-root-");
        Path mountList = Files.createTempFile(dir, name + "-mounts-", ".txt");
        StringBuilder m = new StringBuilder();
        mounts.byTarget.forEach((target, host) -> m.append(host).append(' ').append(target).append('\n'));
        Files.writeString(mountList, m.toString());
        List<String> full = new ArrayList<>();
        netns.ifPresent(ns -> full.addAll(List.of("nsenter", "--net=/run/netns/" + ns)));
        full.addAll(List.of("unshare", "--mount", "--pid", "--fork", "--kill-child", "/bin/sh", script.toString(),
                root.toString(), mountList.toString()));
        full.addAll(command);
        Path output = dir.resolve(name + ".log");
        Files.writeString(output, "=== " + Instant.now() + " " + command + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        long offset = Files.size(output);
        ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process started = pb.start();
        LIVE.add(started);
        started.onExit().thenRun(() -> LIVE.remove(started));
        return new Container(name, started, output, offset);
    }

    /** The host pid of the container's pid 1 (the child of unshare), waiting for it to exist. */
    long mainPid() {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            Optional<ProcessHandle> child = process.children().findFirst();
            if (child.isPresent()) {
                return child.get().pid();
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " ended before its pid 1 was seen:\n" + output());
            }
            sleep(20);
        }
        throw new AssertionError(name + ": no pid 1 after 30 s");
    }

    /** kill -9 of the container's pid 1: the kernel ends everything else in its PID namespace. */
    void kill() throws InterruptedException {
        if (process.isAlive()) {
            ProcessHandle.of(mainPid()).ifPresent(ProcessHandle::destroyForcibly);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the container's command to end; its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still running after " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    /** Waits until the container printed {@code line} (after {@code since} characters of its log). */
    void awaitOutput(String line, int since, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            String out = output();
            if (out.indexOf(line, since) >= 0) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " ended (" + process.exitValue() + ") before it printed '" + line + "':\n"
                        + tail(out));
            }
            sleep(200);
        }
        throw new AssertionError(name + " did not print '" + line + "' within " + timeout + ":\n" + tail(output()));
    }

    /** What this run of the container printed (a restart under the same name starts afresh). */
    String output() {
        try {
            byte[] all = Files.readAllBytes(output);
            return new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(String out) {
        return out.length() > 6000 ? out.substring(out.length() - 6000) : out;
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
