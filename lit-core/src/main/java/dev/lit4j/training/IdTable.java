package dev.lit4j.training;

/**
 * Store ids by 96-bit fingerprint, for {@link CaptionIndex}'s build: a 64-bit key and a 32-bit
 * check from two different hashes of the id's UTF-16 code units, linear probing, keys of 0 marking
 * free slots. 16 bytes per slot, at most 2/3 of the slots used. Not thread-safe.
 */
final class IdTable {
  private final long[] keys;
  private final int[] checks;
  private final int[] rows;
  private final int mask;

  IdTable(int n) {
    int capacity = Integer.highestOneBit(Math.max(4, (int) Math.min(1 << 30, n * 3L / 2 + 1)));
    capacity = capacity < n * 3L / 2 + 1 ? capacity * 2 : capacity;
    keys = new long[capacity];
    checks = new int[capacity];
    rows = new int[capacity];
    mask = capacity - 1;
  }

  void put(String id, int row) {
    long key = key(id);
    int check = check(id);
    int slot = (int) (key ^ (key >>> 32)) & mask;
    while (keys[slot] != 0) {
      if (keys[slot] == key && checks[slot] == check) {
        throw new IllegalStateException(
            "store ids '"
                + id
                + "' (row "
                + row
                + ") and row "
                + rows[slot]
                + " have the same 96-bit fingerprint; rename one of them");
      }
      slot = (slot + 1) & mask;
    }
    keys[slot] = key;
    checks[slot] = check;
    rows[slot] = row;
  }

  /** Returns the row of {@code id}, or -1. */
  int get(String id) {
    long key = key(id);
    int check = check(id);
    int slot = (int) (key ^ (key >>> 32)) & mask;
    while (keys[slot] != 0) {
      if (keys[slot] == key && checks[slot] == check) {
        return rows[slot];
      }
      slot = (slot + 1) & mask;
    }
    return -1;
  }

  private static long key(String id) {
    long h = 0xCBF2_9CE4_8422_2325L; // FNV-1a offset basis
    for (int i = 0; i < id.length(); i++) {
      h = (h ^ id.charAt(i)) * 0x100_0000_01B3L;
    }
    h = mix(h ^ id.length());
    return h == 0 ? 1 : h;
  }

  private static int check(String id) {
    long h = 0x9E37_79B9_7F4A_7C15L;
    for (int i = 0; i < id.length(); i++) {
      h = (h + id.charAt(i)) * 0xBF58_476D_1CE4_E5B9L;
    }
    return (int) mix(h);
  }

  /** The 64-bit finaliser of MurmurHash3, so that every input bit reaches every output bit. */
  private static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xFF51_AFD7_ED55_8CCDL;
    h ^= h >>> 33;
    h *= 0xC4CE_B9FE_1A85_EC53L;
    return h ^ (h >>> 33);
  }
}
