package dev.sgw.nfs.rpc;

import dev.sgw.core.volume.Caller;

/**
 * Who a call says it comes from, parsed from its credential. Only flavors we accept have a type here; a
 * call with any other flavor is refused with AUTH_ERROR / AUTH_BADCRED before it reaches a program.
 */
public sealed interface Credential {

    /** AUTH_NONE (RFC 5531 section 9.1): no identity. */
    record None() implements Credential {
        public static final None INSTANCE = new None();
    }

    /**
     * AUTH_SYS (RFC 5531 appendix A): identity asserted by the client host.
     *
     * @param stamp       an arbitrary id the client chose
     * @param machineName the client's host name, at most {@value #MAX_MACHINE_NAME} bytes
     * @param uid         user id
     * @param gid         primary group
     * @param gids        supplementary groups, at most {@value #MAX_GIDS}
     */
    // the array components are wire fields carried as decoded; the record is never compared or used as a key
    @SuppressWarnings("ArrayRecordComponent")
    record Sys(int stamp, String machineName, int uid, int gid, int[] gids) implements Credential {
        public static final int MAX_MACHINE_NAME = 255;
        public static final int MAX_GIDS = 16;

        public Sys {
            gids = gids.clone();
        }

        @Override
        public int[] gids() {
            return gids.clone();
        }

        /** The caller as the volume layer knows it, before any squashing of the share. */
        public Caller caller() {
            return new Caller(uid, gid, gids);
        }
    }
}
