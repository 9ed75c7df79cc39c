package dev.sgw.iscsi.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import dev.sgw.iscsi.login.LoginIdentity;
import dev.sgw.iscsi.login.LoginStatus;
import dev.sgw.iscsi.login.SessionParameters;
import dev.sgw.iscsi.scsi.ItNexus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live sessions of a portal, and the admission rules applied when a login completes:
 * <ul>
 *   <li>One initiator per volume: while initiator A has a normal session on a target, a login by another
 *       initiator name is refused with {@link LoginStatus#AUTHORIZATION_FAILURE} (0x0202), unless the volume
 *       allows multiple initiators. More sessions from the same initiator name are admitted (multipath).</li>
 *   <li>Session reinstatement (RFC 7143 section 6.3.5): a new session with the initiator name, ISID and target
 *       of a live one replaces it; the old one is closed.</li>
 *   <li>A login with a non-zero TSIH names an existing session of the same initiator and ISID whose (single)
 *       connection it replaces, keeping the TSIH; an unknown TSIH is {@link LoginStatus#SESSION_DOES_NOT_EXIST}.</li>
 * </ul>
 * Thread-safe: connections on any event loop call it.
 */
public final class SessionTable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionTable.class);

    /** The answer to a completed login. */
    public sealed interface Admission {
        /** The session was created. */
        record Admitted(IscsiSession session) implements Admission {}

        /** The login is refused with {@code status}. */
        record Refused(LoginStatus status, String reason) implements Admission {}
    }

    private final Map<Integer, IscsiSession> byTsih = new HashMap<>();
    private int nextTsih = 1;

    /** Admits the session of a completed login on {@code connection}, or refuses it. */
    public Admission admit(
            LoginIdentity id, SessionParameters parameters, int portalGroupTag, IscsiConnection connection) {
        List<IscsiSession> replaced = new ArrayList<>();
        Admission result;
        synchronized (this) {
            result = decide(id, parameters, portalGroupTag, connection, replaced);
        }
        for (IscsiSession old : replaced) {
            LOG.info(
                    "iSCSI session {} of {} is reinstated; closing its old connection",
                    old.tsih(),
                    old.identity().initiatorName());
            old.connection().closeFromElsewhere("session reinstated", false);
        }
        return result;
    }

    private Admission decide(
            LoginIdentity id,
            SessionParameters parameters,
            int portalGroupTag,
            IscsiConnection connection,
            List<IscsiSession> replaced) {
        int tsih;
        if (id.tsih() != 0) {
            IscsiSession existing = byTsih.get(id.tsih());
            if (existing == null
                    || existing.identity().isid() != id.isid()
                    || !existing.identity().initiatorName().equals(id.initiatorName())
                    || !Objects.equals(existing.targetKey(), key(id))) {
                return new Admission.Refused(LoginStatus.SESSION_DOES_NOT_EXIST, "no session with TSIH " + id.tsih());
            }
            byTsih.remove(existing.tsih());
            replaced.add(existing);
            tsih = id.tsih();
        } else {
            tsih = -1;
        }
        if (!id.discovery()) {
            for (IscsiSession s : List.copyOf(byTsih.values())) {
                if (s.discovery() || !s.targetKey().equals(key(id))) {
                    continue;
                }
                if (!s.identity().initiatorName().equals(id.initiatorName())
                        && !id.target().multipleInitiators()) {
                    return new Admission.Refused(
                            LoginStatus.AUTHORIZATION_FAILURE,
                            id.target().name() + " is in use by " + s.identity().initiatorName());
                }
                boolean sameSession = s.identity().initiatorName().equals(id.initiatorName())
                        && s.identity().isid() == id.isid();
                if (sameSession && tsih == -1) {
                    byTsih.remove(s.tsih());
                    replaced.add(s);
                }
            }
        }
        if (tsih == -1) {
            tsih = allocateTsih();
            if (tsih == 0) {
                return new Admission.Refused(LoginStatus.OUT_OF_RESOURCES, "no free TSIH");
            }
        }
        ItNexus nexus = id.discovery()
                ? null
                : new ItNexus(id.initiatorName(), id.isid(), id.target().name(), portalGroupTag);
        IscsiSession session = new IscsiSession(tsih, id, parameters, nexus, connection);
        byTsih.put(tsih, session);
        return new Admission.Admitted(session);
    }

    private int allocateTsih() {
        for (int i = 0; i < 65535; i++) {
            int candidate = nextTsih;
            nextTsih = nextTsih == 65535 ? 1 : nextTsih + 1;
            if (!byTsih.containsKey(candidate)) {
                return candidate;
            }
        }
        return 0;
    }

    /** Forgets {@code session} (its connection closed). */
    public synchronized void remove(IscsiSession session) {
        byTsih.remove(session.tsih(), session);
    }

    /** The normal sessions on target {@code targetName}. */
    public synchronized List<IscsiSession> onTarget(String targetName) {
        String k = targetName.toLowerCase(Locale.ROOT);
        return byTsih.values().stream().filter(s -> k.equals(s.targetKey())).toList();
    }

    /** Every live session. */
    public synchronized List<IscsiSession> all() {
        return List.copyOf(byTsih.values());
    }

    private static String key(LoginIdentity id) {
        return id.discovery() ? null : id.target().name().toLowerCase(Locale.ROOT);
    }
}
