package dev.pocketbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;

class ThroughputSearchTest {

    @Test
    void theRateBetweenOneThatHeldAndOneThatDidNotIsTheirGeometricMiddle() {
        assertThat(ThroughputSearch.between(62, 125)).isEqualTo(OptionalDouble.of(88));
        assertThat(ThroughputSearch.between(88, 125)).isEqualTo(OptionalDouble.of(105));
        assertThat(ThroughputSearch.between(125, 250)).isEqualTo(OptionalDouble.of(177));
    }

    @Test
    void theSearchStopsWithinOnePointTwoTimes() {
        assertThat(ThroughputSearch.between(88, 105)).isEmpty();
        assertThat(ThroughputSearch.between(177, 210)).isEmpty();
        assertThat(ThroughputSearch.between(100, 121)).isEqualTo(OptionalDouble.of(110));
    }

    @Test
    void noWholeRateBetweenEndsTheSearch() {
        assertThat(ThroughputSearch.between(1, 2)).isEmpty();
        assertThat(ThroughputSearch.between(2, 3)).isEmpty();
    }
}
