package io.archiveguardian.grafana;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Just enough PromQL structure for the lint: the argument spans of rate-like calls. */
final class PromQl {

    private static final Pattern RATE_CALL = Pattern.compile("\\b(rate|irate|increase)\\s*\\(");

    record Span(String function, int start, int end) {
        boolean contains(int index) {
            return index >= start && index < end;
        }
    }

    private PromQl() {
    }

    /** The argument text ranges of every rate(...), irate(...), increase(...) call. */
    static List<Span> rateCalls(String expr) {
        List<Span> spans = new ArrayList<>();
        Matcher m = RATE_CALL.matcher(expr);
        while (m.find()) {
            int depth = 1;
            int i = m.end();
            for (; i < expr.length() && depth > 0; i++) {
                char c = expr.charAt(i);
                if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                }
            }
            spans.add(new Span(m.group(1), m.end(), i - 1));
        }
        return spans;
    }

    /** Range selectors ([...]) in the text. */
    static List<String> ranges(String text) {
        List<String> ranges = new ArrayList<>();
        Matcher m = Pattern.compile("\\[([^\\]]*)\\]").matcher(text);
        while (m.find()) {
            ranges.add(m.group(1));
        }
        return ranges;
    }
}
