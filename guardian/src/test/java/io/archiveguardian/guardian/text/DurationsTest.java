package io.archiveguardian.guardian.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archiveguardian.guardian.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Durations as options read and messages print them; a hint in a refusal is advice, so it is run. */
class DurationsTest {

    @TempDir
    Path tmp;

    @Test
    void wholeNumbersWithAUnitAreReadAndPrintedBackInTheirLargestExactUnit() {
        assertThat(Durations.parse("1500ms")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("90m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse(" 2H ")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
        for (String s : new String[] {"1500ms", "30s", "90m", "2h", "7d", "0ms", "9223372036854775807ms", "99999999d"}) {
            assertThat(Durations.exact(Durations.parse(s))).as(s).isEqualTo(s);
        }
        assertThat(Durations.exact(Duration.ofMinutes(120))).isEqualTo("2h");
    }

    @Test
    void spansForPeopleAreTheirTwoLargestUnitsWithSpaces() {
        assertThat(Durations.human(45)).isEqualTo("45 s");
        assertThat(Durations.human(300)).isEqualTo("5 min");
        assertThat(Durations.human(250)).isEqualTo("4 min 10 s");
        assertThat(Durations.human(9000)).isEqualTo("2 h 30 min");
        assertThat(Durations.human(7200)).isEqualTo("2 h");
        assertThat(Durations.human(3 * 86_400 + 4 * 3600 + 59)).isEqualTo("3 d 4 h");
        assertThat(Durations.human(Duration.ofDays(365))).isEqualTo("365 d");
        assertThat(Durations.human(0.2)).isEqualTo("1 s");
    }

    @Test
    void aBareNumberIsHintedOnlyAsDurationsInTheRange() {
        assertThatThrownBy(() -> Durations.parse("3600000", Duration.ofMinutes(1), Duration.ofDays(365)))
                .hasMessageContaining("write 1h for 3600000 milliseconds").hasMessageNotContaining("3600000m");
        assertThatThrownBy(() -> Durations.parse("90", Duration.ofMinutes(1), Duration.ofDays(365)))
                .hasMessageContaining("write 90m for minutes").hasMessageNotContaining("milliseconds");
    }

    @Test
    void refusalsNameTheValueAndWhatIsAllowed() {
        assertThatThrownBy(() -> Durations.parse("-2h")).hasMessage("'-2h' is not a duration: a duration cannot be negative; "
                + "give a whole number with a unit ms, s, m, h or d (1500ms, 30s, 90m, 2h, 7d)");
        assertThatThrownBy(() -> Durations.parse("1.5h")).hasMessageStartingWith("'1.5h' is not a duration: give a whole number");
        assertThatThrownBy(() -> Durations.parse("2w")).hasMessageStartingWith("'2w' is not a duration");
        assertThatThrownBy(() -> Durations.parse("9223372036854775807d"))
                .hasMessage("'9223372036854775807d' is too long a duration: at most 106751991167d");
        assertThatThrownBy(() -> Durations.parse("9223372036854775807"))
                .as("no hint that would itself be refused").hasMessageNotContaining("write ");
    }

    @Test
    void theBareNumberHintIsADurationTheCommandTakes() throws Exception {
        Path logDir = Files.createDirectories(tmp.resolve("logs"));
        CliRun refused = CliRun.of("ballast", "recommend", "--logdir", logDir.toString(), "--outage", "90", "--sample", "1s");
        assertThat(refused.exitCode()).isEqualTo(2);
        Matcher hint = Pattern.compile("write (\\S+) for minutes").matcher(refused.err());
        assertThat(hint.find()).as(refused.err()).isTrue();
        CliRun followed = CliRun.of("ballast", "recommend", "--logdir", logDir.toString(), "--outage", hint.group(1),
                "--sample", "1s", "--output", "json");
        assertThat(followed.exitCode()).as(followed.err()).isZero();
        assertThat(followed.out()).contains("\"outage\" : \"PT1H30M\"");
    }
}
