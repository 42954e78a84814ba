package io.archiveguardian.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A unit file read as systemd reads its syntax (systemd.syntax(7)): sections, {@code Key=value}
 * lines, {@code #}/{@code ;} comments, a trailing backslash continuing a line. Only what the tests
 * need; systemd-analyze verify is the judge of the rest.
 */
record SystemdUnit(List<Entry> entries) {

    record Entry(String section, String key, String value) {
    }

    static SystemdUnit parse(String text) {
        List<Entry> entries = new ArrayList<>();
        String section = "";
        StringBuilder pending = null;
        for (String raw : text.split("\n", -1)) {
            String line = raw.strip();
            if (pending == null && (line.isEmpty() || line.startsWith("#") || line.startsWith(";"))) {
                continue;
            }
            if (pending != null) {
                if (line.startsWith("#") || line.startsWith(";")) {
                    continue; // comment lines inside a continuation are skipped
                }
                pending.append(' ').append(line);
            } else if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1);
                continue;
            } else {
                pending = new StringBuilder(line);
            }
            if (pending.toString().endsWith("\\")) {
                pending.setLength(pending.length() - 1);
                continue;
            }
            String whole = pending.toString();
            pending = null;
            int eq = whole.indexOf('=');
            entries.add(new Entry(section, whole.substring(0, eq).strip(), whole.substring(eq + 1).strip()));
        }
        return new SystemdUnit(List.copyOf(entries));
    }

    Optional<String> value(String section, String key) {
        return entries.stream().filter(e -> e.section().equals(section) && e.key().equals(key))
                .map(Entry::value).reduce((a, b) -> b);
    }
}
