/**
 * Pre-computed image embeddings on disk: because the LiT image tower is locked (Zhai et al. 2022),
 * its embeddings are computed once by {@link dev.lit4j.store.EmbeddingStoreBuilder} and read,
 * memory-mapped, by {@link dev.lit4j.store.EmbeddingStore}. Embeddings computed elsewhere (for
 * example on a Spark cluster) are written in the same format by {@link
 * dev.lit4j.store.EmbeddingStoreWriter}.
 *
 * <h2>Directory format (version 1)</h2>
 *
 * <ul>
 *   <li>{@code embeddings.npy}: a NumPy {@code .npy} version 1.0 file, readable with {@code
 *       np.load("embeddings.npy", mmap_mode="r")}. Magic {@code \x93NUMPY}, bytes {@code 01 00}, a
 *       little-endian uint16 header length, and the header {@code {'descr': '<f4', 'fortran_order':
 *       False, 'shape': (N, D), }} padded with spaces and a newline exactly as NumPy ≥ 1.24 pads
 *       it, so the data starts at byte 128 (a multiple of 64). The data are N rows of D
 *       little-endian {@code float32} ({@code '<f4'}) or {@code float16} ({@code '<f2'}, rounded to
 *       nearest-even) values, row-major; row {@code i} is the L2-normalised embedding of the image
 *       in line {@code i} of the index.
 *   <li>{@code index.jsonl}: N lines {@code {"row":0,"id":"cat-1","path":"img/cat-1.jpg"}}, in row
 *       order; {@code path} is as written in the manifest.
 *   <li>{@code rejects.jsonl}: one line per image that could not be read, in manifest order: {@code
 *       {"line":7,"id":"x","path":"img/x.png","reason":"CORRUPT","detail":"…"}}; {@code reason} is
 *       one of {@code MISSING}, {@code UNREADABLE}, {@code UNKNOWN_FORMAT}, {@code CORRUPT} (the
 *       data is truncated or corrupt), {@code TOO_LARGE} (the header declares more pixels than
 *       {@link dev.lit4j.store.EmbeddingStoreBuilder#maxPixels}; not decoded), {@code
 *       DECODER_FAILED} (the decoder threw on a valid header; the file may be valid), or {@code
 *       TOWER_FAILED} (the tower threw for this image alone; {@code detail} is the exception's
 *       class and message, at most 1000 characters). Rejected images get no row.
 *   <li>{@code store.json}: {@code format} ({@code "lit4j-embedding-store"}), {@code formatVersion}
 *       (1), {@code completed}, {@code size} (N), {@code dimension} (D), {@code dtype} ({@code
 *       "<f4"} or {@code "<f2"}), {@code tower} ({@code name}, {@code checksum}, {@code
 *       preprocessing}), {@code manifestSha256}, {@code manifestEntries}, {@code rejected}, and
 *       {@code files}. It holds no time stamps, so identical inputs give identical bytes.
 *   <li>{@code .lock}: an empty file that builders lock (see below); not part of the data, and
 *       ignored by readers. It may be deleted whenever no build is running.
 * </ul>
 *
 * <h2>While building</h2>
 *
 * <p>The builder writes {@code embeddings.npy.partial} (header reserved, rows appended), {@code
 * index.jsonl.partial}, {@code rejects.jsonl}, a {@code store.json} with {@code completed: false},
 * and {@code progress.json}: entries handled, rows written and the committed length of each file.
 * After every batch the three data files are forced to disk and only then is {@code progress.json}
 * replaced atomically (temporary file, force, atomic move). A re-run truncates the files to the
 * committed lengths and continues. At the end the final header is written, the partial files are
 * renamed, {@code store.json} is replaced with {@code completed: true} (the last write), and {@code
 * progress.json} is deleted. A store is complete if and only if {@code store.json} says so.
 *
 * <p>One build at a time: a builder first takes an exclusive operating-system lock ({@link
 * java.nio.channels.FileChannel#tryLock()}) on {@code .lock}, creating the file if needed, and
 * holds it until it returns; a second builder, in any process, fails with {@link
 * dev.lit4j.store.StoreLockedException} before it reads or writes any other file. The operating
 * system releases the lock when its process ends, so a {@code .lock} file left by a crash does not
 * block the next build. Readers take no lock.
 */
package dev.lit4j.store;
