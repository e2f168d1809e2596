package dev.speckitty.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * What a user reads of an exception: its message in words, never a Java type name. File-system
 * exceptions, whose message is often just a path, get the problem spelled out; a qualified type
 * name that a wrapped exception put in front of its message is dropped. Stateless.
 */
public final class ErrorText {
    private ErrorText() {
    }

    /** The user-facing description of {@code t}. */
    public static String of(Throwable t) {
        if (t instanceof FileSystemException f) {
            return fileProblem(f);
        }
        if (t.getCause() instanceof FileSystemException f && (t.getMessage() == null || t.getMessage().contains(f.getClass().getName()))) {
            return fileProblem(f);
        }
        String message = t.getMessage() == null ? "" : clean(t.getMessage());
        if (message.isBlank()) {
            return t.getCause() != null && t.getCause() != t ? of(t.getCause()) : "no details";
        }
        return message;
    }

    /** {@code message} without Java type names. */
    public static String clean(String message) {
        return dev.speckitty.protocol.Printable.withoutJavaTypes(message);
    }

    private static String fileProblem(FileSystemException f) {
        String file = f.getFile() == null ? "a file" : f.getFile();
        String what;
        if (f instanceof NoSuchFileException) {
            what = "no such file or directory";
        } else if (f instanceof AccessDeniedException) {
            what = "permission denied";
        } else if (f instanceof FileAlreadyExistsException) {
            what = "already exists";
        } else if (f instanceof NotDirectoryException) {
            what = "not a directory";
        } else if (f instanceof DirectoryNotEmptyException) {
            what = "directory not empty";
        } else {
            what = f.getReason() == null ? "cannot be used" : f.getReason();
        }
        return file + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile()) + ": " + what;
    }
}
