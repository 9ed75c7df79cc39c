package dev.sgw.core.manage;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the fields of one JSON object, recording each type error as a {@link Problem} at its JSON path
 * instead of failing at the first one. A missing optional field gives the default; {@link #finish}
 * reports the fields nobody asked for (typos).
 */
final class JsonFields {
    private final JsonNode node;
    private final String path;
    private final List<Problem> problems;
    private final Set<String> known = new HashSet<>();
    private boolean broken;

    JsonFields(JsonNode node, String path, List<Problem> problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
        if (!node.isObject()) {
            fail(path, "must be a JSON object");
        }
    }

    /** Whether every field read so far had the right type. */
    boolean ok() {
        return !broken;
    }

    String path() {
        return path;
    }

    List<Problem> problems() {
        return problems;
    }

    /** Records a failed rule at {@code at}. */
    void fail(String at, String message) {
        broken = true;
        problems.add(new Problem(ManagementException.Code.INVALID, at, message));
    }

    private JsonNode get(String field) {
        known.add(field);
        JsonNode v = node.isObject() ? node.get(field) : null;
        return v == null || v.isNull() ? null : v;
    }

    boolean has(String field) {
        return get(field) != null;
    }

    /** A string, or {@code null} when absent. */
    String text(String field) {
        JsonNode v = get(field);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            fail(path + "." + field, "must be a string");
            return null;
        }
        return v.textValue();
    }

    long number(String field, long absent) {
        JsonNode v = get(field);
        if (v == null) {
            return absent;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            fail(path + "." + field, "must be a whole number");
            return absent;
        }
        return v.longValue();
    }

    int intNumber(String field, int absent) {
        long v = number(field, absent);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            fail(path + "." + field, "must be at most " + Integer.MAX_VALUE);
            return absent;
        }
        return (int) v;
    }

    boolean bool(String field, boolean absent) {
        JsonNode v = get(field);
        if (v == null) {
            return absent;
        }
        if (!v.isBoolean()) {
            fail(path + "." + field, "must be true or false");
            return absent;
        }
        return v.booleanValue();
    }

    <E extends Enum<E>> E choice(String field, Class<E> type, E absent) {
        String v = text(field);
        if (v == null) {
            return absent;
        }
        try {
            return Enum.valueOf(type, v.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            List<String> names = new ArrayList<>();
            for (E c : type.getEnumConstants()) {
                names.add(c.name());
            }
            fail(
                    path + "." + field,
                    "must be one of " + String.join(", ", names) + ", got '" + FieldRules.printable(v) + "'");
            return absent;
        }
    }

    /** The elements of an array field (empty when absent). */
    List<JsonNode> array(String field) {
        JsonNode v = get(field);
        if (v == null) {
            return List.of();
        }
        if (!v.isArray()) {
            fail(path + "." + field, "must be an array");
            return List.of();
        }
        List<JsonNode> out = new ArrayList<>();
        v.forEach(out::add);
        return out;
    }

    /** An object field as a reader of its own, or {@code null} when absent. */
    JsonFields object(String field) {
        JsonNode v = get(field);
        if (v == null) {
            return null;
        }
        JsonFields f = new JsonFields(v, path + "." + field, problems);
        broken |= f.broken;
        return f;
    }

    /** Absorbs the type errors of a nested reader. */
    void include(JsonFields nested) {
        broken |= nested.broken;
    }

    /** Reports fields that were never read. */
    void finish() {
        if (!node.isObject()) {
            return;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                fail(path + "." + name, "is not a known field");
            }
        }
    }

    /** Records a model rule broken by the values of this object. */
    void failed(ManagementException e) {
        broken = true;
        problems.add(new Problem(e.code(), e.field() == null ? path : path + "." + e.field(), e.getMessage()));
    }
}
