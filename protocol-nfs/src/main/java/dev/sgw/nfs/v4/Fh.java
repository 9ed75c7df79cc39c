package dev.sgw.nfs.v4;

import dev.sgw.core.spi.VolumeDirectory.NfsExport;
import dev.sgw.core.volume.NodeId;
import dev.sgw.nfs.FileHandles;

/** A filehandle of a compound (current or saved): a pseudo-file-system directory or a file of an export. */
sealed interface Fh {

    /** The handle's bytes as GETFH answers them. */
    byte[] bytes();

    /** A directory of the pseudo file system above the exports. */
    record Pseudo(PseudoFs.Dir dir) implements Fh {
        @Override
        public byte[] bytes() {
            return FileHandles.encodePseudo(dir.id());
        }
    }

    /** A file of an export's volume. */
    record InExport(NfsExport export, NodeId node) implements Fh {
        @Override
        public byte[] bytes() {
            return FileHandles.encode(export.share().id(), node);
        }

        boolean isRoot() {
            return node.equals(export.volume().root());
        }
    }
}
