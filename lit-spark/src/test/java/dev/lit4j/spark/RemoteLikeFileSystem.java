package dev.lit4j.spark;

import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FilterFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local file system under another scheme, {@code remote:///abs/path}, so that tests reach the
 * code path of non-local file systems (HDFS, S3A) without a network: files are read through Hadoop
 * streams, never as local files.
 */
public final class RemoteLikeFileSystem extends FilterFileSystem {
  /** The scheme, configured as {@code fs.remote.impl}. */
  static final String SCHEME = "remote";

  /** Required by Hadoop's file system loader. */
  public RemoteLikeFileSystem() {
    super(new RawLocalFileSystem());
  }

  @Override
  public void initialize(URI name, Configuration conf) throws IOException {
    fs.initialize(URI.create("file:///"), conf);
    setConf(conf);
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public URI getUri() {
    return URI.create(SCHEME + ":///");
  }

  @Override
  protected void checkPath(Path path) {}

  @Override
  public Path makeQualified(Path path) {
    return new Path(SCHEME, null, path.toUri().getPath());
  }

  @Override
  public FSDataInputStream open(Path f, int bufferSize) throws IOException {
    return fs.open(local(f), bufferSize);
  }

  @Override
  public FileStatus getFileStatus(Path f) throws IOException {
    return fs.getFileStatus(local(f));
  }

  private static Path local(Path p) {
    return new Path("file", null, p.toUri().getPath());
  }
}
