package dev.lit4j.spark;

import dev.lit4j.model.ImageTower;
import dev.lit4j.model.LitModel;
import dev.lit4j.pytorch.image.MobileNetV2Tower;
import java.io.IOException;
import java.io.Serializable;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where an executor gets its locked image tower: a small serialisable value that Spark ships with
 * each task, in place of the tower itself (which holds native memory and cannot be serialised).
 * {@link ExecutorTowers} turns a source into a tower once per JVM.
 *
 * <ul>
 *   <li>{@link #mobileNetV2()}: the bundled MobileNetV2 ({@code lit-pytorch} and {@code lit-models}
 *       on the executors' class path);
 *   <li>{@link #defaultModel()}: the image tower of the default LiT model ({@code
 *       lit-default-model} on the class path), whose embeddings its text tower matches;
 *   <li>{@link #modelDirectory(Path)}: the image tower of a saved lit4j model, at a local path that
 *       exists on every executor (a shared mount, or a directory shipped with {@code --archives});
 *   <li>{@link #factory(Class)}: any tower, made by an {@link ImageTowerFactory} class on the class
 *       path.
 * </ul>
 *
 * <p>Immutable and thread-safe; equal sources share one tower per JVM.
 */
public final class TowerSource implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The kinds of source. */
  public enum Kind {
    /** The bundled MobileNetV2 tower ({@link MobileNetV2Tower#load()}). */
    MOBILENET_V2,
    /** The image tower of {@link LitModel#loadDefault()}. */
    DEFAULT_MODEL,
    /** The image tower of {@link LitModel#load(Path)} at {@link #location()}. */
    MODEL_DIRECTORY,
    /** An {@link ImageTowerFactory} whose class name is {@link #location()}. */
    FACTORY
  }

  /** The kind of source. */
  private final Kind kind;

  /**
   * The absolute model directory ({@link Kind#MODEL_DIRECTORY}) or the factory's class name ({@link
   * Kind#FACTORY}); empty for the built-in towers.
   */
  private final String location;

  private TowerSource(Kind kind, String location) {
    this.kind = kind;
    this.location = location;
  }

  /**
   * The bundled MobileNetV2 tower, at its default layer.
   *
   * @return the source; executors need {@code lit-pytorch} and {@code lit-models} on the class path
   */
  public static TowerSource mobileNetV2() {
    return new TowerSource(Kind.MOBILENET_V2, "");
  }

  /**
   * The image tower of the default LiT model.
   *
   * @return the source; executors need {@code lit-default-model} on the class path
   */
  public static TowerSource defaultModel() {
    return new TowerSource(Kind.DEFAULT_MODEL, "");
  }

  /**
   * The image tower of the lit4j model saved in {@code directory}, a path every executor can read.
   *
   * @param directory the model directory; made absolute against the driver's working directory, so
   *     the same absolute path must exist on every executor
   * @return the source
   * @throws NullPointerException if {@code directory} is null
   */
  public static TowerSource modelDirectory(Path directory) {
    Objects.requireNonNull(directory, "directory");
    return new TowerSource(Kind.MODEL_DIRECTORY, directory.toAbsolutePath().toString());
  }

  /**
   * The tower made by {@code factory}, a class with a public no-argument constructor.
   *
   * @param factory the factory class, which must also be on the executors' class path; only its
   *     name is kept, and each JVM that needs the tower (the driver included) instantiates it once
   * @return the source
   * @throws NullPointerException if {@code factory} is null
   */
  public static TowerSource factory(Class<? extends ImageTowerFactory> factory) {
    Objects.requireNonNull(factory, "factory");
    return new TowerSource(Kind.FACTORY, factory.getName());
  }

  /**
   * Parses a source as written on a command line: {@code mobilenet_v2}, {@code default}, {@code
   * model:/path/to/model} or {@code factory:com.example.MyTowerFactory}.
   *
   * @param spec the source as written by {@link #toString()}; a {@code model:} path is made
   *     absolute against the working directory, a {@code factory:} class is not loaded until a
   *     tower is needed
   * @return the source
   * @throws NullPointerException if {@code spec} is null
   * @throws IllegalArgumentException if {@code spec} is none of these (the forms are listed)
   */
  public static TowerSource parse(String spec) {
    Objects.requireNonNull(spec, "spec");
    if (spec.equals("mobilenet_v2")) {
      return mobileNetV2();
    }
    if (spec.equals("default")) {
      return defaultModel();
    }
    if (spec.startsWith("model:") && spec.length() > "model:".length()) {
      return modelDirectory(Path.of(spec.substring("model:".length())));
    }
    if (spec.startsWith("factory:") && spec.length() > "factory:".length()) {
      return new TowerSource(Kind.FACTORY, spec.substring("factory:".length()));
    }
    throw new IllegalArgumentException(
        "unknown tower source '"
            + spec
            + "'; expected one of mobilenet_v2, default, model:<directory>,"
            + " factory:<class implementing dev.lit4j.spark.ImageTowerFactory>");
  }

  /** {@return the kind of source} */
  public Kind kind() {
    return kind;
  }

  /**
   * {@return the absolute model directory or the factory class name; empty for the built-in towers}
   */
  public String location() {
    return location;
  }

  /**
   * Loads the tower; the returned value owns it (and, for a model, the model's text tower too).
   * Called by {@link ExecutorTowers} only.
   */
  Loaded load() throws IOException {
    switch (kind) {
      case MOBILENET_V2 -> {
        MobileNetV2Tower tower = MobileNetV2Tower.load();
        return new Loaded(tower, tower);
      }
      case DEFAULT_MODEL -> {
        LitModel model = LitModel.loadDefault();
        return new Loaded(model.imageTower(), model);
      }
      case MODEL_DIRECTORY -> {
        LitModel model = LitModel.load(Path.of(location));
        return new Loaded(model.imageTower(), model);
      }
      case FACTORY -> {
        ImageTower tower = newFactory().create();
        return new Loaded(tower, tower);
      }
      default -> throw new IllegalStateException("unknown kind " + kind);
    }
  }

  private ImageTowerFactory newFactory() {
    Object made;
    try {
      made = Class.forName(location).getConstructor().newInstance();
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException(
          "tower factory class " + location + " is not on the class path; ship its jar", e);
    } catch (NoSuchMethodException
        | InstantiationException
        | IllegalAccessException
        | InvocationTargetException e) {
      throw new IllegalArgumentException(
          "cannot instantiate tower factory " + location + "; it needs a public no-arg constructor",
          e);
    }
    if (!(made instanceof ImageTowerFactory factory)) {
      throw new IllegalArgumentException(
          location + " does not implement " + ImageTowerFactory.class.getName());
    }
    return factory;
  }

  /** A loaded tower and what must be closed to release it. */
  record Loaded(ImageTower tower, AutoCloseable owner) {}

  @Override
  public boolean equals(Object o) {
    return o instanceof TowerSource other && kind == other.kind && location.equals(other.location);
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + location.hashCode();
  }

  /** Returns the source in the form {@link #parse} reads. */
  @Override
  public String toString() {
    return switch (kind) {
      case MOBILENET_V2 -> "mobilenet_v2";
      case DEFAULT_MODEL -> "default";
      case MODEL_DIRECTORY -> "model:" + location;
      case FACTORY -> "factory:" + location;
    };
  }
}
