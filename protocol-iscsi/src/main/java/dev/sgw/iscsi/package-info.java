/** The iSCSI target over BlockVolume. */
package dev.sgw.iscsi;
