package dev.lit4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code lit --version}: the project version, filled into {@code version.properties} by Maven. */
final class VersionProvider implements IVersionProvider {
  private static final String RESOURCE = "version.properties";

  /** Returns the project version, e.g. {@code 0.1.0-SNAPSHOT}. */
  static String version() {
    return properties().getProperty("version");
  }

  private static Properties properties() {
    Properties p = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the lit-cli jar");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  @Override
  public String[] getVersion() {
    Properties p = properties();
    return new String[] {
      "lit " + p.getProperty("version"),
      "DJL "
          + p.getProperty("djl")
          + ", libtorch "
          + p.getProperty("pytorch")
          + ", Java "
          + System.getProperty("java.version")
    };
  }
}
