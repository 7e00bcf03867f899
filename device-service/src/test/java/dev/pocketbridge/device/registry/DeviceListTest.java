package dev.pocketbridge.device.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class DeviceListTest {

    @Test
    void explainsAnEmptyListAndOnlyThat() {
        DeviceList empty = DeviceList.of(List.of());
        assertThat(empty.isEmpty()).isTrue();
        assertThat(empty.count()).isZero();
        assertThat(empty.message()).isNotBlank();

        DeviceList one = DeviceList.of(List.of(new DeviceView("d", "n", "web", false, null, 1L, true)));
        assertThat(one.isEmpty()).isFalse();
        assertThat(one.count()).isEqualTo(1);
        assertThat(one.message()).isNull();
    }
}
