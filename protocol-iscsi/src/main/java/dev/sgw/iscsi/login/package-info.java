/**
 * The iSCSI login phase (RFC 7143 sections 6, 7 and 13): key=value text, per-key negotiation rules, CHAP
 * authentication ({@link dev.sgw.iscsi.login.ChapAuthenticator}) and the login state machine
 * ({@link dev.sgw.iscsi.login.LoginNegotiation}). No I/O: the connection feeds requests and sends replies.
 */
package dev.sgw.iscsi.login;
