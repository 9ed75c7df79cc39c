package dev.sgw.core.manage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The gateway state on disk: {@code gateway-state.json} in the state directory, its secrets sealed by
 * {@link StateSealer} under {@code state-key} beside it.
 *
 * <p>A save writes {@code gateway-state.json.tmp}, forces it to disk, renames it over the state file
 * (atomic) and forces the directory, so a crash leaves either the old or the new state, whole. A load
 * that finds the file corrupt, its rules broken or its secrets undecryptable fails with a
 * {@link StateFileException} saying so, and nothing ever overwrites that file: the service does not open.
 */
final class StateFile {
    static final String NAME = "gateway-state.json";
    static final String TEMP = NAME + ".tmp";
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    /** A test's hook into a save, to fail it at a chosen step. */
    interface Faults {
        Faults NONE = tmp -> {};

        /** Called after the temporary file is written and forced, before the rename. */
        void beforeRename(Path tmp) throws IOException;
    }

    private final Path directory;
    private final Path file;
    private final StateSealer sealer;
    private final Faults faults;

    private StateFile(Path directory, StateSealer sealer, Faults faults) {
        this.directory = directory;
        this.file = directory.resolve(NAME);
        this.sealer = sealer;
        this.faults = faults;
    }

    /**
     * Opens the state directory (created if missing). The key is created with a new directory; a state
     * file without its key is an error.
     */
    static StateFile open(Path directory, Faults faults) throws IOException {
        Files.createDirectories(directory);
        Path state = directory.resolve(NAME);
        Path key = directory.resolve(StateSealer.KEY_FILE);
        StateSealer sealer;
        if (Files.exists(key)) {
            sealer = StateSealer.open(directory);
        } else if (Files.exists(state)) {
            throw new StateFileException("the gateway state " + state + " exists but its key " + key
                    + " is missing, so its secrets cannot be read; restore the key file (nothing was changed)");
        } else {
            sealer = StateSealer.create(directory);
        }
        return new StateFile(directory, sealer, faults);
    }

    Path path() {
        return file;
    }

    /** The saved state, or {@link GatewayState#EMPTY} when there is none yet. */
    GatewayState load() throws StateFileException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return GatewayState.EMPTY;
        } catch (IOException e) {
            throw new StateFileException("cannot read the gateway state " + file + ": " + e.getMessage() + advice(), e);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new StateFileException(
                    "the gateway state " + file + " is not valid JSON" + where + " (" + e.getOriginalMessage() + ")"
                            + advice(),
                    e);
        } catch (IOException e) {
            throw new StateFileException("cannot read the gateway state " + file + ": " + e.getMessage() + advice(), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new StateFileException("the gateway state " + file + " is empty" + advice());
        }
        List<Problem> problems = new ArrayList<>();
        GatewayState state = new StateJson(StateJson.Form.STATE, sealer).read(root, problems);
        if (problems.isEmpty()) {
            problems.addAll(StateRules.check(state));
        }
        if (!problems.isEmpty()) {
            throw new StateFileException("the gateway state " + file + " is not valid:" + StateJson.describe(problems)
                    + "\n" + advice().strip());
        }
        return state;
    }

    private String advice() {
        return "; the file is kept as it is: restore it (and " + StateSealer.KEY_FILE
                + ") from a backup, or move it away to start with an empty state";
    }

    /** Replaces the saved state by {@code state}, atomically and durably. */
    void save(GatewayState state) throws IOException {
        byte[] bytes = MAPPER.writeValueAsBytes(new StateJson(StateJson.Form.STATE, sealer).write(state));
        Path tmp = directory.resolve(TEMP);
        PrivateFile.writeNew(tmp, bytes);
        faults.beforeRename(tmp);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(directory);
    }

    /** Forces a directory's entries (a rename, a new file) to disk. */
    static void syncDirectory(Path directory) throws IOException {
        try (FileChannel ch = FileChannel.open(directory, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            if (!System.getProperty("os.name", "").startsWith("Windows")) {
                throw e;
            }
        }
    }
}
