package dev.sgw.iscsi.login;

import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import dev.sgw.iscsi.pdu.LoginRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The target side of one connection's login phase (RFC 7143 sections 6 and 7.2): stages, identity keys,
 * authentication and operational negotiation. It decides; the connection sends and keeps sequence numbers.
 *
 * <pre>
 * state        on a Login Request                                   next
 * START        InitiatorName, SessionType, TargetName (normal),      SECURITY (CSG 0) or OPERATIONAL (CSG 1,
 *              version 0; unknown target: 0x0203                     refused with 0x0201 when CHAP is required)
 * SECURITY     AuthMethod (CHAP when the target has credentials,     stays until authenticated; then with T=1
 *              None otherwise), CHAP_A, CHAP_N/CHAP_R[/CHAP_I/CHAP_C] to OPERATIONAL (NSG 1) or COMPLETE (NSG 3)
 * OPERATIONAL  operational keys (see {@link KeyNegotiator})             with T=1 and NSG 3 to COMPLETE
 * COMPLETE     (the connection is in the full feature phase)        -
 * FAILED       (a failure status was sent; the connection closes)    -
 * </pre>
 *
 * A request with the C bit set only accumulates text (up to 64 KiB) and is answered with an empty response.
 * The first normal-session response declares TargetPortalGroupTag; the first operational (or final) response
 * declares MaxRecvDataSegmentLength and TargetAlias.
 */
public final class LoginNegotiation {
    private static final Logger LOG = LoggerFactory.getLogger(LoginNegotiation.class);

    /** Where the login is. */
    public enum State {
        START,
        SECURITY,
        OPERATIONAL,
        COMPLETE,
        FAILED
    }

    /** The stage codes of the CSG and NSG fields. */
    public static final int SECURITY_STAGE = 0;

    public static final int OPERATIONAL_STAGE = 1;
    public static final int FULL_FEATURE_PHASE = 3;

    private static final int MAX_TEXT = 64 * 1024;
    private static final Set<String> IDENTITY_KEYS =
            Set.of("InitiatorName", "InitiatorAlias", "SessionType", "TargetName");
    private static final Set<String> SECURITY_KEYS =
            Set.of("AuthMethod", "CHAP_A", "CHAP_N", "CHAP_R", "CHAP_I", "CHAP_C");

    private enum AuthMethod {
        NOT_CHOSEN,
        NONE,
        CHAP
    }

    private final Targets targets;
    private final NegotiationLimits limits;
    private final SecureRandom random;
    private State state = State.START;
    private final ByteArrayOutputStream pendingText = new ByteArrayOutputStream();
    private String initiatorName;
    private String initiatorAlias = "";
    private Target target;
    private long isid;
    private int tsih;
    private int cid;
    private AuthMethod authMethod = AuthMethod.NOT_CHOSEN;
    private ChapAuthenticator chap;
    private boolean authenticated;
    private KeyNegotiator keys;
    private boolean declaredOperational;

    public LoginNegotiation(Targets targets, NegotiationLimits limits, SecureRandom random) {
        this.targets = targets;
        this.limits = limits;
        this.random = random;
    }

    public State state() {
        return state;
    }

    /** Decides the answer to {@code request}. */
    public LoginStep process(LoginRequest request) {
        if (state == State.COMPLETE || state == State.FAILED) {
            return fail(request, LoginStatus.INITIATOR_ERROR, "login request after the login ended", List.of());
        }
        if (request.cont()) {
            if (pendingText.size() + request.data().length > MAX_TEXT) {
                return fail(
                        request,
                        LoginStatus.INITIATOR_ERROR,
                        "login text longer than " + MAX_TEXT + " bytes",
                        List.of());
            }
            pendingText.writeBytes(request.data());
            return new LoginStep.Negotiating(
                    new LoginStep.Reply(false, request.csg(), 0, LoginStatus.SUCCESS, List.of()));
        }
        pendingText.writeBytes(request.data());
        byte[] text = pendingText.toByteArray();
        pendingText.reset();
        List<KeyValue> offered;
        try {
            offered = KeyValueText.parse(text);
        } catch (TextFormatException e) {
            return fail(request, LoginStatus.INITIATOR_ERROR, "malformed login text: " + e.getMessage(), List.of());
        }
        LOG.debug("login stage {} offers {}", request.csg(), offered);
        List<KeyValue> answer = new ArrayList<>();
        if (state == State.START) {
            LoginStep refused = start(request, offered, answer);
            if (refused != null) {
                return refused;
            }
        } else if (request.csg() != currentStage() || request.isid() != isid || request.tsih() != tsih) {
            return fail(
                    request,
                    LoginStatus.INITIATOR_ERROR,
                    "login request for stage " + request.csg()
                            + " or session that differs from the negotiation in progress",
                    List.of());
        }
        if (request.transit() && (request.nsg() <= request.csg() || request.nsg() == 2)) {
            return fail(
                    request,
                    LoginStatus.INITIATOR_ERROR,
                    "invalid stage transition " + request.csg() + " -> " + request.nsg(),
                    List.of());
        }
        LoginStep refused =
                state == State.SECURITY ? security(request, offered, answer) : operational(request, offered, answer);
        if (refused != null) {
            return refused;
        }
        return transition(request, answer);
    }

    private LoginStep start(LoginRequest request, List<KeyValue> offered, List<KeyValue> answer) {
        if (request.versionMin() > 0) {
            return fail(request, LoginStatus.UNSUPPORTED_VERSION, "version-min " + request.versionMin(), List.of());
        }
        initiatorName = KeyValueText.find(offered, "InitiatorName");
        if (initiatorName == null || initiatorName.isEmpty()) {
            return fail(request, LoginStatus.MISSING_PARAMETER, "no InitiatorName", List.of());
        }
        initiatorName = initiatorName.toLowerCase(Locale.ROOT);
        String alias = KeyValueText.find(offered, "InitiatorAlias");
        initiatorAlias = alias == null ? "" : alias;
        String sessionType = KeyValueText.find(offered, "SessionType");
        boolean discovery = "Discovery".equals(sessionType);
        if (sessionType != null && !discovery && !sessionType.equals("Normal")) {
            return fail(request, LoginStatus.SESSION_TYPE_NOT_SUPPORTED, "session type " + sessionType, List.of());
        }
        if (!discovery) {
            String targetName = KeyValueText.find(offered, "TargetName");
            if (targetName == null || targetName.isEmpty()) {
                return fail(request, LoginStatus.MISSING_PARAMETER, "no TargetName in a normal session", List.of());
            }
            Optional<Target> found = targets.find(targetName);
            if (found.isEmpty()) {
                return fail(request, LoginStatus.NOT_FOUND, "no enabled target " + targetName, List.of());
            }
            target = found.get();
            answer.add(new KeyValue("TargetPortalGroupTag", Integer.toString(limits.portalGroupTag())));
        }
        isid = request.isid();
        tsih = request.tsih();
        cid = request.cid();
        keys = new KeyNegotiator(limits, discovery);
        if (request.csg() == SECURITY_STAGE) {
            state = State.SECURITY;
        } else if (request.csg() == OPERATIONAL_STAGE) {
            if (chapRequired()) {
                return fail(
                        request,
                        LoginStatus.AUTHENTICATION_FAILURE,
                        "target requires CHAP but the initiator skipped security negotiation",
                        answer);
            }
            authenticated = true;
            state = State.OPERATIONAL;
        } else {
            return fail(
                    request, LoginStatus.INITIATOR_ERROR, "first login request in stage " + request.csg(), List.of());
        }
        return null;
    }

    private LoginStep security(LoginRequest request, List<KeyValue> offered, List<KeyValue> answer) {
        operationalKeys(
                offered.stream()
                        .filter(kv -> !IDENTITY_KEYS.contains(kv.key()) && !SECURITY_KEYS.contains(kv.key()))
                        .toList(),
                answer);
        String methods = KeyValueText.find(offered, "AuthMethod");
        if (methods != null) {
            List<String> list =
                    Arrays.stream(methods.split(",")).map(String::trim).toList();
            if (chapRequired() && list.contains("CHAP")) {
                authMethod = AuthMethod.CHAP;
                chap = new ChapAuthenticator(target.chap(), random);
                answer.add(new KeyValue("AuthMethod", "CHAP"));
            } else if (!chapRequired() && list.contains("None")) {
                authMethod = AuthMethod.NONE;
                authenticated = true;
                answer.add(new KeyValue("AuthMethod", "None"));
            } else {
                answer.add(new KeyValue("AuthMethod", "Reject"));
                return fail(
                        request, LoginStatus.AUTHENTICATION_FAILURE, "no acceptable AuthMethod in " + methods, answer);
            }
        }
        String algorithms = KeyValueText.find(offered, "CHAP_A");
        if (algorithms != null) {
            if (chap == null || chap.state() != ChapAuthenticator.State.AWAIT_ALGORITHM) {
                return fail(request, LoginStatus.INITIATOR_ERROR, "CHAP_A out of turn", answer);
            }
            answer.addAll(chap.challenge(algorithms));
            if (chap.state() == ChapAuthenticator.State.FAILED) {
                return fail(
                        request,
                        LoginStatus.AUTHENTICATION_FAILURE,
                        "no acceptable CHAP algorithm in " + algorithms,
                        answer);
            }
        }
        String name = KeyValueText.find(offered, "CHAP_N");
        String response = KeyValueText.find(offered, "CHAP_R");
        if (name != null || response != null) {
            if (chap == null || chap.state() != ChapAuthenticator.State.AWAIT_RESPONSE) {
                return fail(request, LoginStatus.INITIATOR_ERROR, "CHAP response out of turn", answer);
            }
            ChapAuthenticator.Verdict verdict = chap.verify(
                    name, response, KeyValueText.find(offered, "CHAP_I"), KeyValueText.find(offered, "CHAP_C"));
            if (!verdict.succeeded()) {
                return fail(request, LoginStatus.AUTHENTICATION_FAILURE, verdict.reason(), List.of());
            }
            answer.addAll(verdict.responseKeys());
            authenticated = true;
        }
        return null;
    }

    private LoginStep operational(LoginRequest request, List<KeyValue> offered, List<KeyValue> answer) {
        for (KeyValue kv : offered) {
            if (SECURITY_KEYS.contains(kv.key())) {
                return fail(request, LoginStatus.INITIATOR_ERROR, kv.key() + " in operational negotiation", answer);
            }
        }
        operationalKeys(
                offered.stream().filter(kv -> !IDENTITY_KEYS.contains(kv.key())).toList(), answer);
        return null;
    }

    /** Answers operational keys (also accepted during security negotiation); target-declared keys are irrelevant. */
    private void operationalKeys(List<KeyValue> offered, List<KeyValue> answer) {
        Set<String> targetDeclared = Set.of("TargetAlias", "TargetAddress", "TargetPortalGroupTag", "SendTargets");
        List<KeyValue> negotiable = offered.stream()
                .filter(kv -> !targetDeclared.contains(kv.key()))
                .toList();
        List<String> replies = keys.answerAll(negotiable);
        for (KeyValue kv : offered) {
            String reply = targetDeclared.contains(kv.key()) ? "Irrelevant" : replies.get(negotiable.indexOf(kv));
            if (reply != null) {
                answer.add(new KeyValue(kv.key(), reply));
            }
        }
    }

    private LoginStep transition(LoginRequest request, List<KeyValue> answer) {
        boolean transit = false;
        if (request.transit()) {
            if (state == State.SECURITY && !authenticated && authMethod == AuthMethod.NOT_CHOSEN) {
                if (chapRequired()) {
                    return fail(
                            request,
                            LoginStatus.AUTHENTICATION_FAILURE,
                            "target requires CHAP; the initiator offered no AuthMethod",
                            answer);
                }
                authenticated = true;
            }
            transit = authenticated;
        }
        boolean complete = transit && request.nsg() == FULL_FEATURE_PHASE;
        if (complete || request.csg() == OPERATIONAL_STAGE) {
            declareOperational(answer);
        }
        LoginStep.Reply reply = new LoginStep.Reply(
                transit, request.csg(), transit ? request.nsg() : 0, LoginStatus.SUCCESS, List.copyOf(answer));
        if (complete) {
            state = State.COMPLETE;
            return new LoginStep.Completed(
                    reply, new LoginIdentity(initiatorName, initiatorAlias, isid, tsih, cid, target), keys.result());
        }
        if (transit) {
            state = State.OPERATIONAL;
        }
        return new LoginStep.Negotiating(reply);
    }

    /** Declares the target's MaxRecvDataSegmentLength and alias, once, in an operational or the final response. */
    private void declareOperational(List<KeyValue> answer) {
        if (declaredOperational) {
            return;
        }
        declaredOperational = true;
        answer.add(new KeyValue("MaxRecvDataSegmentLength", Integer.toString(limits.maxRecvDataSegmentLength())));
        if (target != null) {
            answer.add(new KeyValue("TargetAlias", target.alias()));
        }
    }

    private boolean chapRequired() {
        return target != null && target.chap() != null;
    }

    private int currentStage() {
        return state == State.SECURITY ? SECURITY_STAGE : OPERATIONAL_STAGE;
    }

    private LoginStep fail(LoginRequest request, LoginStatus status, String reason, List<KeyValue> answer) {
        state = State.FAILED;
        return new LoginStep.Failed(new LoginStep.Reply(false, request.csg(), 0, status, List.copyOf(answer)), reason);
    }
}
