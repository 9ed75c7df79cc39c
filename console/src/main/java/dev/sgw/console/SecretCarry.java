package dev.sgw.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sgw.core.manage.ChapCredentials;
import dev.sgw.core.manage.CloudResource;
import dev.sgw.core.manage.IscsiVolume;
import dev.sgw.core.manage.SmbUser;

/**
 * Keeps the current secrets of an entity whose update leaves them out: the API never returns a secret, so
 * a client that reads an entity, changes a field and writes it back must not erase its secret.
 *
 * <pre>
 * entity        field left out                          kept
 * ------------  --------------------------------------  --------------------------------------------
 * resource      secretAccessKey                         the current secret access key
 * iSCSI volume  chap.secret                             the current CHAP secret (when it has CHAP)
 *               chap.mutualSecret (chap.mutualUser      the current mutual secret (when it has one)
 *               given)
 * SMB user      password                                the current NT hash (the caller swaps it in:
 *                                                       the password itself is not kept)
 * </pre>
 */
final class SecretCarry {
    /** Fills in for a left-out SMB password; the read user's hash is then replaced by the old one. */
    static final String PLACEHOLDER_PASSWORD = "x".repeat(SmbUser.MIN_PASSWORD);

    private SecretCarry() {}

    /**
     * Adds to {@code body} the secrets of {@code old} it leaves out.
     *
     * @return whether the body had no SMB password (the caller keeps the old NT hash)
     */
    static boolean carry(Object old, ObjectNode body) {
        if (old instanceof SmbUser && absent(body, "password")) {
            body.put("password", PLACEHOLDER_PASSWORD);
            return true;
        }
        switch (old) {
            case CloudResource r -> {
                if (absent(body, "secretAccessKey")) {
                    body.put("secretAccessKey", r.secretAccessKey().reveal());
                }
            }
            case IscsiVolume v -> {
                ChapCredentials was = v.chap();
                if (was != null && body.get("chap") instanceof ObjectNode chap) {
                    if (absent(chap, "secret")) {
                        chap.put("secret", was.secret().reveal());
                    }
                    if (was.isMutual() && !absent(chap, "mutualUser") && absent(chap, "mutualSecret")) {
                        chap.put("mutualSecret", was.mutualSecret().reveal());
                    }
                }
            }
            default -> {}
        }
        return false;
    }

    private static boolean absent(ObjectNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull();
    }
}
