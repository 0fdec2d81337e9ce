package dev.lit4j.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EngineThreadsTest {
  @Test
  void parse_readsOneCountForBothPools_orIntraCommaInter() {
    assertEquals(new EngineThreads.Counts(3, 3), EngineThreads.Counts.parse("3"));
    assertEquals(new EngineThreads.Counts(2, 1), EngineThreads.Counts.parse(" 2, 1 "));
  }

  @Test
  void parse_withMalformedText_throwsNamingIt() {
    for (String bad : new String[] {"", "two", "1,2,3", "1,"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> EngineThreads.Counts.parse(bad));
      assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }
  }

  @Test
  void counts_belowOne_throwNamingThem() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new EngineThreads.Counts(0, 1));
    assertTrue(e.getMessage().contains("intra-op = 0"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> EngineThreads.Counts.parse("1,0"));
  }

  @Test
  void set_afterTheEngineStarted_acceptsItsCounts_andRefusesOthersNamingBoth() {
    EngineThreads.Counts now = EngineThreads.current(); // starts the engine
    assertEquals(now, EngineThreads.set(now));
    EngineThreads.Counts other = new EngineThreads.Counts(now.intraOp() + 1, now.interOp());
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> EngineThreads.set(other));
    assertTrue(
        e.getMessage().contains(other.toString()) && e.getMessage().contains(now.toString()),
        e.getMessage());
    assertEquals(now, EngineThreads.current(), "a refused setting changes nothing");
  }
}
