package io.archiveguardian.reserve;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The reserve's recorded state: the content of {@code manifest.json}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Manifest(int version, String reserveId, String logDir, List<Tier> tiers, LastAction lastAction) {

    static final int VERSION = 1;

    Manifest {
        tiers = tiers == null ? List.of()
                : tiers.stream().sorted(Comparator.comparingInt(Tier::index)).toList();
    }

    Optional<Tier> tier(int index) {
        return tiers.stream().filter(t -> t.index() == index).findFirst();
    }

    Manifest with(Tier tier) {
        List<Tier> list = new ArrayList<>(tiers);
        list.removeIf(t -> t.index() == tier.index());
        list.add(tier);
        return new Manifest(version, reserveId, logDir, list, lastAction);
    }

    Manifest without(int index) {
        List<Tier> list = new ArrayList<>(tiers);
        list.removeIf(t -> t.index() == index);
        return new Manifest(version, reserveId, logDir, list, lastAction);
    }

    Manifest with(LastAction action) {
        return new Manifest(version, reserveId, logDir, tiers, action);
    }
}
