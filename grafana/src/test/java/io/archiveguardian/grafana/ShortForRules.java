package io.archiveguardian.grafana;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The project's rule file with every {@code for:} shortened, for the end-to-end test: its alerts
 * wait minutes to an hour, which a test cannot. Nothing else may differ, and {@link #write}
 * checks that.
 */
final class ShortForRules {

    static final Pattern FOR = Pattern.compile("^(\\s+)for: \\S+$");

    private ShortForRules() {
    }

    static Path write(Path target, String duration) {
        try {
            List<String> original = Files.readAllLines(GrafanaFiles.RULES);
            List<String> copy = original.stream().map(l -> FOR.matcher(l).replaceFirst("$1for: " + duration)).toList();
            int changed = 0;
            for (int i = 0; i < original.size(); i++) {
                if (!original.get(i).equals(copy.get(i))) {
                    if (!FOR.matcher(original.get(i)).matches() || !FOR.matcher(copy.get(i)).matches()) {
                        throw new AssertionError("line " + (i + 1) + " differs beyond its for: value");
                    }
                    changed++;
                }
            }
            long forLines = original.stream().filter(l -> FOR.matcher(l).matches()).count();
            if (forLines != GrafanaFiles.alertRules().stream().filter(a -> a.has("for")).count()) {
                throw new AssertionError("every for: of the rule file is on a line of its own");
            }
            if (changed == 0) {
                throw new AssertionError("no for: was shortened");
            }
            Files.write(target, copy);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
