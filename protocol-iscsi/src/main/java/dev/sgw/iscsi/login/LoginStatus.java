package dev.sgw.iscsi.login;

/**
 * Login Response Status-Class and Status-Detail (RFC 7143 section 11.13.5). sgw refuses a login from a
 * second initiator while another initiator holds a session on the same volume with
 * {@link #AUTHORIZATION_FAILURE} (0x0202, "the initiator is not allowed access to the given target"): the
 * volume is a single-host block device, and a class-2 status tells initiators not to retry in a loop (a
 * class-3 "service unavailable" would invite endless retries).
 */
public enum LoginStatus {
    SUCCESS(0, 0),
    TARGET_MOVED_TEMPORARILY(1, 1),
    INITIATOR_ERROR(2, 0),
    AUTHENTICATION_FAILURE(2, 1),
    AUTHORIZATION_FAILURE(2, 2),
    NOT_FOUND(2, 3),
    TARGET_REMOVED(2, 4),
    UNSUPPORTED_VERSION(2, 5),
    TOO_MANY_CONNECTIONS(2, 6),
    MISSING_PARAMETER(2, 7),
    CANNOT_INCLUDE_IN_SESSION(2, 8),
    SESSION_TYPE_NOT_SUPPORTED(2, 9),
    SESSION_DOES_NOT_EXIST(2, 10),
    INVALID_DURING_LOGIN(2, 11),
    TARGET_ERROR(3, 0),
    SERVICE_UNAVAILABLE(3, 1),
    OUT_OF_RESOURCES(3, 2);

    private final int statusClass;
    private final int detail;

    LoginStatus(int statusClass, int detail) {
        this.statusClass = statusClass;
        this.detail = detail;
    }

    public int statusClass() {
        return statusClass;
    }

    public int detail() {
        return detail;
    }

    /** Class and detail as one number, e.g. 0x0201. */
    public int code() {
        return (statusClass << 8) | detail;
    }
}
