package dev.sgw.iscsi.login;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Answers the operational keys an initiator offers (RFC 7143 sections 6.2 and 13) and keeps the agreed values.
 * One rule per key:
 *
 * <pre>
 * key                       kind         range          default  target's value             discovery
 * HeaderDigest, DataDigest  list         None,CRC32C    None     first offered it supports  relevant
 *                                                                (CRC32C only if required)
 * MaxConnections            minimum      1..65535       1        1                          irrelevant
 * InitialR2T                or           Yes/No         Yes      limits.initialR2T          irrelevant
 * ImmediateData             and          Yes/No         Yes      limits.immediateData       irrelevant
 * MaxRecvDataSegmentLength  declarative  512..2^24-1    8192     (declared separately)      relevant
 * MaxBurstLength            minimum      512..2^24-1    262144   limits.maxBurstLength      irrelevant
 * FirstBurstLength          minimum      512..2^24-1    65536    limits.firstBurstLength    irrelevant
 * DefaultTime2Wait          maximum      0..3600        2        limits                     relevant
 * DefaultTime2Retain        minimum      0..3600        20       limits                     relevant
 * MaxOutstandingR2T         minimum      1..65535       1        limits.maxOutstandingR2T   irrelevant
 * DataPDUInOrder            or           Yes/No         Yes      Yes                        irrelevant
 * DataSequenceInOrder       or           Yes/No         Yes      Yes                        irrelevant
 * ErrorRecoveryLevel        minimum      0..2           0        0                          relevant
 * IFMarker, OFMarker        and          Yes/No         No       No                         relevant
 * IFMarkInt, OFMarkInt      -            -              -        Irrelevant (no markers)    -
 * TaskReporting             list         RFC3720,...    RFC3720  RFC3720                    relevant
 * iSCSIProtocolLevel        minimum      0..31          0        1                          relevant
 * </pre>
 *
 * A value that is malformed or out of range is answered {@code Reject} and the key keeps its default;
 * an unknown key (including {@code X-} and {@code X#} extensions) is answered {@code NotUnderstood}.
 */
public final class KeyNegotiator {

    private enum Kind {
        LIST,
        AND,
        OR,
        MIN,
        MAX,
        DECLARATIVE
    }

    private record Rule(Kind kind, long low, long high, String defaultValue, boolean irrelevantInDiscovery) {}

    private static final Map<String, Rule> RULES = Map.ofEntries(
            Map.entry("HeaderDigest", new Rule(Kind.LIST, 0, 0, "None", false)),
            Map.entry("DataDigest", new Rule(Kind.LIST, 0, 0, "None", false)),
            Map.entry("MaxConnections", new Rule(Kind.MIN, 1, 65535, "1", true)),
            Map.entry("InitialR2T", new Rule(Kind.OR, 0, 0, "Yes", true)),
            Map.entry("ImmediateData", new Rule(Kind.AND, 0, 0, "Yes", true)),
            Map.entry("MaxRecvDataSegmentLength", new Rule(Kind.DECLARATIVE, 512, 0xffffff, "8192", false)),
            Map.entry("MaxBurstLength", new Rule(Kind.MIN, 512, 0xffffff, "262144", true)),
            Map.entry("FirstBurstLength", new Rule(Kind.MIN, 512, 0xffffff, "65536", true)),
            Map.entry("DefaultTime2Wait", new Rule(Kind.MAX, 0, 3600, "2", false)),
            Map.entry("DefaultTime2Retain", new Rule(Kind.MIN, 0, 3600, "20", false)),
            Map.entry("MaxOutstandingR2T", new Rule(Kind.MIN, 1, 65535, "1", true)),
            Map.entry("DataPDUInOrder", new Rule(Kind.OR, 0, 0, "Yes", true)),
            Map.entry("DataSequenceInOrder", new Rule(Kind.OR, 0, 0, "Yes", true)),
            Map.entry("ErrorRecoveryLevel", new Rule(Kind.MIN, 0, 2, "0", false)),
            Map.entry("IFMarker", new Rule(Kind.AND, 0, 0, "No", false)),
            Map.entry("OFMarker", new Rule(Kind.AND, 0, 0, "No", false)),
            Map.entry("TaskReporting", new Rule(Kind.LIST, 0, 0, "RFC3720", false)),
            Map.entry("iSCSIProtocolLevel", new Rule(Kind.MIN, 0, 31, "0", false)));

    private static final Set<String> DIGESTS = Set.of("None", "CRC32C");

    private final NegotiationLimits limits;
    private final Map<String, String> ours = new HashMap<>();
    private final Map<String, String> agreed = new HashMap<>();

    public KeyNegotiator(NegotiationLimits limits, boolean discovery) {
        this.limits = limits;
        ours.put("MaxConnections", "1");
        ours.put("InitialR2T", yesNo(limits.initialR2T()));
        ours.put("ImmediateData", yesNo(limits.immediateData()));
        ours.put("MaxBurstLength", Integer.toString(limits.maxBurstLength()));
        ours.put("FirstBurstLength", Integer.toString(limits.firstBurstLength()));
        ours.put("DefaultTime2Wait", Integer.toString(limits.defaultTime2Wait()));
        ours.put("DefaultTime2Retain", Integer.toString(limits.defaultTime2Retain()));
        ours.put("MaxOutstandingR2T", Integer.toString(limits.maxOutstandingR2T()));
        ours.put("DataPDUInOrder", "Yes");
        ours.put("DataSequenceInOrder", "Yes");
        ours.put("ErrorRecoveryLevel", "0");
        ours.put("IFMarker", "No");
        ours.put("OFMarker", "No");
        ours.put("iSCSIProtocolLevel", "1");
    }

    /** Whether this negotiator has a rule for {@code key}. */
    public static boolean isOperational(String key) {
        return RULES.containsKey(key) || key.equals("IFMarkInt") || key.equals("OFMarkInt");
    }

    /**
     * The answers to {@code offered}, in order, {@code null} where none is due; MaxBurstLength is settled first
     * so that FirstBurstLength can be kept below it.
     */
    public java.util.List<String> answerAll(java.util.List<KeyValue> offered) {
        String[] answers = new String[offered.size()];
        for (int pass = 0; pass < 2; pass++) {
            for (int n = 0; n < offered.size(); n++) {
                KeyValue kv = offered.get(n);
                if (kv.key().equals("MaxBurstLength") == (pass == 0)) {
                    answers[n] = answer(kv.key(), kv.value());
                }
            }
        }
        return java.util.Arrays.asList(answers);
    }

    /** The answer to {@code key=value} offered by the initiator, or {@code null} when none is due (declarations). */
    public String answer(String key, String value) {
        if (key.equals("IFMarkInt") || key.equals("OFMarkInt")) {
            return "Irrelevant";
        }
        Rule rule = RULES.get(key);
        if (rule == null) {
            return "NotUnderstood";
        }
        return switch (rule.kind) {
            case LIST -> list(key, value);
            case AND, OR -> bool(key, value, rule.kind);
            case MIN, MAX -> number(key, value, rule);
            case DECLARATIVE -> declare(key, value, rule);
        };
    }

    private String list(String key, String value) {
        Set<String> supported =
                key.equals("TaskReporting") ? Set.of("RFC3720") : limits.requireDigests() ? Set.of("CRC32C") : DIGESTS;
        String pick = Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(supported::contains)
                .findFirst()
                .orElse(null);
        if (pick == null) {
            return "Reject";
        }
        agreed.put(key, pick);
        return pick;
    }

    private String bool(String key, String value, Kind kind) {
        if (!value.equals("Yes") && !value.equals("No")) {
            return "Reject";
        }
        boolean theirs = value.equals("Yes");
        boolean mine = ours.get(key).equals("Yes");
        String result = yesNo(kind == Kind.AND ? theirs && mine : theirs || mine);
        agreed.put(key, result);
        return result;
    }

    private String number(String key, String value, Rule rule) {
        Long v = parse(value, rule);
        if (v == null) {
            return "Reject";
        }
        long mine = Long.parseLong(ours.get(key));
        if (key.equals("FirstBurstLength")) {
            mine = Math.min(mine, intValue("MaxBurstLength")); // FirstBurstLength never exceeds MaxBurstLength
        }
        String result = Long.toString(rule.kind == Kind.MIN ? Math.min(v, mine) : Math.max(v, mine));
        agreed.put(key, result);
        return result;
    }

    private String declare(String key, String value, Rule rule) {
        Long v = parse(value, rule);
        if (v == null) {
            return "Reject";
        }
        agreed.put(key, Long.toString(v));
        return null;
    }

    private static Long parse(String value, Rule rule) {
        if (value.isEmpty() || value.length() > 10 || !value.chars().allMatch(Character::isDigit)) {
            return null;
        }
        long v = Long.parseLong(value);
        return v < rule.low || v > rule.high ? null : v;
    }

    /** The parameters agreed so far, defaults for the rest. */
    public SessionParameters result() {
        int maxBurst = intValue("MaxBurstLength");
        boolean initialR2T = value("InitialR2T").equals("Yes");
        boolean immediateData = value("ImmediateData").equals("Yes");
        return new SessionParameters(
                value("HeaderDigest").equals("CRC32C"),
                value("DataDigest").equals("CRC32C"),
                intValue("MaxRecvDataSegmentLength"),
                limits.maxRecvDataSegmentLength(),
                maxBurst,
                Math.min(intValue("FirstBurstLength"), maxBurst),
                initialR2T,
                immediateData,
                intValue("MaxOutstandingR2T"),
                intValue("DefaultTime2Wait"),
                intValue("DefaultTime2Retain"),
                intValue("ErrorRecoveryLevel"));
    }

    private String value(String key) {
        return agreed.getOrDefault(key, RULES.get(key).defaultValue);
    }

    private int intValue(String key) {
        return Integer.parseInt(value(key));
    }

    private static String yesNo(boolean b) {
        return b ? "Yes" : "No";
    }
}
