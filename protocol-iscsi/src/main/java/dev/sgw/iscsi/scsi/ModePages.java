package dev.sgw.iscsi.scsi;

import java.util.List;

/**
 * The mode pages of the logical unit (SPC-4 7.5, SBC-3 6.4) and their two changeable settings:
 *
 * <pre>
 * page | name                                | changeable              | default
 * -----+-------------------------------------+-------------------------+------------------------------------
 * 08h  | Caching                             | WCE (write cache)       | WCE=1: writes need FUA or SYNCHRONIZE
 *      |                                     |                         | CACHE to be durable; WCE=0: every
 *      |                                     |                         | write is passed to the volume as FUA
 * 0Ah  | Control                             | SWP (software write     | SWP=0; SWP=1: writes end in DATA
 *      |                                     | protect)                | PROTECT, WRITE PROTECTED
 * 1Ch  | Informational Exceptions Control    | nothing                 | DEXCPT=1, MRIE=0 (none reported)
 * </pre>
 *
 * <p>Values are shared by all I_T nexuses, kept in memory only (no saved values: page control 11b is
 * SAVING PARAMETERS NOT SUPPORTED), and return to the defaults on a logical unit reset. Thread-safe.
 */
final class ModePages {

    static final int CACHING = 0x08;
    static final int CONTROL = 0x0a;
    static final int INFORMATIONAL_EXCEPTIONS = 0x1c;
    static final int ALL_PAGES = 0x3f;

    /** The pages, in the ascending order MODE SENSE returns them for "all pages". */
    static final List<Integer> CODES = List.of(CACHING, CONTROL, INFORMATIONAL_EXCEPTIONS);

    /** Page control field of MODE SENSE. */
    enum PageControl {
        CURRENT,
        CHANGEABLE,
        DEFAULT,
        SAVED
    }

    private static final int WCE = 0x04;
    private static final int SWP = 0x08;

    private volatile boolean writeCacheEnabled = true;
    private volatile boolean softwareWriteProtect;

    boolean writeCacheEnabled() {
        return writeCacheEnabled;
    }

    boolean softwareWriteProtect() {
        return softwareWriteProtect;
    }

    /** Back to the default values (a logical unit reset). */
    void restoreDefaults() {
        writeCacheEnabled = true;
        softwareWriteProtect = false;
    }

    static boolean exists(int code) {
        return CODES.contains(code);
    }

    /** Page {@code code} (one of {@link #CODES}) as MODE SENSE returns it for {@code control}. */
    byte[] page(int code, PageControl control) {
        byte[] page = switch (code) {
            case CACHING -> new byte[20];
            case CONTROL, INFORMATIONAL_EXCEPTIONS -> new byte[12];
            default -> throw new IllegalArgumentException("no mode page " + code);
        };
        page[0] = (byte) code;
        page[1] = (byte) (page.length - 2);
        boolean current = control == PageControl.CURRENT;
        switch (code) {
            case CACHING -> {
                if (!current || writeCacheEnabled) {
                    page[2] = WCE; // changeable, default 1, current as set
                }
            }
            case CONTROL -> {
                if (control == PageControl.CHANGEABLE) {
                    page[4] = SWP;
                } else {
                    page[3] = 0x10; // QUEUE ALGORITHM MODIFIER 1: commands may be reordered; QERR 00b
                    page[4] = (byte) (current && softwareWriteProtect ? SWP : 0);
                    page[8] = (byte) 0xff; // BUSY TIMEOUT PERIOD: unlimited
                    page[9] = (byte) 0xff;
                }
            }
            default -> {
                if (control != PageControl.CHANGEABLE) {
                    page[2] = 0x08; // DEXCPT: informational exceptions are not reported
                }
            }
        }
        return page;
    }

    /**
     * Checks one page of a MODE SELECT parameter list against the current values and the changeable
     * mask: nothing but WCE and SWP may differ.
     *
     * @param page the page, starting with its page code byte
     */
    void check(byte[] page) throws ScsiError {
        int code = page[0] & 0x3f;
        if ((page[0] & 0x40) != 0 || !exists(code)) {
            throw ScsiError.check(SenseData.INVALID_FIELD_IN_PARAMETER_LIST);
        }
        byte[] current = page(code, PageControl.CURRENT);
        byte[] changeable = page(code, PageControl.CHANGEABLE);
        if (page.length != current.length || (page[1] & 0xff) != current.length - 2) {
            throw ScsiError.check(SenseData.INVALID_FIELD_IN_PARAMETER_LIST);
        }
        for (int i = 2; i < page.length; i++) {
            if (((page[i] ^ current[i]) & ~changeable[i]) != 0) {
                throw ScsiError.check(SenseData.INVALID_FIELD_IN_PARAMETER_LIST);
            }
        }
    }

    /** Applies a page that passed {@link #check}; returns whether a value changed. */
    boolean apply(byte[] page) {
        boolean changed = false;
        switch (page[0] & 0x3f) {
            case CACHING -> {
                boolean wce = (page[2] & WCE) != 0;
                changed = wce != writeCacheEnabled;
                writeCacheEnabled = wce;
            }
            case CONTROL -> {
                boolean swp = (page[4] & SWP) != 0;
                changed = swp != softwareWriteProtect;
                softwareWriteProtect = swp;
            }
            default -> {
                // nothing changeable
            }
        }
        return changed;
    }
}
