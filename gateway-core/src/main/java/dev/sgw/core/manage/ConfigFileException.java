package dev.sgw.core.manage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A config file that breaks rules: every problem, each with its JSON path, in file order. */
public final class ConfigFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    public ConfigFileException(Path file, List<Problem> problems) {
        super("the config file " + file + " has " + problems.size()
                + (problems.size() == 1 ? " problem:" : " problems:") + StateJson.describe(problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
