package dev.lit4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChecksumsTest {
  /** SHA-256("abc"), FIPS 180-2 Appendix B.1. */
  private static final String ABC =
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  /** SHA-256 of the empty message, FIPS 180-2. */
  private static final String EMPTY =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  @TempDir Path dir;

  @Test
  void sha256Hex_ofBytes_matchesFipsVectors() {
    assertEquals(ABC, Checksums.sha256Hex("abc".getBytes(StandardCharsets.US_ASCII)));
    assertEquals(EMPTY, Checksums.sha256Hex(new byte[0]));
  }

  @Test
  void sha256Hex_ofFileLargerThanBuffer_equalsDigestOfItsBytes() throws IOException {
    byte[] bytes = new byte[200_003];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 31);
    }
    Path file = Files.write(dir.resolve("f.bin"), bytes);
    assertEquals(Checksums.sha256Hex(bytes), Checksums.sha256Hex(file));
  }

  @Test
  void toHex_ofIncrementalDigest_equalsOneShot() {
    MessageDigest d = Checksums.newSha256();
    d.update("a".getBytes(StandardCharsets.US_ASCII));
    d.update("bc".getBytes(StandardCharsets.US_ASCII));
    assertEquals(ABC, Checksums.toHex(d));
  }
}
