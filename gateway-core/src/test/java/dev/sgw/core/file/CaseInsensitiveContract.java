package dev.sgw.core.file;

import java.io.IOException;

import dev.sgw.core.volume.CreateMode;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileType;
import dev.sgw.core.volume.NodeId;
import dev.sgw.core.volume.RenameMode;
import dev.sgw.core.volume.SetAttributes;
import dev.sgw.core.volume.VolumeError;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link FileVolumeContract} on a case-insensitive, case-preserving volume, and what the option adds:
 * every namespace operation finds a name in any case, and an entry keeps the case it was made with.
 */
public abstract class CaseInsensitiveContract extends FileVolumeContract {

    @Test
    void lookupFindsANameInAnyCaseAndReaddirKeepsItsCase() throws IOException {
        NodeId f = file(root, "ReadMe.TXT");
        NodeId d = mkdir(root, "Docs");
        assertThat(v.lookup(root, "readme.txt").id()).isEqualTo(f);
        assertThat(v.lookup(root, "README.TXT").id()).isEqualTo(f);
        assertThat(v.lookup(root, "dOCS").id()).isEqualTo(d);
        assertThat(errorOf(() -> v.lookup(root, "readme.txt2"))).isEqualTo(VolumeError.NOENT);
        assertThat(names(root)).containsExactlyInAnyOrder("ReadMe.TXT", "Docs");
    }

    @Test
    void foldingIsUnicodeSimpleCaseFolding() throws IOException {
        NodeId f = file(root, "Ärger-Σ.txt");
        assertThat(v.lookup(root, "ärger-σ.TXT").id()).isEqualTo(f);
        assertThat(errorOf(() -> v.lookup(root, "Aerger-Σ.txt"))).isEqualTo(VolumeError.NOENT);
        assertThat(names(root)).containsExactly("Ärger-Σ.txt");
    }

    @Test
    void createOfAnotherCaseIsTheSameFile() throws IOException {
        NodeId f = file(root, "Report.doc");
        assertThat(errorOf(() -> v.create(root, "REPORT.DOC", CreateMode.GUARDED, SetAttributes.NONE)))
                .isEqualTo(VolumeError.EXIST);
        FileAttributes opened = v.create(root, "report.doc", CreateMode.UNCHECKED, SetAttributes.NONE);
        assertThat(opened.id()).isEqualTo(f);
        assertThat(errorOf(() -> v.mkdir(root, "REPORT.doc", SetAttributes.NONE)))
                .isEqualTo(VolumeError.EXIST);
        assertThat(errorOf(() -> v.symlink(root, "report.DOC", "x", SetAttributes.NONE)))
                .isEqualTo(VolumeError.EXIST);
        assertThat(errorOf(() -> v.link(f, root, "rEPORT.doc"))).isEqualTo(VolumeError.EXIST);
        assertThat(names(root)).containsExactly("Report.doc");
    }

    @Test
    void removeAndRmdirFindTheNameInAnyCase() throws IOException {
        file(root, "Old.txt");
        mkdir(root, "Empty");
        v.remove(root, "OLD.TXT");
        v.rmdir(root, "empty");
        assertThat(names(root)).isEmpty();
        assertThat(errorOf(() -> v.lookup(root, "old.txt"))).isEqualTo(VolumeError.NOENT);
        file(root, "old.TXT"); // the name is free again, in any case
        assertThat(names(root)).containsExactly("old.TXT");
    }

    @Test
    void aRenameThatOnlyChangesCaseRenames() throws IOException {
        NodeId d = mkdir(root, "dir");
        NodeId f = file(d, "name.txt");
        v.rename(d, "name.txt", d, "Name.TXT");
        assertThat(names(d)).containsExactly("Name.TXT");
        assertThat(v.lookup(d, "NAME.txt").id()).isEqualTo(f);
        v.rename(root, "DIR", root, "Dir", RenameMode.NO_REPLACE);
        assertThat(names(root)).containsExactly("Dir");
        assertThat(v.lookup(root, "dir").id()).isEqualTo(d);
        v.rename(root, "dir", root, "Dir"); // the same name: nothing changes
        assertThat(names(root)).containsExactly("Dir");
    }

    @Test
    void aRenameTargetInAnotherCaseIsReplaced() throws IOException {
        NodeId a = file(root, "a");
        file(root, "b");
        v.rename(root, "A", root, "B");
        assertThat(names(root)).containsExactly("B");
        assertThat(v.lookup(root, "b").id()).isEqualTo(a);
        file(root, "c");
        assertThat(errorOf(() -> v.rename(root, "B", root, "C", RenameMode.NO_REPLACE)))
                .isEqualTo(VolumeError.EXIST);
        NodeId sub = mkdir(root, "Sub");
        v.rename(root, "c", sub, "X");
        assertThat(names(sub)).containsExactly("X");
        assertThat(v.lookup(sub, "x").type()).isEqualTo(FileType.REGULAR);
    }
}
