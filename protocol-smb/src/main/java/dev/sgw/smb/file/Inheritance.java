package dev.sgw.smb.file;

import java.util.ArrayList;
import java.util.List;

/**
 * The DACL a new file or directory inherits from its directory's descriptor (MS-DTYP 2.5.3.4,
 * ComputeInheritedACLfromParent), for a file made without a descriptor of its own.
 *
 * <pre>
 * parent ACE flags          | new file                 | new directory
 * --------------------------+--------------------------+---------------------------------------------------
 * OBJECT_INHERIT (OI)       | effective ACE            | OI | INHERIT_ONLY (passed on to its files)
 * CONTAINER_INHERIT (CI)    | -                        | effective ACE that is inherited further (CI kept),
 *                           |                          | split in two when it names CREATOR OWNER / CREATOR
 *                           |                          | GROUP or holds generic rights: an effective ACE and
 *                           |                          | an INHERIT_ONLY copy as the parent had it
 * NO_PROPAGATE_INHERIT (NP) | as without NP            | CI: effective ACE only; OI alone: nothing
 * neither OI nor CI         | -                        | -
 * </pre>
 *
 * An effective ACE has no inheritance flags, CREATOR OWNER / CREATOR GROUP replaced by the new file's owner /
 * group and generic rights mapped. When the parent's descriptor is SE_DACL_AUTO_INHERITED, every inherited ACE
 * is marked INHERITED_ACE and the new descriptor SE_DACL_AUTO_INHERITED. A parent with nothing to inherit gives
 * nothing (null): the new file keeps the descriptor its mode stands for.
 */
final class Inheritance {
    private Inheritance() {}

    /** The descriptor {@code parent} passes to a new file (or directory) owned by {@code owner}/{@code group}. */
    static SecurityDescriptor inherited(SecurityDescriptor parent, Sid owner, Sid group, boolean directory) {
        if (parent.dacl == null) {
            return null;
        }
        boolean auto = (parent.control & SecurityDescriptor.DACL_AUTO_INHERITED) != 0;
        int inherited = auto ? Ace.INHERITED : 0;
        List<Ace> aces = new ArrayList<>();
        for (Ace a : parent.dacl.aces()) {
            boolean oi = (a.flags & Ace.OBJECT_INHERIT) != 0;
            boolean ci = (a.flags & Ace.CONTAINER_INHERIT) != 0;
            boolean np = (a.flags & Ace.NO_PROPAGATE_INHERIT) != 0;
            Ace effective = effective(a, owner, group).withFlags(inherited);
            if (!directory) {
                if (oi) {
                    aces.add(effective);
                }
            } else if (ci) {
                int passedOn = (a.flags & (Ace.OBJECT_INHERIT | Ace.CONTAINER_INHERIT)) | inherited;
                if (np) {
                    aces.add(effective);
                } else if (needsSplit(a)) {
                    aces.add(effective);
                    aces.add(a.withFlags(passedOn | Ace.INHERIT_ONLY));
                } else {
                    aces.add(effective.withFlags(passedOn));
                }
            } else if (oi && !np) {
                aces.add(a.withFlags(Ace.OBJECT_INHERIT | Ace.INHERIT_ONLY | inherited));
            }
        }
        if (aces.isEmpty()) {
            return null;
        }
        int control = SecurityDescriptor.DACL_PRESENT | (auto ? SecurityDescriptor.DACL_AUTO_INHERITED : 0);
        return new SecurityDescriptor(control, owner, group, new SecurityDescriptor.Acl(parent.dacl.revision(), aces));
    }

    private static boolean needsSplit(Ace a) {
        return Sid.CREATOR_OWNER.equals(a.sid)
                || Sid.CREATOR_GROUP.equals(a.sid)
                || AccessMask.mapGeneric(a.mask) != a.mask;
    }

    private static Ace effective(Ace a, Sid owner, Sid group) {
        Ace e = a.withMask(AccessMask.mapGeneric(a.mask));
        if (Sid.CREATOR_OWNER.equals(a.sid)) {
            e = e.withSid(owner);
        } else if (Sid.CREATOR_GROUP.equals(a.sid)) {
            e = e.withSid(group);
        }
        return e;
    }
}
