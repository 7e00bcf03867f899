package dev.pocketbridge.device.pairing;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;

import org.junit.jupiter.api.Test;

class PairingCodesTest {

    @Test
    void generatesEightCrockfordCharactersShownInTwoGroups() {
        String code = PairingCodes.generate(new SecureRandom());

        assertThat(code).matches("[0-9ABCDEFGHJKMNPQRSTVWXYZ]{8}");
        assertThat(PairingCodes.display(code)).isEqualTo(code.substring(0, 4) + "-" + code.substring(4));
    }

    @Test
    void normalisesWhatPeopleType() {
        assertThat(PairingCodes.normalize("AB12-CD0Z")).contains("AB12CD0Z");
        assertThat(PairingCodes.normalize("ab12cd0z")).contains("AB12CD0Z");
        assertThat(PairingCodes.normalize("abi2-cdoz")).contains("AB12CD0Z");
        assertThat(PairingCodes.normalize("ABL2CDOZ")).contains("AB12CD0Z");
    }

    @Test
    void refusesWhatCannotBeACode() {
        assertThat(PairingCodes.normalize("AB12-CD0")).isEmpty();
        assertThat(PairingCodes.normalize("AB1-2CD0Z")).isEmpty();
        assertThat(PairingCodes.normalize("UB12CD0Z")).isEmpty();
        assertThat(PairingCodes.normalize("AB12CD0Z0")).isEmpty();
        assertThat(PairingCodes.normalize("AB12--D0Z")).isEmpty();
        assertThat(PairingCodes.normalize(null)).isEmpty();
    }
}
