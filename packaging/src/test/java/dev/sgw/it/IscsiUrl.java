package dev.sgw.it;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An iSCSI LUN as libiscsi's tools name it, {@code iscsi://[USER%PASSWORD@]HOST[:PORT]/IQN/LUN}, and the
 * external target an integration test may be pointed at: {@code -Dsgw.it.iscsi.url=URL} or
 * {@code SGW_IT_ISCSI_URL=URL} (e.g. the reference target, tgt). The host must be a loopback address.
 */
public record IscsiUrl(String user, String password, String host, int port, String iqn, int lun) {

    private static final Pattern FORM =
            Pattern.compile("iscsi://(?:([^%@/]+)%([^@/]*)@)?([^:/]+)(?::(\\d+))?/([^/]+)/(\\d+)");

    public static IscsiUrl parse(String url) {
        Matcher m = FORM.matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException("not iscsi://[USER%PASSWORD@]HOST[:PORT]/IQN/LUN: " + url);
        }
        return new IscsiUrl(
                m.group(1),
                m.group(2),
                m.group(3),
                m.group(4) == null ? 3260 : Integer.parseInt(m.group(4)),
                m.group(5),
                Integer.parseInt(m.group(6)));
    }

    /** The target given by {@code sgw.it.iscsi.url} or {@code SGW_IT_ISCSI_URL}, if any. */
    public static Optional<IscsiUrl> external() {
        String url = System.getProperty("sgw.it.iscsi.url", System.getenv("SGW_IT_ISCSI_URL"));
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        IscsiUrl parsed = parse(url.strip());
        if (!parsed.host().equals("127.0.0.1") && !parsed.host().equals("localhost")) {
            throw new IllegalArgumentException("the tests reach only loopback targets, not " + parsed.host());
        }
        return Optional.of(parsed);
    }

    public boolean hasChap() {
        return user != null;
    }

    @Override
    public String toString() {
        String credentials = hasChap() ? user + "%" + password + "@" : "";
        return "iscsi://" + credentials + host + ":" + port + "/" + iqn + "/" + lun;
    }
}
