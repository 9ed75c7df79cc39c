package dev.sgw.smb.file;

import java.util.LinkedHashSet;
import java.util.Set;

import dev.sgw.core.volume.Caller;

/**
 * The access check of MS-DTYP 2.5.3.2 on a descriptor's DACL, for the SIDs of a session's user: what it grants.
 *
 * <pre>
 * DACL           | granted
 * ---------------+-------------------------------------------------------------------------------------
 * NULL or absent | everything (FILE_ALL_ACCESS)
 * present        | the owner: READ_CONTROL | WRITE_DAC, unless an OWNER RIGHTS (S-1-3-4) ACE is there;
 *                | then, ACE by ACE in order (INHERIT_ONLY ones skipped), an ACCESS_ALLOWED ACE of a SID of
 *                | the token grants its (generic-mapped) rights not yet denied, an ACCESS_DENIED ACE denies
 *                | those not yet granted; OWNER RIGHTS stands for the owner
 * </pre>
 *
 * Asking for rights then succeeds when all of them are granted: a deny ACE before an allow wins, an allow before
 * a deny wins, which is the same as checking the desired rights ACE by ACE. Object and callback ACEs are
 * ignored. The token ({@link Token#of}) holds the user's Unix SID, its groups', Everyone and Authenticated Users.
 */
final class AccessCheck {
    private AccessCheck() {}

    /** The SIDs a session's user acts as. */
    record Token(Sid user, Set<Sid> sids) {
        Token {
            sids = Set.copyOf(sids);
        }

        /** S-1-22-1-uid, S-1-22-2-gid of its primary and other groups, Everyone, Authenticated Users. */
        static Token of(Caller caller) {
            Set<Sid> sids = new LinkedHashSet<>();
            Sid user = Sid.unixUser(caller.uid());
            sids.add(user);
            sids.add(Sid.unixGroup(caller.gid()));
            for (int g : caller.gids()) {
                sids.add(Sid.unixGroup(g));
            }
            sids.add(Sid.EVERYONE);
            sids.add(Sid.AUTHENTICATED_USERS);
            return new Token(user, sids);
        }

        boolean has(Sid sid) {
            return sid != null && sids.contains(sid);
        }
    }

    /** The rights {@code sd}'s DACL grants {@code token}. */
    static int granted(SecurityDescriptor sd, Token token) {
        if (!sd.daclPresent() || sd.dacl == null) {
            return AccessMask.FILE_ALL_ACCESS;
        }
        boolean owner = token.has(sd.owner);
        boolean ownerRights = false;
        for (Ace a : sd.dacl.aces()) {
            if (!a.inheritOnly() && Sid.OWNER_RIGHTS.equals(a.sid)) {
                ownerRights = true;
            }
        }
        int granted = 0;
        int denied = 0;
        if (owner && !ownerRights) {
            granted = AccessMask.READ_CONTROL | AccessMask.WRITE_DAC;
        }
        for (Ace a : sd.dacl.aces()) {
            if (a.inheritOnly() || (a.type != Ace.ALLOWED && a.type != Ace.DENIED)) {
                continue;
            }
            boolean matches = token.has(a.sid) || (owner && Sid.OWNER_RIGHTS.equals(a.sid));
            if (!matches) {
                continue;
            }
            int mask = AccessMask.mapGeneric(a.mask);
            if (a.type == Ace.ALLOWED) {
                granted |= mask & ~denied;
            } else {
                denied |= mask & ~granted;
            }
        }
        return granted;
    }
}
