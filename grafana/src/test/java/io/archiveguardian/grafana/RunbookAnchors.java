package io.archiveguardian.grafana;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/** The anchors GitHub gives the headings of a Markdown file. */
final class RunbookAnchors {

    private RunbookAnchors() {
    }

    static Set<String> of(String markdown) {
        Set<String> anchors = new LinkedHashSet<>();
        boolean code = false;
        for (String line : markdown.split("\n")) {
            if (line.startsWith("```")) {
                code = !code;
            }
            if (!code && line.matches("#{1,6} .*")) {
                String text = line.replaceFirst("#{1,6} ", "").strip().toLowerCase(Locale.ROOT);
                anchors.add(text.replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }
}
