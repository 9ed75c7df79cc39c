package dev.sgw.console;

import java.util.List;

import dev.sgw.core.manage.ManagementException;
import dev.sgw.core.manage.Problem;

/**
 * A request the API refuses: the HTTP status, a message safe to show, and for a body that breaks rules
 * every problem at its JSON path ({@code $.bucket}).
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient List<Problem> problems;

    ApiException(int status, String message, List<Problem> problems) {
        super(message);
        this.status = status;
        this.problems = List.copyOf(problems);
    }

    ApiException(int status, String message) {
        this(status, message, List.of());
    }

    int status() {
        return status;
    }

    List<Problem> problems() {
        return problems;
    }

    static ApiException notFound(String what) {
        return new ApiException(404, what + " does not exist");
    }

    /** A 400 for one problem at {@code path} of the body. */
    static ApiException invalid(String path, String message) {
        return new ApiException(
                400, path + ": " + message, List.of(new Problem(ManagementException.Code.INVALID, path, message)));
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }
}
