package dev.sgw.smb.server;

import java.time.Duration;

/**
 * The limits and security settings of the SMB server.
 *
 * @param maxMessageBytes       the largest direct-TCP message accepted; a larger one closes its connection
 * @param maxIoBytes            MaxReadSize, MaxWriteSize and MaxTransactSize advertised to 2.1+ clients
 * @param creditWindow          credits a client may hold outstanding at most
 * @param maxConnections        open connections at most; more are closed at once
 * @param maxSessions           sessions per connection at most (INSUFFICIENT_RESOURCES beyond)
 * @param maxTrees              tree connects per session at most (INSUFFICIENT_RESOURCES beyond)
 * @param maxInFlight           requests of one connection running at once before it is no longer read
 * @param signingRequired       NEGOTIATE says signing required and every session signs
 * @param encryptionRequired    every session must encrypt (SessionFlags ENCRYPT_DATA, plaintext requests
 *                              refused); a client that cannot (2.x, 3.0 without the capability) is refused
 * @param failedLogonsPerMinute failed logons of one client address in a minute before its further attempts
 *                              are delayed by {@code failedLogonDelay}
 * @param serverName            the NetBIOS name reported in authentication and share enumeration
 * @param domain                the workgroup reported
 */
public record SmbSettings(
        int maxMessageBytes,
        int maxIoBytes,
        int creditWindow,
        int maxConnections,
        int maxSessions,
        int maxTrees,
        int maxInFlight,
        boolean signingRequired,
        boolean encryptionRequired,
        int failedLogonsPerMinute,
        Duration failedLogonDelay,
        String serverName,
        String domain) {

    /** Signing required by system property {@code sgw.smb.signing=required}. */
    public static final String SIGNING_PROPERTY = "sgw.smb.signing";
    /** Encryption required by system property {@code sgw.smb.encryption=required}. */
    public static final String ENCRYPTION_PROPERTY = "sgw.smb.encryption";

    /** 16 MiB messages, 8 MiB I/O, 8192 credits, 1024 connections, 64 sessions, 128 trees. */
    public static SmbSettings defaults() {
        return new SmbSettings(
                16 * 1024 * 1024 + 64 * 1024,
                8 * 1024 * 1024,
                8192,
                1024,
                64,
                128,
                256,
                "required".equals(System.getProperty(SIGNING_PROPERTY)),
                "required".equals(System.getProperty(ENCRYPTION_PROPERTY)),
                5,
                Duration.ofSeconds(2),
                "SGW",
                "WORKGROUP");
    }

    public SmbSettings withSigningRequired(boolean required) {
        return new SmbSettings(
                maxMessageBytes,
                maxIoBytes,
                creditWindow,
                maxConnections,
                maxSessions,
                maxTrees,
                maxInFlight,
                required,
                encryptionRequired,
                failedLogonsPerMinute,
                failedLogonDelay,
                serverName,
                domain);
    }

    public SmbSettings withEncryptionRequired(boolean required) {
        return new SmbSettings(
                maxMessageBytes,
                maxIoBytes,
                creditWindow,
                maxConnections,
                maxSessions,
                maxTrees,
                maxInFlight,
                signingRequired,
                required,
                failedLogonsPerMinute,
                failedLogonDelay,
                serverName,
                domain);
    }

    public SmbSettings withCreditWindow(int window) {
        return new SmbSettings(
                maxMessageBytes,
                maxIoBytes,
                window,
                maxConnections,
                maxSessions,
                maxTrees,
                maxInFlight,
                signingRequired,
                encryptionRequired,
                failedLogonsPerMinute,
                failedLogonDelay,
                serverName,
                domain);
    }

    /** These settings with other connection, session and tree limits. */
    public SmbSettings withLimits(int connections, int sessions, int trees) {
        return new SmbSettings(
                maxMessageBytes,
                maxIoBytes,
                creditWindow,
                connections,
                sessions,
                trees,
                maxInFlight,
                signingRequired,
                encryptionRequired,
                failedLogonsPerMinute,
                failedLogonDelay,
                serverName,
                domain);
    }
}
