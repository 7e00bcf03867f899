package dev.pocketbridge.common.kafka;

/** The members a Kafka payload cannot do without: checked when it is built, so also when it is read. */
final class Required {

    private Required() {
    }

    /**
     * @return {@code value}
     * @throws IllegalArgumentException when it is absent (Jackson reports it as a {@code JacksonException})
     */
    static <T> T present(T value, String member) {
        if (value == null) {
            throw new IllegalArgumentException(member + " is required");
        }
        return value;
    }
}
