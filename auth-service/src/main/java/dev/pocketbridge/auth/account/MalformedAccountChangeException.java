package dev.pocketbridge.auth.account;

/** An account-change record no retry can make usable (missing value, non-canonical ids): it is dead-lettered. */
class MalformedAccountChangeException extends RuntimeException {

    MalformedAccountChangeException(String message) {
        super(message);
    }
}
