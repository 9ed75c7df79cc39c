package dev.sgw.core.manage;

import java.util.regex.Pattern;

/**
 * CHAP settings of an iSCSI volume (RFC 7143 section 12.1.3): the name and secret an initiator must
 * prove, and optionally (mutual CHAP) the name and secret the target proves back. Secrets are 12-16
 * characters (RFC 3720 asks for at least 96 bits; common initiators cap them at 16); the two secrets must
 * differ. Both secrets are encrypted at rest and masked in {@code toString()}.
 *
 * @param user         the initiator's CHAP name
 * @param secret       the initiator's secret
 * @param mutualUser   the target's CHAP name for mutual CHAP, or {@code null}
 * @param mutualSecret the target's secret for mutual CHAP, or {@code null}
 */
public record ChapCredentials(String user, Secret secret, String mutualUser, Secret mutualSecret) {

    private static final Pattern CHAP_NAME = Pattern.compile("[\\x21-\\x7e]{1,255}");

    public ChapCredentials {
        String entity = "CHAP";
        FieldRules.matches(entity, "user", user, CHAP_NAME, "must be 1-255 printable characters without spaces");
        checkSecret(entity, "secret", secret);
        if (mutualUser != null && mutualUser.isEmpty()) {
            mutualUser = null;
        }
        if ((mutualUser == null) != (mutualSecret == null)) {
            throw FieldRules.invalid(
                    entity,
                    mutualUser == null ? "mutualUser" : "mutualSecret",
                    "is required for mutual CHAP (give both mutualUser and mutualSecret, or neither)");
        }
        if (mutualUser != null) {
            FieldRules.matches(
                    entity, "mutualUser", mutualUser, CHAP_NAME, "must be 1-255 printable characters without spaces");
            checkSecret(entity, "mutualSecret", mutualSecret);
            if (mutualSecret.equals(secret)) {
                throw FieldRules.invalid(entity, "mutualSecret", "must differ from secret");
            }
        }
    }

    /** One-way CHAP. */
    public static ChapCredentials of(String user, String secret) {
        return new ChapCredentials(user, Secret.of(secret), null, null);
    }

    /** Mutual CHAP. */
    public static ChapCredentials mutual(String user, String secret, String mutualUser, String mutualSecret) {
        return new ChapCredentials(user, Secret.of(secret), mutualUser, Secret.of(mutualSecret));
    }

    public boolean isMutual() {
        return mutualUser != null;
    }

    private static void checkSecret(String entity, String field, Secret secret) {
        FieldRules.required(entity, field, secret);
        if (secret.length() < 12 || secret.length() > 16) {
            throw FieldRules.invalid(entity, field, "must be 12-16 characters, got " + secret.length());
        }
    }
}
