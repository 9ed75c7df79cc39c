package dev.sgw.core.manage;

import java.util.Objects;

/**
 * The one failure of the management service. Its {@link #getMessage() message} is safe to show to users
 * (the console, the REST API, the CLI): it names the entity, the field and the rule, and never holds a
 * secret. {@link #field()} names the offending field when there is one, so that a form or a config file
 * can point at it.
 */
public final class ManagementException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What kind of refusal this is; the REST API maps it to an HTTP status. */
    public enum Code {
        /** A value breaks a rule (400). */
        INVALID,
        /** The named entity does not exist (404). */
        NOT_FOUND,
        /** The change clashes with another entity: a duplicate name, overlapping prefixes (409). */
        CONFLICT,
        /** The entity is referenced by others and cannot be deleted or changed that way (409). */
        IN_USE,
        /** A limit on the number of entities is reached (409). */
        LIMIT
    }

    private final Code code;
    private final String field;

    public ManagementException(Code code, String field, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
        this.field = field;
    }

    public ManagementException(Code code, String message) {
        this(code, null, message);
    }

    static ManagementException invalid(String field, String message) {
        return new ManagementException(Code.INVALID, field, message);
    }

    public Code code() {
        return code;
    }

    /** The field the message is about, or {@code null}. */
    public String field() {
        return field;
    }
}
