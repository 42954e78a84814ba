package io.archiveguardian.guardian.clusterview;

/**
 * An answer of the cluster view's query API: the HTTP status, the seconds to wait before asking
 * again (for a 503 while the Streams application rebalances), and the JSON body.
 */
public record QueryAnswer(int status, Integer retryAfterSeconds, String json) {
}
