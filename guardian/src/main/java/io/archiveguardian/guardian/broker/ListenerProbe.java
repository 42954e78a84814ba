package io.archiveguardian.guardian.broker;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A TCP connect to the local broker's own client listener (from {@code listeners} in its
 * server.properties; a wildcard host is reached at 127.0.0.1). It corroborates the lock: a killed
 * broker's port refuses at once, a running broker's accepts. It sends nothing. The whole probe,
 * name lookup included, is bounded by {@value #TIMEOUT_MS} ms: a resolver that hangs (DNS down)
 * makes the answer INCONCLUSIVE in time, and at most one lookup per probe is in flight.
 */
public final class ListenerProbe {

    /** What the connect found. */
    public enum Answer {
        ACCEPTS, REFUSES,
        /** Timed out, unresolvable, or another error: says nothing either way. */
        INCONCLUSIVE
    }

    private static final int TIMEOUT_MS = 300;

    private final String host;
    private final int port;
    /** The lookup in flight, if one is still running (a hanging resolver): the next probe waits on it, never a second. */
    private CompletableFuture<InetAddress> lookup;
    private long lookedUpAt;
    /** A found address is used this long before it is looked up again. */
    private static final long REUSE_NANOS = TimeUnit.SECONDS.toNanos(30);

    ListenerProbe(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** The first non-controller listener in {@code listeners}, if the broker's properties name one. */
    public static Optional<ListenerProbe> of(Map<String, String> brokerProperties) {
        String listeners = brokerProperties.getOrDefault("listeners", "");
        Set<String> controllers = Arrays.stream(brokerProperties.getOrDefault("controller.listener.names", "").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        for (String l : listeners.split(",")) {
            String listener = l.trim();
            int sep = listener.indexOf("://");
            if (sep <= 0 || controllers.contains(listener.substring(0, sep))) {
                continue;
            }
            String hostPort = listener.substring(sep + 3);
            int colon = hostPort.lastIndexOf(':');
            if (colon < 0) {
                continue;
            }
            String h = hostPort.substring(0, colon);
            if (h.startsWith("[") && h.endsWith("]")) {
                h = h.substring(1, h.length() - 1);
            }
            if (h.isEmpty() || h.equals("0.0.0.0") || h.equals("::")) {
                h = "127.0.0.1";
            }
            try {
                int p = Integer.parseInt(hostPort.substring(colon + 1));
                if (p > 0 && p <= 65535) {
                    return Optional.of(new ListenerProbe(h, p));
                }
            } catch (NumberFormatException e) {
                // not a listener we can reach; try the next
            }
        }
        return Optional.empty();
    }

    /** A probe of HOST:PORT ({@code [v6]:port} allowed), checked by the configuration already. */
    public static ListenerProbe at(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String h = hostPort.substring(0, colon);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return new ListenerProbe(h, Integer.parseInt(hostPort.substring(colon + 1)));
    }

    public Answer probe() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        InetAddress address;
        try {
            address = resolve(deadline);
        } catch (UnknownHostException | TimeoutException e) {
            return Answer.INCONCLUSIVE;
        }
        int left = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), left);
            return Answer.ACCEPTS;
        } catch (ConnectException e) {
            return Answer.REFUSES;
        } catch (IOException | RuntimeException e) {
            return Answer.INCONCLUSIVE;
        }
    }

    /** The host's address, looked up on a daemon thread so that the caller waits no longer than the deadline. */
    private synchronized InetAddress resolve(long deadline) throws UnknownHostException, TimeoutException {
        boolean reusable = lookup != null && lookup.isDone() && !lookup.isCompletedExceptionally()
                && System.nanoTime() - lookedUpAt < REUSE_NANOS;
        if (lookup == null || (lookup.isDone() && !reusable)) {
            lookedUpAt = System.nanoTime();
            lookup = new CompletableFuture<>();
            CompletableFuture<InetAddress> mine = lookup;
            Thread t = new Thread(() -> {
                try {
                    mine.complete(InetAddress.getByName(host));
                } catch (UnknownHostException | RuntimeException e) {
                    mine.completeExceptionally(e);
                }
            }, "guardian-listener-lookup");
            t.setDaemon(true);
            t.start();
        }
        try {
            return lookup.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof UnknownHostException u ? u : new UnknownHostException(host + ": " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimeoutException("interrupted");
        }
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
