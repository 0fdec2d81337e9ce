package dev.lit4j.pytorch.training;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import dev.lit4j.io.AtomicDirectory;
import dev.lit4j.pytorch.weights.FloatTensor;
import dev.lit4j.pytorch.weights.Safetensors;
import dev.lit4j.training.TrainerConfig;
import dev.lit4j.training.TrajectoryFingerprint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A training checkpoint on disk: one directory {@code step-NNNNNNNNN/} holding
 *
 * <ul>
 *   <li>{@code weights.safetensors}: every trainable tensor by name (text tower, {@code
 *       logit_scale}, {@code logit_bias}, {@code image_head.weight}), readable from Python;
 *   <li>{@code optimizer.safetensors}: AdamW's moments, {@code m.<name>} and {@code v.<name>};
 *   <li>{@code buffers.safetensors}, only when the run has state that is not trained by gradient (a
 *       {@link RawImageTrainer}'s unlocked image tower: its batch-norm moving statistics, {@code
 *       image_tower/<layer>/moving_mean} and {@code moving_variance});
 *   <li>{@code trainer-state.json}: the step, the data position (epoch and batch within it; the
 *       shuffle and caption draws are recomputed from the seed), the optimiser's step count, and
 *       the run's trajectory fingerprint with its SHA-256: the configuration's ({@link
 *       TrainerConfig#trajectoryFingerprint()}) and, for a raw-image run, the image tower's
 *       settings after it ({@code image.training}, {@code image.resolution}, …), so that neither
 *       trainer resumes from the other's checkpoints.
 * </ul>
 *
 * <p>A checkpoint is written into a hidden temporary sibling and renamed into place, so a crash
 * leaves either no new checkpoint or a complete one; the previous checkpoint is deleted only after
 * the new one is in place. A process killed mid-write leaves its hidden staging directory behind;
 * the next checkpoint written there, or the next trainer started on the directory, removes it once
 * no running process owns it ({@link dev.lit4j.io.AtomicDirectory#removeAbandoned}). The engine's
 * random state needs no saving: each step reseeds it from {@code (seed, step)}.
 *
 * @param directory the checkpoint's directory
 * @param state the scalar state
 */
record Checkpoint(Path directory, State state) {
  static final String WEIGHTS_FILE = "weights.safetensors";
  static final String OPTIMIZER_FILE = "optimizer.safetensors";
  static final String BUFFERS_FILE = "buffers.safetensors";
  static final String STATE_FILE = "trainer-state.json";
  static final int FORMAT_VERSION = 1;
  private static final String PREFIX = "step-";
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  /**
   * The scalar state of a checkpoint, as stored in {@code trainer-state.json}.
   *
   * @param formatVersion the checkpoint format version
   * @param step completed optimiser steps
   * @param epoch the epoch of the next step
   * @param batchInEpoch the index, within {@code epoch}, of the next batch
   * @param optimizerSteps AdamW's step count
   * @param totalSteps the run length
   * @param lastLoss the loss of the last completed step
   * @param fingerprint the configuration's trajectory fingerprint
   * @param fingerprintHash its SHA-256
   */
  record State(
      int formatVersion,
      int step,
      int epoch,
      int batchInEpoch,
      long optimizerSteps,
      int totalSteps,
      double lastLoss,
      Map<String, String> fingerprint,
      String fingerprintHash) {}

  /**
   * Writes a checkpoint of {@code parameters}, {@code buffers} (none: no buffers file) and {@code
   * optimizer} into {@code root}, then deletes older checkpoints there.
   */
  static Path write(
      Path root,
      State state,
      List<TrainableParameter> parameters,
      List<TrainableParameter> buffers,
      AdamW optimizer)
      throws IOException {
    Files.createDirectories(root);
    Path target = root.resolve(String.format("%s%09d", PREFIX, state.step()));
    AtomicDirectory.replace(
        target,
        staging -> {
          Map<String, FloatTensor> weights = new LinkedHashMap<>();
          for (TrainableParameter p : parameters) {
            weights.put(p.name(), tensor(p, p.array().toFloatArray()));
          }
          Safetensors.write(staging.resolve(WEIGHTS_FILE), weights);
          Map<String, FloatTensor> moments = new LinkedHashMap<>();
          for (TrainableParameter p : parameters) {
            var m = optimizer.firstMoments().get(p.name());
            var v = optimizer.secondMoments().get(p.name());
            if (m != null) {
              moments.put("m." + p.name(), tensor(p, m.toFloatArray()));
              moments.put("v." + p.name(), tensor(p, v.toFloatArray()));
            }
          }
          Safetensors.write(staging.resolve(OPTIMIZER_FILE), moments);
          if (!buffers.isEmpty()) {
            Map<String, FloatTensor> stats = new LinkedHashMap<>();
            for (TrainableParameter p : buffers) {
              stats.put(p.name(), tensor(p, p.array().toFloatArray()));
            }
            Safetensors.write(staging.resolve(BUFFERS_FILE), stats);
          }
          Files.writeString(staging.resolve(STATE_FILE), GSON.toJson(state) + "\n");
        },
        STATE_FILE);
    for (Path old : list(root)) {
      if (!old.equals(target)) {
        AtomicDirectory.deleteRecursively(old);
      }
    }
    return target;
  }

  private static FloatTensor tensor(TrainableParameter p, float[] values) {
    long[] shape = p.array().getShape().getShape();
    int[] dims = new int[shape.length];
    for (int i = 0; i < shape.length; i++) {
      dims[i] = Math.toIntExact(shape[i]);
    }
    return FloatTensor.of(dims, values);
  }

  /** Returns the newest complete checkpoint under {@code root}, if any. */
  static Optional<Path> latest(Path root) throws IOException {
    List<Path> all = list(root);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  private static List<Path> list(Path root) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return out;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(root, PREFIX + "*")) {
      for (Path p : s) {
        if (Files.isRegularFile(p.resolve(STATE_FILE))) {
          out.add(p);
        }
      }
    }
    out.sort(Comparator.comparing(p -> p.getFileName().toString()));
    return out;
  }

  /**
   * Reads the checkpoint in {@code directory}.
   *
   * @throws NoSuchFileException if a file is missing (named)
   * @throws IllegalArgumentException if the state file is malformed or of another format version
   */
  static Checkpoint read(Path directory) throws IOException {
    Path stateFile = directory.resolve(STATE_FILE);
    if (!Files.isRegularFile(stateFile)) {
      throw new NoSuchFileException(
          stateFile.toString(),
          null,
          "not a lit4j training checkpoint: " + STATE_FILE + " missing");
    }
    State state;
    try {
      state = GSON.fromJson(Files.readString(stateFile, StandardCharsets.UTF_8), State.class);
    } catch (JsonParseException e) {
      throw new IllegalArgumentException(stateFile + " is not valid JSON: " + e.getMessage(), e);
    }
    if (state == null || state.formatVersion() != FORMAT_VERSION || state.fingerprint() == null) {
      throw new IllegalArgumentException(
          stateFile
              + " has checkpoint format version "
              + (state == null ? "none" : state.formatVersion())
              + "; this trainer reads version "
              + FORMAT_VERSION);
    }
    return new Checkpoint(directory, state);
  }

  /** Reads the stored weights. */
  Map<String, FloatTensor> weights() throws IOException {
    return Safetensors.read(directory.resolve(WEIGHTS_FILE));
  }

  /** Reads the stored optimiser moments. */
  Map<String, FloatTensor> moments() throws IOException {
    return Safetensors.read(directory.resolve(OPTIMIZER_FILE));
  }

  /**
   * Copies this checkpoint's weights into {@code parameters}, its buffers into {@code buffers} and
   * its moments into {@code adam}, after checking that it belongs to the same run.
   *
   * @param fingerprint the resuming run's trajectory fingerprint
   * @return the number of completed steps
   * @throws IllegalArgumentException if the fingerprint's fields differ from the checkpoint's
   *     (every differing field is named), the run length differs, or a tensor is missing or of
   *     another size
   * @throws NoSuchFileException if {@code buffers} is not empty and the checkpoint has no buffers
   *     file
   */
  int restore(
      TrajectoryFingerprint fingerprint,
      int total,
      List<TrainableParameter> parameters,
      List<TrainableParameter> buffers,
      AdamW adam)
      throws IOException {
    List<String> diffs = fingerprint.differencesFrom(state.fingerprint());
    if (!diffs.isEmpty()) {
      throw new IllegalArgumentException(
          "cannot resume from "
              + directory
              + ": it was written with a different configuration ("
              + String.join("; ", diffs)
              + "); resume with the original configuration or start a new run");
    }
    if (state.totalSteps() != total) {
      throw new IllegalArgumentException(
          "cannot resume from "
              + directory
              + ": it belongs to a run of "
              + state.totalSteps()
              + " steps, this data gives "
              + total
              + "; resume with the same data");
    }
    Map<String, FloatTensor> weights = weights();
    Map<String, FloatTensor> moments = moments();
    Map<String, float[]> first = new HashMap<>();
    Map<String, float[]> second = new HashMap<>();
    // Check every tensor before changing any, so that a refused resume leaves the towers as given.
    checkTensors(weights, parameters);
    Map<String, FloatTensor> stats = Map.of();
    if (!buffers.isEmpty()) {
      Path file = directory.resolve(BUFFERS_FILE);
      if (!Files.isRegularFile(file)) {
        throw new NoSuchFileException(
            file.toString(),
            null,
            "the checkpoint has no batch-norm statistics; it was not written by a trainer with"
                + " these towers, resume from one that was");
      }
      stats = Safetensors.read(file);
      checkTensors(stats, buffers);
    }
    for (TrainableParameter p : parameters) {
      p.array().set(weights.get(p.name()).toArray());
      if (moments.containsKey("m." + p.name())) {
        first.put(p.name(), moments.get("m." + p.name()).toArray());
        second.put(p.name(), moments.get("v." + p.name()).toArray());
      }
    }
    for (TrainableParameter p : buffers) {
      p.array().set(stats.get(p.name()).toArray());
    }
    adam.restore(state.optimizerSteps(), parameters, first, second);
    return state.step();
  }

  /** Checks that {@code stored} has every tensor of {@code live}, each of the same size. */
  private void checkTensors(Map<String, FloatTensor> stored, List<TrainableParameter> live) {
    List<String> missing = new ArrayList<>();
    for (TrainableParameter p : live) {
      FloatTensor w = stored.get(p.name());
      if (w == null) {
        missing.add(p.name());
      } else if (w.size() != p.array().getShape().size()) {
        throw new IllegalArgumentException(
            "checkpoint tensor "
                + p.name()
                + " has "
                + w.size()
                + " values, the tower's has shape "
                + p.array().getShape()
                + "; resume with the same tower architectures");
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("checkpoint " + directory + " lacks tensors " + missing);
    }
  }
}
