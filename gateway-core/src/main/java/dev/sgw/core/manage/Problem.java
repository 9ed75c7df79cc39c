package dev.sgw.core.manage;

/**
 * One broken rule found while checking a whole configuration.
 *
 * @param code    the kind of refusal
 * @param path    where: a JSON path such as {@code $.nfsShares[1].resource}
 * @param message a message safe to show to users, naming the entity, field and rule
 */
public record Problem(ManagementException.Code code, String path, String message) {

    ManagementException toException() {
        int dot = path.lastIndexOf('.');
        String field = dot < 0 || path.endsWith("]") ? null : path.substring(dot + 1);
        return new ManagementException(code, field, message);
    }

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
