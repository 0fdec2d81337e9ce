package dev.lit4j.training;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A {@code long[]} of any length held in a memory-mapped file region: little-endian, from byte
 * {@code offset}, mapped in segments of at most 1 GiB so that it is not bound by {@link
 * java.nio.ByteBuffer}'s 2 GiB limit. Positional access only, so concurrent readers do not
 * interfere; writes (when mapped read-write) are for the single thread that builds the file.
 */
final class MappedLongs {
  private static final int SEGMENT_LONGS = 1 << 27;

  private final MappedByteBuffer[] mapped;
  private final LongBuffer[] segments;
  private final long length;

  private MappedLongs(MappedByteBuffer[] mapped, LongBuffer[] segments, long length) {
    this.mapped = mapped;
    this.segments = segments;
    this.length = length;
  }

  /** Maps {@code length} longs of {@code channel} from byte {@code offset}. */
  static MappedLongs map(FileChannel channel, FileChannel.MapMode mode, long offset, long length)
      throws IOException {
    int count = (int) ((length + SEGMENT_LONGS - 1) / SEGMENT_LONGS);
    MappedByteBuffer[] mapped = new MappedByteBuffer[count];
    LongBuffer[] segments = new LongBuffer[count];
    for (int s = 0; s < count; s++) {
      long first = (long) s * SEGMENT_LONGS;
      long n = Math.min(SEGMENT_LONGS, length - first);
      mapped[s] = channel.map(mode, offset + first * Long.BYTES, n * Long.BYTES);
      segments[s] = mapped[s].order(ByteOrder.LITTLE_ENDIAN).asLongBuffer();
    }
    return new MappedLongs(mapped, segments, length);
  }

  /** Writes what was put to the storage device. */
  void force() {
    for (MappedByteBuffer m : mapped) {
      m.force();
    }
  }

  long length() {
    return length;
  }

  long get(long index) {
    return segments[(int) (index / SEGMENT_LONGS)].get((int) (index % SEGMENT_LONGS));
  }

  void put(long index, long value) {
    segments[(int) (index / SEGMENT_LONGS)].put((int) (index % SEGMENT_LONGS), value);
  }
}
