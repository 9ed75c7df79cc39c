package dev.sgw.core.file.upload;

/**
 * Tells whether the content of a {@link FileObject} is still the file's content. The writer asks after it
 * has read every chunk it sends and before it makes the object visible (put, complete): if the content
 * changed meanwhile, the bytes read may mix two versions and nothing is completed.
 */
@FunctionalInterface
public interface ContentCheck {

    /** {@code false} if the file's content changed since the version was taken. */
    boolean unchanged();
}
